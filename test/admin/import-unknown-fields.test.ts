import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { expectProblem } from '../helpers/http.js';

/*
 * An import is the export format and nothing else: a field the format does not have, at any depth,
 * is a 400 naming it, never an empty report that silently drops what was sent.
 */

let t: TestApp;
let exported: { categories: Record<string, unknown>[]; roles: Record<string, unknown>[] };
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  exported = (await send<typeof exported>(t.app, 'GET', '/v1/admin/export?role=data-engineer')).body;
});
afterAll(() => t?.close());

const role = () =>
  structuredClone(exported.roles[0]!) as Record<string, unknown> & { questions: Record<string, unknown>[] };

describe('an import with fields the format does not have', () => {
  it.each([
    ['a top-level field', () => ({ a: 1 }), 'a'],
    ['a misspelt list', () => ({ categories: [], role: [role()] }), 'role'],
    [
      'a field of a category',
      () => ({ categories: [{ slug: 'data', name: 'Data', colour: 'blue' }], roles: [] }),
      'categories.0.colour',
    ],
    ['a field of a role', () => ({ roles: [{ ...role(), sumary: 'typo' }] }), 'roles.0.sumary'],
    [
      'a field of a question',
      () => {
        const r = role();
        r.questions[0] = { ...r.questions[0], hint: 'extra' };
        return { roles: [r] };
      },
      'roles.0.questions.0.hint',
    ],
  ])('refuses %s with 400 naming it, writing nothing', async (_name, bundle, path) => {
    const before = await fingerprint(t.database);
    for (const dryRun of ['true', 'false']) {
      const res = await send(t.app, 'POST', `/v1/admin/import?dryRun=${dryRun}`, bundle());
      expectProblem(res, 400, path);
    }
    expect(await fingerprint(t.database)).toEqual(before);
  });

  it('refuses one through GraphQL too, naming it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${adminEnv.BOOTSTRAP_ADMIN_KEY}` },
      payload: {
        query: 'mutation($b: String!) { importContent(bundle: $b, dryRun: true) { dryRun } }',
        variables: { b: JSON.stringify({ a: 1 }) },
      },
    });
    const body = JSON.parse(res.body) as { errors: { extensions: { code: string; errors: { path: string }[] } }[] };
    expect(res.statusCode).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]!.extensions.errors.map((e) => e.path)).toContain('a');
  });

  it('still takes exactly what export gives', async () => {
    const res = await send<{ unchanged: unknown[] }>(t.app, 'POST', '/v1/admin/import?dryRun=true', exported);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.unchanged.length).toBeGreaterThan(0);
  });
});
