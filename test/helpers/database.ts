import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { MIGRATIONS_DIR } from '../../src/app.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { STARTING_POINTS } from './starting-points.js';

/**
 * A database of its own for one test file: an in-memory PGlite by default, or, when
 * TEST_DATABASE_URL points at a PostgreSQL server, a fresh database created there and dropped on
 * close. Files run in parallel without seeing each other and leave nothing behind.
 */
export interface TestDatabase extends DatabaseHandle {
  /** Statements sent since the last reset; used to show that query counts stay bounded. */
  statements: string[];
  /** The database's connection string, on a PostgreSQL server (a second instance can open it). */
  url?: string;
}

const serverUrl = process.env.TEST_DATABASE_URL;
export const engineName = serverUrl ? 'postgres' : 'pglite';
/**
 * The PostgreSQL server for tests that need one whatever the engine under test (several
 * instances on one database): TEST_DATABASE_URL, or the one on this machine.
 */
export const postgresServer = serverUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabaseOptions {
  /** false: an empty database, without the migrations. */
  migrate?: boolean;
  /** Start with the seed content in it (from the run's prepared copy, not seeded again). */
  seeded?: boolean;
  /** A PostgreSQL server other than TEST_DATABASE_URL. */
  server?: string;
}

/** Where this file's database starts from: a copy the global setup prepared, when there is one. */
function startingPoint(options: TestDatabaseOptions, server: string | undefined) {
  if (options.migrate === false) return undefined;
  const kind = options.seeded ? 'seeded' : 'migrated';
  if (server)
    return server === serverUrl
      ? process.env[kind === 'seeded' ? STARTING_POINTS.seededTemplate : STARTING_POINTS.migratedTemplate]
      : undefined;
  const dir = process.env[STARTING_POINTS.snapshotDir];
  return dir ? join(dir, `${kind}.tar`) : undefined;
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase & { seeded: boolean }> {
  const statements: string[] = [];
  const onQuery = (q: string) => statements.push(q);
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  let dbUrl: string | undefined;
  const server = options.server ?? serverUrl;
  const from = startingPoint(options, server);
  if (server) {
    const name = `test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    await admin.unsafe(from ? `create database ${name} template ${from}` : `create database ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    dbUrl = url.toString();
    handle = await openDatabase({ url: dbUrl, poolMax: 4, onQuery });
    drop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const snapshot = from ? new Blob([await readFile(from)]) : undefined;
    handle = await openDatabase({ dataDir: 'memory://', onQuery, snapshot });
  }
  if (options.migrate !== false && !from) await handle.migrate(MIGRATIONS_DIR);
  return {
    ...handle,
    statements,
    /** Whether it already holds the seed content. */
    seeded: Boolean(from && options.seeded),
    ...(dbUrl ? { url: dbUrl } : {}),
    close: async () => {
      await handle.close();
      await drop?.();
    },
  };
}
