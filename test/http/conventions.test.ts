import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ERROR_CODES, type ErrorCode } from '../../src/errors.js';
import { expectProblem, get } from '../helpers/http.js';
import { engineName } from '../helpers/database.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { PUBLIC_CACHE_MAX_AGE: '30' } });
});
afterAll(() => t?.close());

describe('HTTP conventions', () => {
  it.each([
    '/v1/categories',
    '/v1/roles',
    '/v1/roles/senior-backend-developer?include=questions',
    '/v1/questions?limit=3',
    '/v1/search?q=team',
  ])('%s sends an ETag and answers If-None-Match with 304', async (url) => {
    const first = await t.app.inject(url);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=150, stale-if-error=86400');
    // A shared cache keeps keyed and preview requests apart from this public answer.
    expect(first.headers.vary).toBe('Authorization, X-Preview, Accept-Encoding');
    const again = await t.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await t.app.inject({ url, headers: { 'if-none-match': '"something-else"' } });
    expect(other.statusCode).toBe(200);
  });

  it('gives different pages different ETags', async () => {
    const a = await t.app.inject('/v1/roles?limit=1');
    const b = await t.app.inject('/v1/roles?limit=2');
    expect(a.headers.etag).not.toBe(b.headers.etag);
  });

  it('puts a request id on every response, keeping a sane one from the caller', async () => {
    const own = await t.app.inject('/v1/roles');
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const passed = await t.app.inject({ url: '/nowhere', headers: { 'x-request-id': 'edge-42.abc' } });
    expect(passed.headers['x-request-id']).toBe('edge-42.abc');
    expect(JSON.parse(passed.body).requestId).toBe('edge-42.abc');
    const hostile = await t.app.inject({ url: '/v1/roles', headers: { 'x-request-id': 'a b\nc' } });
    expect(hostile.headers['x-request-id']).not.toBe('a b\nc');
  });

  it('answers unknown routes and methods with problem+json, never cached', async () => {
    const res = await get(t.app, '/v2/everything');
    expectProblem(res, 404);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ type: '/problems/not-found', instance: '/v2/everything' });
    const post = await t.app.inject({ method: 'POST', url: '/v1/roles', payload: {} });
    expect(post.statusCode).toBe(405);
    expect(post.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a malformed URL with problem+json too', async () => {
    expectProblem(await get(t.app, '/v1/roles/%ZZ'), 400);
  });

  it('serves health and readiness', async () => {
    expect((await get(t.app, '/healthz')).body).toEqual({ status: 'ok' });
    expect((await get(t.app, '/readyz')).body).toEqual({ status: 'ok' });
  });

  it('serves the interactive API reference at /docs', async () => {
    const res = await t.app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('swagger');
    const doc = await get<{ openapi: string; paths: Record<string, unknown> }>(t.app, '/docs/json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/v1/roles/{slug}');
  });
});

describe('tracking parameters', () => {
  const tagged = 'utm_source=newsletter&utm_medium=email&UTM_Campaign=q3&fbclid=IwAR0x&gclid=Cj0K&_=1719912345678';

  it('ignores utm_*, fbclid, gclid and the `_` cache-buster: same answer, same cache entry', async () => {
    const plain = await t.app.inject('/v1/questions?limit=2&difficulty=hard');
    expect(plain.statusCode).toBe(200);
    t.database.statements.length = 0;
    const withTags = await t.app.inject(`/v1/questions?${tagged}&limit=2&difficulty=hard`);
    expect(withTags.statusCode).toBe(200);
    expect(withTags.body).toBe(plain.body);
    expect(withTags.headers.etag).toBe(plain.headers.etag);
    // Answered from the entry the plain URL made: tagged links do not fragment the cache.
    expect(t.database.statements).toEqual([]);
  });

  it('leaves them out of the Link to the next page', async () => {
    const res = await t.app.inject(`/v1/roles?limit=1&${tagged}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.link).toMatch(/^<\/v1\/roles\?limit=1&cursor=[^>]+>; rel="next"$/);
  });

  it('applies to every route: a page with only tracking parameters, GraphQL over GET, the embed pages', async () => {
    expect((await t.app.inject('/v1/categories?_=1')).statusCode).toBe(200);
    expect((await t.app.inject(`/v1/roles/senior-backend-developer?include=rounds&${tagged}`)).statusCode).toBe(200);
    const gql = await t.app.inject(`/graphql?query=${encodeURIComponent('{ categories { slug } }')}&${tagged}`);
    expect(gql.statusCode).toBe(200);
    expect(JSON.parse(gql.body).errors).toBeUndefined();
    expect((await t.app.inject(`/embed/v1/roles/senior-backend-developer?${tagged}`)).statusCode).toBe(200);
  });

  it('still refuses any other unknown parameter with a 400 that names it', async () => {
    const res = await get<{ errors: { path: string }[] }>(t.app, `/v1/roles?${tagged}&categroy=data&utmsource=x`);
    expectProblem(res, 400, 'categroy');
    expect(res.body.errors.map((e) => e.path).sort()).toEqual(['categroy', 'utmsource']);
  });
});

describe('problem types', () => {
  it('resolve: the type of a problem is a page that explains its code', async () => {
    const problem = await get<{ type: string; code: string }>(t.app, '/v1/roles/nope');
    expect(problem.body.type).toBe('/problems/not-found');
    const page = await t.app.inject(problem.body.type);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<h1>Not found</h1>');
    expect(page.body).toContain('<code>NOT_FOUND</code>');
  });

  it('has a page and a JSON description for every stable code, and nothing from other hosts', async () => {
    const index = await get<{ data: { type: string; code: ErrorCode; status: number }[] }>(t.app, '/problems', {
      accept: 'application/json',
    });
    expect(index.body.data.map((d) => d.code)).toEqual(Object.keys(ERROR_CODES));
    for (const { type, code, status } of index.body.data) {
      const html = await t.app.inject(type);
      expect(html.statusCode, type).toBe(200);
      expect(html.body).toContain(`HTTP ${status}`);
      expect(html.body).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(html.headers['content-security-policy']).toContain("default-src 'none'");
      const json = await get<{ data: { code: string; description: string } }>(t.app, type, {
        accept: 'application/json',
      });
      expect(json.body.data.code).toBe(code);
      expect(json.body.data.description.length).toBeGreaterThan(20);
      expect(json.headers.vary).toMatch(/Accept/);
    }
    const listing = await t.app.inject('/problems');
    expect(listing.headers['content-type']).toMatch(/^text\/html/);
    expect(listing.body).toContain('href="/problems/validation-failed"');
  });

  it('answers 404 for a type that does not exist and 400 for one that cannot', async () => {
    expectProblem(await get(t.app, '/problems/no-such-thing'), 404);
    expectProblem(await get(t.app, '/problems/Not_Found'), 400, 'type');
  });
});

describe('when the database is gone', () => {
  it('answers 500 and 503 as problem+json without internals, and says so in the log with the request id', async () => {
    const lines: string[] = [];
    const broken = await startTestApp({
      seed: false,
      env: { LOG_LEVEL: 'info' },
      logStream: { write: (line) => lines.push(line) },
    });
    await broken.database.close();
    try {
      const res = await get<{ detail: string; requestId: string }>(broken.app, '/v1/roles');
      // A PostgreSQL pool that has ended is a database the app cannot reach: 503, try again
      // (test/ops/outage.system.test.ts). The embedded engine closed under a running app is our fault.
      expectProblem(res, engineName === 'postgres' ? 503 : 500);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/select|from "roles"|at .*\.ts|PGlite|postgres/i);
      const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; level: number; err?: { message: string } });
      const entry = logged.find((l) => l.reqId === res.body.requestId && l.level >= 50);
      expect(entry?.err?.message).toBeTruthy();
      const ready = await get(broken.app, '/readyz');
      expectProblem(ready, 503);
    } finally {
      await broken.app.close();
    }
  });
});
