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
  /** On PostgreSQL, this file's own database, for a second process or connection pool to open. */
  url?: string | undefined;
}

export const serverUrl = process.env.TEST_DATABASE_URL;
export const engineName = serverUrl ? 'postgres' : 'pglite';

export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const statements: string[] = [];
  const onQuery = (q: string) => statements.push(q);
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  let url: string | undefined;
  if (serverUrl) {
    const name = `test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const own = new URL(serverUrl);
    own.pathname = `/${name}`;
    url = own.toString();
    handle = await openDatabase({ url, poolMax: 4, onQuery });
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
    url,
    close: async () => {
      await handle.close();
      await drop?.();
    },
  };
}
