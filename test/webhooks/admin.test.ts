import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';
import { register } from '../helpers/webhooks.js';

let t: TestApp;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestApp({ env: { ...adminEnv, LOG_LEVEL: 'info' }, logStream: { write: (line) => logs.push(line) } });
});
afterAll(() => t?.close());

const RECEIVER = 'https://hooks.example.com/content?token=abc';

describe('registering a webhook', () => {
  it('shows the signing secret once, stores it encrypted and never shows it again', async () => {
    const res = await send<{ data: { id: string; secret: string; url: string; events: string[]; status: string } }>(
      t.app,
      'POST',
      '/v1/admin/webhooks',
      {
        url: RECEIVER,
        events: ['role.published', 'role.updated', 'role.published'],
        description: 'search index',
      },
    );
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/admin/webhooks/${res.body.data.id}`);
    expect(res.body.data).toMatchObject({
      url: RECEIVER,
      events: ['role.published', 'role.updated'],
      status: 'active',
      secret: expect.stringMatching(/^whsec_[\w-]{43}$/),
    });
    const { id, secret } = res.body.data;

    const listed = await send(t.app, 'GET', '/v1/admin/webhooks');
    const one = await send(t.app, 'GET', `/v1/admin/webhooks/${id}`);
    expect(JSON.stringify([listed.body, one.body])).not.toContain(secret);
    expect(one.body).toMatchObject({
      data: { id, description: 'search index', consecutiveFailures: 0, disabledReason: null },
    });

    const [row] = rowsOf<{ secret_ciphertext: string }>(
      await t.database.db.execute(sql`select secret_ciphertext from webhooks where id = ${id}`),
    );
    expect(row!.secret_ciphertext).not.toContain(secret);
    expect(row!.secret_ciphertext).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(logs.join('\n')).not.toContain(secret);
  });

  it('takes a secret of your own, and keeps it as given', async () => {
    const own = 'my-own-signing-secret-0123456789';
    const hook = await register(t.app, RECEIVER, ['*'], { secret: own });
    expect(hook.secret).toBe(own);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const before = (await send<{ data: unknown[] }>(t.app, 'GET', '/v1/admin/webhooks')).body.data.length;
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/webhooks', { url: 'ftp://example.com/x', events: ['*'] }),
      400,
      'url',
    );
    expectProblem(await send(t.app, 'POST', '/v1/admin/webhooks', { url: 'not a url', events: ['*'] }), 400, 'url');
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/webhooks', { url: 'https://user:pw@example.com/x', events: ['*'] }),
      400,
      'url',
    );
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/webhooks', { url: RECEIVER, events: ['role.exploded'] }),
      400,
      'events.0',
    );
    expectProblem(await send(t.app, 'POST', '/v1/admin/webhooks', { url: RECEIVER, events: [] }), 400, 'events');
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/webhooks', { url: RECEIVER, events: ['*'], secret: 'short' }),
      400,
      'secret',
    );
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/webhooks', { url: RECEIVER, events: ['*'], colour: 'red' }),
      400,
      'colour',
    );
    expectProblem(await send(t.app, 'GET', '/v1/admin/webhooks/not-an-id'), 400, 'id');
    expectProblem(await send(t.app, 'GET', '/v1/admin/webhooks/00000000-0000-4000-8000-000000000000'), 404);
    expect((await send<{ data: unknown[] }>(t.app, 'GET', '/v1/admin/webhooks')).body.data.length).toBe(before);
  });

  it('needs an API key with webhooks:manage', async () => {
    expectProblem(await send(t.app, 'GET', '/v1/admin/webhooks', undefined, {}, null), 401);
    const writer = await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: 'writer',
      scopes: ['content:write', 'content:publish'],
    });
    const token = writer.body.data.token;
    expectProblem(await send(t.app, 'GET', '/v1/admin/webhooks', undefined, {}, token), 403);
    expectProblem(await send(t.app, 'POST', '/v1/admin/webhooks', { url: RECEIVER, events: ['*'] }, {}, token), 403);
  });
});

describe('changing a webhook', () => {
  it('updates URL, events and description; disables and enables', async () => {
    const { id } = await register(t.app, RECEIVER, ['question.updated']);
    const patched = await send(t.app, 'PATCH', `/v1/admin/webhooks/${id}`, {
      url: 'https://hooks.example.com/v2',
      events: ['*'],
      description: 'moved',
    });
    expect(patched.body).toMatchObject({
      data: { url: 'https://hooks.example.com/v2', events: ['*'], description: 'moved' },
    });
    const off = await send(t.app, 'PATCH', `/v1/admin/webhooks/${id}`, { enabled: false });
    expect(off.body).toMatchObject({
      data: { status: 'disabled', disabledReason: 'disabled by an admin', disabledAt: expect.any(String) },
    });
    const on = await send(t.app, 'PATCH', `/v1/admin/webhooks/${id}`, { enabled: true });
    expect(on.body).toMatchObject({ data: { status: 'active', disabledReason: null, disabledAt: null } });
    expectProblem(await send(t.app, 'PATCH', `/v1/admin/webhooks/${id}`, { url: 'gopher://x' }), 400, 'url');
  });

  it('rotates the secret with an overlap during which the old one still signs', async () => {
    const { id, secret } = await register(t.app, RECEIVER);
    const rotated = await send<{ data: { secret: string; previousSecretExpiresAt: string } }>(
      t.app,
      'POST',
      `/v1/admin/webhooks/${id}/rotate-secret`,
      { overlapSeconds: 3600 },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.secret).not.toBe(secret);
    expect(Date.parse(rotated.body.data.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3500_000);
    const immediate = await send<{ data: { previousSecretExpiresAt: string | null } }>(
      t.app,
      'POST',
      `/v1/admin/webhooks/${id}/rotate-secret`,
      { overlapSeconds: 0 },
    );
    expect(immediate.body.data.previousSecretExpiresAt).toBeNull();
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/webhooks/${id}/rotate-secret`, { overlapSeconds: -1 }),
      400,
      'overlapSeconds',
    );
    expect(logs.join('\n')).not.toContain(rotated.body.data.secret);
  });

  it('deletes a webhook with its delivery log', async () => {
    const { id } = await register(t.app, RECEIVER);
    expect((await send(t.app, 'DELETE', `/v1/admin/webhooks/${id}`)).status).toBe(204);
    expectProblem(await send(t.app, 'GET', `/v1/admin/webhooks/${id}`), 404);
    expectProblem(await send(t.app, 'DELETE', `/v1/admin/webhooks/${id}`), 404);
    expectProblem(await send(t.app, 'GET', `/v1/admin/webhooks/${id}/deliveries`), 404);
  });
});

describe('in production', () => {
  it('refuses private addresses, and asks for WEBHOOK_ENCRYPTION_KEY rather than keep secrets it cannot protect', async () => {
    const production = await startTestApp({ seed: false, env: { ...adminEnv, NODE_ENV: 'production' } });
    try {
      // WEBHOOK_ALLOW_PRIVATE_NETWORKS defaults to off in production.
      for (const url of [
        'http://127.0.0.1:9000/x',
        'http://localhost/x',
        'http://10.1.2.3/x',
        'http://[::1]/x',
        'http://169.254.169.254/latest/meta-data',
        'http://192.168.0.10/x',
      ]) {
        expectProblem(await send(production.app, 'POST', '/v1/admin/webhooks', { url, events: ['*'] }), 400, 'url');
      }
      const res = await send(production.app, 'POST', '/v1/admin/webhooks', { url: RECEIVER, events: ['*'] });
      expectProblem(res, 503);
      expect((res.body as { detail: string }).detail).toContain('WEBHOOK_ENCRYPTION_KEY');
      expect((await send<{ data: unknown[] }>(production.app, 'GET', '/v1/admin/webhooks')).body.data).toEqual([]);
    } finally {
      await production.close();
    }
  });
});
