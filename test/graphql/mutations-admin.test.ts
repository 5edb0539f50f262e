import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';

/* The rest of the admin operations as GraphQL mutations: categories, rounds, order, keys, import. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-mut'));
  await send(t.app, 'POST', '/v1/admin/roles/qa-mut/questions', questionInput());
  await send(
    t.app,
    'POST',
    '/v1/admin/roles/qa-mut/questions',
    questionInput({ prompt: 'Describe a flaky test you fixed.', round: 'Practical' }),
  );
});
afterAll(() => t?.close());

interface Result<T> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions: { code: string; errors?: { path: string }[] } }[];
}

async function mutate<T = Record<string, never>>(
  query: string,
  variables?: Record<string, unknown>,
  key: string | null = ADMIN_KEY,
): Promise<Result<T>> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query, variables },
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  return { status: res.statusCode, ...JSON.parse(res.body) };
}

describe('GraphQL admin mutations', () => {
  it('create, rename and delete a category', async () => {
    const created = await mutate<{ createCategory: { slug: string; position: number }[] }>(
      'mutation { createCategory(input: { slug: "ops", name: "Operations" }) { slug position } }',
    );
    expect(created.data?.createCategory.at(-1)).toEqual({ slug: 'ops', position: 5 });
    const renamed = await mutate<{ updateCategory: { slug: string; name: string }[] }>(
      'mutation { updateCategory(slug: "ops", input: { name: "Operations & IT" }) { slug name } }',
    );
    expect(renamed.data?.updateCategory).toContainEqual({ slug: 'ops', name: 'Operations & IT' });
    const refused = await mutate('mutation { deleteCategory(slug: "engineering") }');
    expect(refused.errors?.[0]?.extensions.code).toBe('CONFLICT');
    expect(
      (await mutate<{ deleteCategory: boolean }>('mutation { deleteCategory(slug: "ops") }')).data?.deleteCategory,
    ).toBe(true);
  });

  it('add, rename, reorder and delete rounds, keeping questions attached', async () => {
    const added = await mutate<{ addRound: { rounds: { name: string }[] } }>(
      'mutation { addRound(role: "qa-mut", input: { name: "Final", focus: "Values and team fit with the manager.", durationMinutes: 45 }) { rounds { name } } }',
    );
    expect(added.data?.addRound.rounds.map((r) => r.name)).toEqual(['Screen', 'Practical', 'Final']);
    const renamed = await mutate<{ updateRound: { rounds: { name: string }[]; questions: { round: string }[] } }>(
      'mutation { updateRound(role: "qa-mut", position: 1, input: { name: "Phone Screen" }) { rounds { name } questions { round } } }',
    );
    expect(renamed.data?.updateRound.questions.map((q) => q.round)).toEqual(['Phone Screen', 'Practical']);
    const reordered = await mutate<{ reorderRounds: { rounds: { name: string }[] } }>(
      'mutation { reorderRounds(role: "qa-mut", names: ["Final", "Practical", "Phone Screen"]) { rounds { name } } }',
    );
    expect(reordered.data?.reorderRounds.rounds.map((r) => r.name)).toEqual(['Final', 'Practical', 'Phone Screen']);
    const inUse = await mutate('mutation { deleteRound(role: "qa-mut", position: 2) { slug } }');
    expect(inUse.errors?.[0]?.extensions.code).toBe('CONFLICT');
    const deleted = await mutate<{ deleteRound: { rounds: { name: string }[] } }>(
      'mutation { deleteRound(role: "qa-mut", position: 1) { rounds { name } } }',
    );
    expect(deleted.data?.deleteRound.rounds.map((r) => r.name)).toEqual(['Practical', 'Phone Screen']);
  });

  it('reorder questions', async () => {
    const role = await send<{ data: { questions: { id: string }[] } }>(t.app, 'GET', '/v1/admin/roles/qa-mut');
    const ids = role.body.data.questions.map((q) => q.id).reverse();
    const res = await mutate<{ reorderQuestions: { questions: { id: string }[] } }>(
      'mutation($ids: [ID!]!) { reorderQuestions(role: "qa-mut", ids: $ids) { questions { id } } }',
      { ids },
    );
    expect(res.data?.reorderQuestions.questions.map((q) => q.id)).toEqual(ids);
  });

  it('create, rotate and revoke API keys, granting only scopes the caller holds', async () => {
    const created = await mutate<{ createApiKey: { token: string; key: { id: string; scopes: string[] } } }>(
      'mutation { createApiKey(input: { name: "keeper", scopes: [KEYS_MANAGE, CONTENT_PREVIEW] }) { token key { id scopes } } }',
    );
    const keeper = created.data!.createApiKey;
    expect(keeper.key.scopes).toEqual(['KEYS_MANAGE', 'CONTENT_PREVIEW']);
    const escalate = await mutate(
      'mutation { createApiKey(input: { name: "x", scopes: [CONTENT_PUBLISH] }) { token } }',
      undefined,
      keeper.token,
    );
    expect(escalate.errors?.[0]?.extensions.code).toBe('FORBIDDEN');

    const rotated = await mutate<{ rotateApiKey: { token: string } }>(
      `mutation { rotateApiKey(id: "${keeper.key.id}", overlapSeconds: 0) { token } }`,
    );
    expect((await send(t.app, 'GET', '/v1/admin/keys', undefined, {}, keeper.token)).status).toBe(401);
    expect((await send(t.app, 'GET', '/v1/admin/keys', undefined, {}, rotated.data!.rotateApiKey.token)).status).toBe(
      200,
    );
    const revoked = await mutate<{ revokeApiKey: { revokedAt: string | null } }>(
      `mutation { revokeApiKey(id: "${keeper.key.id}") { revokedAt } }`,
    );
    expect(revoked.data?.revokeApiKey.revokedAt).not.toBeNull();
    expect((await send(t.app, 'GET', '/v1/admin/keys', undefined, {}, rotated.data!.rotateApiKey.token)).status).toBe(
      401,
    );
  });

  it('import a bundle, with a dry run first', async () => {
    const exported = await send(t.app, 'GET', '/v1/admin/export?role=qa-mut');
    const bundle = JSON.stringify({
      roles: [{ ...(exported.body as { roles: Record<string, unknown>[] }).roles[0], title: 'Renamed By Import' }],
    });
    const dry = await mutate<{ importContent: { dryRun: boolean; updated: { key: string }[] } }>(
      'mutation($b: String!) { importContent(bundle: $b, dryRun: true) { dryRun updated { key } } }',
      { b: bundle },
    );
    expect(dry.data?.importContent).toEqual({ dryRun: true, updated: [{ key: 'qa-mut' }] });
    await mutate('mutation($b: String!) { importContent(bundle: $b) { dryRun } }', { b: bundle });
    const role = await send<{ data: { title: string } }>(t.app, 'GET', '/v1/admin/roles/qa-mut');
    expect(role.body.data.title).toBe('Renamed By Import');
    const bad = await mutate('mutation { importContent(bundle: "{not json") { dryRun } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ path: 'bundle' }] });
  });
});
