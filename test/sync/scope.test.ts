import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncPageOut } from '../../src/content/sync-schemas.js';
import { adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPartnerKey, getWith } from '../helpers/partners.js';
import { applyPage, keysOf, publicState, sorted, type Mirror } from '../helpers/sync.js';

/* A partner key limited to some categories keeps a mirror of those categories only, over HTTP. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

const partner = async (categories: string[]): Promise<string> => (await createPartnerKey(t.app, { categories })).token;

async function syncAs(
  token: string,
  mirror: Mirror,
  cursor?: string,
): Promise<{ cursor: string; pages: SyncPageOut[] }> {
  const pages: SyncPageOut[] = [];
  for (;;) {
    const res = await getWith<SyncPageOut>(
      t.app,
      `/v1/sync?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      token,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = res.body;
    applyPage(mirror, page);
    pages.push(page);
    cursor = page.page.syncCursor;
    if (!page.page.nextCursor) return { cursor, pages };
  }
}

/** What a fresh full pass gives this caller now: the mirror must equal it. */
async function fresh(ctx: string): Promise<Mirror> {
  const mirror: Mirror = new Map();
  await syncAs(ctx, mirror);
  return mirror;
}

describe('sync for a key limited to some categories', () => {
  it('carries only those categories, their roles and their roles’ questions', async () => {
    const mirror = await fresh(await partner(['engineering']));
    const all = await publicState(t.app);
    const engineeringRoles = [...all.entries()]
      .filter(
        ([k, v]) => k.startsWith('role:') && (v as { category: { slug: string } }).category.slug === 'engineering',
      )
      .map(([k]) => k.slice(5));
    const expected = [...all.entries()]
      .filter(
        ([k, v]) =>
          k === 'category:engineering' ||
          (k.startsWith('role:') && engineeringRoles.includes(k.slice(5))) ||
          (k.startsWith('question:') && engineeringRoles.includes((v as { role: { slug: string } }).role.slug)),
      )
      .map(([k]) => k)
      .sort();
    expect([...mirror.keys()].sort()).toEqual(expected);
    expect(engineeringRoles.length).toBeGreaterThan(1);
  });

  it('sends tombstones when a role moves out of its categories, and the role when it moves back in', async () => {
    const ctx = await partner(['engineering']);
    const mirror: Mirror = new Map();
    const { cursor } = await syncAs(ctx, mirror);
    const questions = [...mirror.entries()]
      .filter(
        ([k, v]) => k.startsWith('question:') && (v as { role: { slug: string } }).role.slug === 'frontend-developer',
      )
      .map(([k]) => k);
    expect(questions.length).toBeGreaterThan(0);

    await send(t.app, 'PATCH', '/v1/admin/roles/frontend-developer', { category: 'design' });
    const out = await syncAs(ctx, mirror, cursor);
    const tombstones = out.pages.flatMap((p) => keysOf(p).tombstones);
    expect(tombstones).toEqual(
      expect.arrayContaining(['role:frontend-developer:out-of-scope', ...questions.map((q) => `${q}:out-of-scope`)]),
    );
    expect(mirror.has('role:frontend-developer')).toBe(false);
    expect(sorted(mirror)).toEqual(sorted(await fresh(ctx)));

    // A caller limited to design sees it arrive.
    const designer = await partner(['design']);
    const designMirror = await fresh(designer);
    expect(designMirror.has('role:frontend-developer')).toBe(true);

    await send(t.app, 'PATCH', '/v1/admin/roles/frontend-developer', { category: 'engineering' });
    const back = await syncAs(ctx, mirror, out.cursor);
    expect(back.pages.flatMap((p) => keysOf(p).items)).toEqual(
      expect.arrayContaining(['role:frontend-developer', ...questions]),
    );
    expect(sorted(mirror)).toEqual(sorted(await fresh(ctx)));
  });

  it('sends tombstones for everything in a category renamed out of the scope', async () => {
    const ctx = await partner(['data']);
    const mirror: Mirror = new Map();
    const { cursor } = await syncAs(ctx, mirror);
    const held = [...mirror.keys()];
    expect(held.filter((k) => k.startsWith('role:')).length).toBeGreaterThan(0);

    await send(t.app, 'PATCH', '/v1/admin/categories/data', { slug: 'data-and-analytics' });
    const out = await syncAs(ctx, mirror, cursor);
    expect(mirror.size).toBe(0);
    const tombstones = out.pages.flatMap((p) => keysOf(p).tombstones);
    expect(tombstones).toContain('category:data:renamed');
    expect(tombstones.filter((k) => k.startsWith('role:')).every((k) => k.endsWith(':out-of-scope'))).toBe(true);
    expect(tombstones.map((k) => k.split(':').slice(0, 2).join(':')).sort()).toEqual(
      expect.arrayContaining(held.sort()),
    );
    // No item of another category is sent.
    expect(out.pages.flatMap((p) => keysOf(p).items)).toEqual([]);
  });
});
