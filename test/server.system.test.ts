import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, until } from './helpers/process.js';

/*
 * The process as `npm start` runs it: a real port, an embedded database in a fresh directory,
 * seeded on first start, and a graceful stop on SIGTERM.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('stops at once with one line naming a bad variable', async () => {
    const proc = startServer({ PORT: 'eighty' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().trim()).toMatch(/^Invalid configuration: PORT: /);
    expect(proc.output().trim().split('\n')).toHaveLength(1);
  });

  it('serves seeded content from an empty data directory, then shuts down cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ica-server-'));
    dirs.push(dir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = startServer({ PORT: String(port), HOST: '127.0.0.1', PGLITE_DATA_DIR: dir, LOG_LEVEL: 'info' });
    try {
      await until(async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok === true, 'the server to be ready');
      const roles = (await (await fetch(`${base}/v1/roles?limit=100`)).json()) as { data: { slug: string }[] };
      expect(roles.data.map((r) => r.slug)).toContain('senior-backend-developer');

      // A request in flight when the signal arrives still gets its answer.
      const inFlight = fetch(`${base}/v1/roles/senior-backend-developer?include=rounds,questions,tips,faqs,related`);
      await until(
        () => proc.output().includes('"url":"/v1/roles/senior-backend-developer?include='),
        'the request to arrive',
      );
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
