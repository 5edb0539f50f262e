import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv, roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/*
 * Deleting a role with cascade=true also removes other roles' links to it, which changes those
 * roles' public pages (their related roles). The change log, which sync, webhooks and caches
 * read, must say so.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

interface Audit {
  data: { seq: number; action: string; entityType: string; entityKey: string }[];
}

const latestSeq = async () => (await send<Audit>(t.app, 'GET', '/v1/admin/audit?limit=1')).body.data[0]!.seq;

/** What the change log recorded after a position. */
async function loggedSince(seq: number): Promise<string[]> {
  const audit = await send<Audit>(t.app, 'GET', '/v1/admin/audit?limit=50');
  return audit.body.data
    .filter((e) => e.seq > seq)
    .map((e) => `${e.entityType}:${e.entityKey}:${e.action}`)
    .sort();
}

describe('a cascading delete', () => {
  it('logs an update of every role whose related-role link it removed', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('linked-away'));
    await send(t.app, 'PATCH', '/v1/admin/roles/frontend-developer', { relatedRoles: ['linked-away'] });
    await send(t.app, 'PATCH', '/v1/admin/roles/ux-designer', { relatedRoles: ['linked-away', 'frontend-developer'] });
    const before = await latestSeq();
    expect((await send(t.app, 'DELETE', '/v1/admin/roles/linked-away?cascade=true')).status).toBe(204);

    expect(await loggedSince(before)).toEqual([
      'role:frontend-developer:updated',
      'role:linked-away:deleted',
      'role:ux-designer:updated',
    ]);
    const ux = await send<{ data: { relatedRoles: string[] } }>(t.app, 'GET', '/v1/admin/roles/ux-designer');
    expect(ux.body.data.relatedRoles).toEqual(['frontend-developer']);
  });

  it('does the same when a whole category goes', async () => {
    await send(t.app, 'POST', '/v1/admin/categories', { slug: 'short-lived', name: 'Short lived' });
    await send(
      t.app,
      'POST',
      '/v1/admin/roles',
      roleInput('in-short-lived', { category: 'short-lived', relatedRoles: [] }),
    );
    await send(t.app, 'PATCH', '/v1/admin/roles/product-manager', { relatedRoles: ['in-short-lived'] });
    const before = await latestSeq();
    expect((await send(t.app, 'DELETE', '/v1/admin/categories/short-lived?cascade=true')).status).toBe(204);

    expect(await loggedSince(before)).toEqual([
      'category:short-lived:deleted',
      'role:in-short-lived:deleted',
      'role:product-manager:updated',
    ]);
  });
});
