import { sql } from 'drizzle-orm';
import { rowsOf, type DatabaseHandle } from '../../src/db/client.js';

/**
 * A digest of every row of every table, to prove a refused request wrote nothing. Only when keys
 * were last used is left out: authenticating a request records it, refused or not. Key usage
 * counts are flushed on a timer (KEY_USAGE_FLUSH_SECONDS); tests that fingerprint across a long
 * run set it high so a flush cannot land between two digests.
 */
export async function fingerprint(database: Pick<DatabaseHandle, 'db'>): Promise<Record<string, string>> {
  const tables = rowsOf<{ name: string }>(
    await database.db.execute(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    ),
  );
  const names = tables.map((x) => x.name);
  for (const expected of ['roles', 'questions', 'api_keys', 'change_log', 'revisions'])
    if (!names.includes(expected)) throw new Error(`no table ${expected}: ${names.join(', ')}`);
  // One statement for all tables: property tests take this twice around every write they send.
  const digests = names.map(
    (name) =>
      `select '${name}' as name, count(*) as n, md5(coalesce(string_agg(j, ',' order by j), '')) as h from (select (to_jsonb(x) - 'last_used_at')::text as j from "${name}" x) s`,
  );
  const rows = rowsOf<{ name: string; n: string | number; h: string }>(
    await database.db.execute(sql.raw(digests.join(' union all '))),
  );
  return Object.fromEntries(rows.map((row) => [row.name, `${row.n}:${row.h}`]));
}
