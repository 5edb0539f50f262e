import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/db/data-dir-lock.js';
import { freePort, startServer, until, type ServerProcess } from '../helpers/process.js';

/*
 * The embedded database belongs to one process at a time: a second server on the same data
 * directory stops at once, saying why, and never serves. A lock left by a killed process does not
 * keep the next one out. Real processes, as `npm start` runs them.
 */

const dirs: string[] = [];
const procs: ServerProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function serve(dir: string) {
  const port = await freePort();
  const proc = startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: dir,
    SEED_ON_EMPTY: 'false',
    LOG_LEVEL: 'warn',
  });
  procs.push(proc);
  let exited = false;
  void proc.exited.then(() => (exited = true));
  const ready = async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok === true;
  return { proc, port, ready, exited: () => exited };
}

describe('one process per data directory', () => {
  it('stops a second server on the same directory at once, with a clear message, while the first keeps serving', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ica-lock-'));
    dirs.push(dir);
    const first = await serve(dir);
    await until(first.ready, 'the first server to be ready');

    const second = await serve(dir);
    await until(async () => second.exited() || (await second.ready()), 'the second server to stop or serve');
    expect(second.exited(), 'the second server is serving').toBe(true);
    expect(await second.proc.exited).toBe(1);
    expect(second.proc.output()).toContain(`in use by process ${first.proc.child.pid}`);
    expect(await fetch(`http://127.0.0.1:${second.port}/healthz`).catch(() => 'refused')).toBe('refused');

    expect(await first.ready()).toBe(true);
    first.proc.child.kill('SIGTERM');
    expect(await first.proc.exited).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('starts after a server that was killed outright, whose lock was left behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ica-lock-'));
    dirs.push(dir);
    const killed = await serve(dir);
    await until(killed.ready, 'the first server to be ready');
    killed.proc.child.kill('SIGKILL');
    await killed.proc.exited;
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);

    const next = await serve(dir);
    await until(async () => next.exited() || (await next.ready()), 'the next server to serve');
    expect(next.exited(), next.proc.output()).toBe(false);
    expect((await fetch(`http://127.0.0.1:${next.port}/v1/categories`)).status).toBe(200);
    next.proc.child.kill('SIGTERM');
    expect(await next.proc.exited).toBe(0);
  });
});
