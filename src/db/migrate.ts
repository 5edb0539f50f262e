import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migrateWithPglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migrateWithPostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

// Any fixed number; all instances agree on it so only one migrates at a time.
const MIGRATION_LOCK = 727_001;

export async function migratePglite(client: PGlite, migrationsFolder: string): Promise<void> {
  await migrateWithPglite(drizzlePglite({ client }), { migrationsFolder });
}

/**
 * Several API instances may start at once against one PostgreSQL: a session advisory lock on a
 * dedicated connection makes the others wait, then find nothing left to apply.
 */
export async function migratePostgres(url: string, migrationsFolder: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrateWithPostgres(drizzlePostgres({ client }), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
