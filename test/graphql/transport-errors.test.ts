import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv } from '../helpers/admin.js';

/*
 * Client mistakes over GraphQL answer 4xx with extensions.code, like REST answers them with
 * problem+json, and are not logged as errors of ours.
 */

let t: TestApp;
const lines: { level: number; msg: string }[] = [];
beforeAll(async () => {
  t = await startTestApp({
    env: { ...adminEnv, LOG_LEVEL: 'info' },
    logStream: { write: (line) => lines.push(JSON.parse(line)) },
  });
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const admin = { ...json, authorization: `Bearer ${ADMIN_KEY}` };
const post = (payload: unknown, headers: Record<string, string> = json): InjectOptions => ({
  method: 'POST',
  url: '/graphql',
  headers,
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
});
const get = (params: string): InjectOptions => ({ method: 'GET', url: `/graphql?${params}` });
const q = encodeURIComponent;
const twoOperations = 'query A { categories { slug } } query B { categories { name } }';

async function send(request: InjectOptions) {
  const res = await t.app.inject(request);
  const body = JSON.parse(res.body) as {
    data: unknown;
    errors?: { message: string; extensions: { code: string; errors?: { path: string }[] } }[];
  };
  return { status: res.statusCode, body };
}

describe('GraphQL refuses client mistakes with 4xx and a code', () => {
  it.each([
    ['a malformed JSON body', post('{"query":'), 400, 'BAD_REQUEST'],
    ['a null JSON body', post('null'), 400, 'BAD_REQUEST'],
    ['a JSON array body', post('[{"query":"{ categories { slug } }"}]'), 400, 'BAD_REQUEST'],
    ['a body without a query', post({}), 400, 'BAD_REQUEST'],
    ['a query that is not a string', post({ query: 5 }), 400, 'BAD_REQUEST'],
    [
      'variables sent as a string',
      post({ query: 'query($n: Int) { roles(first: $n) { nodes { slug } } }', variables: '{"n":1}' }),
      400,
      'BAD_REQUEST',
    ],
    [
      'an unknown operationName',
      post({ query: twoOperations, operationName: 'C' }),
      400,
      'OPERATION_RESOLUTION_FAILURE',
    ],
    ['no operationName for several operations', post({ query: twoOperations }), 400, 'OPERATION_RESOLUTION_FAILURE'],
    [
      'no operationName for several operations, with variables',
      post({ query: twoOperations, variables: {} }),
      400,
      'OPERATION_RESOLUTION_FAILURE',
    ],
    [
      'no operationName for several operations over GET',
      get(`query=${q(twoOperations)}`),
      400,
      'OPERATION_RESOLUTION_FAILURE',
    ],
    [
      'an unknown operationName over GET',
      get(`operationName=C&query=${q(twoOperations)}`),
      400,
      'OPERATION_RESOLUTION_FAILURE',
    ],
    [
      'a form-encoded body',
      post('query=%7Bcategories%7Bslug%7D%7D', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'an XML body',
      post('<query>{ categories { slug } }</query>', { 'content-type': 'application/xml' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body over the size limit',
      post({ query: `{ categories { slug } } #${'x'.repeat(2_000_000)}` }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'malformed GET variables',
      get(`query=${q('{ categories { slug } }')}&variables=${q('{bad')}`),
      400,
      'BAD_REQUEST',
    ],
    [
      'malformed GET extensions',
      get(`query=${q('{ categories { slug } }')}&extensions=${q('{bad')}`),
      400,
      'BAD_REQUEST',
    ],
    [
      'a repeated query parameter',
      get(`query=${q('{ categories { slug } }')}&query=${q('{ categories { name } }')}`),
      400,
      'BAD_REQUEST',
    ],
    [
      'an Int argument out of range',
      post({ query: '{ roles(first: 99999999999) { nodes { slug } } }' }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'an Int variable out of range',
      post({ query: 'query($n: Int) { roles(first: $n) { nodes { slug } } }', variables: { n: 1e12 } }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'a category position past any list',
      post({ query: 'mutation { updateCategory(slug: "product", input: { position: 2147483647 }) { slug } }' }, admin),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a NUL character in an argument',
      post({ query: '{ role(slug: "senior\\u0000backend") { slug } }' }),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a NUL character in a variable',
      post({ query: 'query($id: ID!) { question(id: $id) { id } }', variables: { id: 'a\u0000b' } }),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a NUL character in a mutation input',
      post(
        {
          query: 'mutation($n: String!) { createCategory(input: { slug: "nul", name: $n }) { slug } }',
          variables: { n: 'Op\u0000s' },
        },
        admin,
      ),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a related role listed twice',
      post(
        {
          query:
            'mutation { updateRole(slug: "senior-backend-developer", input: { relatedRoles: ["frontend-developer", "frontend-developer"] }) { slug } }',
        },
        admin,
      ),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a category listed twice in an import',
      post(
        {
          query: 'mutation($b: String!) { importContent(bundle: $b) { created { key } } }',
          variables: {
            b: JSON.stringify({
              categories: [
                { slug: 'ops', name: 'Ops' },
                { slug: 'ops', name: 'Ops' },
              ],
              roles: [],
            }),
          },
        },
        admin,
      ),
      400,
      'BAD_USER_INPUT',
    ],
  ] as const)('%s', async (_name, request, status, code) => {
    lines.length = 0;
    const res = await send(request);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.errors?.[0]?.extensions.code).toBe(code);
    expect(res.body.data ?? null).toBeNull();
    expect(JSON.stringify(res.body)).not.toMatch(/Something went wrong|at .*\.(ts|js):\d+/);
    expect(
      lines.filter((l) => l.level >= 50),
      'logged as an error',
    ).toEqual([]);
  });

  it('answers concurrent creates of one slug with one success and conflicts', async () => {
    lines.length = 0;
    const create = () =>
      send(post({ query: 'mutation { createCategory(input: { slug: "race", name: "Race" }) { slug } }' }, admin));
    const results = await Promise.all(Array.from({ length: 6 }, create));
    expect(results.map((r) => r.status).sort(), JSON.stringify(results[0]!.body)).toEqual([
      200, 409, 409, 409, 409, 409,
    ]);
    for (const r of results.filter((r) => r.status === 409))
      expect(r.body.errors?.[0]?.extensions.code).toBe('CONFLICT');
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('names the bad part of the request', async () => {
    const res = await send(post({ query: '{ categories { slug } }', variables: [1] }));
    expect(res.body.errors?.[0]?.extensions.errors).toEqual([
      { path: 'variables', message: 'variables: must be a JSON object' },
    ]);
  });
});
