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

beforeAll(async () => {
  // Event-loop delay only: the heap check is off, so only a blocked loop can trip this one.
  t = await startTestApp({ env: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '50', OVERLOAD_MAX_HEAP_USED_BYTES: '0' } });
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
 * Keeps this process's event loop busy, as a burst of CPU-bound work would: a second of 250 ms
 * blocks with barely a pause between them, so the delay measured over that second is high.
 */
async function lag() {
  for (let i = 0; i < 5; i++) {
    const end = Date.now() + 250;
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
    expect((await t.app.inject('/v1/categories')).statusCode).toBe(200);
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
    await until(
      async () => (await t.app.inject('/v1/categories')).statusCode === 200,
      'the event loop to catch up',
      15_000,
    );
    expect((await t.app.inject('/readyz')).statusCode).toBe(200);
  });

  it('has defaults a normal run never trips, and lets each check be turned off', () => {
    const defaults = loadConfig({}).overload;
    expect(defaults).toEqual({ maxEventLoopDelayMs: 1000, maxHeapUsedBytes: undefined, maxRssBytes: 0 });
    expect(
      loadConfig({
        OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
        OVERLOAD_MAX_HEAP_USED_BYTES: '0',
        OVERLOAD_MAX_RSS_BYTES: '2000000000',
      }).overload,
    ).toEqual({
      maxEventLoopDelayMs: 0,
      maxHeapUsedBytes: 0,
      maxRssBytes: 2_000_000_000,
    });
    expect(() => loadConfig({ OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '-1' })).toThrow(/OVERLOAD_MAX_EVENT_LOOP_DELAY_MS/);
  });
});
