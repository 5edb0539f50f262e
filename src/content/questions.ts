import { and, arrayContains, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db/client.js';
import { questions, roles, rounds } from '../db/schema.js';
import { badParameter, notFound } from '../errors.js';
import { pitfallsByQuestion, starExamplesByQuestion } from './loaders.js';
import { checkTextFilters } from './filters.js';
import { cursorKey, keysetAfter, offsetAfter, pageOf, type PageRequest } from './pagination.js';
import type { ListOut, QuestionOut } from './schemas.js';
import { withNode, type WithNode } from './nodes.js';
import { tsQuery } from './text-search.js';
import { inCategoryScope, visibleStatuses, type ReadContext } from './visibility.js';
import type { Difficulty, Status } from './vocabulary.js';

export interface QuestionFilters {
  role?: string | undefined;
  /** A round's name (any role), or its position when `role` is given. */
  round?: string | undefined;
  competency?: string | undefined;
  difficulty?: Difficulty | undefined;
  tag?: string | undefined;
  q?: string | undefined;
}

const columns = {
  id: questions.id,
  roleId: questions.roleId,
  roundId: questions.roundId,
  position: questions.position,
  prompt: questions.prompt,
  competency: questions.competency,
  whyAsked: questions.whyAsked,
  howToAnswer: questions.howToAnswer,
  difficulty: questions.difficulty,
  tags: questions.tags,
  status: questions.status,
  updatedAt: questions.updatedAt,
  roleSlug: roles.slug,
  roleTitle: roles.title,
  roundName: rounds.name,
  roundPosition: rounds.position,
};

function selectQuestions(db: Queryable) {
  return db
    .select(columns)
    .from(questions)
    .innerJoin(roles, eq(roles.id, questions.roleId))
    .leftJoin(rounds, eq(rounds.id, questions.roundId));
}
export type QuestionRow = Awaited<ReturnType<ReturnType<typeof selectQuestions>['execute']>>[number];

/** A question is visible when it and its role both are. */
export function questionVisible(statuses: Status[]): SQL {
  return and(inArray(questions.status, statuses), inArray(roles.status, statuses))!;
}

/** Attaches STAR examples and pitfalls to a page of questions: two statements, whatever its size. */
export async function hydrateQuestions(db: Queryable, rows: QuestionRow[]): Promise<WithNode<QuestionOut>[]> {
  const ids = rows.map((r) => r.id);
  const [stars, pitfalls] = await Promise.all([starExamplesByQuestion(db, ids), pitfallsByQuestion(db, ids)]);
  return rows.map((r) => withNode({
    id: r.id,
    role: { slug: r.roleSlug, title: r.roleTitle },
    round: r.roundName !== null && r.roundPosition !== null ? { name: r.roundName, position: r.roundPosition } : null,
    position: r.position,
    prompt: r.prompt,
    competency: r.competency,
    whyAsked: r.whyAsked,
    howToAnswer: r.howToAnswer,
    difficulty: r.difficulty as Difficulty,
    tags: r.tags,
    starExamples: stars.get(r.id) ?? [],
    pitfalls: pitfalls.get(r.id) ?? [],
    updatedAt: r.updatedAt.toISOString(),
  } satisfies QuestionOut, { id: r.id, roleId: r.roleId, roundId: r.roundId }));
}

/** Visible questions of many roles, in page order, for role includes and GraphQL. */
export async function questionRowsByRole(db: Queryable, roleIds: readonly string[], statuses: Status[]): Promise<QuestionRow[]> {
  if (roleIds.length === 0) return [];
  return selectQuestions(db)
    .where(and(inArray(questions.roleId, [...roleIds]), questionVisible(statuses)))
    .orderBy(asc(questions.roleId), asc(questions.position), asc(questions.id));
}

export async function questionRowsByRound(db: Queryable, roundIds: readonly string[], statuses: Status[]): Promise<QuestionRow[]> {
  if (roundIds.length === 0) return [];
  return selectQuestions(db)
    .where(and(inArray(questions.roundId, [...roundIds]), questionVisible(statuses)))
    .orderBy(asc(questions.roundId), asc(questions.position), asc(questions.id));
}

export async function questionRowsByIds(db: Queryable, ids: readonly string[], statuses: Status[], scope?: SQL): Promise<QuestionRow[]> {
  if (ids.length === 0) return [];
  return selectQuestions(db).where(and(inArray(questions.id, [...ids]), questionVisible(statuses), scope));
}

export async function getQuestion(db: Queryable, ctx: ReadContext, id: string): Promise<QuestionOut> {
  const rows = z.uuid().safeParse(id).success ? await questionRowsByIds(db, [id], visibleStatuses(ctx), inCategoryScope(ctx, roles.categoryId)) : [];
  const row = rows[0];
  if (!row) throw notFound(`Question ${id}`);
  const [question] = await hydrateQuestions(db, [row]);
  return question!;
}

const LIST = 'questions';
const SEARCH_LIST = 'questions:q';
const keyShape = z.tuple([cursorKey.text, cursorKey.position, cursorKey.id]);

/** Turns the role and round filters into conditions, answering 400 for values that name nothing. */
async function referenceFilters(db: Queryable, filters: QuestionFilters, statuses: Status[], scope: SQL | undefined): Promise<SQL[]> {
  const where: SQL[] = [];
  if (filters.role !== undefined) {
    const [role] = await db
      .select({ id: roles.id })
      .from(roles)
      .where(and(eq(roles.slug, filters.role), inArray(roles.status, statuses), scope));
    if (!role) throw badParameter('role', `no role with slug "${filters.role}"`);
    where.push(eq(questions.roleId, role.id));
  }
  if (filters.round !== undefined) {
    const byPosition = /^\d+$/.test(filters.round);
    if (byPosition && filters.role === undefined) throw badParameter('round', 'a round position needs the role filter too');
    const match = byPosition
      ? eq(rounds.position, Number(filters.round))
      : sql`lower(${rounds.name}) = lower(${filters.round})`;
    const roleMatch = filters.role !== undefined ? eq(roles.slug, filters.role) : inArray(roles.status, statuses);
    const found = await db
      .select({ id: rounds.id })
      .from(rounds)
      .innerJoin(roles, eq(roles.id, rounds.roleId))
      .where(and(match, roleMatch, scope));
    if (found.length === 0) throw badParameter('round', `no round "${filters.round}"${filters.role ? ` in role "${filters.role}"` : ''}`);
    where.push(inArray(questions.roundId, found.map((r) => r.id)));
  }
  return where;
}

export async function listQuestions(
  db: Queryable,
  ctx: ReadContext,
  filters: QuestionFilters,
  page: PageRequest,
): Promise<ListOut<QuestionOut>> {
  checkTextFilters(filters);
  const statuses = visibleStatuses(ctx);
  const scope = inCategoryScope(ctx, roles.categoryId);
  const where: SQL[] = [questionVisible(statuses), ...(scope ? [scope] : []), ...(await referenceFilters(db, filters, statuses, scope))];
  if (filters.competency !== undefined) where.push(sql`lower(${questions.competency}) = lower(${filters.competency})`);
  if (filters.difficulty !== undefined) where.push(eq(questions.difficulty, filters.difficulty));
  if (filters.tag !== undefined) where.push(arrayContains(questions.tags, [filters.tag]));

  if (filters.q !== undefined) {
    const query = tsQuery(filters.q);
    const offset = offsetAfter(SEARCH_LIST, page.cursor);
    const rank = sql`ts_rank(${questions.search}, ${query})`;
    const rows = await selectQuestions(db)
      .where(and(...where, sql`${questions.search} @@ ${query}`))
      .orderBy(desc(rank), asc(questions.id))
      .limit(page.limit + 1)
      .offset(offset);
    const result = pageOf(rows, page.limit, (_, i) => ({ l: SEARCH_LIST, o: offset + i + 1 }));
    return { data: await hydrateQuestions(db, result.rows), page: result.page, cursors: result.cursors };
  }

  const after = keysetAfter(LIST, page.cursor, keyShape);
  if (after) {
    where.push(sql`(${roles.slug} collate "C", ${questions.position}, ${questions.id}) > (${after[0]} collate "C", ${after[1]}, ${after[2]}::uuid)`);
  }
  const rows = await selectQuestions(db)
    .where(and(...where))
    .orderBy(sql`${roles.slug} collate "C"`, asc(questions.position), asc(questions.id))
    .limit(page.limit + 1);
  const result = pageOf(rows, page.limit, (last) => ({ l: LIST, k: [last.roleSlug, last.position, last.id] }));
  return { data: await hydrateQuestions(db, result.rows), page: result.page, cursors: result.cursors };
}
