import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPartnerKey } from '../helpers/partners.js';

/*
 * Guessing keys is slowed like any other traffic: a failed authentication counts against the
 * address it came from, and past the address's budget it is refused with 429 and Retry-After, as
 * an ordinary request would be, instead of a 401 that confirms each guess.
 */

const LIMIT = 4;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    seed: false,
    env: { ...adminEnv, RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(LIMIT), TRUST_PROXY: '127.0.0.1' },
  });
});
afterAll(() => t?.close());

const guess = (address: string, n: number, url = '/v1/categories', method: 'GET' | 'POST' = 'GET') =>
  t.app.inject({
    method,
    url,
    headers: {
      'x-forwarded-for': address,
      authorization: `Bearer ick_guess${String(n).padStart(3, '0')}_${'x'.repeat(43)}`,
    },
    ...(method === 'POST' ? { payload: { query: '{ categories { slug } }' } } : {}),
  });

describe('failed authentications', () => {
  it('are refused with 429 once the address has spent its budget on them', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await guess('203.0.113.20', i)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const over = await guess('203.0.113.20', 99);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(over.body).code).toBe('RATE_LIMITED');
  });

  it('are refused with 429 over GraphQL too, in GraphQL form', async () => {
    for (let i = 0; i < LIMIT; i++) await guess('203.0.113.21', i, '/graphql', 'POST');
    const over = await guess('203.0.113.21', 50, '/graphql', 'POST');
    expect(over.statusCode).toBe(429);
    expect(JSON.parse(over.body).errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('count a malformed Authorization header too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) {
      const res = await t.app.inject({
        url: '/v1/categories',
        headers: { 'x-forwarded-for': '203.0.113.22', authorization: `Basic ${i}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it('spend the budget of their own address only, and a good key keeps its own budget there', async () => {
    for (let i = 0; i < LIMIT + 1; i++) await guess('203.0.113.23', i);
    expect(
      (await t.app.inject({ url: '/v1/categories', headers: { 'x-forwarded-for': '203.0.113.24' } })).statusCode,
    ).toBe(200);
    const key = await createPartnerKey(t.app, { rateLimitPerMinute: 100 });
    const keyed = await t.app.inject({
      url: '/v1/categories',
      headers: { 'x-forwarded-for': '203.0.113.23', authorization: `Bearer ${key.token}` },
    });
    expect(keyed.statusCode).toBe(200);
  });

  it('still answer 401 where the limiter never counts, never passing as anonymous', async () => {
    for (let i = 0; i < LIMIT + 1; i++) await guess('203.0.113.25', i);
    expect((await guess('203.0.113.25', 7, '/healthz')).statusCode).toBe(401);
  });

  it('are answered 401 on a URL the response cache holds, never with the cached page', async () => {
    const warm = () => t.app.inject({ url: '/v1/roles', headers: { 'x-forwarded-for': '203.0.113.26' } });
    for (let i = 0; i < 3; i++) expect((await warm()).statusCode).toBe(200);
    const res = await guess('203.0.113.27', 1, '/v1/roles');
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).code).toBe('UNAUTHENTICATED');
  });
});
