import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../src/access/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { fingerprint as digest } from '../helpers/fingerprint.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Every admin route refuses a caller without a key (401) and a key without its scope (403),
 * writing nothing, and lets a key with exactly that scope through. The scopes below are the
 * entries of src/access/operations.ts; test/access/operations.test.ts walks that table itself.
 */

let t: TestApp;
const ids = { question: '', draftQuestion: '', key: '' };
let importBundle: { categories: unknown[]; roles: { title: string }[] };

beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  for (const slug of ['scope-draft', 'scope-doomed'])
    expect((await send(t.app, 'POST', '/v1/admin/roles', roleInput(slug))).status).toBe(201);
  const created = async () =>
    (await send<{ data: { id: string } }>(t.app, 'POST', '/v1/admin/roles/scope-draft/questions', questionInput())).body
      .data.id;
  ids.question = await created();
  ids.draftQuestion = await created();
  // A key with no scope beyond keys:manage, so a key holding just that scope may rotate and revoke it.
  ids.key = (
    await send<{ data: { id: string } }>(t.app, 'POST', '/v1/admin/keys', { name: 'victim', scopes: ['keys:manage'] })
  ).body.data.id;
  const exported = await send<typeof importBundle>(t.app, 'GET', '/v1/admin/export?role=frontend-developer');
  importBundle = {
    ...exported.body,
    roles: exported.body.roles.map((r) => ({ ...r, title: `${r.title} (imported)` })),
  };
});
afterAll(() => t?.close());

/** Keys with exactly the given scopes, made once through the API with the bootstrap key. */
const keys = new Map<string, string>();
async function keyWith(scopes: readonly Scope[]): Promise<string> {
  const name = [...scopes].sort().join(',');
  if (!keys.has(name)) {
    const res = await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: `scoped ${name}`,
      scopes,
    });
    expect(res.status).toBe(201);
    keys.set(name, res.body.data.token);
  }
  return keys.get(name)!;
}
const allBut = (...missing: Scope[]) => SCOPES.filter((s) => !missing.includes(s));
const fingerprint = () => digest(t.database);

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface RouteCase {
  method: Method;
  /** :id is a question, :draft another question, :key a key, all made in beforeAll. */
  path: string;
  needs: Scope[];
  ok: number;
  body?: () => unknown;
}

const resolve = (path: string) =>
  path.replace(':id', ids.question).replace(':draft', ids.draftQuestion).replace(':key', ids.key);

const routes: RouteCase[] = [
  { method: 'GET', path: '/v1/admin/roles', needs: ['content:preview'], ok: 200 },
  { method: 'GET', path: '/v1/admin/roles/scope-draft', needs: ['content:preview'], ok: 200 },
  { method: 'POST', path: '/v1/admin/roles', needs: ['content:write'], ok: 201, body: () => roleInput('scope-new') },
  {
    method: 'PATCH',
    path: '/v1/admin/roles/scope-draft',
    needs: ['content:write'],
    ok: 200,
    body: () => ({ title: 'Scoped Quality Engineer' }),
  },
  {
    method: 'POST',
    path: '/v1/admin/roles/scope-draft/questions',
    needs: ['content:write'],
    ok: 201,
    body: () => questionInput({ prompt: 'Which tests would you delete first?' }),
  },
  {
    method: 'POST',
    path: '/v1/admin/roles/scope-draft/rounds',
    needs: ['content:write'],
    ok: 201,
    body: () => ({ name: 'Panel', focus: 'A panel about test strategy.', durationMinutes: 45 }),
  },
  { method: 'POST', path: '/v1/admin/roles/scope-draft/publish', needs: ['content:publish'], ok: 200 },
  { method: 'POST', path: '/v1/admin/roles/scope-draft/unpublish', needs: ['content:publish'], ok: 200 },
  { method: 'DELETE', path: '/v1/admin/roles/scope-doomed', needs: ['content:write'], ok: 204 },
  { method: 'GET', path: '/v1/admin/questions/:id', needs: ['content:preview'], ok: 200 },
  {
    method: 'PATCH',
    path: '/v1/admin/questions/:id',
    needs: ['content:write'],
    ok: 200,
    body: () => ({ competency: 'risk-based testing' }),
  },
  { method: 'POST', path: '/v1/admin/questions/:id/publish', needs: ['content:publish'], ok: 200 },
  { method: 'GET', path: '/v1/admin/questions/:id/revisions', needs: ['content:preview'], ok: 200 },
  // Version 3 is the published one made above: restoring it leaves the status as it is.
  { method: 'POST', path: '/v1/admin/questions/:id/revisions/3/restore', needs: ['content:write'], ok: 200 },
  { method: 'DELETE', path: '/v1/admin/questions/:draft', needs: ['content:write'], ok: 204 },
  { method: 'GET', path: '/v1/admin/categories', needs: ['content:preview'], ok: 200 },
  {
    method: 'POST',
    path: '/v1/admin/categories',
    needs: ['content:write'],
    ok: 201,
    body: () => ({ slug: 'scope-cat', name: 'Scoped' }),
  },
  { method: 'GET', path: '/v1/admin/keys', needs: ['keys:manage'], ok: 200 },
  {
    method: 'POST',
    path: '/v1/admin/keys',
    needs: ['keys:manage'],
    ok: 201,
    body: () => ({ name: 'made by a scoped key', scopes: ['keys:manage'] }),
  },
  {
    method: 'POST',
    path: '/v1/admin/keys/:key/rotate',
    needs: ['keys:manage'],
    ok: 200,
    body: () => ({ overlapSeconds: 0 }),
  },
  { method: 'POST', path: '/v1/admin/keys/:key/revoke', needs: ['keys:manage'], ok: 200 },
  { method: 'GET', path: '/v1/admin/audit', needs: ['content:publish'], ok: 200 },
  { method: 'GET', path: '/v1/admin/export', needs: ['content:preview'], ok: 200 },
  {
    method: 'POST',
    path: '/v1/admin/import',
    needs: ['content:write', 'content:publish'],
    ok: 200,
    body: () => importBundle,
  },
];

describe('every admin route checks the key and its scope', () => {
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const url = resolve(route.path);
    const body = route.body?.();
    const label = `${route.method} ${url}`;

    // Lacking every needed scope, and lacking each one of them alone, is refused the same way.
    const lacking = [route.needs, ...(route.needs.length > 1 ? route.needs.map((s) => [s]) : [])];
    const weakKeys = await Promise.all(lacking.map((missing) => keyWith(allBut(...missing))));
    const exact = await keyWith(route.needs);

    const before = await fingerprint();
    expectProblem(await send(t.app, route.method, url, body, {}, null), 401);
    for (const [i, missing] of lacking.entries()) {
      const res = await send(t.app, route.method, url, body, {}, weakKeys[i]!);
      expect(res.status, `${label} without ${missing.join(' and ')}`).toBe(403);
      expectProblem(res, 403);
    }
    expect(await fingerprint(), `${label} changed the database while refusing`).toEqual(before);

    const res = await send(t.app, route.method, url, body, {}, exact);
    expect(res.status, `${label} with exactly ${route.needs.join(', ')}: ${JSON.stringify(res.body)}`).toBe(route.ok);
  });

  // The access check comes first: a caller without the right key learns nothing from the body.
  it.each([
    ['POST', '/v1/admin/roles', { ...roleInput('scope-bad'), slug: 'Not A Slug', salary: 1 }, 'content:write'],
    ['POST', '/v1/admin/import', { roles: 'nope' }, 'content:write'],
    ['GET', '/v1/admin/questions/not-a-uuid', undefined, 'content:preview'],
  ] as const)(
    'refuses %s %s with a bad request and no key (401) or a weak key (403)',
    async (method, url, body, scope) => {
      expectProblem(await send(t.app, method, url, body, {}, null), 401);
      expectProblem(await send(t.app, method, url, body, {}, await keyWith(allBut(scope))), 403);
    },
  );
});

describe('preview on public routes', () => {
  it.each([
    '/v1/roles?preview=true',
    '/v1/roles/scope-draft?preview=true',
    '/v1/questions?preview=true',
    '/v1/categories?preview=true',
  ])('%s needs a key with content:preview', async (url) => {
    expectProblem(await send(t.app, 'GET', url, undefined, {}, null), 401);
    expectProblem(await send(t.app, 'GET', url, undefined, {}, await keyWith(allBut('content:preview'))), 403);
    const res = await send(t.app, 'GET', url, undefined, {}, await keyWith(['content:preview']));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('shows drafts only to a preview key that asks for them', async () => {
    const slugs = async (key: string | null, preview: boolean) =>
      (
        await send<{ data: { slug: string }[] }>(
          t.app,
          'GET',
          `/v1/roles?limit=100${preview ? '&preview=true' : ''}`,
          undefined,
          {},
          key,
        )
      ).body.data.map((r) => r.slug);
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('scope-hidden'));
    expect(await slugs(null, false)).not.toContain('scope-hidden');
    expect(await slugs(await keyWith(['content:preview']), false)).not.toContain('scope-hidden');
    expect(await slugs(await keyWith(['content:preview']), true)).toContain('scope-hidden');
  });
});
