import { sql } from 'drizzle-orm';
import { rowsOf, type DatabaseHandle } from '../../src/db/client.js';

/*
 * A mark of every table's rows, to prove a refused request wrote nothing. Per table, the number of
 * rows and the newest transaction that wrote one (xmin): a committed insert or update writes a row
 * with a transaction id newer than any before it, a delete lowers the count, and a rolled-back
 * write leaves no row visible. A tenth of the cost of digesting every row, which the property tests
 * pay twice around each of thousands of writes, and stricter: it sees a write that changed nothing.
 *
 * API keys are digested instead, leaving out when each was last used: authenticating a request
 * records it, refused or not. Key usage counts are flushed on a timer (KEY_USAGE_FLUSH_SECONDS);
 * tests that fingerprint across a long run set it high so a flush cannot land between two marks.
 */
const DIGESTED = 'api_keys';

let query: string | undefined;

async function statement(database: Pick<DatabaseHandle, 'db'>): Promise<string> {
  if (query) return query;
  const tables = rowsOf<{ name: string }>(
    await database.db.execute(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    ),
  );
  const names = tables.map((x) => x.name);
  for (const expected of ['roles', 'questions', 'api_keys', 'change_log', 'revisions'])
    if (!names.includes(expected)) throw new Error(`no table ${expected}: ${names.join(', ')}`);
  // One statement for all tables.
  const marks = names.map((name) =>
    name === DIGESTED
      ? `select '${name}' as name, count(*)::text || ':' || md5(coalesce(string_agg(j, ',' order by j), '')) as mark from (select (to_jsonb(x) - 'last_used_at')::text as j from "${name}" x) s`
      : `select '${name}' as name, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text as mark from "${name}"`,
  );
  query = marks.join(' union all ');
  return query;
}

export async function fingerprint(database: Pick<DatabaseHandle, 'db'>): Promise<Record<string, string>> {
  const rows = rowsOf<{ name: string; mark: string }>(await database.db.execute(sql.raw(await statement(database))));
  return Object.fromEntries(rows.map((row) => [row.name, row.mark]));
}
