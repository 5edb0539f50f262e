import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';
import { sample, scrape } from '../helpers/metrics.js';
import { until } from '../helpers/process.js';

/*
 * Past a configured threshold the API sheds load: 503 problem+json with Retry-After, before any
 * work is done for the request, and /readyz says not ready; /healthz stays up. Thresholds are
 * crossed on purpose: a heap limit of one byte, and an event loop this test blocks itself.
 */

let t: TestApp;
let heavy: FastifyInstance;
const DELAY_THRESHOLD_MS = 200;

beforeAll(async () => {
  // Event-loop delay only: the heap check is off, so only a blocked loop can trip this one. The
  // threshold is far above what a busy machine adds and far below what lag() below makes, over a
  // window of one second so the test need not wait for a longer one to fill and drain.
  t = await startTestApp({
    env: {
      OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: String(DELAY_THRESHOLD_MS),
      OVERLOAD_EVENT_LOOP_WINDOW_SECONDS: '1',
      OVERLOAD_MAX_HEAP_USED_BYTES: '0',
    },
  });
  heavy = await buildApp({
    config: testConfig({ OVERLOAD_MAX_HEAP_USED_BYTES: '1', OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0' }),
    database: t.database,
    prepareDatabase: false,
  });
});
afterAll(async () => {
  await heavy?.close();
  await t?.close();
});

const json = (res: Awaited<ReturnType<FastifyInstance['inject']>>) => ({
  status: res.statusCode,
  headers: res.headers,
  body: JSON.parse(res.body),
});

function expectShed(res: Awaited<ReturnType<FastifyInstance['inject']>>) {
  const problem = json(res);
  expectProblem(problem, 503);
  expect(problem.body.code).toBe('UNAVAILABLE');
  expect(problem.body.detail).toMatch(/overloaded/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.headers['cache-control']).toBe('no-store');
}

/**
 * Keeps this process's event loop busy, as a burst of CPU-bound work would: blocks of three times
 * the threshold with barely a pause between them, so every callback waits far past it, however
 * idle or busy the machine is.
 */
async function lag() {
  for (let i = 0; i < 3; i++) {
    const end = Date.now() + DELAY_THRESHOLD_MS * 3;
    while (Date.now() < end) {
      // spin
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('overload', () => {
  it('sheds every request past the memory threshold before doing any work, but stays alive', async () => {
    // The first sample after start crosses the threshold.
    await until(
      async () => (await heavy.inject('/v1/categories')).statusCode === 503,
      'the heap threshold to be crossed',
      10_000,
    );
    const statements = t.database.statements.length;
    for (const url of [
      '/v1/categories',
      '/v1/roles/senior-backend-developer',
      '/graphql?query=%7Bcategories%7Bslug%7D%7D',
    ])
      expectShed(await heavy.inject(url));
    expectShed(await heavy.inject({ method: 'POST', url: '/v1/admin/roles', payload: {} }));
    expect(t.database.statements.length).toBe(statements);

    const ready = json(await heavy.inject('/readyz'));
    expectProblem(ready, 503);
    expect(ready.body.detail).toMatch(/overloaded/);
    expect((await heavy.inject('/healthz')).statusCode).toBe(200);
    const metrics = await scrape(heavy);
    expect(sample(metrics, 'overload_rejections_total', { reason: 'heapUsedBytes' })).toBeGreaterThanOrEqual(5);
  });

  it('sheds load while the event loop lags, and serves again once it catches up', async () => {
    // Start from a calm loop (start-up work in this process may still be settling).
    const served = async () => (await t.app.inject('/v1/categories')).statusCode === 200;
    await until(served, 'the event loop to be calm before the test', 60_000);
    let shed: Awaited<ReturnType<FastifyInstance['inject']>> | undefined;
    for (let attempt = 0; attempt < 10 && !shed; attempt++) {
      await lag();
      const res = await t.app.inject('/v1/categories');
      if (res.statusCode === 503) shed = res;
      else expect(res.statusCode).toBe(200);
    }
    expect(shed, 'a request refused while the loop was blocked').toBeDefined();
    expectShed(shed!);
    expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    await until(served, 'the event loop to catch up', 60_000);
    await until(async () => (await t.app.inject('/readyz')).statusCode === 200, 'ready again', 60_000);
  }, 180_000);

  it('answers a page of another origin with a 503 it can read, and lets its preflights through', async () => {
    const origin = 'https://jobs.example.com';
    await until(
      async () => (await heavy.inject({ url: '/v1/categories', headers: { origin } })).statusCode === 503,
      'the heap threshold to be crossed',
      10_000,
    );
    for (const headers of [{ origin }, { origin, authorization: 'Bearer ick_whatever_x' }]) {
      const res = await heavy.inject({ url: '/v1/roles', headers });
      expectShed(res);
      expect(res.headers['access-control-allow-origin'], JSON.stringify(headers)).toMatch(
        /^(\*|https:\/\/jobs\.example\.com)$/,
      );
      expect(String(res.headers['access-control-expose-headers'])).toMatch(/Retry-After/);
    }
    const preflight = await heavy.inject({
      method: 'OPTIONS',
      url: '/v1/roles',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Authorization/);
  });

  it('has defaults ordinary activity never trips, and lets each check be turned off', () => {
    const defaults = loadConfig({}).overload;
    // Measured with bench/event-loop.ts (docs/operations.md): a browser starting, a 50 MB webhook
    // answer, cached reads and a busy machine stay under 35 ms over 5 s; 64 clients of uncached
    // reads on the embedded database reach 290-520 ms.
    expect(defaults).toEqual({
      maxEventLoopDelayMs: 200,
      eventLoopWindowSeconds: 5,
      maxHeapUsedBytes: undefined,
      maxRssBytes: 0,
    });
    expect(
      loadConfig({
        OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
        OVERLOAD_MAX_HEAP_USED_BYTES: '0',
        OVERLOAD_MAX_RSS_BYTES: '2000000000',
      }).overload,
    ).toEqual({
      maxEventLoopDelayMs: 0,
      eventLoopWindowSeconds: 5,
      maxHeapUsedBytes: 0,
      maxRssBytes: 2_000_000_000,
    });
    expect(() => loadConfig({ OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '-1' })).toThrow(/OVERLOAD_MAX_EVENT_LOOP_DELAY_MS/);
  });
});
