import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { hostileString, expectCleanPrototypes, propertyRuns, propertyTimeout, SEED } from '../helpers/hostile.js';
import {
  hostileTransport,
  requestsForField,
  type GraphqlFixtures,
  type GraphqlRequest,
} from '../helpers/graphql-requests.js';
import { perturb } from '../helpers/openapi-requests.js';
import { seedBundle } from '../helpers/seed-files.js';

/*
 * Every Query and Mutation field of the served schema, with arguments generated from their types
 * and then made hostile (wrong types, null for required values, huge numbers, unicode and NUL,
 * injection strings, unknown and prototype-named fields, deep nesting), as variables and written
 * into the query, with the admin key or none; and requests to /graphql that are not well formed
 * at all. Whatever arrives: never a 5xx, every error carries extensions.code, and a mutation that
 * is refused leaves every table as it was.
 *
 * Bounded: RUNS requests per field (about 35 fields, one test each) and TRANSPORT_RUNS malformed
 * requests, one app, a fixed seed; each test's time limit grows with its runs. A failure prints
 * the seed and path that replay it.
 */
const RUNS = propertyRuns(6);
const TRANSPORT_RUNS = 10 * RUNS;

// The root fields, read from the committed schema so each gets a test of its own (a test checks
// that schema.graphql is the served schema; the first test below checks the list against it too).
const sdl = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const fields = [sdl.getQueryType()!, sdl.getMutationType()!].flatMap((type) =>
  Object.keys(type.getFields()).map((name) => `${type.name}.${name}`),
);

let t: TestApp;
let fixtures: GraphqlFixtures;

beforeAll(async () => {
  t = await startTestApp({
    env: {
      ...adminEnv,
      KEY_USAGE_FLUSH_SECONDS: '3600',
      RATE_LIMIT_KEY_PER_MINUTE: '100000',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
    },
  });
  const roles = seedBundle.roles.slice(0, 3);
  const victim = await send<{ data: { id: string } }>(t.app, 'POST', '/v1/admin/keys', { name: 'victim', scopes: [] });
  const exported = await send<{ roles: unknown[] }>(t.app, 'GET', `/v1/admin/export?role=${roles[0]!.slug}`);
  const slugs = fc.constantFrom(...roles.map((r) => r.slug));
  const questionIds = roles.flatMap((r) => r.questions.slice(0, 2).map((q) => q.id));
  const slugLike = fc.stringMatching(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).filter((s) => s.length <= 80);
  fixtures = {
    slug: fc.oneof(slugs, fc.constantFrom(...seedBundle.categories.map((c) => c.slug)), slugLike),
    role: slugs,
    category: fc.constantFrom(...seedBundle.categories.map((c) => c.slug)),
    relatedRoles: fc.array(slugs, { maxLength: 2 }),
    id: fc.constantFrom(...questionIds, victim.body.data.id),
    ids: fc.shuffledSubarray(questionIds),
    names: fc.array(fc.oneof(hostileString, fc.constantFrom(...roles[0]!.rounds.map((r) => r.name))), { maxLength: 4 }),
    round: fc.option(fc.constantFrom(...roles.flatMap((r) => r.rounds.map((x) => x.name)))),
    position: fc.integer({ min: 1, max: 3 }),
    revision: fc.integer({ min: 1, max: 3 }),
    version: fc.option(fc.integer({ min: 1, max: 3 })),
    bundle: fc.oneof(
      perturb(exported.body).map((b) => JSON.stringify(b)),
      hostileString,
    ),
  };
});
afterAll(() => t?.close());

interface Answer {
  status: number;
  body: string;
}

/** Checks what every answer must be; `mutation` says the request may have written. */
async function check(what: string, mutation: boolean, run: () => Promise<Answer>): Promise<void> {
  const before = mutation ? await fingerprint(t.database) : undefined;
  const res = await run();
  const shown = `${what.slice(0, 600)} -> ${res.status} ${res.body.slice(0, 400)}`;
  expect(res.status, shown).toBeLessThan(500);
  const body = JSON.parse(res.body) as {
    data?: Record<string, unknown> | null;
    errors?: { extensions?: { code?: unknown } }[];
    code?: unknown;
  };
  if (!String(res.status).startsWith('2') && !body.errors) {
    // Refused before GraphQL took it (a body limit, the media type): problem+json with a code.
    expect(typeof body.code, shown).toBe('string');
  }
  for (const error of body.errors ?? []) expect(typeof error.extensions?.code, shown).toBe('string');
  const refused = (body.errors?.length ?? 0) > 0 || res.status >= 400;
  if (before && refused) expect(await fingerprint(t.database), `refused, yet wrote: ${shown}`).toEqual(before);
  expectCleanPrototypes();
}

async function post(request: GraphqlRequest): Promise<Answer> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: request.query, ...(request.variables ? { variables: request.variables } : {}) },
    headers: request.key ? { authorization: `Bearer ${request.key}` } : {},
  });
  return { status: res.statusCode, body: res.body };
}

describe('hostile requests to every GraphQL field', () => {
  it('covers every root field of the served schema', () => {
    const schema = t.app.graphql.schema;
    const served = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) =>
      Object.keys(type.getFields()).map((name) => `${type.name}.${name}`),
    );
    expect(fields).toEqual(served);
    expect(fields.filter((f) => f.startsWith('Query.')).length).toBeGreaterThan(4);
    expect(fields.filter((f) => f.startsWith('Mutation.')).length).toBeGreaterThan(20);
  });

  it.each(fields.map((field, i) => [field, i] as const))(
    '%s: never a 5xx, every error has a code, refused mutations write nothing',
    async (field, i) => {
      const property = fc.asyncProperty(requestsForField(t.app.graphql.schema, field, fixtures, ADMIN_KEY), (request) =>
        check(
          `${field}: ${request.query} ${JSON.stringify(request.variables ?? {})}`,
          field.startsWith('Mutation.'),
          () => post(request),
        ),
      );
      await fc.assert(property, { seed: SEED + i, numRuns: RUNS });
    },
    propertyTimeout(RUNS),
  );

  it(
    'malformed requests: bodies of any shape, broken documents, hostile GET parameters',
    async () => {
      const property = fc.asyncProperty(hostileTransport, async (request) => {
        const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
        const url = request.query ? `/graphql?${new URLSearchParams(request.query)}` : '/graphql';
        await check(`${request.method} ${url} ${payload ?? ''}`, payload?.includes('mutation') ?? false, async () => {
          const res = await t.app.inject({
            method: request.method,
            url,
            ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json' } }),
          });
          return { status: res.statusCode, body: res.body };
        });
      });
      await fc.assert(property, { seed: SEED, numRuns: TRANSPORT_RUNS });
    },
    propertyTimeout(TRANSPORT_RUNS, 500),
  );
});
