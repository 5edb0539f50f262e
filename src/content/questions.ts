import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Queryable } from '../db/client.js';
import { COLLECTION, questionKey, roleKey } from '../changes/surrogate-keys.js';
import { badParameter, notFound } from '../errors.js';
import { checkTextFilters } from './filters.js';
import { inScope, questionJson, statusIn, textArray, type Visibility } from './json-sql.js';
import { cursorKey, keysetAfter, offsetAfter, pageOf, type PageRequest } from './pagination.js';
import type { JsonDocument, JsonList } from './read-model.js';
import { tsQuery } from './text-search.js';
import { visibilityOf, type ReadContext } from './visibility.js';
import { SLUG_PATTERN, type Difficulty } from './vocabulary.js';

export interface QuestionFilters {
  role?: string | undefined;
  /** A round's name (any role), or its position when `role` is given. */
  round?: string | undefined;
  competency?: string | undefined;
  difficulty?: Difficulty | undefined;
  tag?: string | undefined;
  q?: string | undefined;
}

const UUID = z.uuid();

/** The joins every question read makes: its role, the role's category, its round if any. */
const FROM = sql.raw('from questions q join roles r on r.id = q.role_id join categories c on c.id = r.category_id left join rounds rd on rd.id = q.round_id');

/** A question is visible when it and its role both are, in a category the caller may read. */
const visible = (v: Visibility) => sql`${statusIn(sql`q.status`, v)} and ${statusIn(sql`r.status`, v)} and ${inScope(sql`c.slug`, v)}`;

/** Questions by id, in one statement; ids the caller may not see are left out. */
export async function questionsByIds(db: Queryable, ctx: ReadContext, ids: readonly string[]): Promise<(JsonDocument & { id: string })[]> {
  const wanted = ids.filter((id) => UUID.safeParse(id).success);
  if (wanted.length === 0) return [];
  const result = await db.execute(sql`select q.id, r.slug as role_slug, ${questionJson} as json ${FROM}
    where q.id = any(${textArray(wanted)}::uuid[]) and ${visible(visibilityOf(ctx))}`);
  return rowsOf<{ id: string; role_slug: string; json: string }>(result).map((row) => ({
    id: row.id,
    json: row.json,
    keys: [questionKey(row.id), roleKey(row.role_slug)],
  }));
}

/** One question with its STAR examples and pitfalls: one statement. */
export async function getQuestion(db: Queryable, ctx: ReadContext, id: string): Promise<JsonDocument> {
  const [found] = await questionsByIds(db, ctx, [id]);
  if (!found) throw notFound(`Question ${id}`);
  return found;
}

/** Questions of rounds named by role slug and round position, for GraphQL's Round.questions. */
export async function questionsOfRounds(db: Queryable, ctx: ReadContext, rounds: readonly { role: string; position: number }[]) {
  const wanted = rounds.filter((r) => SLUG_PATTERN.test(r.role)).map((r) => `${r.role}/${r.position}`);
  if (wanted.length === 0) return [];
  const result = await db.execute(sql`select r.slug || '/' || rd.position as round_key, ${questionJson} as json ${FROM}
    where r.slug || '/' || rd.position = any(${textArray(wanted)}::text[]) and ${visible(visibilityOf(ctx))}
    order by q.position, q.id`);
  return rowsOf<{ round_key: string; json: string }>(result);
}

const LIST = 'questions';
const SEARCH_LIST = 'questions:q';
const keyShape = z.tuple([cursorKey.text, cursorKey.position, cursorKey.id]);

export interface ListQuestionsOptions {
  /** The role filter comes from the path (/v1/roles/{slug}/questions): an unknown one is a 404. */
  roleFromPath?: boolean;
}

interface QuestionListRow {
  role_found: boolean;
  round_found: boolean;
  id: string | null;
  role_slug: string | null;
  position: number | null;
  json: string | null;
}

/**
 * Published questions by role then interview order (or by relevance with q), one page, in one
 * statement: the role and round filters are resolved in it too, so an unknown one is told apart
 * from an empty page.
 */
export async function listQuestions(db: Queryable, ctx: ReadContext, filters: QuestionFilters, page: PageRequest, options: ListQuestionsOptions = {}): Promise<JsonList> {
  checkTextFilters(filters);
  const v = visibilityOf(ctx);
  const where: SQL[] = [visible(v)];
  let roleFound = sql`true`;
  let roundFound = sql`true`;
  if (filters.role !== undefined) {
    const roleMatch = sql`select r.id from roles r join categories c on c.id = r.category_id where r.slug = ${filters.role} and ${statusIn(sql`r.status`, v)} and ${inScope(sql`c.slug`, v)}`;
    roleFound = sql`exists (${roleMatch})`;
    where.push(sql`q.role_id in (${roleMatch})`);
  }
  if (filters.round !== undefined) {
    const byPosition = /^\d+$/.test(filters.round);
    if (byPosition && filters.role === undefined) throw badParameter('round', 'a round position needs the role filter too');
    if (byPosition && Number(filters.round) > 2_147_483_647) throw badParameter('round', 'no such round');
    const match = byPosition ? sql`rd.position = ${Number(filters.round)}` : sql`lower(rd.name) = lower(${filters.round})`;
    const roleMatch = filters.role !== undefined ? sql`r.slug = ${filters.role}` : statusIn(sql`r.status`, v);
    const roundMatch = sql`select rd.id from rounds rd join roles r on r.id = rd.role_id join categories c on c.id = r.category_id where ${match} and ${roleMatch} and ${inScope(sql`c.slug`, v)}`;
    roundFound = sql`exists (${roundMatch})`;
    where.push(sql`q.round_id in (${roundMatch})`);
  }
  if (filters.competency !== undefined) where.push(sql`lower(q.competency) = lower(${filters.competency})`);
  if (filters.difficulty !== undefined) where.push(sql`q.difficulty = ${filters.difficulty}`);
  if (filters.tag !== undefined) where.push(sql`q.tags @> ${textArray([filters.tag])}::text[]`);

  let order: SQL;
  let offset = 0;
  if (filters.q !== undefined) {
    offset = offsetAfter(SEARCH_LIST, page.cursor);
    where.push(sql`q.search @@ ${tsQuery(filters.q)}`);
    order = sql`ts_rank(q.search, ${tsQuery(filters.q)}) desc, q.id`;
  } else {
    const after = keysetAfter(LIST, page.cursor, keyShape);
    if (after) where.push(sql`(r.slug collate "C", q.position, q.id) > (${after[0]} collate "C", ${after[1]}, ${after[2]}::uuid)`);
    order = sql`r.slug collate "C", q.position, q.id`;
  }

  const result = await db.execute(sql`
    select m.role_found, m.round_found, p.id, p.role_slug, p.position, p.json
    from (select ${roleFound} as role_found, ${roundFound} as round_found) m
    left join lateral (
      select q.id, r.slug as role_slug, q.position, row_number() over (order by ${order}) as n, ${questionJson} as json
      ${FROM}
      where ${sql.join(where, sql` and `)}
      order by ${order}
      limit ${page.limit + 1} offset ${offset}
    ) p on true
    order by p.n`);
  const rows = rowsOf<QuestionListRow>(result);
  const meta = rows[0];
  if (!meta?.role_found) {
    if (options.roleFromPath) throw notFound(`Role "${filters.role}"`);
    throw badParameter('role', `no role with slug "${filters.role}"`);
  }
  if (!meta.round_found) throw badParameter('round', `no round "${filters.round}"${filters.role ? ` in role "${filters.role}"` : ''}`);
  const found = rows.filter((r): r is QuestionListRow & { id: string; role_slug: string; position: number; json: string } => r.id !== null);
  const paged = pageOf(found, page.limit, (row, i) => (filters.q !== undefined ? { l: SEARCH_LIST, o: offset + i + 1 } : { l: LIST, k: [row.role_slug, row.position, row.id] }));
  return {
    items: paged.rows.map((row) => row.json),
    page: paged.page,
    cursors: paged.cursors,
    keys: options.roleFromPath && filters.role !== undefined ? [roleKey(filters.role)] : [COLLECTION.questions],
  };
}
