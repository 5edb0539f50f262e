import { sql, type SQL } from 'drizzle-orm';

/**
 * Full-text search runs in PostgreSQL: websearch_to_tsquery accepts what people type into a search
 * box ("quoted phrases", -exclusions, or) and never fails on odd input.
 */
export const SEARCH_CONFIG = 'english';

export function tsQuery(q: string): SQL {
  return sql`websearch_to_tsquery(${SEARCH_CONFIG}::regconfig, ${q})`;
}

/** Escapes markup in the stored text, then marks matched words, so a snippet is safe to render as HTML. */
export function highlight(text: SQL, query: SQL): SQL {
  return sql`ts_headline(${SEARCH_CONFIG}::regconfig, replace(replace(replace(${text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), ${query}, 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" ... "')`;
}
