import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLimits, measure, type QueryMeasure } from '../../src/graphql/limits.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, gqlGet } from '../helpers/graphql.js';

/*
 * A query is GraphQL source text and nothing else. The server once fell back to reading text that
 * did not parse as a JSON syntax tree, so a caller could hand it a tree the parser never would have
 * made (a page size of "100x"), whose cost came out as NaN and passed every limit.
 */

const LIMITS = { maxDepth: 10, maxCost: 3000, maxAliases: 30, maxFields: 500 };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { GRAPHQL_MAX_COST: String(LIMITS.maxCost) } });
});
afterAll(() => t?.close());

const costly = '{ roles(first: 100) { nodes { questions { starExamples { situation } pitfalls { text } } } } }';

/** The syntax tree of `costly` with its page size written as a string, as no parser writes it. */
function handMadeTree() {
  const tree = JSON.parse(JSON.stringify(parse(costly, { noLocation: true })));
  tree.definitions[0].selectionSet.selections[0].arguments[0].value.value = '100x';
  return JSON.stringify(tree);
}

describe('only GraphQL source text is a query', () => {
  it('refuses a JSON syntax tree sent as the query, before anything runs', async () => {
    t.database.statements.length = 0;
    const res = await gql(t.app, handMadeTree());
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(t.database.statements).toEqual([]);
  });

  it('refuses the same tree over GET', async () => {
    const res = await gqlGet(t.app, { query: handMadeTree() });
    expect(res.status).toBe(400);
    expect(res.body?.errors?.[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it.each(['1', 'true', 'null', '1e400', '"{ categories { slug } }"', '[]', '{}'])(
    'answers GET /graphql?query=%s with 400 and a code',
    async (query) => {
      const res = await t.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(query)}` });
      expect(res.statusCode, res.body).toBe(400);
      const body = JSON.parse(res.body) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    },
  );

  it('still refuses the same query written as text for its cost', async () => {
    const res = await gql(t.app, costly);
    expect(res.errors?.[0]?.extensions.code).toBe('QUERY_TOO_COSTLY');
  });
});

describe('a measure that is not a finite number is over every limit', () => {
  const fine: QueryMeasure = { depth: 1, cost: 1, aliases: 0, fields: 1, introspection: false };

  it.each([
    ['depth', 'QUERY_TOO_DEEP'],
    ['aliases', 'TOO_MANY_ALIASES'],
    ['fields', 'TOO_MANY_FIELDS'],
    ['cost', 'QUERY_TOO_COSTLY'],
  ] as const)('%s', (key, code) => {
    for (const value of [NaN, Infinity, -Infinity]) {
      const error = checkLimits({ ...fine, [key]: value }, LIMITS);
      expect(error?.extensions.code, `${key} = ${value}`).toBe(code);
    }
  });

  it('measures a page size that is not a whole number as over the cost limit', () => {
    const tree = JSON.parse(handMadeTree());
    expect(checkLimits(measure(tree), LIMITS)?.extensions.code).toBe('QUERY_TOO_COSTLY');
    const variables = parse('query($n: Int) { roles(first: $n) { nodes { questions { prompt } } } }');
    for (const n of [NaN, Infinity, 1.5])
      expect(checkLimits(measure(variables, { n }), LIMITS)?.extensions.code, `first: ${n}`).toBe('QUERY_TOO_COSTLY');
  });
});
