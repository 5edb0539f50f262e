import { mkdir } from 'node:fs/promises';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { lockDataDirectory, type DataDirectoryLock } from './data-dir-lock.js';
import {
  instrumentPglite,
  instrumentPostgres,
  StatementInstrument,
  type DatabaseActivity,
  type StatementTimer,
} from './instrument.js';
import * as schema from './schema.js';
import { pgliteRunner, postgresRunner, type StatementRunner } from './statements.js';

type Schema = typeof schema;
/** The one Drizzle API both engines share; nothing above src/db sees which engine it is. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction has the same query API as the database. */
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Queryable = Database | Tx;

type Engine = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded engine is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; 'memory://' keeps nothing. */
  dataDir?: string | undefined;
  poolMax?: number | undefined;
  /** PGlite only: start from a dump (dumpDataDir) instead of creating an empty cluster. */
  snapshot?: Blob | undefined;
  /** Called with every SQL statement Drizzle sends (used to count statements per request). */
  onQuery?: ((query: string) => void) | undefined;
  /**
   * PostgreSQL only: how long connecting or one statement may take before it fails (the server
   * also cancels statements running longer). Unset: no limit.
   */
  timeoutMs?: number | undefined;
}

export interface DatabaseHandle {
  db: Database;
  /** Hot read statements in plain SQL, prepared once (statements.ts). */
  prepared: StatementRunner;
  engine: Engine;
  /** Runs a trivial statement; rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Applies pending migrations (implemented per engine in migrate.ts). */
  migrate(migrationsFolder: string): Promise<void>;
  /**
   * LISTENs on a channel: onNotify for each notification, onConnect each time the listening
   * connection is (re)established. Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void, onConnect?: () => void): Promise<() => Promise<void>>;
  /** PGlite only: the data directory as a tarball, for a backup or to start another copy from. */
  dumpDataDir?(): Promise<Blob>;
  /** Connections the pool may open (1 for the embedded engine). */
  poolMax: number;
  /** Statements in flight and open transactions, as of now. */
  activity: DatabaseActivity;
  /** Adds a listener told the duration of every statement (metrics); returns its removal. */
  timeStatements(timer: StatementTimer): () => void;
}

function drizzleLogger(onQuery: DatabaseOptions['onQuery']): DrizzleLogger | undefined {
  return onQuery ? { logQuery: (query) => onQuery(query) } : undefined;
}

/** PGlite's own start parameters (single-user mode, no parallel workers, ...), kept as they are. */
const PGLITE_DEFAULT_PARAMS: string[] = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;

/**
 * The embedded engine runs inside this process, so its buffers are this process's memory, and
 * WebAssembly memory never shrinks once grown. PostgreSQL's defaults assume a server of its own
 * (128 MB of shared buffers); the content fits in far less, the OS page cache keeps its files
 * warm, and finished responses are cached above the database anyway.
 */
const PGLITE_TUNING = [
  '-c',
  'shared_buffers=16MB',
  '-c',
  'temp_buffers=2MB',
  '-c',
  'wal_buffers=1MB',
  '-c',
  'maintenance_work_mem=16MB',
  '-c',
  'plan_cache_mode=force_generic_plan',
];

/*
 * Prepared statements keep one generic plan. By default PostgreSQL plans the first five runs for
 * their values and then keeps doing so whenever its estimate of the generic plan is worse, which
 * for the role page statement (slug = any($1), a dozen lateral joins) meant planning on every
 * read: 1.2 ms of planning for 0.8 ms of execution. The content is small and evenly spread, so a
 * plan for the values is never better than the generic one (bench/README.md has the figures).
 */
const SESSION_SETTINGS = { plan_cache_mode: 'force_generic_plan' };

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const logger = drizzleLogger(options.onQuery);
  if (options.url) {
    const timeoutMs = options.timeoutMs ?? 0;
    const poolMax = options.poolMax ?? 10;
    const client = postgres(options.url, {
      max: poolMax,
      onnotice: () => {},
      // Fail a dead connection attempt quickly so requests answer 503 instead of hanging.
      connect_timeout: timeoutMs ? timeoutMs / 1000 : 5,
      // The server gives up on a statement when we do, so a slow one does not hold its connection.
      connection: { ...SESSION_SETTINGS, ...(timeoutMs ? { statement_timeout: timeoutMs } : {}) },
      // After an outage, try again within a second (the driver's default waits up to 20 s), so
      // service and the change listener come back soon after the database does.
      backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
      // Connections idle this long are closed, so a pool grown under load shrinks again and no
      // socket sits unused across a network change.
      idle_timeout: 60,
    });
    const instrument = new StatementInstrument(timeoutMs);
    instrumentPostgres(client, instrument);
    const db = drizzlePostgres({ client, schema, logger }) as unknown as Database;
    return {
      db,
      poolMax,
      activity: instrument.activity,
      timeStatements: (timer) => instrument.addTimer(timer),
      prepared: postgresRunner(client, options.onQuery),
      engine: 'postgres',
      ping: async () => {
        await client`select 1`;
      },
      close: () => client.end({ timeout: 5 }),
      migrate: async (folder) => {
        const { migratePostgres } = await import('./migrate.js');
        await migratePostgres(options.url!, folder);
      },
      // postgres.js keeps one dedicated connection for LISTEN and re-listens after a reconnect.
      listen: async (channel, onNotify, onConnect) => {
        const subscription = await client.listen(
          channel,
          (payload) => onNotify(payload),
          () => onConnect?.(),
        );
        return () => subscription.unlisten();
      },
    };
  }

  const dataDir = options.dataDir ?? 'memory://';
  let lock: DataDirectoryLock | undefined;
  if (!dataDir.startsWith('memory://')) {
    await mkdir(dataDir, { recursive: true });
    lock = lockDataDirectory(dataDir);
  }
  // V8 compiles PGlite's WebAssembly twice, a quick baseline then optimised code in the
  // background; keeping the baseline only saves about 45 MB of this process's memory, which the
  // embedded engine shares with everything else, and measured no slower on our statements.
  v8.setFlagsFromString('--liftoff-only');
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, {
      startParams: [...PGLITE_DEFAULT_PARAMS, ...PGLITE_TUNING],
      ...(options.snapshot ? { loadDataDir: options.snapshot } : {}),
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const instrument = new StatementInstrument(0);
  instrumentPglite(client, instrument);
  const db = drizzlePglite({ client, schema, logger }) as unknown as Database;
  return {
    db,
    poolMax: 1,
    activity: instrument.activity,
    timeStatements: (timer) => instrument.addTimer(timer),
    prepared: await pgliteRunner(client, options.onQuery),
    engine: 'pglite',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
    migrate: async (folder) => {
      const { migratePglite } = await import('./migrate.js');
      await migratePglite(client, folder);
    },
    listen: async (channel, onNotify) => {
      const stop = await client.listen(channel, (payload) => onNotify(payload));
      return () => stop();
    },
    dumpDataDir: async () => (await client.dumpDataDir('none')) as Blob,
  };
}

/** Rows of a raw `db.execute`, whichever engine ran it (PGlite wraps them, postgres-js does not). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
