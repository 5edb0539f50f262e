import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, send } from '../helpers/admin.js';
import { until } from '../helpers/process.js';
import { largeBundle } from '../helpers/seed-files.js';

/*
 * A large import runs in one transaction (all or nothing) but lets the process serve meanwhile:
 * a health check answers while the import is still being applied.
 */

let t: TestApp;
const lines: { msg?: string; req?: { url?: string } }[] = [];
beforeAll(async () => {
  t = await startTestApp({
    env: { ...adminEnv, LOG_LEVEL: 'info' },
    logStream: { write: (line) => lines.push(JSON.parse(line)) },
  });
});
afterAll(() => t?.close());

describe('a large import', () => {
  it('lets a health check through before it finishes', async () => {
    const bundle = largeBundle(5);
    let finished = false;
    const imported = send<{ created: unknown[] }>(t.app, 'POST', '/v1/admin/import', bundle).finally(
      () => (finished = true),
    );
    await until(
      () => lines.some((l) => l.msg === 'incoming request' && l.req?.url === '/v1/admin/import'),
      'the import to arrive',
      60_000,
    );

    const health = await t.app.inject('/healthz');
    expect(health.statusCode).toBe(200);
    expect(finished, 'the health check waited for the whole import').toBe(false);

    const res = await imported;
    expect(res.status).toBe(200);
    expect(res.body.created.length).toBeGreaterThan(bundle.roles.length);
    expect((await send(t.app, 'GET', `/v1/admin/roles/${bundle.roles.at(-1)!.slug}`)).status).toBe(200);
  }, 120_000);
});
