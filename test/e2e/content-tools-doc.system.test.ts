import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, root, startServer, until, type ServerProcess } from '../helpers/process.js';

/*
 * docs/content-tools.md promises that its examples work in order on a fresh server. This runs
 * every sh block of it, as written, one after the other in one bash, against `npm start`'s process
 * with the seeded content: any command that fails (curl --fail-with-body) fails the test.
 */

const KEY = 'doc-bootstrap-key-8e2c4a6f1b3d5e7a9c0b';
let dir: string;
let work: string;
let base: string;
let server: ServerProcess;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ica-doc-'));
  work = await mkdtemp(join(tmpdir(), 'ica-doc-work-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_KEY: KEY,
    // Bulk previews and lists are read by many steps; the limit is not what this is about.
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
  });
  await until(async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok === true, 'the server to be ready');
}, 180_000);

afterAll(async () => {
  if (server?.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await rm(dir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

function runBash(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', API: base, KEY },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('docs/content-tools.md', () => {
  it('runs every example in order on a fresh server', async () => {
    const doc = await readFile(join(root, 'docs/content-tools.md'), 'utf8');
    const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(8);
    const { code, output } = await runBash(blocks.join('\n'));
    expect(code, output).toBe(0);
    expect(output).toContain('412');
    expect(output).toContain('restored as it was');
    // What the walk-through did is what the API now says.
    const page = await fetch(`${base}/v1/roles/qa-engineer`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { data: { title: string } }).data.title).toBe('QA Engineer II');
    const lead = await fetch(`${base}/v1/roles/qa-lead`);
    expect(lead.status).toBe(200);
  }, 180_000);
});
