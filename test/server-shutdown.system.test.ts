import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, until, type ServerProcess } from './helpers/process.js';
import { largeBundle } from './helpers/seed-files.js';

/*
 * SIGTERM with keep-alive clients attached: connections that are idle, or go idle once their
 * request in flight is answered, do not hold the stop; the process exits 0 when the work is done.
 */

const KEY = 'test-bootstrap-admin-key-7f3c9a1e5b2d4f60';
const dirs: string[] = [];
const procs: ServerProcess[] = [];
afterAll(async () => {
  for (const proc of procs)
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function serve(dir: string) {
  const port = await freePort();
  // Far longer than these tests may take: only a stop that waits for nothing idle passes.
  const server = startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: dir,
    SEED_ON_EMPTY: 'false',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '100000',
    BOOTSTRAP_ADMIN_KEY: KEY,
  });
  procs.push(server);
  await until(
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok === true,
    'the server to be ready',
  );
  return { server, port };
}

describe('a graceful stop with keep-alive clients', () => {
  it('answers the request in flight, closes idle connections at once, and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ica-shutdown-'));
    dirs.push(dir);
    const { server, port } = await serve(dir);

    const agent = new http.Agent({ keepAlive: true });
    // One connection that sits idle.
    await new Promise<void>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => res.resume().on('end', resolve))
        .on('error', reject),
    );

    // Another whose request is still arriving when the signal comes.
    const body = JSON.stringify({ name: 'made during shutdown', scopes: ['content:preview'] });
    const request = http.request({
      host: '127.0.0.1',
      port,
      path: '/v1/admin/keys',
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${KEY}`,
      },
    });
    const answered = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      request.on('response', (res) =>
        res.resume().on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection })),
      );
      request.on('error', reject);
    });
    request.write(body.slice(0, 10));
    await until(() => server.output().includes('"url":"/v1/admin/keys"'), 'the request to arrive');
    server.child.kill('SIGTERM');
    await until(() => server.output().includes('shutting down'), 'the shutdown to begin');
    request.end(body.slice(10));

    expect(await answered).toEqual({ status: 201, connection: 'close' });
    expect(await server.exited).toBe(0);
    expect(server.output()).not.toContain('killed by timeout');
    agent.destroy();
  });
});

describe('a graceful stop during a large import', () => {
  it('stops the import, writes none of it, answers 503 and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ica-shutdown-'));
    dirs.push(dir);
    const { server, port } = await serve(dir);
    const bundle = largeBundle(6);
    const imported = fetch(`http://127.0.0.1:${port}/v1/admin/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify(bundle),
    });
    await until(() => server.output().includes('"url":"/v1/admin/import"'), 'the import to arrive');
    server.child.kill('SIGTERM');

    const res = await imported;
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/nothing of it was written/);
    expect(await server.exited).toBe(0);

    const again = await serve(dir);
    const role = await fetch(`http://127.0.0.1:${again.port}/v1/admin/roles/${bundle.roles[0]!.slug}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(role.status).toBe(404);
    again.server.child.kill('SIGTERM');
    expect(await again.server.exited).toBe(0);
  });
});
