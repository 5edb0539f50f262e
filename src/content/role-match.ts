import { COLLECTION } from '../changes/surrogate-keys.js';
import type { StatementRunner } from '../db/statements.js';
import { badParameter } from '../errors.js';
import { checkTextFilters } from './filters.js';
import { inScope, textArray } from './json-sql.js';
import type { JsonDocument } from './read-model.js';
import type { RoleMatchOut } from './schemas.js';
import { buildIndex, matchTitle, MATCH_THRESHOLD, type RoleIndex } from './title-match/matcher.js';
import { visibilityOf, type ReadContext } from './visibility.js';
import type { Seniority } from './vocabulary.js';

export const MATCH_LIMIT_MAX = 10;

interface MatchableRow {
  slug: string;
  title: string;
  seniority: Seniority;
  category: { slug: string; name: string };
  alternativeTitles: string[];
}

/**
 * Every role the caller may read, with its alternative titles in the default locale, as one JSON
 * text: $1 statuses, $2 category scope. The matcher weighs words by how many of these roles use
 * them, so a partner limited to some categories is matched among those alone.
 */
const MATCHABLE_ROLES = `select coalesce(json_agg(m order by m.slug collate "C"), '[]')::text as roles from (
    select r.slug, r.title, r.seniority, json_build_object('slug', c.slug, 'name', c.name) as category,
      coalesce((select json_agg(a.title order by a.position) from role_alternative_titles a
        where a.role_id = r.id and a.locale = 'en'), '[]') as "alternativeTitles"
    from roles r join categories c on c.id = r.category_id
    where r.status = any($1::text[]) and ${inScope('c.slug', '$2::text[]')}) m`;

/**
 * Indexes of recent role sets, by their text: a distinct title costs one statement and the match,
 * not rebuilding the index. Any change to the roles gives a new text, hence a new index.
 */
const indexes = new Map<string, RoleIndex<MatchableRow>>();
const INDEXES_KEPT = 8;

function indexOf(text: string): RoleIndex<MatchableRow> {
  let index = indexes.get(text);
  if (index) {
    indexes.delete(text);
  } else {
    index = buildIndex(JSON.parse(text) as MatchableRow[]);
    if (indexes.size >= INDEXES_KEPT) indexes.delete(indexes.keys().next().value!);
  }
  indexes.set(text, index);
  return index;
}

/** The roles a job ad's title names, best first, or none when no role is a confident match. */
export async function matchRoles(
  db: StatementRunner,
  ctx: ReadContext,
  title: string,
  limit: number,
): Promise<JsonDocument> {
  checkTextFilters({ title });
  if (title.trim() === '') throw badParameter('title', 'must not be empty');
  if (!Number.isInteger(limit) || limit < 1 || limit > MATCH_LIMIT_MAX)
    throw badParameter('limit', `must be a whole number from 1 to ${MATCH_LIMIT_MAX}`);
  const v = visibilityOf(ctx);
  const [row] = await db.rows<{ roles: string }>(MATCHABLE_ROLES, [
    textArray(v.statuses),
    v.scope ? textArray(v.scope) : null,
  ]);
  const match = matchTitle(indexOf(row!.roles), title, limit);
  const data: RoleMatchOut = {
    title,
    seniority: match.seniority,
    threshold: MATCH_THRESHOLD,
    candidates: match.candidates.map((c) => ({
      role: { slug: c.role.slug, title: c.role.title, category: c.role.category, seniority: c.role.seniority },
      confidence: c.confidence,
      matchedTitle: c.matchedTitle,
      matchedWords: c.matchedWords,
    })),
  };
  // Any change to roles can change a match: the roles collection key is purged by all of them.
  return { json: JSON.stringify(data), keys: [COLLECTION.roles] };
}
