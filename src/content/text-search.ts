import { sql } from 'drizzle-orm';
/*
 * Full-text search runs in PostgreSQL: websearch_to_tsquery accepts what people type into a search
 * box ("quoted phrases", -exclusions, or) and never fails on odd input.
 */
const SEARCH_CONFIG = 'english';

/** The tsquery of a text parameter ($n). */
export const TS_QUERY = (param: string) => `websearch_to_tsquery('${SEARCH_CONFIG}'::regconfig, ${param}::text)`;

/** Escapes markup in the stored text, then marks matched words, so a snippet is safe to render as HTML. */
export const HIGHLIGHT = (text: string, query: string) =>
  `ts_headline('${SEARCH_CONFIG}'::regconfig, replace(replace(replace(${text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), ${query}, 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" ... "')`;

/** The same tsquery for a query built with Drizzle (admin lists). */
export const tsQueryOf = (text: string) =>
  sql`websearch_to_tsquery(${sql.raw(`'${SEARCH_CONFIG}'`)}::regconfig, ${text}::text)`;
