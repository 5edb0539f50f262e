import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantable } from '../../src/access/key-policy.js';
import type { KeyPrincipal } from '../../src/access/operations.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * A key that makes (or rotates) another cannot hand out more than it has: not a higher rate
 * limit, not browser origins it may not be used from, not categories outside its own. A key made
 * without one of them takes its maker's. REST and GraphQL alike.
 */

const DEFAULT_KEY_LIMIT = 100;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { ...adminEnv, RATE_LIMIT_KEY_PER_MINUTE: String(DEFAULT_KEY_LIMIT) }, seed: false });
});
afterAll(() => t?.close());

interface Key {
  id: string;
  token: string;
  rateLimitPerMinute: number | null;
  allowedOrigins: string[];
}
const create = (body: Record<string, unknown>, key = ADMIN_KEY) =>
  send<{ data: Key }>(t.app, 'POST', '/v1/admin/keys', { name: 'key', scopes: [], ...body }, {}, key);
async function made(body: Record<string, unknown>, key = ADMIN_KEY): Promise<Key> {
  const res = await create(body, key);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

describe('a key made by a key', () => {
  it('may not have a higher rate limit than its maker, and takes its maker’s when it names none', async () => {
    const manager = await made({ scopes: ['keys:manage'], rateLimitPerMinute: 5 });
    expectProblem(await create({ rateLimitPerMinute: 1_000_000 }, manager.token), 403, 'rateLimitPerMinute');
    expectProblem(await create({ rateLimitPerMinute: 6 }, manager.token), 403, 'rateLimitPerMinute');
    expect((await made({ rateLimitPerMinute: 5 }, manager.token)).rateLimitPerMinute).toBe(5);
    expect((await made({}, manager.token)).rateLimitPerMinute).toBe(5);
  });

  it('holds a key without a limit of its own to the default for keys', async () => {
    expectProblem(await create({ rateLimitPerMinute: DEFAULT_KEY_LIMIT + 1 }), 403, 'rateLimitPerMinute');
    expect((await made({ rateLimitPerMinute: DEFAULT_KEY_LIMIT })).rateLimitPerMinute).toBe(DEFAULT_KEY_LIMIT);
    expect((await made({})).rateLimitPerMinute).toBeNull();
  });

  it('may list only origins its maker lists, and takes its maker’s when it lists none', async () => {
    const manager = await made({ scopes: ['keys:manage'], allowedOrigins: ['https://portal.example.com'] });
    expectProblem(await create({ allowedOrigins: ['https://evil.example'] }, manager.token), 403, 'allowedOrigins');
    expect((await made({ allowedOrigins: ['https://portal.example.com'] }, manager.token)).allowedOrigins).toEqual([
      'https://portal.example.com',
    ]);
    expect((await made({}, manager.token)).allowedOrigins).toEqual(['https://portal.example.com']);
    // A key used from servers only lists no origins; it may make keys for browser pages.
    expect((await made({ allowedOrigins: ['https://jobs.example.com'] })).allowedOrigins).toEqual([
      'https://jobs.example.com',
    ]);
  });

  it('is refused over GraphQL the same way', async () => {
    const manager = await made({ scopes: ['keys:manage'], rateLimitPerMinute: 5 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${manager.token}` },
      payload: {
        query: 'mutation { createApiKey(input: { name: "child", scopes: [], rateLimitPerMinute: 1000000 }) { token } }',
      },
    });
    const body = JSON.parse(res.body) as { data: unknown; errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
    expect(body.data).toBeNull();
  });

  it('cannot have its secret handed to a key with less: rotation follows the same rule', async () => {
    const manager = await made({ scopes: ['keys:manage'], rateLimitPerMinute: 5 });
    const bigger = await made({ rateLimitPerMinute: 50 });
    const res = await send(
      t.app,
      'POST',
      `/v1/admin/keys/${bigger.id}/rotate`,
      { overlapSeconds: 0 },
      {},
      manager.token,
    );
    expectProblem(res, 403);
    expect(JSON.stringify(res.body)).not.toMatch(/ick_/);
  });
});

describe('categories', () => {
  const maker = (categories: string[] | null): KeyPrincipal => ({
    kind: 'key',
    keyId: 'k',
    name: 'maker',
    prefix: 'ick_x',
    type: 'server',
    scopes: ['keys:manage'],
    categories,
    allowedOrigins: [],
    rateLimitPerMinute: null,
    expiresAt: null,
  });
  const wanted = (categories: string[] | null) => ({
    scopes: [],
    expiresAt: null,
    rateLimitPerMinute: null,
    allowedOrigins: [],
    categories,
  });

  it('may not reach outside its maker’s categories, and takes them when it names none', () => {
    const limits = { keyRateLimitPerMinute: DEFAULT_KEY_LIMIT };
    expect(() => grantable(maker(['data']), wanted(['engineering']), limits)).toThrow(/categor/);
    expect(grantable(maker(['data', 'design']), wanted(['data']), limits).categories).toEqual(['data']);
    expect(grantable(maker(['data']), wanted(null), limits).categories).toEqual(['data']);
    expect(grantable(maker(null), wanted(['engineering']), limits).categories).toEqual(['engineering']);
  });
});
