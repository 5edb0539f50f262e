import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { printSchema } from '../../src/graphql/graphql-module.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDL_FILE } from '../../src/cli/graphql-sdl.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, gqlGet } from '../helpers/graphql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { GRAPHIQL: 'true', PUBLIC_CACHE_MAX_AGE: '45' } });
});
afterAll(() => t?.close());

const QUERY = '{ role(slug: "senior-backend-developer") { title questionCount } }';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

describe('GraphQL over HTTP', () => {
  it('serves GET queries with ETag and a CDN Cache-Control, and 304 on If-None-Match', async () => {
    const res = await gqlGet(t.app, { query: QUERY });
    expect(res.status).toBe(200);
    expect(res.body?.data).toEqual({ role: { title: 'Senior Backend Developer', questionCount: 12 } });
    expect(res.headers['cache-control']).toBe('public, max-age=45, stale-while-revalidate=225, stale-if-error=86400');
    const again = await gqlGet(t.app, { query: QUERY }, { 'if-none-match': res.headers.etag as string });
    expect(again.status).toBe(304);
  });

  it('never lets a shared cache keep POSTs or answers with errors', async () => {
    expect((await gql(t.app, QUERY)).headers['cache-control']).toBe('private, no-store');
    const missing = await gqlGet(t.app, { query: '{ role(slug: "astronaut") { title } }' });
    expect(missing.body?.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect(missing.headers['cache-control']).toBe('no-store');
  });

  it('runs an automatic persisted query from its hash alone, once registered', async () => {
    const query = '{ categories { slug roleCount } }';
    const unknown = await gqlGet(t.app, { extensions: persisted(query) });
    expect(unknown.body?.errors?.[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const register = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query, extensions: persisted(query) },
    });
    expect(register.statusCode).toBe(200);

    const byHash = await gqlGet(t.app, { extensions: persisted(query) });
    expect(byHash.status).toBe(200);
    expect((byHash.body?.data as { categories: unknown[] }).categories.length).toBeGreaterThan(0);
    expect(byHash.headers['cache-control']).toMatch(/^public/);
    expect(byHash.headers.etag).toBeTruthy();

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: '{ categories { slug } }', extensions: persisted(query) },
    });
    expect(JSON.parse(wrong.body).errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });

  it('refuses mutations over GET and malformed queries with coded errors', async () => {
    const syntax = await gql(t.app, '{ roles { nodes { slug ');
    expect(syntax.status).toBe(400);
    expect(syntax.errors?.[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const invalid = await gql(t.app, '{ roles { nodes { salary } } }');
    expect(invalid.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badCursor = await gql(t.app, '{ roles(after: "nonsense") { nodes { slug } } }');
    expect(badCursor.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    for (const res of [syntax, invalid, badCursor])
      expect(JSON.stringify(res.errors)).not.toMatch(/at .*\.(ts|js):\d+|stack/);
  });

  it('serves GraphiQL when enabled and introspection by default', async () => {
    const ide = await t.app.inject('/graphiql');
    expect(ide.statusCode).toBe(200);
    expect(ide.headers['content-type']).toMatch(/text\/html/);
    const intro = await gql<{ __schema: { queryType: { name: string } } }>(
      t.app,
      '{ __schema { queryType { name } } }',
    );
    expect(intro.data?.__schema.queryType.name).toBe('Query');
  });

  it('turns introspection off with one setting', async () => {
    const closed = await startTestApp({ seed: false, env: { GRAPHQL_INTROSPECTION: 'false' } });
    try {
      const intro = await gql(closed.app, '{ __schema { queryType { name } } }');
      expect(intro.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await closed.app.inject('/graphiql')).statusCode).toBe(404);
    } finally {
      await closed.close();
    }
  });

  it('commits the SDL it serves (run `npm run graphql:schema` after changing it)', async () => {
    expect(await readFile(SDL_FILE, 'utf8')).toBe(`${printSchema(t.app.graphql.schema)}\n`);
  });

  it('types timestamps as DateTime, written exactly as REST writes them', async () => {
    for (const [type, field] of [
      ['Role', 'updatedAt'],
      ['Role', 'publishedAt'],
      ['Question', 'updatedAt'],
      ['AdminRole', 'updatedAt'],
      ['ApiKey', 'createdAt'],
    ] as const) {
      const fields = (
        t.app.graphql.schema.getType(type) as unknown as {
          getFields(): Record<string, { type: { toString(): string } }>;
        }
      ).getFields();
      expect(String(fields[field]!.type).replace('!', ''), `${type}.${field}`).toBe('DateTime');
    }
    const rest = JSON.parse((await t.app.inject('/v1/roles/senior-backend-developer')).body).data as {
      updatedAt: string;
      publishedAt: string;
    };
    const res = await gql<{ role: { updatedAt: string; publishedAt: string } }>(
      t.app,
      '{ role(slug: "senior-backend-developer") { updatedAt publishedAt } }',
    );
    expect(res.data?.role).toEqual({ updatedAt: rest.updatedAt, publishedAt: rest.publishedAt });
    expect(rest.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
