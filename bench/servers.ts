/* The processes the benchmark measures: the API and the bound, each in its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { ImportBundle } from '../src/content/import-writer.js';

const root = new URL('..', import.meta.url).pathname;
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(check: () => Promise<boolean>, what: string, limitMs = 120_000, pollMs = 100) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface RssSampler {
  stop(): { start: number; max: number; end: number };
}

/** Resident memory of a process in MB, read from /proc (Linux). */
function rssMb(pid: number): number {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0; // the process has exited (a restart)
  }
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

type Launch = (pollMs?: number) => Promise<ChildProcess>;

export class ApiServer {
  private constructor(
    private child: ChildProcess,
    readonly url: string,
    private readonly key: string,
    private readonly launch: Launch,
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** `npm start`'s entry (builds dist/ when stale), on a fresh database of its own. */
  static async start(options: {
    engine: 'pglite' | 'postgres';
    env?: Record<string, string>;
    nodeArgs?: string[];
  }): Promise<ApiServer> {
    const port = await freePort();
    const key = `bench-${randomBytes(24).toString('hex')}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SEED_ON_EMPTY: 'false',
      BOOTSTRAP_ADMIN_KEY: key,
      // The load comes from one address; the benchmark measures serving, not throttling.
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
      ...options.env,
    };
    let cleanup = async () => {};
    if (options.engine === 'postgres') {
      const server = process.env.DATABASE_URL ?? LOCAL_POSTGRES;
      const name = `bench_${randomBytes(4).toString('hex')}`;
      const admin = postgres(server, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      const url = new URL(server);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
      cleanup = async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      };
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'bench-pglite-'));
      env.PGLITE_DATA_DIR = dir;
      cleanup = () => rm(dir, { recursive: true, force: true });
      // A new embedded database runs initdb on first open, a one-time install step that peaks
      // near 700 MB: done by a process of its own, so the server measured opens an existing one.
      await run(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], env);
    }
    const url = `http://127.0.0.1:${port}`;
    const launch: Launch = async (pollMs) => {
      const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'scripts/start.mjs'], {
        cwd: root,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      // A server that stops at start (a bad setting) fails the run at once, not after the wait.
      const died = exited(child).then(() =>
        Promise.reject(new Error('the API exited before it was ready (see its output above)')),
      );
      await Promise.race([
        until(async () => (await fetch(`${url}/readyz`)).ok, 'the API to start', 120_000, pollMs),
        died,
      ]).catch((err) => {
        child.kill('SIGTERM');
        throw err;
      });
      died.catch(() => {});
      return child;
    };
    const child = await launch().catch(async (err) => {
      await cleanup();
      throw err;
    });
    return new ApiServer(child, url, key, launch, cleanup);
  }

  /** The admin key it was started with (all scopes). */
  get adminKey(): string {
    return this.key;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Through the admin import, a slice at a time (each slice is one transaction). */
  async importCorpus(bundle: ImportBundle, slice = 20): Promise<void> {
    for (let i = 0; i < bundle.roles.length; i += slice) {
      const part = { categories: i === 0 ? bundle.categories : [], roles: bundle.roles.slice(i, i + slice) };
      const res = await fetch(`${this.url}/v1/admin/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(part),
      });
      if (!res.ok) throw new Error(`import answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
    }
  }

  sampleRss(intervalMs = 250): RssSampler {
    const samples = [rssMb(this.pid)];
    const timer = setInterval(() => samples.push(rssMb(this.pid)), intervalMs);
    let result: { start: number; max: number; end: number } | undefined;
    return {
      stop: () => {
        clearInterval(timer);
        result ??= { start: samples[0]!, max: Math.max(...samples), end: rssMb(this.pid) };
        return result;
      },
    };
  }

  /**
   * Stops the server and starts it again on the same database (dist/ already built): the time
   * from spawning the process to its first ready answer, in ms.
   */
  async restart(): Promise<number> {
    this.child.kill('SIGTERM');
    await exited(this.child);
    const started = performance.now();
    this.child = await this.launch(10);
    return Math.round(performance.now() - started);
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await exited(this.child);
    await this.cleanup();
  }
}

export class BoundServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(bodyBytes: number): Promise<BoundServer> {
    const child = spawn(process.execPath, ['bench/bound-server.mjs', String(bodyBytes)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', () => reject(new Error('the bound server exited')));
    });
    return new BoundServer(child, `http://127.0.0.1:${port}`);
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await exited(this.child);
  }
}
