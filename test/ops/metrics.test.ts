import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { adminEnv } from '../helpers/admin.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';
import { sample, scrape } from '../helpers/metrics.js';
import { createPartnerKey, getWith } from '../helpers/partners.js';

/* GET /metrics as Prometheus scrapes it, after traffic a user would send. */

const SBD = 'senior-backend-developer';
const TOKEN = 'metrics-token-0123456789abcdef';
let t: TestApp;
let guarded: FastifyInstance;

beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  // A second instance on the same database whose metrics need a token.
  guarded = await buildApp({
    config: testConfig({ METRICS_TOKEN: TOKEN }),
    database: t.database,
    prepareDatabase: false,
  });
});
afterAll(async () => {
  await guarded?.close();
  await t?.close();
});

describe('/metrics', () => {
  it('counts requests and their latency by route pattern and status, cache hits included', async () => {
    const before = await scrape(t.app);
    for (let i = 0; i < 3; i++) expect((await t.app.inject(`/v1/roles/${SBD}`)).statusCode).toBe(200);
    expect((await t.app.inject('/v1/roles/no-such-role')).statusCode).toBe(404);
    const after = await scrape(t.app);

    const role = { method: 'GET', route: '/v1/roles/:slug', status_code: '200' };
    expect(sample(after, 'http_requests_total', role) - sample(before, 'http_requests_total', role)).toBe(3);
    expect(
      sample(after, 'http_request_duration_seconds_count', role) -
        sample(before, 'http_request_duration_seconds_count', role),
    ).toBe(3);
    expect(sample(after, 'http_request_duration_seconds_sum', role)).toBeGreaterThan(0);
    expect(sample(after, 'http_request_duration_seconds_bucket', { ...role, le: '+Inf' })).toBe(
      sample(after, 'http_request_duration_seconds_count', role),
    );
    expect(
      sample(after, 'http_requests_total', { ...role, status_code: '404' }) -
        sample(before, 'http_requests_total', { ...role, status_code: '404' }),
    ).toBe(1);
    // The first read built the answer; the two after it were cache hits, answered before any handler.
    expect(sample(after, 'response_cache_hits_total') - sample(before, 'response_cache_hits_total')).toBe(2);
    expect(sample(after, 'response_cache_misses_total')).toBeGreaterThan(sample(before, 'response_cache_misses_total'));
    expect(sample(after, 'response_cache_entries')).toBeGreaterThan(0);
    expect(sample(after, 'response_cache_bytes')).toBeGreaterThan(0);
    // Raw URLs never become labels.
    expect(after).not.toContain(`route="/v1/roles/${SBD}"`);
    expect(after).not.toContain('no-such-role');
  });

  it('collapses every unknown path into one label', async () => {
    const before = await scrape(t.app);
    for (const path of ['/nowhere', '/nowhere/else', `/v2/${Math.random()}`])
      expect((await t.app.inject(path)).statusCode).toBe(404);
    const after = await scrape(t.app);
    const unmatched = { method: 'GET', route: 'unmatched', status_code: '404' };
    expect(sample(after, 'http_requests_total', unmatched) - sample(before, 'http_requests_total', unmatched)).toBe(3);
    expect(after).not.toContain('nowhere');
  });

  it('times database statements and reports the pool', async () => {
    const before = await scrape(t.app);
    // A filter never asked before misses the cache, so the database answers it.
    expect((await t.app.inject('/v1/questions?difficulty=hard&limit=3')).statusCode).toBe(200);
    const after = await scrape(t.app);
    const ok = { outcome: 'ok' };
    expect(sample(after, 'db_query_duration_seconds_count', ok)).toBeGreaterThan(
      sample(before, 'db_query_duration_seconds_count', ok),
    );
    expect(sample(after, 'db_query_duration_seconds_sum', ok)).toBeGreaterThan(0);
    expect(sample(after, 'db_pool_max')).toBe(t.database.poolMax);
    // Nothing runs while the scrape is read.
    expect(sample(after, 'db_statements_in_flight')).toBe(0);
    expect(sample(after, 'db_transactions_open')).toBe(0);
  });

  it('counts rate-limit rejections by who was limited', async () => {
    const key = await createPartnerKey(t.app, { rateLimitPerMinute: 1 });
    const before = await scrape(t.app);
    expect((await getWith(t.app, '/v1/categories', key.token)).status).toBe(200);
    expect((await getWith(t.app, '/v1/categories', key.token)).status).toBe(429);
    const after = await scrape(t.app);
    expect(
      sample(after, 'rate_limit_rejections_total', { principal: 'key' }) -
        sample(before, 'rate_limit_rejections_total', { principal: 'key' }),
    ).toBe(1);
  });

  it('reports event-loop delay and memory of the process', async () => {
    const text = await scrape(t.app);
    for (const name of [
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
  });

  it('is never rate limited, cached or shed, and a scrape is not an API request', async () => {
    const res = await t.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['ratelimit-limit']).toBeUndefined();
    expect(res.body).toMatch(/^# HELP http_requests_total /m);
  });

  it('needs the token when METRICS_TOKEN is set', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: TOKEN }]) {
      const res = await guarded.inject({ url: '/metrics', headers });
      expectProblem({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) }, 401);
      expect(res.body).not.toContain('http_requests_total');
    }
    for (const url of ['/metrics/', '/metrics?x=1', '/%6detrics'])
      expect((await guarded.inject(url)).statusCode).toBe(401);
    const ok = await guarded.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(/^http_requests_total\{/m);
    // The token is not an API key: the API itself refuses it.
    expect(
      (await guarded.inject({ url: '/v1/categories', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode,
    ).toBe(401);
  });
});
