import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv, seed: false });
});
afterAll(() => t?.close());

describe('key safety', () => {
  it('lets a key grant only scopes it holds itself', async () => {
    const manager = await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: 'manager',
      scopes: ['keys:manage', 'content:preview'],
    });
    const token = manager.body.data.token;
    const escalate = await send(
      t.app,
      'POST',
      '/v1/admin/keys',
      { name: 'sneaky', scopes: ['content:publish'] },
      {},
      token,
    );
    expectProblem(escalate, 403);
    const keys = await send<{ data: { name: string }[] }>(t.app, 'GET', '/v1/admin/keys');
    expect(keys.body.data.map((k) => k.name)).not.toContain('sneaky');
    expect(
      (await send(t.app, 'POST', '/v1/admin/keys', { name: 'reader', scopes: ['content:preview'] }, {}, token)).status,
    ).toBe(201);
  });

  it('does not undo a rotation of the bootstrap key on restart', async () => {
    const keys = await send<{ data: { id: string; prefix: string }[] }>(t.app, 'GET', '/v1/admin/keys');
    const bootstrap = keys.body.data.find((k) => k.prefix === ADMIN_KEY.slice(0, 12))!;
    const rotated = await send<{ data: { token: string } }>(t.app, 'POST', `/v1/admin/keys/${bootstrap.id}/rotate`, {
      overlapSeconds: 0,
    });
    const fresh = rotated.body.data.token;

    // A restart with the old secret still in the environment.
    const restarted = await buildApp({ config: testConfig(adminEnv), database: t.database, prepareDatabase: false });
    try {
      expectProblem(await send(restarted, 'GET', '/v1/admin/keys'), 401);
      expect((await send(restarted, 'GET', '/v1/admin/keys', undefined, {}, fresh)).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});
