import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';

/*
 * A role's questions hold positions 1..n, one per place, whatever writes arrive at once: creates
 * racing each other (on PostgreSQL they really run in parallel), deletes, reorders and imports.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

const prompt = (n: number) => `Question number ${n} of this role, asked at once?`;

async function create(slug: string, n: number) {
  const res = await send<{ data: { id: string } }>(
    t.app,
    'POST',
    `/v1/admin/roles/${slug}/questions`,
    questionInput({ prompt: prompt(n) }),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id;
}

/** Stored positions of a role's questions, in the order the role lists them. */
async function positions(slug: string): Promise<{ id: string; position: number }[]> {
  const role = await send<{ data: { questions: { id: string }[] } }>(t.app, 'GET', `/v1/admin/roles/${slug}`);
  return Promise.all(
    role.body.data.questions.map(async ({ id }) => ({
      id,
      position: (await send<{ data: { position: number } }>(t.app, 'GET', `/v1/admin/questions/${id}`)).body.data
        .position,
    })),
  );
}

const dense = (list: { position: number }[]) => list.map((q) => q.position);
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('question positions', () => {
  it('stay unique when questions are created at the same time', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-race'));
    const ids = await Promise.all(oneToN(8).map((n) => create('qa-race', n)));
    expect(new Set(ids).size).toBe(8);
    expect(dense(await positions('qa-race'))).toEqual(oneToN(8));
  });

  it('close the gap a deleted question leaves, keeping the order', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-gap'));
    const ids: string[] = [];
    for (const n of oneToN(4)) ids.push(await create('qa-gap', n));
    expect((await send(t.app, 'DELETE', `/v1/admin/questions/${ids[1]}`)).status).toBe(204);
    const after = await positions('qa-gap');
    expect(after).toEqual([ids[0], ids[2], ids[3]].map((id, i) => ({ id, position: i + 1 })));
  });

  it('stay dense under creates, deletes and reorders at once', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-churn'));
    const first = await Promise.all(oneToN(4).map((n) => create('qa-churn', n)));
    await Promise.all([
      ...[5, 6, 7].map((n) => create('qa-churn', n)),
      send(t.app, 'DELETE', `/v1/admin/questions/${first[0]}`).then((r) => expect(r.status).toBe(204)),
      send(t.app, 'DELETE', `/v1/admin/questions/${first[2]}`).then((r) => expect(r.status).toBe(204)),
    ]);
    const now = await positions('qa-churn');
    expect(dense(now)).toEqual(oneToN(5));
    const reversed = now.map((q) => q.id).reverse();
    expect((await send(t.app, 'PUT', '/v1/admin/roles/qa-churn/questions/order', { ids: reversed })).status).toBe(200);
    expect(await positions('qa-churn')).toEqual(reversed.map((id, i) => ({ id, position: i + 1 })));
  });

  it('stay unique and dense after an import that moves, adds and drops questions', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-imported'));
    for (const n of oneToN(3)) await create('qa-imported', n);
    const exported = await send<{ categories: unknown[]; roles: { questions: { id: string; prompt: string }[] }[] }>(
      t.app,
      'GET',
      '/v1/admin/export?role=qa-imported',
    );
    const bundle = exported.body;
    const [a, b, c] = bundle.roles[0]!.questions;
    const added = { ...a!, id: '7d4f3a3e-3b55-4d9e-9d53-0d8f4a1b2c3d', prompt: 'A question the import brings along?' };
    bundle.roles[0]!.questions = [c!, added, a!];
    const res = await send(t.app, 'POST', '/v1/admin/import', bundle);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await positions('qa-imported')).toEqual([c!.id, added.id, a!.id].map((id, i) => ({ id, position: i + 1 })));
    expect((await send(t.app, 'GET', `/v1/admin/questions/${b!.id}`)).status).toBe(404);
  });
});
