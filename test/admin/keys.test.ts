import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

const TOKEN = /^ick_[a-z0-9]{8}_\S{40,}$/;

interface Key {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  previousSecretExpiresAt: string | null;
  token?: string;
}

async function createKey(body: Record<string, unknown>): Promise<Key & { token: string }> {
  const res = await send<{ data: Key & { token: string } }>(t.app, 'POST', '/v1/admin/keys', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

const listKeys = async () => {
  const res = await send<{ data: Key[] }>(t.app, 'GET', '/v1/admin/keys');
  expect(res.status).toBe(200);
  return res.body.data;
};

/** What a holder of the token gets from an admin read and a public read. */
async function use(token: string) {
  const admin = await send(t.app, 'GET', '/v1/admin/roles', undefined, {}, token);
  const pub = await send(t.app, 'GET', '/v1/roles?limit=1', undefined, {}, token);
  return { admin, pub };
}

async function expectRefused(token: string) {
  const { admin, pub } = await use(token);
  expectProblem(admin, 401);
  expectProblem(pub, 401);
}

async function expectAccepted(token: string) {
  const { admin, pub } = await use(token);
  expect(admin.status).toBe(200);
  expect(pub.status).toBe(200);
}

describe('creating and listing keys', () => {
  it('shows the token once, and the list never shows a token or a hash', async () => {
    const key = await createKey({ name: 'job board', scopes: ['content:preview'] });
    expect(key.token).toMatch(TOKEN);
    expect(key).toMatchObject({
      name: 'job board',
      scopes: ['content:preview'],
      prefix: key.token.slice(0, 12),
      revokedAt: null,
      lastUsedAt: null,
    });

    const listed = await listKeys();
    expect(listed.find((k) => k.id === key.id)).toMatchObject({ name: 'job board', prefix: key.prefix });
    const text = JSON.stringify(listed);
    const hash = createHash('sha256').update(key.token).digest('hex');
    for (const secret of [
      key.token,
      key.token.slice(12),
      hash,
      ADMIN_KEY,
      createHash('sha256').update(ADMIN_KEY).digest('hex'),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/[0-9a-f]{64}/i);
    for (const k of listed) expect(k).not.toHaveProperty('token');
  });

  it('answers the new token as private, never cached', async () => {
    const res = await send(t.app, 'POST', '/v1/admin/keys', { name: 'uncached', scopes: ['content:preview'] });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('makes a key that works as a bearer token, within its scopes', async () => {
    const key = await createKey({ name: 'preview tool', scopes: ['content:preview'] });
    await expectAccepted(key.token);
    expect((await send(t.app, 'GET', '/v1/roles?preview=true', undefined, {}, key.token)).status).toBe(200);
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles/senior-backend-developer/unpublish', undefined, {}, key.token),
      403,
    );
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/keys', { name: 'escalation', scopes: ['keys:manage'] }, {}, key.token),
      403,
    );
  });

  it('records when a key was last used', async () => {
    const key = await createKey({ name: 'usage', scopes: ['content:preview'] });
    expect((await listKeys()).find((k) => k.id === key.id)!.lastUsedAt).toBeNull();
    const before = Date.now();
    await expectAccepted(key.token);
    const lastUsedAt = (await listKeys()).find((k) => k.id === key.id)!.lastUsedAt;
    expect(lastUsedAt).not.toBeNull();
    expect(Date.parse(lastUsedAt!)).toBeGreaterThanOrEqual(before - 1000);
  });

  it.each([
    [{ name: 'x', scopes: ['content:everything'] }, 'scopes'],
    [{ scopes: ['content:preview'] }, 'name'],
    [{ name: '   ', scopes: ['content:preview'] }, 'name'],
    // No scopes is a partner key (test/partners); a scope list must still be a list.
    [{ name: 'x', scopes: 'content:preview' }, 'scopes'],
    [{ name: 'x', scopes: ['content:preview'], admin: true }, 'admin'],
    [{ name: 'x', scopes: ['content:preview'], expiresAt: 'next tuesday' }, 'expiresAt'],
  ])('refuses %j with 400 naming %s, creating nothing', async (body, field) => {
    const before = (await listKeys()).length;
    const res = await send(t.app, 'POST', '/v1/admin/keys', body);
    expectProblem(res, 400, field);
    expect((await listKeys()).length).toBe(before);
  });
});

describe('refused keys', () => {
  it('refuses a revoked key at once, on admin and public routes', async () => {
    const key = await createKey({ name: 'to revoke', scopes: ['content:preview'] });
    await expectAccepted(key.token);
    const res = await send<{ data: Key }>(t.app, 'POST', `/v1/admin/keys/${key.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body.data.revokedAt).not.toBeNull();
    await expectRefused(key.token);
    expect((await listKeys()).find((k) => k.id === key.id)!.revokedAt).toBe(res.body.data.revokedAt);
  });

  it('refuses a key whose expiresAt has passed', async () => {
    const key = await createKey({ name: 'expired', scopes: ['content:preview'], expiresAt: '2020-01-01T00:00:00Z' });
    expect(key.expiresAt).toBe('2020-01-01T00:00:00.000Z');
    await expectRefused(key.token);
    const future = await createKey({
      name: 'not yet expired',
      scopes: ['content:preview'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await expectAccepted(future.token);
  });

  it.each([
    ['Basic dXNlcjpwYXNz'],
    ['Bearer'],
    ['Bearer two words'],
    [`Token ${ADMIN_KEY}`],
    ['Bearer ick_zzzzzzzz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    [`Bearer ${ADMIN_KEY}x`],
    ['Bearer short'],
  ])('answers "Authorization: %s" with 401 problem+json, even on public routes', async (header) => {
    for (const url of ['/v1/roles', '/v1/admin/roles']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { authorization: header } });
      expectProblem({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) }, 401);
    }
  });
});

describe('rotation', () => {
  it('issues a new token and keeps the old one working during the overlap', async () => {
    const key = await createKey({ name: 'rotating', scopes: ['content:preview'] });
    const res = await send<{ data: Key & { token: string } }>(t.app, 'POST', `/v1/admin/keys/${key.id}/rotate`, {
      overlapSeconds: 3600,
    });
    expect(res.status).toBe(200);
    const rotated = res.body.data;
    expect(rotated.token).toMatch(TOKEN);
    expect(rotated.token).not.toBe(key.token);
    expect(rotated).toMatchObject({ id: key.id, prefix: key.prefix });
    expect(Date.parse(rotated.previousSecretExpiresAt!)).toBeGreaterThan(Date.now() + 3000 * 1000);
    await expectAccepted(rotated.token);
    await expectAccepted(key.token);
    expect(JSON.stringify(await listKeys())).not.toContain(rotated.token);
  });

  it('refuses the old token right after a rotation with overlapSeconds 0', async () => {
    const key = await createKey({ name: 'rotating hard', scopes: ['content:preview'] });
    const first = await send<{ data: { token: string } }>(t.app, 'POST', `/v1/admin/keys/${key.id}/rotate`, {
      overlapSeconds: 3600,
    });
    const second = await send<{ data: Key & { token: string } }>(t.app, 'POST', `/v1/admin/keys/${key.id}/rotate`, {
      overlapSeconds: 0,
    });
    expect(second.status).toBe(200);
    expect(second.body.data.previousSecretExpiresAt).toBeNull();
    await expectAccepted(second.body.data.token);
    await expectRefused(first.body.data.token);
    await expectRefused(key.token);
  });

  it('will not rotate a revoked key, and refuses a bad overlap', async () => {
    const key = await createKey({ name: 'rotate revoked', scopes: ['content:preview'] });
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/keys/${key.id}/rotate`, { overlapSeconds: -1 }),
      400,
      'overlapSeconds',
    );
    await send(t.app, 'POST', `/v1/admin/keys/${key.id}/revoke`);
    expectProblem(await send(t.app, 'POST', `/v1/admin/keys/${key.id}/rotate`, { overlapSeconds: 0 }), 409);
    await expectRefused(key.token);
  });
});

describe('BOOTSTRAP_ADMIN_KEY', () => {
  it('refuses a value shorter than 32 characters, naming the variable but not the value', () => {
    const value = 'too-short-secret-of-31-chars-xx';
    expect(value).toHaveLength(31);
    let error: unknown;
    try {
      loadConfig({ BOOTSTRAP_ADMIN_KEY: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Invalid configuration: BOOTSTRAP_ADMIN_KEY: /);
    expect((error as Error).message).not.toContain(value);
    expect(loadConfig({ BOOTSTRAP_ADMIN_KEY: `${value}y` }).bootstrapAdminKey).toBe(`${value}y`);
  });
});
