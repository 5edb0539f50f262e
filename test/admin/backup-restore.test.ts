import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportReport } from '../../src/content/admin/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * An export works as a backup: importing it after something in it was deleted brings the deleted
 * items back with their ids, and the public reads are again what they were before the delete.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { ...adminEnv, RESPONSE_CACHE: 'false' } });
});
afterAll(() => t?.close());

type Bundle = { roles: { slug: string; questions: { id: string }[] }[] };

const exported = async () => (await send<Bundle>(t.app, 'GET', '/v1/admin/export')).body;
const publicRead = async (url: string) => {
  const res = await send(t.app, 'GET', url, undefined, {}, null);
  return { status: res.status, body: res.body };
};
/** Everything readers see of these roles and questions. */
const snapshot = async (slugs: string[], ids: string[]) => ({
  roles: await Promise.all(slugs.map((s) => publicRead(`/v1/roles/${s}?include=rounds,questions,tips,faqs,related`))),
  questions: await Promise.all(ids.map((id) => publicRead(`/v1/questions/${id}`))),
  list: await publicRead('/v1/roles?limit=100'),
  categories: await publicRead('/v1/categories'),
});

describe('importing an export after a delete', () => {
  it('brings back a deleted question with its id, as a dry run and for real', async () => {
    const backup = await exported();
    const role = backup.roles.find((r) => r.slug === 'senior-backend-developer')!;
    const id = role.questions[3]!.id;
    const before = await snapshot([role.slug], [id]);
    expect((await send(t.app, 'DELETE', `/v1/admin/questions/${id}`)).status).toBe(204);
    expect((await publicRead(`/v1/questions/${id}`)).status).toBe(404);

    const dry = ImportReport.parse((await send(t.app, 'POST', '/v1/admin/import?dryRun=true', backup)).body);
    expect(dry.created).toEqual([{ type: 'question', key: id }]);
    const applied = ImportReport.parse((await send(t.app, 'POST', '/v1/admin/import', backup)).body);
    expect(applied).toEqual({ ...dry, dryRun: false });
    expect(await snapshot([role.slug], [id])).toEqual(before);
    // Its history continues: the revisions from before the delete are still there, and a new one follows.
    const history = (await send<{ data: { version: number }[] }>(t.app, 'GET', `/v1/admin/questions/${id}/revisions`))
      .body.data;
    expect(history.map((r) => r.version)).toEqual(history.map((_, i) => i + 1));
    expect(history.length).toBeGreaterThan(1);
  });

  it('brings back a role deleted with its questions, and the links other roles had to it', async () => {
    const backup = await exported();
    const linking = backup.roles.filter((r) =>
      (r as unknown as { relatedRoles: string[] }).relatedRoles.includes('data-engineer'),
    );
    expect(linking.length).toBeGreaterThan(0);
    const role = backup.roles.find((r) => r.slug === 'data-engineer')!;
    const ids = role.questions.map((q) => q.id);
    const slugs = ['data-engineer', ...linking.map((r) => r.slug)];
    const before = await snapshot(slugs, ids);
    expect((await send(t.app, 'DELETE', '/v1/admin/roles/data-engineer?cascade=true')).status).toBe(204);
    expect((await publicRead('/v1/roles/data-engineer')).status).toBe(404);

    const report = ImportReport.parse((await send(t.app, 'POST', '/v1/admin/import', backup)).body);
    expect(report.created).toContainEqual({ type: 'role', key: 'data-engineer' });
    expect(
      report.created
        .filter((i) => i.type === 'question')
        .map((i) => i.key)
        .sort(),
    ).toEqual([...ids].sort());
    expect(await snapshot(slugs, ids)).toEqual(before);
    // The role came back under its old id: its revisions continue where they stopped.
    const history = (
      await send<{ data: { version: number }[] }>(t.app, 'GET', '/v1/admin/roles/data-engineer/revisions')
    ).body.data;
    expect(history.length).toBeGreaterThan(1);

    // Importing the same backup again changes nothing.
    const again = ImportReport.parse((await send(t.app, 'POST', '/v1/admin/import', backup)).body);
    expect([...again.created, ...again.updated, ...again.removed]).toEqual([]);
  });

  it('names the item and the field of a bad document, and refuses fields the format does not have', async () => {
    const backup = await exported();
    const roles = backup.roles.map((r, i) => (i === 1 ? { ...r, publishedAtt: '2026-01-01T00:00:00Z' } : r));
    const res = await send<{ errors: { path: string }[] }>(t.app, 'POST', '/v1/admin/import', { ...backup, roles });
    expectProblem(res, 400, 'roles.1.publishedAtt');
    expect(res.body.errors.map((e) => e.path)).toEqual(['roles.1.publishedAtt']);
    expectProblem(await send(t.app, 'POST', '/v1/admin/import', { ...backup, extra: true }), 400, 'extra');
  });
});
