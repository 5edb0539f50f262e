import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery, parse, type DocumentNode } from 'graphql';
import { measure } from '../../src/graphql/limits.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/graphql.js';

/*
 * Limits count every field, introspection included, and are computed in time linear in the
 * query: fragments that spread each other are measured once, not once per spread. Default limits.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ seed: false });
});
afterAll(() => t?.close());

/** F_n spreads F_(n-1) twice: written out, the query would hold 2^n copies of F_0. */
function spreadTower(levels: number): string {
  let query = `{...F${levels}}\nfragment F0 on Query{categories{slug}}\n`;
  for (let i = 1; i <= levels; i++) query += `fragment F${i} on Query{...F${i - 1}...F${i - 1}}\n`;
  return query;
}

/** The document with a counter on every read of a selection list. */
function counted(document: DocumentNode): { document: DocumentNode; reads: () => number } {
  let reads = 0;
  const wrap = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(wrap);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const wrapped = wrap(value);
      if (key === 'selections') {
        Object.defineProperty(out, key, { enumerable: true, get: () => ((reads += 1), wrapped) });
      } else out[key] = wrapped;
    }
    return out;
  };
  return { document: wrap(document) as DocumentNode, reads: () => reads };
}

describe('query limits in linear time', () => {
  it('reads each selection of a fragment tower a bounded number of times', () => {
    const small = counted(parse(spreadTower(4), { noLocation: true }));
    measure(small.document);
    const large = counted(parse(spreadTower(16), { noLocation: true }));
    const m = measure(large.document);
    expect(m.fields).toBe(2 * 2 ** 16);
    // 12 more fragments, 12 more selection sets to read: not 2^16 / 2^4 times the work.
    expect(large.reads() - small.reads()).toBeLessThanOrEqual(12 * 2);
  });

  it('refuses a tower of fragment spreads under 1 KB before anything runs', async () => {
    const query = spreadTower(27);
    expect(query.length).toBeLessThan(1024);
    t.database.statements.length = 0;
    const res = await gql(t.app, query);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions.code).toBe('TOO_MANY_FIELDS');
    expect(res.data ?? null).toBeNull();
    expect(t.database.statements).toEqual([]);
    const health = await t.app.inject('/healthz');
    expect(health.statusCode).toBe(200);
  });
});

describe('introspection counts like any other field', () => {
  it('refuses hundreds of aliased introspection fields by the alias limit', async () => {
    // Thousands are refused for their size before they are parsed (document-size.test.ts).
    const aliased = Array.from({ length: 200 }, (_, i) => `a${i}: __schema { types { name } }`).join(' ');
    const res = await gql(t.app, `{ ${aliased} }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', limit: 30, actual: 200 });
    expect(res.data ?? null).toBeNull();
  });

  it('counts introspection fields in the reported measure', async () => {
    const res = await gql(t.app, '{ __typename __schema { queryType { name } types { name kind } } }');
    expect(res.errors).toBeUndefined();
    expect(res.extensions?.cost).toMatchObject({ fields: 7, depth: 3 });
  });

  it("lets GraphiQL's standard introspection query through the default limits", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      schemaDescription: true,
      directiveIsRepeatable: true,
      specifiedByUrl: true,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query, operationName: 'IntrospectionQuery' },
    });
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { data: { __schema: { queryType: { name: string } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.__schema.queryType.name).toBe('Query');
  });

  it('allows introspection its standard depth only, and only when it asks for nothing else', async () => {
    const ofType = (levels: number): string => (levels === 0 ? 'name' : `ofType { ${ofType(levels - 1)} }`);
    // __type (1) > fields (2) > type (3) > ofType chain
    const deep = await gql(t.app, `{ __type(name: "Query") { fields { type { ${ofType(13)} } } } }`);
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 15, actual: 17 });
    const mixed = await gql(
      t.app,
      `{ categories { slug } __type(name: "Query") { fields { type { ${ofType(9)} } } } }`,
    );
    expect(mixed.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 10 });
  });
});
