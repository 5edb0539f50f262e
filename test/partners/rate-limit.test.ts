import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { adminEnv } from '../helpers/admin.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { expectProblem, type JsonResponse } from '../helpers/http.js';
import { createPartnerKey } from '../helpers/partners.js';

/* Per-minute budgets in one instance (no Redis): by client address, or by the key's own limit. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    seed: false,
    env: { ...adminEnv, RATE_LIMIT_ANONYMOUS_PER_MINUTE: '5', TRUST_PROXY: 'true' },
  });
});
afterAll(() => t?.close());

const from = (ip: string, url = '/v1/categories', headers: Record<string, string> = {}) =>
  t.app.inject({ url, headers: { 'x-forwarded-for': ip, ...headers } });
const json = (res: Awaited<ReturnType<typeof from>>): JsonResponse => ({
  status: res.statusCode,
  headers: res.headers,
  body: JSON.parse(res.body),
});

describe('rate limits', () => {
  it('gives each client address its budget, counting down in RateLimit-* headers, then 429 with Retry-After', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await from('203.0.113.1', i % 2 ? '/v1/roles?limit=1' : '/v1/categories');
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      const reset = Number(res.headers['ratelimit-reset']);
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
      remaining.push(String(res.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const over = json(await from('203.0.113.1'));
    expectProblem(over, 429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.headers['ratelimit-remaining']).toBe('0');
    expect(over.headers['cache-control']).toBe('no-store');
    // Another address is not affected.
    expect((await from('203.0.113.2')).statusCode).toBe(200);
  });

  it('limits every path, cached or not, and GraphQL too, but never health checks', async () => {
    for (let i = 0; i < 5; i++) await from('203.0.113.3', '/embed/v1/widget.js');
    const graphql = await from('203.0.113.3', '/graphql?query=%7Bcategories%7Bslug%7D%7D');
    expect(graphql.statusCode).toBe(429);
    // GraphQL answers in its own form, with the same headers.
    expect(JSON.parse(graphql.body).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(graphql.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('203.0.113.3', '/nowhere')).statusCode).toBe(429);
    for (const url of ['/healthz', '/readyz']) {
      const res = await from('203.0.113.3', url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('counts requests with a bad key against the address, so guessing keys spends its budget', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await from('203.0.113.4', '/v1/roles', { authorization: `Bearer ick_guess${i}00_${'x'.repeat(43)}` });
      expect(res.statusCode).toBe(401);
      expect(res.headers['ratelimit-remaining']).toBe(String(4 - i));
    }
    expect((await from('203.0.113.4')).statusCode).toBe(429);
  });

  it('holds a key to its own limit, whichever address it comes from, and the default otherwise', async () => {
    const key = await createPartnerKey(t.app, { rateLimitPerMinute: 8 });
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await from(`198.51.100.${i}`, '/v1/categories', { authorization: `Bearer ${key.token}` });
      statuses.push(res.statusCode);
      expect(res.headers['ratelimit-limit']).toBe('8');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    const over = json(await from('198.51.100.99', '/v1/categories', { authorization: `Bearer ${key.token}` }));
    expectProblem(over, 429);
    expect(over.body).toMatchObject({ detail: expect.stringContaining('this API key is 8 requests per minute') });
    const plain = await createPartnerKey(t.app);
    expect(
      (await from('203.0.113.1', '/v1/categories', { authorization: `Bearer ${plain.token}` })).headers[
        'ratelimit-limit'
      ],
    ).toBe('6000');
  });
});

/** Another instance over the same database, configured otherwise. */
async function withInstance(env: Record<string, string>, use: (app: FastifyInstance) => Promise<void>) {
  const app = await buildApp({ config: testConfig(env), database: t.database, prepareDatabase: false });
  try {
    await use(app);
  } finally {
    await app.close();
  }
}

describe('addresses behind a proxy', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is on, so a client cannot pick a fresh address', async () => {
    await withInstance({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2' }, async (direct) => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (await direct.inject({ url: '/v1/categories', headers: { 'x-forwarded-for': `192.0.2.${i}` } })).statusCode,
        );
      expect(statuses).toEqual([200, 200, 429]);
    });
  });

  it('turns the anonymous limit off with RATE_LIMIT_ANONYMOUS_PER_MINUTE=0 (the benchmark does)', async () => {
    await withInstance({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' }, async (open) => {
      for (let i = 0; i < 30; i++) {
        const res = await open.inject('/v1/categories');
        expect(res.statusCode).toBe(200);
        expect(res.headers['ratelimit-limit']).toBeUndefined();
      }
    });
  });
});
