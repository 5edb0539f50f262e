import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type Access, type OperationName } from '../../src/access/operations.js';
import { ANONYMOUS, SCOPES, type Principal, type Scope } from '../../src/access/principal.js';
import { accessPlugin } from '../../src/http/plugins/access.js';
import { adminEnv, ADMIN_KEY, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { argumentsFor, selectionFor } from '../helpers/graphql-samples.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Walks src/access/operations.ts itself, so an operation added there is covered here without
 * anyone writing a case: on REST and on GraphQL, a caller without a key is refused (401 /
 * UNAUTHENTICATED), a key holding every scope but one the operation needs is refused (403 /
 * FORBIDDEN), nothing is written, and a key with every scope gets past the check. Public
 * operations answer anonymous callers. Requests name things that do not exist, so the admin key's
 * request is refused later (400, 404) and writes nothing either.
 */

let t: TestApp;
/** For each scope, a key holding every other one; made before any fingerprint is taken. */
const lacking = new Map<Scope, string>();
beforeAll(async () => {
  t = await startTestApp({ env: { ...adminEnv, KEY_USAGE_FLUSH_SECONDS: '3600' } });
  for (const scope of SCOPES) {
    const res = await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: `all but ${scope}`,
      scopes: SCOPES.filter((s) => s !== scope),
    });
    expect(res.status).toBe(201);
    lacking.set(scope, res.body.data.token);
  }
});
afterAll(() => t?.close());

const entries = Object.entries(OPERATIONS) as [OperationName, { rest?: string; graphql?: string; access: Access }][];
const guarded = entries.filter(([, op]) => op.access !== 'public') as [
  OperationName,
  { rest?: string; graphql?: string; access: readonly Scope[] },
][];

/** A request to the route with each :param filled in: slugs and ids that name nothing. */
function restRequest(rest: string) {
  const [method, path] = rest.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', string];
  const url = path.replace(/:(\w+)/g, (_, name: string) =>
    name === 'slug' ? 'no-such-thing' : name === 'position' || name === 'version' ? '1' : randomUUID(),
  );
  return { method, url, body: method === 'GET' || method === 'DELETE' ? undefined : {} };
}

async function graphql(field: string, key: string | null) {
  const [type, name] = field.split('.') as ['Query' | 'Mutation', string];
  const schema = t.app.graphql.schema;
  const definition = (type === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[name]!;
  const query = `${type === 'Query' ? 'query' : 'mutation'} { ${name}${argumentsFor(definition.args)} ${selectionFor(definition.type)} }`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query },
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  const body = JSON.parse(res.body) as { errors?: { extensions?: { code?: string } }[] };
  return { query, codes: (body.errors ?? []).map((e) => e.extensions?.code) };
}

describe('the operation table, walked on REST', () => {
  it.each(guarded.filter(([, op]) => op.rest).map(([name, op]) => [name, op] as const))(
    '%s refuses callers without its scopes',
    async (name, op) => {
      const { method, url, body } = restRequest(op.rest!);
      const before = await fingerprint(t.database);
      expectProblem(await send(t.app, method, url, body, {}, null), 401);
      for (const scope of op.access) {
        const res = await send(t.app, method, url, body, {}, lacking.get(scope)!);
        expect(res.status, `${name} with a key lacking only ${scope}`).toBe(403);
        expectProblem(res, 403);
      }
      expect(await fingerprint(t.database), `${name} wrote while refusing`).toEqual(before);
      const admin = await send(t.app, method, url, body, {}, ADMIN_KEY);
      expect([401, 403], `${name} with every scope: ${JSON.stringify(admin.body)}`).not.toContain(admin.status);
    },
  );

  it.each(entries.filter(([, op]) => op.access === 'public' && op.rest).map(([name, op]) => [name, op.rest!] as const))(
    '%s answers anyone',
    async (_name, rest) => {
      const { method, url } = restRequest(rest);
      const res = await send(t.app, method, url, undefined, {}, null);
      expect([401, 403]).not.toContain(res.status);
    },
  );
});

describe('the operation table, walked on GraphQL', () => {
  it.each(guarded.filter(([, op]) => op.graphql).map(([name, op]) => [name, op] as const))(
    '%s refuses callers without its scopes',
    async (name, op) => {
      const before = await fingerprint(t.database);
      const anonymous = await graphql(op.graphql!, null);
      expect(anonymous.codes, anonymous.query).toEqual(['UNAUTHENTICATED']);
      for (const scope of op.access) {
        expect(
          (await graphql(op.graphql!, lacking.get(scope)!)).codes,
          `${name} with a key lacking only ${scope}`,
        ).toEqual(['FORBIDDEN']);
      }
      expect(await fingerprint(t.database), `${name} wrote while refusing`).toEqual(before);
      const admin = await graphql(op.graphql!, ADMIN_KEY);
      expect(admin.codes, `${name} with every scope`).not.toContain('FORBIDDEN');
      expect(admin.codes).not.toContain('UNAUTHENTICATED');
    },
  );

  it.each(
    entries.filter(([, op]) => op.access === 'public' && op.graphql).map(([name, op]) => [name, op.graphql!] as const),
  )('%s answers anyone', async (_name, field) => {
    const { codes } = await graphql(field, null);
    expect(codes).not.toContain('UNAUTHENTICATED');
    expect(codes).not.toContain('FORBIDDEN');
  });
});

describe('the services check the table themselves, whatever surface calls them', () => {
  const key = (scopes: readonly Scope[]): Principal => ({
    kind: 'key',
    keyId: randomUUID(),
    name: 'direct',
    prefix: 'ick_direct00',
    type: 'server',
    scopes,
    categories: null,
    allowedOrigins: [],
    rateLimitPerMinute: null,
    expiresAt: null,
  });
  const [slug, id] = ['no-such-thing', randomUUID()];
  // Every admin method of the content service and every key method of the access service, with the operation it runs.
  const calls = (): [string, OperationName, (p: Principal) => Promise<unknown>][] => {
    const { admin } = t.app.content;
    const access = t.app.access;
    return [
      ['listCategories', 'listAdminCategories', (p) => admin.listCategories(p)],
      ['createCategory', 'createCategory', (p) => admin.createCategory(p, {})],
      ['updateCategory', 'updateCategory', (p) => admin.updateCategory(p, slug, {})],
      ['deleteCategory', 'deleteCategory', (p) => admin.deleteCategory(p, slug, false)],
      ['listRoles', 'listAdminRoles', (p) => admin.listRoles(p)],
      ['getRole', 'getAdminRole', (p) => admin.getRole(p, slug)],
      ['createRole', 'createRole', (p) => admin.createRole(p, {} as never)],
      ['updateRole', 'updateRole', (p) => admin.updateRole(p, slug, {})],
      ['setRoleStatus', 'publishRole', (p) => admin.setRoleStatus(p, slug, 'publish')],
      ['scheduleRole', 'scheduleRole', (p) => admin.scheduleRole(p, slug, { publishAt: null })],
      ['deleteRole', 'deleteRole', (p) => admin.deleteRole(p, slug, true)],
      ['addRound', 'addRound', (p) => admin.addRound(p, slug, {})],
      ['updateRound', 'updateRound', (p) => admin.updateRound(p, slug, 1, {})],
      ['deleteRound', 'deleteRound', (p) => admin.deleteRound(p, slug, 1, true)],
      ['reorderRounds', 'reorderRounds', (p) => admin.reorderRounds(p, slug, [])],
      ['listQuestions', 'listAdminQuestions', (p) => admin.listQuestions(p)],
      ['getQuestion', 'getAdminQuestion', (p) => admin.getQuestion(p, id)],
      ['createQuestion', 'createQuestion', (p) => admin.createQuestion(p, slug, {})],
      ['updateQuestion', 'updateQuestion', (p) => admin.updateQuestion(p, id, {})],
      ['setQuestionStatus', 'archiveQuestion', (p) => admin.setQuestionStatus(p, id, 'archive')],
      ['scheduleQuestion', 'scheduleQuestion', (p) => admin.scheduleQuestion(p, id, { unpublishAt: null })],
      ['deleteQuestion', 'deleteQuestion', (p) => admin.deleteQuestion(p, id)],
      ['reorderQuestions', 'reorderQuestions', (p) => admin.reorderQuestions(p, slug, [])],
      ['listRevisions', 'listQuestionRevisions', (p) => admin.listRevisions(p, 'question', id)],
      ['getRevision', 'getRoleRevision', (p) => admin.getRevision(p, 'role', slug, 1)],
      ['diffRevisions', 'diffRoleRevisions', (p) => admin.diffRevisions(p, 'role', slug, 1, 2)],
      ['restoreRoleRevision', 'restoreRoleRevision', (p) => admin.restoreRoleRevision(p, slug, 1)],
      ['restoreQuestionRevision', 'restoreQuestionRevision', (p) => admin.restoreQuestionRevision(p, id, 1)],
      ['bulk', 'bulkContent', (p) => admin.bulk(p, { action: 'publish', roles: [slug] })],
      ['listReleases', 'listReleases', (p) => admin.listReleases(p)],
      ['getRelease', 'getRelease', (p) => admin.getRelease(p, id)],
      ['createRelease', 'createRelease', (p) => admin.createRelease(p, { name: 'direct' })],
      ['updateRelease', 'updateRelease', (p) => admin.updateRelease(p, id, { name: 'direct' })],
      ['addReleaseItems', 'addReleaseItems', (p) => admin.addReleaseItems(p, id, { items: [] })],
      ['removeReleaseItem', 'removeReleaseItem', (p) => admin.removeReleaseItem(p, id, 'role', slug)],
      ['publishRelease', 'publishRelease', (p) => admin.publishRelease(p, id)],
      ['cancelRelease', 'cancelRelease', (p) => admin.cancelRelease(p, id)],
      ['audit', 'listAuditEntries', (p) => admin.audit(p, {}, { limit: 1 })],
      ['exportContent', 'exportContent', (p) => admin.exportContent(p)],
      ['importContent', 'importContent', (p) => admin.importContent(p, { roles: [] }, false)],
      ['createKey', 'createApiKey', (p) => access.createKey(p, { name: 'direct', scopes: [] })],
      ['listKeys', 'listApiKeys', (p) => access.listKeys(p)],
      ['revokeKey', 'revokeApiKey', (p) => access.revokeKey(p, id)],
      ['rotateKey', 'rotateApiKey', (p) => access.rotateKey(p, id, 0)],
      ['keyUsage', 'getApiKeyUsage', (p) => access.keyUsage(p, id, 1)],
    ];
  };

  it('lists every admin method of both services here', () => {
    const unguarded = ['authenticate', 'ensureBootstrapKey', 'recordUsage', 'flushUsage'];
    const methods = [
      ...Object.keys(t.app.content.admin),
      ...Object.keys(t.app.access).filter((m) => !unguarded.includes(m)),
    ];
    expect(
      calls()
        .map(([method]) => method)
        .sort(),
    ).toEqual(methods.sort());
  });

  it('refuses anonymous callers and keys lacking any needed scope, writing nothing', async () => {
    const before = await fingerprint(t.database);
    for (const [method, operation, call] of calls()) {
      await expect(call(ANONYMOUS), method).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      for (const scope of OPERATIONS[operation].access as readonly Scope[]) {
        await expect(call(key(SCOPES.filter((s) => s !== scope))), `${method} without ${scope}`).rejects.toMatchObject({
          code: 'FORBIDDEN',
        });
      }
    }
    expect(await fingerprint(t.database)).toEqual(before);
  });
});

describe('start-up', () => {
  it('fails listing every route and field without an entry, and every entry naming nothing', async () => {
    const app = Fastify();
    await app.register(accessPlugin, { graphqlFields: () => ['Query.role', 'Query.secrets', 'Mutation.createRole'] });
    app.get('/v1/rogue', async () => 'no operation');
    app.get('/status', { schema: { tags: ['operations'] } }, async () => 'documented, so an operation');
    app.get('/embed/v1/asset.js', { schema: { hide: true } }, async () => 'a file, not an operation');
    app.get('/v1/roles', { config: { operation: 'createRole' } }, async () => 'the wrong operation');
    app.post('/v1/admin/roles', { config: { operation: 'createRole' } }, async () => 'as the table says');
    const failure = await app.ready().then(
      () => undefined,
      (err: Error) => err.message,
    );
    await app.close();
    expect(failure).toContain('GET /v1/rogue names no operation');
    expect(failure).toContain('GET /status names no operation');
    expect(failure).toContain(
      'GET /v1/roles names createRole, which src/access/operations.ts puts at POST /v1/admin/roles',
    );
    expect(failure).toContain('Query.secrets has no operation');
    expect(failure).toContain('getRole names the route GET /v1/roles/:slug, which does not exist');
    expect(failure).toContain('publishRole names the field Mutation.publishRole, which does not exist');
    expect(failure).not.toContain('asset.js');
    expect(failure).not.toContain('POST /v1/admin/roles names');
    expect(failure).not.toContain('Query.role ');
  });
});
