import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql, gqlGet } from '../helpers/graphql.js';

/*
 * A query document is refused for its size before it is parsed, and parsing stops at a number of
 * tokens: a refused document costs about what a 404 does, however large it is. Each refusal is
 * proved to come before the parser read the whole text by ending the text with a syntax error that
 * a parse would have reported instead.
 */

const MAX_BYTES = 2048;
const MAX_TOKENS = 200;

let small: TestApp;
let defaults: TestApp;
beforeAll(async () => {
  small = await startTestApp({
    seed: false,
    env: { GRAPHQL_MAX_QUERY_BYTES: String(MAX_BYTES), GRAPHQL_MAX_TOKENS: String(MAX_TOKENS) },
  });
  defaults = await startTestApp({ seed: false });
});
afterAll(async () => {
  await small?.close();
  await defaults?.close();
});

/** `{ categories { slug slug ... } }` padded with a comment to exactly `bytes` bytes. */
function paddedTo(bytes: number, tail = '') {
  const body = `{ categories { slug } }${tail}\n#`;
  return body + 'x'.repeat(bytes - Buffer.byteLength(body));
}

describe('the size of a query document', () => {
  it('runs a document of exactly the size limit', async () => {
    const res = await gql(small.app, paddedTo(MAX_BYTES));
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });

  it('refuses a document one byte over it, before parsing it', async () => {
    const query = `${paddedTo(MAX_BYTES)}\n}`; // the closing brace is a syntax error
    const res = await gql(small.app, query);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_LARGE', limit: MAX_BYTES });
    expect(res.errors?.[0]?.message).toMatch(new RegExp(`${MAX_BYTES + 2} bytes, over the limit of ${MAX_BYTES}`));
  });

  it('refuses it over GET too', async () => {
    const res = await gqlGet(small.app, { query: `${paddedTo(MAX_BYTES)}\n}` });
    expect(res.status).toBe(400);
    expect(res.body?.errors?.[0]?.extensions.code).toBe('QUERY_TOO_LARGE');
  });

  it('counts bytes, not characters', async () => {
    const res = await gql(small.app, `{ categories { slug } } # ${'é'.repeat(MAX_BYTES / 2)}`);
    expect(res.errors?.[0]?.extensions.code).toBe('QUERY_TOO_LARGE');
  });
});

describe('the tokens of a query document', () => {
  const fields = (n: number) => Array.from({ length: n }, () => 'slug').join(' ');

  it('runs a document of as many tokens as the limit', async () => {
    // `{ categories { ... } }` is 5 tokens besides the fields.
    const res = await gql(small.app, `{ categories { ${fields(MAX_TOKENS - 5)} } }`);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
  });

  it('stops parsing past the limit', async () => {
    const res = await gql(small.app, `{ categories { ${fields(MAX_TOKENS - 4)} } } }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions.code).toBe('TOO_MANY_TOKENS');
    expect(res.errors?.[0]?.message).toMatch(new RegExp(`more than ${MAX_TOKENS} tokens`));
  });

  it('stops parsing past the limit over GET too', async () => {
    const res = await gqlGet(small.app, { query: `{ categories { ${fields(MAX_TOKENS)} } } }` });
    expect(res.status).toBe(400);
    expect(res.body?.errors?.[0]?.extensions.code).toBe('TOO_MANY_TOKENS');
  });
});

describe('the defaults', () => {
  // 3,000 aliased introspection fields (about 260 KB): refused from its length alone.
  const huge = `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: __schema { types { name fields { name type { name } } } }`).join(' ')} }`;

  it('refuse a large document of aliased introspection fields for its size', async () => {
    const res = await gql(defaults.app, huge);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions.code).toBe('QUERY_TOO_LARGE');
  });

  it('take the standard introspection query and a query at the field limit', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const introspection = await gql(defaults.app, getIntrospectionQuery());
    expect(introspection.errors).toBeUndefined();
    const manyFields = await gql(defaults.app, `{ categories { ${'slug name position '.repeat(160)} } }`);
    expect(manyFields.errors).toBeUndefined();
  });
});
