import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/graphql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    env: { GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COST: '3000', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_FIELDS: '40' },
  });
});
afterAll(() => t?.close());

async function refused(query: string, code: string) {
  t.database.statements.length = 0;
  const res = await gql(t.app, query);
  expect(res.status).toBe(400);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions.code).toBe(code);
  // Refused before any resolver ran: not one statement reached the database.
  expect(t.database.statements).toEqual([]);
  return res.errors![0]!;
}

describe('abuse limits', () => {
  it('refuses a query deeper than the limit, saying which limit', async () => {
    const error = await refused(
      '{ roles { nodes { relatedRoles { relatedRoles { relatedRoles { relatedRoles { slug } } } } } } }',
      'QUERY_TOO_DEEP',
    );
    expect(error.message).toMatch(/depth is 7, over the limit of 6/);
    expect(error.extensions).toMatchObject({ limit: 6, actual: 7 });
  });

  it('refuses a query whose cost is over the limit, counting page sizes', async () => {
    const query = (first: number) =>
      `{ roles(first: ${first}) { nodes { questions { starExamples { situation } pitfalls { text } } } } }`;
    const ok = await gql(t.app, query(2));
    expect(ok.errors).toBeUndefined();
    const error = await refused(query(100), 'QUERY_TOO_COSTLY');
    expect(error.message).toMatch(/cost is \d+, over the limit of 3000/);
  });

  it('counts a page size passed as a variable', async () => {
    t.database.statements.length = 0;
    const res = await gql(
      t.app,
      'query($n: Int) { roles(first: $n) { nodes { questions { starExamples { situation } pitfalls { text } } } } }',
      { n: 100 },
    );
    expect(res.errors?.[0]?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(t.database.statements).toEqual([]);
  });

  it("counts a variable's declared default when the request leaves it out", async () => {
    t.database.statements.length = 0;
    const res = await gql(
      t.app,
      'query($n: Int = 100) { roles(first: $n) { nodes { questions { starExamples { situation } pitfalls { text } } } } }',
    );
    expect(res.errors?.[0]?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(t.database.statements).toEqual([]);
  });

  it('reports the measure of a refused query too', async () => {
    const res = await gql(
      t.app,
      '{ roles { nodes { relatedRoles { relatedRoles { relatedRoles { relatedRoles { slug } } } } } } }',
    );
    expect(res.extensions?.cost).toMatchObject({ depth: 7 });
  });

  it('refuses too many aliases and too many fields', async () => {
    await refused(
      '{ a: categories { slug } b: categories { slug } c: categories { slug } d: categories { slug } }',
      'TOO_MANY_ALIASES',
    );
    await refused(`{ categories { ${'slug name '.repeat(21)} } }`, 'TOO_MANY_FIELDS');
  });

  it('reports the measured cost of every successful response', async () => {
    const res = await gql(t.app, '{ roles(first: 3) { nodes { slug rounds { name } } } }');
    expect(res.extensions?.cost).toMatchObject({ depth: 4, aliases: 0, fields: 5 });
    // roles (1) + 3 x [nodes (1) + 1 x (slug (1) + rounds (1 + 6 x name (1)))] = 1 + 3 * (1 + 8)
    expect(res.extensions?.cost?.cost).toBe(1 + 3 * (1 + 1 * (1 + 1 + 6 * 1)));
  });

  it('answers BAD_USER_INPUT for a page size over the maximum, naming the argument', async () => {
    const res = await gql(t.app, '{ questions(first: 101) { nodes { id } } }');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ path: 'first' }] });
  });
});
