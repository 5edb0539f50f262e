import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Restoring a revision brings back its content; if that would also change what readers see
 * (publish, unpublish, archive), it needs content:publish like any status change.
 */

let t: TestApp;
let writer = '';
let questionId = '';
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  const key = await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
    name: 'writer',
    scopes: ['content:write', 'content:preview'],
  });
  writer = key.body.data.token;
  // Version 1 a draft, 2 published, 3 unpublished again: a draft with a published revision.
  await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-restore'));
  await send(t.app, 'POST', '/v1/admin/roles/qa-restore/publish');
  await send(t.app, 'POST', '/v1/admin/roles/qa-restore/unpublish');
  questionId = (
    await send<{ data: { id: string } }>(t.app, 'POST', '/v1/admin/roles/qa-restore/questions', questionInput())
  ).body.data.id;
  await send(t.app, 'POST', `/v1/admin/questions/${questionId}/publish`);
  await send(t.app, 'POST', `/v1/admin/questions/${questionId}/archive`);
});
afterAll(() => t?.close());

const status = async (url: string) =>
  (await send<{ data: { status: string; version: number } }>(t.app, 'GET', url)).body.data;

describe('restoring a revision', () => {
  it('refuses a writer a restore that would republish a role, over REST and GraphQL', async () => {
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles/qa-restore/revisions/2/restore', undefined, {}, writer),
      403,
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${writer}` },
      payload: { query: 'mutation { restoreRoleRevision(slug: "qa-restore", revision: 2) { status } }' },
    });
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await status('/v1/admin/roles/qa-restore')).toMatchObject({ status: 'draft', version: 3 });
    expect((await send(t.app, 'GET', '/v1/roles/qa-restore', undefined, {}, null)).status).toBe(404);
  });

  it('refuses a writer a restore that would bring an archived question back', async () => {
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/questions/${questionId}/revisions/2/restore`, undefined, {}, writer),
      403,
    );
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/questions/${questionId}/revisions/1/restore`, undefined, {}, writer),
      403,
    );
    expect(await status(`/v1/admin/questions/${questionId}`)).toMatchObject({ status: 'archived', version: 3 });
  });

  it('lets a writer restore content that keeps the status, and a publisher restore any', async () => {
    expect(
      (await send(t.app, 'POST', '/v1/admin/roles/qa-restore/revisions/1/restore', undefined, {}, writer)).status,
    ).toBe(200);
    expect(await status('/v1/admin/roles/qa-restore')).toMatchObject({ status: 'draft', version: 4 });
    expect((await send(t.app, 'POST', '/v1/admin/roles/qa-restore/revisions/2/restore')).status).toBe(200);
    expect(await status('/v1/admin/roles/qa-restore')).toMatchObject({ status: 'published', version: 5 });
  });
});
