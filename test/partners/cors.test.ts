import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, type JsonResponse } from '../helpers/http.js';
import { createPartnerKey } from '../helpers/partners.js';

/*
 * What a browser on another origin gets: public reads from anywhere, keyed reads only from the
 * key's origins, and nothing at all from the admin API or GraphQL mutations. A browser lets a
 * page read a response only when Access-Control-Allow-Origin names the page (or is *).
 */

let t: TestApp;
const BOARD = 'https://jobs.example.com';
const OTHER = 'https://elsewhere.example';

beforeAll(async () => {
  t = await startTestApp({ seed: false, env: adminEnv });
});
afterAll(() => t?.close());

const preflight = (url: string, method = 'GET', headers = 'authorization') =>
  t.app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin: BOARD, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

const parse = (res: { statusCode: number; headers: JsonResponse['headers']; body: string }): JsonResponse => ({
  status: res.statusCode,
  headers: res.headers,
  body: JSON.parse(res.body),
});

describe('CORS for public reads', () => {
  it('answers a preflight for any public path, allowing the key and caching headers', async () => {
    for (const url of ['/v1/roles/senior-backend-developer/questions', '/graphql', '/embed/v1/widget.js']) {
      const res = await preflight(url, url === '/graphql' ? 'POST' : 'GET', 'authorization, content-type');
      expect(res.statusCode, url).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(String(res.headers['access-control-allow-methods'])).toContain(url === '/graphql' ? 'POST' : 'GET');
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('if-none-match');
      expect(res.headers['access-control-max-age']).toBe('600');
    }
  });

  it('lets any origin read anonymous responses, errors included, and exposes ETag, Link and rate-limit headers', async () => {
    const res = await t.app.inject({ url: '/v1/roles?limit=1', headers: { origin: OTHER } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const exposed = String(res.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
    for (const header of ['etag', 'link', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'])
      expect(exposed).toContain(header);
    // Same bytes for every origin, so a shared cache may keep one copy.
    expect(res.headers['cache-control']).toMatch(/^public/);
    const missing = await t.app.inject({ url: '/v1/roles/nope', headers: { origin: OTHER } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
  });

  it('runs GraphQL queries for any origin', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { origin: OTHER },
      payload: { query: '{ categories { slug } }' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('CORS for keys', () => {
  it('answers a keyed request from an origin on the key with that origin, privately', async () => {
    const key = await createPartnerKey(t.app, { allowedOrigins: [BOARD] });
    const res = await t.app.inject({
      url: '/v1/roles?limit=1',
      headers: { origin: BOARD, authorization: `Bearer ${key.token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(BOARD);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('refuses it from any other origin with 403, whose reason (and nothing else) that page can read', async () => {
    const key = await createPartnerKey(t.app, { allowedOrigins: [BOARD] });
    const res = parse(
      await t.app.inject({
        url: '/v1/roles?limit=1',
        headers: { origin: OTHER, authorization: `Bearer ${key.token}` },
      }),
    );
    expectProblem(res, 403);
    // The partner's developer sees why in the console instead of an opaque network error.
    expect(res.headers['access-control-allow-origin']).toBe(OTHER);
    expect(Object.keys(res.body as object).sort()).toEqual(
      ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type'].sort(),
    );
    expect(JSON.stringify(res.body)).toContain(OTHER);
    // A key with no origins is for servers only; without an Origin header it works as before.
    const server = await createPartnerKey(t.app);
    expectProblem(
      parse(
        await t.app.inject({ url: '/v1/roles', headers: { origin: BOARD, authorization: `Bearer ${server.token}` } }),
      ),
      403,
    );
    expect(
      (await t.app.inject({ url: '/v1/roles', headers: { authorization: `Bearer ${server.token}` } })).statusCode,
    ).toBe(200);
  });
});

describe('no CORS for the admin API and GraphQL mutations', () => {
  it('fails the preflight of every admin endpoint', async () => {
    for (const [url, method] of [
      ['/v1/admin/roles', 'GET'],
      ['/v1/admin/keys', 'POST'],
      ['/v1/admin/roles/qa/publish', 'POST'],
    ] as const) {
      const res = await preflight(url, method);
      expect(res.headers['access-control-allow-origin'], url).toBeUndefined();
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    }
  });

  it('refuses a cross-origin admin request even with an admin key whose origins list the page', async () => {
    const keyRes = await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: 'admin in a browser',
      scopes: ['keys:manage'],
      allowedOrigins: [BOARD],
    });
    const token = keyRes.body.data.token;
    const res = parse(
      await t.app.inject({
        method: 'POST',
        url: '/v1/admin/keys',
        headers: { origin: BOARD, authorization: `Bearer ${token}` },
        payload: { name: 'x', scopes: [] },
      }),
    );
    expectProblem(res, 403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const keys = await send<{ data: { name: string }[] }>(t.app, 'GET', '/v1/admin/keys');
    expect(keys.body.data.some((k) => k.name === 'x')).toBe(false);
    // The same request from the API's own origin (the /docs page) is answered.
    const same = await t.app.inject({
      url: '/v1/admin/keys',
      headers: { origin: 'http://localhost:80', host: 'localhost:80', authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(same.statusCode).toBe(200);
  });

  it('refuses a cross-origin GraphQL mutation before it runs', async () => {
    const keyRes = await send<{ data: { id: string; token: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: 'victim',
      scopes: ['keys:manage'],
      allowedOrigins: [BOARD],
    });
    const { id, token } = keyRes.body.data;
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { origin: BOARD, authorization: `Bearer ${token}` },
      payload: { query: `mutation { revokeApiKey(id: "${id}") { revokedAt } }` },
    });
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const keys = await send<{ data: { id: string; revokedAt: string | null }[] }>(t.app, 'GET', '/v1/admin/keys');
    expect(keys.body.data.find((k) => k.id === id)?.revokedAt).toBeNull();
    // A query with the same key from the same page is fine.
    const read = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { origin: BOARD, authorization: `Bearer ${token}` },
      payload: { query: '{ categories { slug } }' },
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe(BOARD);
  });
});
