import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_SEARCH_CONFIGS, textSearchConfig } from '../../../src/content/locales/text-search.js';
import { rowsOf } from '../../../src/db/client.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { sql } from 'drizzle-orm';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
});
afterAll(() => database?.close());

describe('text-search configurations', () => {
  it('name one configuration per language, by the primary language of the locale', () => {
    expect(textSearchConfig('en')).toBe('english');
    expect(textSearchConfig('de-CH')).toBe('german');
    expect(textSearchConfig('es-419')).toBe('spanish');
    expect(textSearchConfig('nb-NO')).toBe('norwegian');
    expect(textSearchConfig('ja')).toBe('simple');
    expect(textSearchConfig('constructor')).toBe('simple');
  });

  it('exist on this engine, every one of them', async () => {
    const rows = rowsOf<{ cfgname: string }>(await database.db.execute(sql`select cfgname from pg_ts_config`));
    const installed = new Set(rows.map((r) => r.cfgname));
    for (const config of TEXT_SEARCH_CONFIGS) expect(installed, config).toContain(config);
  });

  it('stem German and Spanish so a plural finds its singular', async () => {
    const [row] = rowsOf<{ de: boolean; es: boolean; en: boolean }>(
      await database.db.execute(sql`select
        to_tsvector('german', 'Wie modellierst du eine Datenbank?') @@ websearch_to_tsquery('german', 'Datenbanken') as de,
        to_tsvector('spanish', 'Diseña las migraciones del esquema') @@ websearch_to_tsquery('spanish', 'migración esquemas') as es,
        to_tsvector('english', 'Datenbank') @@ websearch_to_tsquery('english', 'Datenbanken') as en`),
    );
    expect(row).toEqual({ de: true, es: true, en: false });
  });
});
