import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncPageOut } from '../../src/content/sync-schemas.js';
import { adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPartnerKey, getWith } from '../helpers/partners.js';
import { applyPage, sorted, type Mirror } from '../helpers/sync.js';

/*
 * A key limited to categories never learns the key of an item that was never in its scope: no
 * tombstone (nor item) names another category's roles, questions or categories. It still gets a
 * tombstone for everything it could have held, under the key it could have held it.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

async function syncAs(token: string, mirror: Mirror, cursor?: string) {
  const pages: SyncPageOut[] = [];
  for (;;) {
    const url = `/v1/sync?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await getWith<SyncPageOut>(t.app, url, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    applyPage(mirror, res.body);
    pages.push(res.body);
    cursor = res.body.page.syncCursor;
    if (!res.body.page.nextCursor) return { cursor, pages };
  }
}
const named = (pages: SyncPageOut[]) =>
  pages.flatMap((p) => [
    ...p.data.items.map((i) => `${i.type}:${i.key}`),
    ...p.data.tombstones.map((s) => `${s.type}:${s.key}`),
  ]);

/** Everything a key limited to `data` may ever have been told about, as type:key. */
async function everSeen(token: string) {
  const seen = new Set<string>();
  const mirror: Mirror = new Map();
  const first = await syncAs(token, mirror);
  for (const k of named(first.pages)) seen.add(k);
  return { seen, mirror, cursor: first.cursor };
}

async function engineeringQuestion(): Promise<string> {
  const res = await send<{ data: { id: string }[] }>(
    t.app,
    'GET',
    '/v1/roles/senior-backend-developer/questions?limit=1',
  );
  return res.body.data[0]!.id;
}

describe('sync tombstones for a key limited to categories', () => {
  it('name nothing of other categories when those change, however they change', async () => {
    const token = (await createPartnerKey(t.app, { categories: ['data'] })).token;
    const { seen, mirror, cursor } = await everSeen(token);
    const question = await engineeringQuestion();

    // Other categories' roles and questions change in every way a tombstone could report.
    expect(
      (await send(t.app, 'PATCH', '/v1/admin/roles/senior-backend-developer', { title: 'Backend Engineer' })).status,
    ).toBe(200);
    expect(
      (await send(t.app, 'PATCH', '/v1/admin/roles/frontend-developer', { slug: 'frontend-engineer' })).status,
    ).toBe(200);
    expect((await send(t.app, 'POST', '/v1/admin/roles/ux-designer/unpublish')).status).toBe(200);
    expect((await send(t.app, 'POST', '/v1/admin/roles/product-manager/archive')).status).toBe(200);
    expect((await send(t.app, 'DELETE', `/v1/admin/questions/${question}`)).status).toBe(204);
    expect((await send(t.app, 'POST', '/v1/admin/categories', { slug: 'operations', name: 'Operations' })).status).toBe(
      201,
    );
    expect((await send(t.app, 'DELETE', '/v1/admin/categories/operations')).status).toBe(204);

    const after = await syncAs(token, mirror, cursor);
    const leaked = named(after.pages).filter((k) => !seen.has(k));
    expect(leaked).toEqual([]);
  });

  it('still sends the tombstones of what it held, and nothing under a key it never saw', async () => {
    const token = (await createPartnerKey(t.app, { categories: ['data'] })).token;
    const { seen, mirror, cursor } = await everSeen(token);
    expect(seen.has('role:data-scientist')).toBe(true);

    // Moved out of scope: the key held it, so it hears it left.
    await send(t.app, 'PATCH', '/v1/admin/roles/data-scientist', { category: 'engineering' });
    const out = await syncAs(token, mirror, cursor);
    expect(out.pages.flatMap((p) => p.data.tombstones.map((s) => `${s.type}:${s.key}:${s.reason}`))).toContain(
      'role:data-scientist:out-of-scope',
    );
    expect(mirror.has('role:data-scientist')).toBe(false);

    // Renamed while out of scope: its new slug was never in scope, so it is never named.
    await send(t.app, 'PATCH', '/v1/admin/roles/data-scientist', { slug: 'machine-learning-scientist' });
    const renamed = await syncAs(token, mirror, out.cursor);
    expect(named(renamed.pages)).not.toContain('role:machine-learning-scientist');

    // Back in scope under the new slug: now it is an item, and a later move out is a tombstone.
    await send(t.app, 'PATCH', '/v1/admin/roles/machine-learning-scientist', { category: 'data' });
    const back = await syncAs(token, mirror, renamed.cursor);
    expect(named(back.pages)).toContain('role:machine-learning-scientist');
    expect(mirror.has('role:machine-learning-scientist')).toBe(true);

    const fresh: Mirror = new Map();
    await syncAs(token, fresh);
    expect(sorted(mirror)).toEqual(sorted(fresh));
  });
});
