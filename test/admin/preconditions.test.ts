import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Every admin write that takes If-Match honours it, and an admin ETag changes whenever what it
 * describes changes: a role's ETag covers the questions it lists.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

interface Role {
  version: number;
  questions: { id: string; position: number }[];
}

async function read(url: string) {
  const res = await send<{ data: Role }>(t.app, 'GET', url);
  expect(res.status).toBe(200);
  return { etag: res.headers.etag as string, data: res.body.data };
}

async function roleWithQuestions(slug: string, count: number) {
  expect((await send(t.app, 'POST', '/v1/admin/roles', roleInput(slug))).status).toBe(201);
  for (let i = 0; i < count; i++) {
    expect(
      (
        await send(
          t.app,
          'POST',
          `/v1/admin/roles/${slug}/questions`,
          questionInput({ prompt: `Question number ${i + 1} of this role?` }),
        )
      ).status,
    ).toBe(201);
  }
  return read(`/v1/admin/roles/${slug}`);
}

describe('If-Match', () => {
  it('refuses to delete a role that changed since it was read', async () => {
    const before = await roleWithQuestions('qa-delete-me', 0);
    expect((await send(t.app, 'PATCH', '/v1/admin/roles/qa-delete-me', { title: 'Changed Meanwhile' })).status).toBe(
      200,
    );
    expectProblem(
      await send(t.app, 'DELETE', '/v1/admin/roles/qa-delete-me', undefined, { 'if-match': before.etag }),
      412,
    );
    expectProblem(
      await send(t.app, 'DELETE', '/v1/admin/roles/qa-delete-me', undefined, {
        'if-match': `"${before.data.version}"`,
      }),
      412,
    );
    expect((await send(t.app, 'GET', '/v1/admin/roles/qa-delete-me')).status).toBe(200);
    const current = await read('/v1/admin/roles/qa-delete-me');
    expect(
      (await send(t.app, 'DELETE', '/v1/admin/roles/qa-delete-me', undefined, { 'if-match': current.etag })).status,
    ).toBe(204);
  });

  it('refuses a reorder based on an order someone else changed', async () => {
    const before = await roleWithQuestions('qa-reorder', 3);
    const ids = before.data.questions.map((q) => q.id);
    const other = await send(
      t.app,
      'PUT',
      '/v1/admin/roles/qa-reorder/questions/order',
      { ids: [ids[2], ids[0], ids[1]] },
      { 'if-match': before.etag },
    );
    expect(other.status).toBe(200);
    // The first tool, still holding the old ETag, moves the last question to the front as it saw it.
    expectProblem(
      await send(
        t.app,
        'PUT',
        '/v1/admin/roles/qa-reorder/questions/order',
        { ids: [ids[1], ids[0], ids[2]] },
        { 'if-match': before.etag },
      ),
      412,
    );
    expect((await read('/v1/admin/roles/qa-reorder')).data.questions.map((q) => q.id)).toEqual([
      ids[2],
      ids[0],
      ids[1],
    ]);
  });

  it('refuses stale versions in the same GraphQL mutations', async () => {
    const before = await roleWithQuestions('qa-gql-stale', 2);
    const ids = before.data.questions.map((q) => q.id);
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-gql-stale', { title: 'Changed Meanwhile' });
    const mutate = async (query: string) =>
      JSON.parse(
        (
          await t.app.inject({
            method: 'POST',
            url: '/graphql',
            headers: { authorization: `Bearer ${adminEnv.BOOTSTRAP_ADMIN_KEY}` },
            payload: { query },
          })
        ).body,
      );
    const reorder = await mutate(
      `mutation { reorderQuestions(role: "qa-gql-stale", ids: ["${ids[1]}", "${ids[0]}"], version: ${before.data.version}) { slug } }`,
    );
    expect(reorder.errors[0].extensions.code).toBe('PRECONDITION_FAILED');
    const remove = await mutate(
      `mutation { deleteRole(slug: "qa-gql-stale", cascade: true, version: ${before.data.version}) }`,
    );
    expect(remove.errors[0].extensions.code).toBe('PRECONDITION_FAILED');
    expect((await read('/v1/admin/roles/qa-gql-stale')).data.questions.map((q) => q.id)).toEqual(ids);
  });
});

describe('admin ETags', () => {
  it("change with a role's questions, so If-None-Match never serves a stale list", async () => {
    const start = await roleWithQuestions('qa-etags', 2);
    const [first, second] = start.data.questions;
    const seen = new Set([start.etag]);
    const changed = async () => {
      const now = await read('/v1/admin/roles/qa-etags');
      expect(seen.has(now.etag), 'the ETag did not change').toBe(false);
      seen.add(now.etag);
      return now;
    };

    await send(t.app, 'PATCH', `/v1/admin/questions/${first!.id}`, { prompt: 'A question whose prompt changed?' });
    await changed();
    await send(t.app, 'POST', `/v1/admin/questions/${second!.id}/publish`);
    await changed();
    await send(t.app, 'PUT', '/v1/admin/roles/qa-etags/questions/order', { ids: [second!.id, first!.id] });
    const reordered = await changed();
    expect(reordered.data.version).toBe(start.data.version);

    const fresh = await send(t.app, 'GET', '/v1/admin/roles/qa-etags', undefined, { 'if-none-match': start.etag });
    expect(fresh.status).toBe(200);
    const same = await send(t.app, 'GET', '/v1/admin/roles/qa-etags', undefined, { 'if-none-match': reordered.etag });
    expect(same.status).toBe(304);
  });

  it("change with a question's place in its role", async () => {
    const role = await roleWithQuestions('qa-question-etag', 2);
    const [first, second] = role.data.questions;
    const before = await read(`/v1/admin/questions/${first!.id}`);
    await send(t.app, 'PUT', '/v1/admin/roles/qa-question-etag/questions/order', { ids: [second!.id, first!.id] });
    const after = await read(`/v1/admin/questions/${first!.id}`);
    expect(after.data.version).toBe(before.data.version);
    expect(after.etag).not.toBe(before.etag);
    expectProblem(
      await send(
        t.app,
        'PATCH',
        `/v1/admin/questions/${first!.id}`,
        { prompt: 'An edit made on a stale read?' },
        { 'if-match': before.etag },
      ),
      412,
    );
  });
});
