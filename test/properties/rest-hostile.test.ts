import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { expectCleanPrototypes, propertyRuns, propertyTimeout, SEED } from '../helpers/hostile.js';
import {
  readOperations,
  requestsFor,
  type Fixtures,
  type GeneratedRequest,
  type Operation,
} from '../helpers/openapi-requests.js';
import { seedBundle } from '../helpers/seed-files.js';

/*
 * Every operation in openapi.yaml, sent requests generated from its own schemas and then made
 * hostile (wrong types, huge and out-of-range values, unicode and NUL, injection strings,
 * prototype keys, deep nesting, bodies that are not JSON), with the admin key (so validation is
 * reached, not only the key check) or none. Whatever arrives: never a 5xx, every error is
 * problem+json with a code, and a write that is refused leaves every table as it was.
 *
 * Bounded: RUNS requests per operation (about 55 operations), one app, a fixed seed; each test's
 * time limit grows with its runs. A failure
 * prints the seed and path that replay it: pass them to fc.assert as { seed, path }.
 */
const RUNS = propertyRuns(12);

const { doc, operations } = await readOperations();

let t: TestApp;
let requests: (op: Operation) => fc.Arbitrary<GeneratedRequest>;

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
  const questionIds = roles.flatMap((r) => r.questions.slice(0, 2).map((q) => q.id));
  const fixtures: Fixtures = {
    slug: [...roles.map((r) => r.slug), ...seedBundle.categories.map((c) => c.slug)],
    role: roles.map((r) => r.slug),
    relatedRoles: roles.map((r) => r.slug),
    category: seedBundle.categories.map((c) => c.slug),
    id: [...questionIds, victim.body.data.id],
    key: [roles[0]!.slug, ...questionIds],
    position: [1, 2],
    version: [1, 2],
    'body:createRole': [roleInput('hostile-role')],
    'body:updateRole': [{ title: 'A Retitled Role', summary: 'A summary long enough to pass the length check.' }],
    'body:createQuestion': [questionInput({ round: null })],
    'body:updateQuestion': [{ prompt: 'What would you test first, and why?' }],
    'body:createCategory': [{ slug: 'hostile-category', name: 'Hostile' }],
    'body:importContent': [exported.body],
  };
  requests = (op) => requestsFor(doc, op, fixtures, { admin: ADMIN_KEY });
});
afterAll(() => t?.close());

function payloadOf(request: GeneratedRequest): string | undefined {
  if (!request.body) return undefined;
  return 'raw' in request.body ? request.body.raw : JSON.stringify(request.body.json);
}

/** What a failure shows: the request in short and what came back. */
function describeExchange(request: GeneratedRequest, status: number, body: string): string {
  const payload = payloadOf(request);
  return `${request.method} ${request.url.slice(0, 300)} ${payload ? payload.slice(0, 300) : ''} -> ${status} ${body.slice(0, 300)}`;
}

async function exchange(request: GeneratedRequest): Promise<void> {
  const write = request.method !== 'GET';
  const before = write ? await fingerprint(t.database) : undefined;
  const payload = payloadOf(request);
  const res = await t.app.inject({
    method: request.method,
    url: request.url,
    headers: { ...request.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload }),
  });
  const what = describeExchange(request, res.statusCode, res.body);
  // The one 5xx by design: oEmbed asks a provider to answer 501 for a format it does not serve.
  const oembedXml =
    request.url.startsWith('/oembed?') && new URLSearchParams(request.url.split('?')[1]).get('format') === 'xml';
  if (!(oembedXml && res.statusCode === 501)) expect(res.statusCode, what).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(String(res.headers['content-type']), what).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.body) as { status?: unknown; code?: unknown };
    expect(problem.status, what).toBe(res.statusCode);
    expect(typeof problem.code, what).toBe('string');
    if (before) expect(await fingerprint(t.database), `refused, yet wrote: ${what}`).toEqual(before);
  }
  expectCleanPrototypes();
}

describe('hostile requests to every REST operation', () => {
  it('covers every operation of openapi.yaml', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.every((op) => op.operationId)).toBe(true);
  });

  it.each(operations.map((op, i) => [op.operationId, op, i] as const))(
    '%s: never a 5xx, errors are problem+json, refusals write nothing',
    async (_name, op, i) => {
      await fc.assert(fc.asyncProperty(requests(op), exchange), { seed: SEED + i, numRuns: RUNS });
    },
    propertyTimeout(RUNS),
  );
});
