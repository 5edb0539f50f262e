import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccessService } from '../../src/access/service.js';
import { openDatabase } from '../../src/db/client.js';
import { root } from '../helpers/process.js';

/*
 * `npm run keys` as an operator runs it: a real process over an embedded database in a fresh
 * directory. PGlite allows one process per data directory, so every step waits for the last. Each
 * test has a directory and a key of its own, so one slow or failing test never fails another.
 */

const TOKEN = /^ick_[a-z0-9]{8}_\S{40,}$/;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ica-keys-cli-'));
  dirs.push(dir);
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function keysCli(dataDir: string, ...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PGLITE_DATA_DIR: dataDir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A key made by the CLI in a directory of its own: the run, and the token it printed. */
async function created(): Promise<{ dataDir: string; run: Run; token: string }> {
  const dataDir = await freshDir();
  const run = await keysCli(dataDir, 'create', '--name', 'ci', '--scopes', 'content:preview');
  expect(run.code, run.stderr).toBe(0);
  const token =
    run.stdout
      .split('\n')
      .filter((l) => l !== '')
      .at(-1) ?? '';
  expect(token).toMatch(TOKEN);
  return { dataDir, run, token };
}

describe('npm run keys', () => {
  it('creates a key and prints the secret alone on stdout', async () => {
    const { run, token } = await created();
    expect(run.stdout).toBe(`${token}\n`);
    // The explanation goes to stderr, so `KEY=$(npm run --silent keys -- create …)` captures the key only.
    expect(run.stderr).toContain(token.slice(0, 12));
    expect(run.stderr).not.toContain(token);
  });

  it('lists the key by its prefix, never its secret', async () => {
    const { dataDir, token } = await created();
    const run = await keysCli(dataDir, 'list');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split('\t').slice(0, 4)).toEqual([token.slice(0, 12), 'ci', 'content:preview', 'active']);
    expect(run.stdout + run.stderr).not.toContain(token);
    expect(run.stdout + run.stderr).not.toContain(token.slice(12));
  });

  it('refuses an unknown scope with exit 1, naming it, and creates nothing', async () => {
    const { dataDir } = await created();
    const run = await keysCli(dataDir, 'create', '--name', 'typo', '--scopes', 'content:preview,content:everything');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('content:everything');
    expect(run.stdout).toBe('');
    const list = await keysCli(dataDir, 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(1);
    expect(list.stdout).not.toContain('typo');
  });

  it('makes a key the app accepts, with its scope', async () => {
    const { dataDir, token } = await created();
    const database = await openDatabase({ dataDir });
    try {
      const principal = await createAccessService(database.db).authenticate(token);
      expect(principal).toMatchObject({
        kind: 'key',
        name: 'ci',
        prefix: token.slice(0, 12),
        scopes: ['content:preview'],
      });
      await expect(createAccessService(database.db).authenticate(`${token.slice(0, -1)}x`)).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    } finally {
      await database.close();
    }
  });
});
