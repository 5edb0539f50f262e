import { z } from 'zod';
import { COLLECTION, questionKey, roleKey } from '../changes/surrogate-keys.js';
import type { StatementRunner } from '../db/statements.js';
import { badParameter, notFound } from '../errors.js';
import { checkTextFilters } from './filters.js';
import { inScope, Params, questionJoins, textArray } from './json-sql.js';
import { cursorKey, keysetAfter, offsetAfter, pageOf, type PageRequest } from './pagination.js';
import type { JsonDocument, JsonList } from './read-model.js';
import { TS_QUERY } from './text-search.js';
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

/** Every question read: the question, its role and category, its JSON (joins in json-sql.ts). */
const FROM = `from questions q join roles r on r.id = q.role_id join categories c on c.id = r.category_id ${questionJoins}`;

/** A question is visible when it and its role both are, in a category the caller may read. */
const VISIBLE = `q.status = any($2::text[]) and r.status = any($2::text[]) and ${inScope('c.slug', '$3::text[]')}`;

/** $1 ids, $2 statuses, $3 scope. */
const BY_IDS = `select q.id, r.slug as role_slug, row_to_json(qx)::text as json ${FROM} where q.id = any($1::uuid[]) and ${VISIBLE}`;

/** $1 "role-slug/position" keys, $2 statuses, $3 scope. */
const OF_ROUNDS = `select r.slug || '/' || rd.position as round_key, row_to_json(qx)::text as json ${FROM}
  where r.slug || '/' || rd.position = any($1::text[]) and ${VISIBLE} order by q.position, q.id`;

const visibilityValues = (ctx: ReadContext) => {
  const v = visibilityOf(ctx);
  return [textArray(v.statuses), v.scope ? textArray(v.scope) : null];
};

/** Questions by id, in one statement; ids the caller may not see are left out. */
export async function questionsByIds(
  db: StatementRunner,
  ctx: ReadContext,
  ids: readonly string[],
): Promise<(JsonDocument & { id: string })[]> {
  const wanted = ids.filter((id) => UUID.safeParse(id).success);
  if (wanted.length === 0) return [];
  const rows = await db.rows<{ id: string; role_slug: string; json: string }>(BY_IDS, [
    textArray(wanted),
    ...visibilityValues(ctx),
  ]);
  return rows.map((row) => ({ id: row.id, json: row.json, keys: [questionKey(row.id), roleKey(row.role_slug)] }));
}

/** One question with its STAR examples and pitfalls: one statement. */
export async function getQuestion(db: StatementRunner, ctx: ReadContext, id: string): Promise<JsonDocument> {
  const [found] = await questionsByIds(db, ctx, [id]);
  if (!found) throw notFound(`Question ${id}`);
  return found;
}

/** Questions of rounds named by role slug and round position, for GraphQL's Round.questions. */
export async function questionsOfRounds(
  db: StatementRunner,
  ctx: ReadContext,
  rounds: readonly { role: string; position: number }[],
) {
  const wanted = rounds.filter((r) => SLUG_PATTERN.test(r.role)).map((r) => `${r.role}/${r.position}`);
  if (wanted.length === 0) return [];
  return db.rows<{ round_key: string; json: string }>(OF_ROUNDS, [textArray(wanted), ...visibilityValues(ctx)]);
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
export async function listQuestions(
  db: StatementRunner,
  ctx: ReadContext,
  filters: QuestionFilters,
  page: PageRequest,
  options: ListQuestionsOptions = {},
): Promise<JsonList> {
  checkTextFilters(filters);
  const p = new Params();
  const { statuses, scope } = p.visibility(visibilityOf(ctx));
  const where = [`q.status = any(${statuses}) and r.status = any(${statuses}) and ${inScope('c.slug', scope)}`];
  let roleFound = 'true';
  let roundFound = 'true';
  const role = filters.role !== undefined ? p.add(filters.role) : undefined;
  if (role !== undefined) {
    const roleMatch = `select r.id from roles r join categories c on c.id = r.category_id where r.slug = ${role} and r.status = any(${statuses}) and ${inScope('c.slug', scope)}`;
    roleFound = `exists (${roleMatch})`;
    where.push(`q.role_id in (${roleMatch})`);
  }
  if (filters.round !== undefined) {
    const byPosition = /^\d+$/.test(filters.round);
    if (byPosition && role === undefined) throw badParameter('round', 'a round position needs the role filter too');
    const position = Number(filters.round);
    if (byPosition && position > 2_147_483_647)
      throw badParameter('round', `no round "${filters.round}" in role "${filters.role}"`);
    const match = byPosition ? `rd.position = ${p.add(position)}` : `lower(rd.name) = lower(${p.add(filters.round)})`;
    const roleMatch = role !== undefined ? `r.slug = ${role}` : `r.status = any(${statuses})`;
    const roundMatch = `select rd.id from rounds rd join roles r on r.id = rd.role_id join categories c on c.id = r.category_id where ${match} and ${roleMatch} and ${inScope('c.slug', scope)}`;
    roundFound = `exists (${roundMatch})`;
    where.push(`q.round_id in (${roundMatch})`);
  }
  if (filters.competency !== undefined) where.push(`lower(q.competency) = lower(${p.add(filters.competency)})`);
  if (filters.difficulty !== undefined) where.push(`q.difficulty = ${p.add(filters.difficulty)}`);
  if (filters.tag !== undefined) where.push(`q.tags @> ${p.add(textArray([filters.tag]))}::text[]`);

  let order: string;
  let offset = 0;
  if (filters.q !== undefined) {
    offset = offsetAfter(SEARCH_LIST, page.cursor);
    const query = TS_QUERY(p.add(filters.q));
    where.push(`q.search @@ ${query}`);
    order = `ts_rank(q.search, ${query}) desc, q.id`;
  } else {
    const after = keysetAfter(LIST, page.cursor, keyShape);
    if (after)
      where.push(
        `(r.slug collate "C", q.position, q.id) > (${p.add(after[0])} collate "C", ${p.add(after[1])}::int, ${p.add(after[2])}::uuid)`,
      );
    order = 'r.slug collate "C", q.position, q.id';
  }

  const rows = await db.rows<QuestionListRow>(
    `select m.role_found, m.round_found, p.id, p.role_slug, p.position, p.json
    from (select ${roleFound} as role_found, ${roundFound} as round_found) m
    left join lateral (
      select q.id, r.slug as role_slug, q.position, row_number() over (order by ${order}) as n, row_to_json(qx)::text as json
      from questions q join roles r on r.id = q.role_id join categories c on c.id = r.category_id ${questionJoins}
      where ${where.join(' and ')}
      order by ${order}
      limit ${p.add(page.limit + 1)} offset ${p.add(offset)}
    ) p on true
    order by p.n`,
    p.values,
  );
  const meta = rows[0];
  if (!meta?.role_found) {
    if (options.roleFromPath) throw notFound(`Role "${filters.role}"`);
    throw badParameter('role', `no role with slug "${filters.role}"`);
  }
  if (!meta.round_found)
    throw badParameter('round', `no round "${filters.round}"${filters.role ? ` in role "${filters.role}"` : ''}`);
  const found = rows.filter(
    (r): r is QuestionListRow & { id: string; role_slug: string; position: number; json: string } => r.id !== null,
  );
  const paged = pageOf(found, page.limit, (row, i) =>
    filters.q !== undefined
      ? { l: SEARCH_LIST, o: offset + i + 1 }
      : { l: LIST, k: [row.role_slug, row.position, row.id] },
  );
  return {
    items: paged.rows.map((row) => row.json),
    page: paged.page,
    cursors: paged.cursors,
    keys: options.roleFromPath && filters.role !== undefined ? [roleKey(filters.role)] : [COLLECTION.questions],
  };
}
