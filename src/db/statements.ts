import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';

/*
 * Hot read statements as plain SQL with $n parameters, prepared once and then only executed, on
 * either engine. Their plans are reused (PostgreSQL switches a prepared statement to a generic
 * plan once it is as good as a custom one), and no query builder runs per request.
 */

/** A value a statement takes: text (arrays are passed as array literals), numbers, booleans, null. */
export type SqlValue = string | number | boolean | null;

export interface StatementRunner {
  /** Rows of a statement; prepared on first use (per connection), executed after that. */
  rows<T>(text: string, values: readonly SqlValue[]): Promise<T[]>;
}

export function postgresRunner(client: Sql, onQuery?: (text: string) => void): StatementRunner {
  return {
    rows: async <T>(text: string, values: readonly SqlValue[]) => {
      onQuery?.(text);
      return (await client.unsafe(text, values as never[], { prepare: true })) as unknown as T[];
    },
  };
}

/**
 * SQL text for a value, for EXECUTE: PGlite cannot bind parameters to a prepared statement through
 * its API, so they travel as literals. Strings are quoted the standard way (a quote doubled), which
 * is exact while standard_conforming_strings is on (checked when the runner starts); NUL, which
 * PostgreSQL text cannot hold, is refused.
 */
function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('not a finite number');
    return String(value);
  }
  if (value.includes('\0')) throw new Error('text cannot hold NUL');
  return `'${value.replaceAll("'", "''")}'`;
}

export async function pgliteRunner(client: PGlite, onQuery?: (text: string) => void): Promise<StatementRunner> {
  const [setting] = (await client.query<{ standard_conforming_strings: string }>('show standard_conforming_strings'))
    .rows;
  if (setting?.standard_conforming_strings !== 'on') throw new Error('standard_conforming_strings must be on');
  // Shared by concurrent first uses, so a statement is prepared exactly once.
  const prepared = new Map<string, Promise<unknown>>();
  return {
    rows: async <T>(text: string, values: readonly SqlValue[]) => {
      onQuery?.(text);
      const name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      let ready = prepared.get(name);
      if (!ready) {
        ready = client.exec(`prepare ${name} as ${text}`);
        prepared.set(name, ready);
        ready.catch(() => prepared.delete(name));
      }
      await ready;
      const execute = values.length ? `execute ${name}(${values.map(literal).join(', ')})` : `execute ${name}`;
      const [result] = await client.exec(execute);
      return (result?.rows ?? []) as T[];
    },
  };
}
