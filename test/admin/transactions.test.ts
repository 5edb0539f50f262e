import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportContent } from '../../src/content/admin/transfer.js';
import { rowsOf } from '../../src/db/client.js';
import { revisions, roles } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * A write that fails after it has changed some rows leaves nothing behind. To fail midway for
 * real, a test plants the revision row the write will try to add (revisions are unique per
 * version): the write changes the role's rows first, then hits the duplicate and must roll back.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

async function changeLogLength(): Promise<number> {
  const [row] = rowsOf<{ n: string | number }>(await t.database.db.execute(sql`select count(*) as n from change_log`));
  return Number(row!.n);
}

async function plantRevision(slug: string, version: number) {
  const [role] = await t.database.db
    .select({ id: roles.id })
    .from(roles)
    .where(sql`${roles.slug} = ${slug}`);
  await t.database.db
    .insert(revisions)
    .values({ entityType: 'role', entityId: role!.id, version, snapshot: {}, actor: 'test' });
}

describe('a write that fails midway', () => {
  it('leaves a role exactly as it was: rows, lists, version and change log', async () => {
    const before = await exportContent(t.database.db, 'senior-backend-developer');
    const log = await changeLogLength();
    await plantRevision('senior-backend-developer', 2);

    const res = await send(t.app, 'PATCH', '/v1/admin/roles/senior-backend-developer', {
      title: 'Half-written title',
      tips: ['A tip that must not survive the failed write.'],
      formatBreakdown: [{ label: 'Everything', percent: 100 }],
    });
    // The planted row makes the write collide with "existing content": a conflict, said without SQL.
    expectProblem(res, 409);
    expect(JSON.stringify(res.body)).not.toMatch(/revisions|duplicate|unique|insert|constraint/i);

    expect(await exportContent(t.database.db, 'senior-backend-developer')).toEqual(before);
    expect(await changeLogLength()).toBe(log);
    const admin = await send<{ data: { version: number } }>(t.app, 'GET', '/v1/admin/roles/senior-backend-developer');
    expect(admin.body.data.version).toBe(1);
  });

  it('imports all roles of a bundle or none of them', async () => {
    const log = await changeLogLength();
    // The second role of the bundle is an update to an existing role whose next revision is planted.
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-midway'));
    await plantRevision('qa-midway', 2);
    const logAfterSetup = await changeLogLength();
    expect(logAfterSetup).toBe(log + 1);

    const bundle = await exportContent(t.database.db, 'qa-midway');
    const fresh = { ...bundle.roles[0]!, slug: 'qa-brand-new', title: 'Brand New Role' };
    const changed = { ...bundle.roles[0]!, title: 'Changed by the import' };
    const res = await send(t.app, 'POST', '/v1/admin/import', {
      categories: bundle.categories,
      roles: [fresh, changed],
    });
    expectProblem(res, 409);

    expect((await send(t.app, 'GET', '/v1/admin/roles/qa-brand-new')).status).toBe(404);
    const kept = await send<{ data: { title: string; version: number } }>(t.app, 'GET', '/v1/admin/roles/qa-midway');
    expect(kept.body.data).toMatchObject({ title: 'Quality Engineer', version: 1 });
    expect(await changeLogLength()).toBe(logAfterSetup);
  });
});
