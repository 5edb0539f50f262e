import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The process as `npm start` runs it: a real port, an embedded database in a fresh directory,
 * seeded on first start, and a graceful stop on SIGTERM.
 */

const root = new URL('..', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 90_000) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('the server process', () => {
  it('stops at once with one line naming a bad variable', async () => {
    const proc = start({ PORT: 'eighty' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().trim()).toMatch(/^Invalid configuration: PORT: /);
    expect(proc.output().trim().split('\n')).toHaveLength(1);
  });

  it('serves seeded content from an empty data directory, then shuts down cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ica-server-'));
    dirs.push(dir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = start({ PORT: String(port), HOST: '127.0.0.1', PGLITE_DATA_DIR: dir, LOG_LEVEL: 'info' });
    try {
      await until(async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok === true, 'the server to be ready');
      const roles = (await (await fetch(`${base}/v1/roles?limit=100`)).json()) as { data: { slug: string }[] };
      expect(roles.data.map((r) => r.slug)).toContain('senior-backend-developer');

      // A request in flight when the signal arrives still gets its answer.
      const inFlight = fetch(`${base}/v1/roles/senior-backend-developer?include=rounds,questions,tips,faqs,related`);
      await until(() => proc.output().includes('"url":"/v1/roles/senior-backend-developer?include='), 'the request to arrive');
      proc.child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: { questions: unknown[] } }).data.questions).toHaveLength(12);
      expect(await proc.exited).toBe(0);
      expect(proc.output()).toContain('shutting down');
      expect(await fetch(`${base}/healthz`).catch(() => 'refused')).toBe('refused');
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    }
  });
});
