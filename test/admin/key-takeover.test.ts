import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * A key that manages keys may act only on keys that can do no more than it can: every scope of
 * the other key is one it holds, and no secret it obtains outlives it. REST and GraphQL alike.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv, seed: false });
});
afterAll(() => t?.close());

interface Key {
  id: string;
  name: string;
  scopes: string[];
  expiresAt: string | null;
  token: string;
}

async function makeKey(body: Record<string, unknown>, key = ADMIN_KEY): Promise<Key> {
  const res = await send<{ data: Key }>(t.app, 'POST', '/v1/admin/keys', body, {}, key);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

const works = async (token: string) => (await send(t.app, 'GET', '/v1/admin/keys', undefined, {}, token)).status;

async function gqlAs(token: string, query: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${token}` },
    payload: { query },
  });
  return JSON.parse(res.body) as {
    data: Record<string, { token?: string }> | null;
    errors?: { extensions: { code: string } }[];
  };
}

describe('a key that manages keys', () => {
  it('cannot rotate, revoke or watch a key holding scopes it lacks, over REST or GraphQL', async () => {
    const manager = await makeKey({ name: 'manager', scopes: ['keys:manage'] });
    const publisher = await makeKey({ name: 'publisher', scopes: ['keys:manage', 'content:publish'] });

    const rotate = await send<{ data?: { token: string } }>(
      t.app,
      'POST',
      `/v1/admin/keys/${publisher.id}/rotate`,
      { overlapSeconds: 0 },
      {},
      manager.token,
    );
    expectProblem(rotate, 403);
    expect(JSON.stringify(rotate.body)).not.toMatch(/ick_/);
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/keys/${publisher.id}/revoke`, undefined, {}, manager.token),
      403,
    );

    const rotated = await gqlAs(
      manager.token,
      `mutation { rotateApiKey(id: "${publisher.id}", overlapSeconds: 0) { token } }`,
    );
    expect(rotated.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(rotated.data).toBeNull();
    const revoked = await gqlAs(manager.token, `mutation { revokeApiKey(id: "${publisher.id}") { revokedAt } }`);
    expect(revoked.errors?.[0]?.extensions.code).toBe('FORBIDDEN');

    // The bootstrap admin key is out of its reach as well, and every refused key still works.
    const admin = (
      await send<{ data: { id: string; prefix: string }[] }>(t.app, 'GET', '/v1/admin/keys')
    ).body.data.find((k) => k.prefix === ADMIN_KEY.slice(0, 12))!;
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/keys/${admin.id}/rotate`, { overlapSeconds: 0 }, {}, manager.token),
      403,
    );
    expectProblem(await send(t.app, 'POST', `/v1/admin/keys/${admin.id}/revoke`, undefined, {}, manager.token), 403);
    // Nor may it watch how they are used (API1: an id is not a permission).
    expectProblem(await send(t.app, 'GET', `/v1/admin/keys/${admin.id}/usage`, undefined, {}, manager.token), 403);
    expectProblem(await send(t.app, 'GET', `/v1/admin/keys/${publisher.id}/usage`, undefined, {}, manager.token), 403);
    expect((await send(t.app, 'GET', `/v1/admin/keys/${manager.id}/usage`, undefined, {}, manager.token)).status).toBe(
      200,
    );
    expect(await works(publisher.token)).toBe(200);
    expect(await works(ADMIN_KEY)).toBe(200);
  });

  it('lists only the keys it could act on', async () => {
    const manager = await makeKey({ name: 'lister', scopes: ['keys:manage', 'content:preview'] });
    await makeKey({ name: 'reader', scopes: ['content:preview'] });
    await makeKey({ name: 'writer', scopes: ['content:write'] });
    const listed = await send<{ data: { name: string; scopes: string[] }[] }>(
      t.app,
      'GET',
      '/v1/admin/keys',
      undefined,
      {},
      manager.token,
    );
    expect(listed.status).toBe(200);
    const names = listed.body.data.map((k) => k.name);
    expect(names).toEqual(expect.arrayContaining(['lister', 'reader']));
    expect(names).not.toContain('writer');
    expect(names).not.toContain('bootstrap admin');
    for (const k of listed.body.data)
      expect(['keys:manage', 'content:preview']).toEqual(expect.arrayContaining(k.scopes));
  });

  it('rotates and revokes keys within its own scopes', async () => {
    const manager = await makeKey({ name: 'ops', scopes: ['keys:manage', 'content:preview'] });
    const reader = await makeKey({ name: 'partner', scopes: ['content:preview'] });
    const rotated = await send<{ data: { token: string } }>(
      t.app,
      'POST',
      `/v1/admin/keys/${reader.id}/rotate`,
      { overlapSeconds: 0 },
      {},
      manager.token,
    );
    expect(rotated.status).toBe(200);
    expect((await send(t.app, 'GET', '/v1/roles?preview=true', undefined, {}, rotated.body.data.token)).status).toBe(
      200,
    );
    expect((await send(t.app, 'POST', `/v1/admin/keys/${reader.id}/revoke`, undefined, {}, manager.token)).status).toBe(
      200,
    );
    expectProblem(await send(t.app, 'GET', '/v1/roles', undefined, {}, rotated.body.data.token), 401);
  });
});

describe('a key that expires', () => {
  const soon = () => new Date(Date.now() + 3_600_000).toISOString();

  it('makes keys that expire with it, and refuses one that would outlive it', async () => {
    const expiring = await makeKey({
      name: 'temp manager',
      scopes: ['keys:manage', 'content:preview'],
      expiresAt: soon(),
    });
    const child = await makeKey({ name: 'temp child', scopes: ['content:preview'] }, expiring.token);
    expect(child.expiresAt).toBe(expiring.expiresAt);

    const later = new Date(Date.parse(expiring.expiresAt!) + 86_400_000).toISOString();
    expectProblem(
      await send(
        t.app,
        'POST',
        '/v1/admin/keys',
        { name: 'forever', scopes: ['content:preview'], expiresAt: later },
        {},
        expiring.token,
      ),
      403,
      'expiresAt',
    );
    const viaGraphql = await gqlAs(
      expiring.token,
      `mutation { createApiKey(input: { name: "forever", scopes: [CONTENT_PREVIEW], expiresAt: "${later}" }) { token } }`,
    );
    expect(viaGraphql.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const names = (await send<{ data: { name: string }[] }>(t.app, 'GET', '/v1/admin/keys')).body.data.map(
      (k) => k.name,
    );
    expect(names).not.toContain('forever');
  });

  it('cannot take over a longer-lived key by rotating it', async () => {
    const expiring = await makeKey({
      name: 'short-lived',
      scopes: ['keys:manage', 'content:preview'],
      expiresAt: soon(),
    });
    const lasting = await makeKey({ name: 'lasting', scopes: ['content:preview'] });
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/keys/${lasting.id}/rotate`, { overlapSeconds: 0 }, {}, expiring.token),
      403,
    );
    expect((await send(t.app, 'GET', '/v1/roles?preview=true', undefined, {}, lasting.token)).status).toBe(200);
  });
});
