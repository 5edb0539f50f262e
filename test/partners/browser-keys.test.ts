import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/graphql.js';
import { expectProblem, type JsonResponse } from '../helpers/http.js';
import { createPartnerKey, type PartnerKey } from '../helpers/partners.js';

/*
 * Browser keys: a partner key made to be published in pages. It identifies the partner (origins,
 * categories, usage) and grants nothing an anonymous reader lacks; its answers are public within
 * its categories, and its rate limit applies to each visitor on their own.
 */

const BOARD = 'https://jobs.acme.example';

let t: TestApp;
let designKey: PartnerKey;
let allKey: PartnerKey;
beforeAll(async () => {
  t = await startTestApp({ env: { ...adminEnv, TRUST_PROXY: 'true' } });
  designKey = await createPartnerKey(t.app, {
    type: 'browser',
    allowedOrigins: [BOARD],
    categories: ['design'],
    rateLimitPerMinute: 3,
  });
  allKey = await createPartnerKey(t.app, { type: 'browser', allowedOrigins: [BOARD] });
});
afterAll(() => t?.close());

/** A visitor of the job board, at an address of their own, sending the page's key. */
const visit = (key: PartnerKey, url: string, address = '198.51.100.7', origin = BOARD) =>
  t.app.inject({
    url,
    headers: { authorization: `Bearer ${key.token}`, origin, 'x-forwarded-for': address },
  });

/** Statements other than the key lookup, which every request with a key makes. */
async function contentStatements(read: () => Promise<unknown>): Promise<number> {
  t.database.statements.length = 0;
  await read();
  return t.database.statements.filter((s) => !/api_keys/.test(s)).length;
}

const slugsOf = (body: string) => (JSON.parse(body) as { data: { slug: string }[] }).data.map((r) => r.slug);

describe('a browser key', () => {
  it('is made with no scopes and at least one origin, and looks unlike a secret key', async () => {
    expect(designKey.token).toMatch(/^icb_[a-z0-9]{8}_\S{40,}$/);
    expect(designKey).toMatchObject({ type: 'browser', scopes: [], allowedOrigins: [BOARD] });
    const withScopes = await send(t.app, 'POST', '/v1/admin/keys', {
      name: 'x',
      type: 'browser',
      scopes: ['content:preview'],
      allowedOrigins: [BOARD],
    });
    expectProblem(withScopes, 400, 'scopes');
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/keys', { name: 'x', type: 'browser', scopes: [] }),
      400,
      'allowedOrigins',
    );
    const viaGraphql = await gql<{ createApiKey: { token: string; key: { type: string } } }>(
      t.app,
      `mutation { createApiKey(input: { name: "board", type: BROWSER, scopes: [], allowedOrigins: ["${BOARD}"] }) { token key { type } } }`,
    );
    // The test's gql helper sends no key; the mutation needs one.
    expect(viaGraphql.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: {
        query: `mutation { createApiKey(input: { name: "board", type: BROWSER, scopes: [], allowedOrigins: ["${BOARD}"] }) { token key { type scopes } } }`,
      },
    });
    expect(JSON.parse(res.body).data.createApiKey).toMatchObject({
      token: expect.stringMatching(/^icb_/),
      key: { type: 'BROWSER', scopes: [] },
    });
  });

  it('gets answers a shared cache may keep, within its categories, served from memory the second time', async () => {
    const first = await visit(designKey, '/v1/roles');
    expect(first.statusCode).toBe(200);
    expect(slugsOf(first.body)).toEqual(['ux-designer']);
    expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(String(first.headers.vary).split(', ')).toEqual(
      expect.arrayContaining(['Authorization', 'X-Preview', 'Origin']),
    );
    expect(first.headers['access-control-allow-origin']).toBe(BOARD);
    expect(first.headers['surrogate-key']).toBe('roles');

    let again = first;
    expect(await contentStatements(async () => (again = await visit(designKey, '/v1/roles', '198.51.100.8')))).toBe(0);
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['access-control-allow-origin']).toBe(BOARD);
  });

  it('never shares an answer across scopes: readers without a key, other categories, server keys', async () => {
    const url = '/v1/roles?limit=50';
    expect(slugsOf((await visit(designKey, url)).body)).toEqual(['ux-designer']);
    const anonymous = await t.app.inject({ url, headers: { 'x-forwarded-for': '198.51.100.9' } });
    expect(slugsOf(anonymous.body)).toHaveLength(8);
    expect(slugsOf((await visit(allKey, url)).body)).toHaveLength(8);
    expect(slugsOf((await visit(designKey, url, '198.51.100.10')).body)).toEqual(['ux-designer']);

    const server = await createPartnerKey(t.app, { categories: ['design'] });
    const res = await t.app.inject({ url, headers: { authorization: `Bearer ${server.token}` } });
    expect(slugsOf(res.body)).toEqual(['ux-designer']);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('counts its limit per visitor address, so one visitor cannot use up the others', async () => {
    const url = '/v1/categories';
    for (let i = 0; i < 3; i++) {
      const res = await visit(designKey, url, '203.0.113.50');
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
    }
    const over = await visit(designKey, url, '203.0.113.50');
    const problem: JsonResponse = { status: over.statusCode, headers: over.headers, body: JSON.parse(over.body) };
    expectProblem(problem, 429);
    expect((problem.body as { detail: string }).detail).toMatch(/this API key from your address is 3 requests/);
    // The page can read why.
    expect(over.headers['access-control-allow-origin']).toBe(BOARD);
    for (const address of ['203.0.113.51', '203.0.113.52'])
      expect((await visit(designKey, url, address)).statusCode).toBe(200);
  });

  it('is refused from a page it was not made for, with a reason that page can read', async () => {
    const res = await visit(allKey, '/v1/roles', '198.51.100.20', 'https://elsewhere.example');
    expect(res.statusCode).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBe('https://elsewhere.example');
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'FORBIDDEN',
      detail: expect.stringContaining('may not be used from https://elsewhere.example'),
    });
    const usage = await send<{ data: { days: { rejected: number }[] } }>(
      t.app,
      'GET',
      `/v1/admin/keys/${allKey.id}/usage`,
    );
    expect(usage.body.data.days[0]!.rejected).toBeGreaterThanOrEqual(1);
  });

  it('grants nothing a reader without a key lacks: no drafts, no admin, no mutations', async () => {
    expect((await visit(allKey, '/v1/roles?preview=true')).statusCode).toBe(403);
    expect((await visit(allKey, '/v1/admin/roles')).statusCode).toBe(403);
    const mutation = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${allKey.token}`, 'x-forwarded-for': '198.51.100.30' },
      payload: { query: 'mutation { deleteRole(slug: "ux-designer", cascade: true) }' },
    });
    expect(JSON.parse(mutation.body).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.app.inject('/v1/roles/ux-designer')).statusCode).toBe(200);
  });
});
