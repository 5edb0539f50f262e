import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminEnv } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';

/*
 * JSON in a request nests at most 32 levels (objects and arrays). Deeper nesting is refused as the
 * body is parsed, before anything walks it: a GraphQL variable nested 5,000 levels deep (about 25
 * KB) overflowed the stack while the response-cache key was built, and answered 500.
 */

const MAX_DEPTH = 32;
/** `[[[...1...]]]`, `depth` arrays deep, written without recursion. */
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ seed: false, env: adminEnv });
});
afterAll(() => t?.close());

const post = (payload: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload,
  });
const query = JSON.stringify('{ categories { slug } }');

describe('GraphQL variables', () => {
  it(`takes an unused variable nested ${MAX_DEPTH} levels deep, the body included`, async () => {
    // The body is one level, `variables` another: the variable itself has 30 more.
    const res = await post(`{"query":${query},"variables":{"deep":${nested(MAX_DEPTH - 2)}}}`);
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses one nested 5,000 levels deep with 400, naming variables', async () => {
    for (const headers of [{}, { authorization: `Bearer ${ADMIN_KEY}` }] as Record<string, string>[]) {
      const res = await post(`{"query":${query},"variables":{"deep":${nested(5000)}}}`, headers);
      expect(res.statusCode, res.body).toBe(400);
      const body = JSON.parse(res.body) as { errors: { extensions: { code: string; errors?: { path: string }[] } }[] };
      expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0]!.extensions.errors?.[0]?.path).toBe('variables');
    }
  });

  it('refuses one level past the limit', async () => {
    const res = await post(`{"query":${query},"variables":{"deep":${nested(MAX_DEPTH - 1)}}}`);
    expect(res.statusCode, res.body).toBe(400);
  });

  it('refuses deep variables over GET', async () => {
    const variables = encodeURIComponent(`{"deep":${nested(4000)}}`);
    const res = await t.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('{ categories { slug } }')}&variables=${variables}`,
    });
    expect(res.statusCode, res.body).toBe(400);
    const body = JSON.parse(res.body) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('counts brackets inside strings as text', async () => {
    const res = await post(`{"query":${query},"variables":{"text":${JSON.stringify('[{'.repeat(5000))}}}`);
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('REST bodies', () => {
  it('refuses an import nested 5,000 levels deep as a problem naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/import?dryRun=true',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      payload: `{"categories":[],"roles":${nested(5000)}}`,
    });
    expectProblem({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) }, 400, 'roles');
  });
});
