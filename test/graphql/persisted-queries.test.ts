import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gqlGet } from '../helpers/graphql.js';

/*
 * Automatic persisted queries are remembered within a byte budget, and a query over the size
 * limit runs without being remembered: padded queries cannot grow memory without bound.
 */

let t: TestApp;
beforeAll(async () => {
  // Without the response cache, which would answer a hash it has seen from the stored response
  // (as a CDN would): these tests watch the persisted-query store itself.
  t = await startTestApp({
    seed: false,
    env: {
      GRAPHQL_PERSISTED_QUERIES_BYTES: '32768',
      GRAPHQL_PERSISTED_QUERY_MAX_BYTES: '8192',
      RESPONSE_CACHE: 'false',
    },
  });
});
afterAll(() => t?.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const extensions = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
/** A valid query padded with a comment to about `size` bytes. */
const padded = (n: number, size: number) => `{ categories { slug } } # ${n} ${'x'.repeat(size)}`;

async function register(query: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query, extensions: extensions(query) },
  });
  expect(res.statusCode).toBe(200);
}

async function remembered(query: string): Promise<boolean> {
  const res = await gqlGet(t.app, { extensions: extensions(query) });
  if (res.status === 200) return true;
  expect(res.body?.errors?.[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  return false;
}

describe('automatic persisted queries', () => {
  it('forget the least recently used queries once their bytes pass the budget', async () => {
    const queries = Array.from({ length: 10 }, (_, n) => padded(n, 6000));
    await register(queries[0]!);
    await register(queries[1]!);
    expect(await remembered(queries[0]!)).toBe(true); // used again: now the most recent
    for (const query of queries.slice(2)) await register(query);
    // 10 queries of 6 KB in a 32 KB budget: only the last few are kept, far below the count limit.
    const kept = [];
    for (const query of queries) kept.push(await remembered(query));
    expect(kept.slice(-4)).toEqual([true, true, true, true]);
    expect(kept.slice(0, 5)).toEqual([false, false, false, false, false]);
  });

  it('run a query over the size limit without remembering it', async () => {
    const big = padded(99, 9000);
    await register(big);
    expect(await remembered(big)).toBe(false);
    const small = padded(100, 100);
    await register(small);
    expect(await remembered(small)).toBe(true);
  });
});
