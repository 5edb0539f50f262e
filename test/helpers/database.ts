import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { MIGRATIONS_DIR } from '../../src/app.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';

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

export const serverUrl = process.env.TEST_DATABASE_URL;
export const engineName = serverUrl ? 'postgres' : 'pglite';
/**
 * The PostgreSQL server for tests that need one whatever the engine under test (several
 * instances on one database): TEST_DATABASE_URL, or the one on this machine.
 */
export const postgresServer = serverUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function openTestDatabase(options: { migrate?: boolean; server?: string } = {}): Promise<TestDatabase> {
  const statements: string[] = [];
  const onQuery = (q: string) => statements.push(q);
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  let dbUrl: string | undefined;
  const server = options.server ?? serverUrl;
  if (server) {
    const name = `test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    dbUrl = url.toString();
    handle = await openDatabase({ url: dbUrl, poolMax: 4, onQuery });
    drop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    handle = await openDatabase({ dataDir: 'memory://', onQuery });
  }
  if (options.migrate !== false) await handle.migrate(MIGRATIONS_DIR);
  return {
    ...handle,
    statements,
    ...(dbUrl ? { url: dbUrl } : {}),
    close: async () => {
      await handle.close();
      await drop?.();
    },
  };
}
