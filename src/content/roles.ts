import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db/client.js';
import { categories, questions, roles, rounds } from '../db/schema.js';
import { badParameter, notFound } from '../errors.js';
import { faqsByRole, formatBreakdownByRole, relatedByRole, roundsByRole, tipsByRole } from './loaders.js';
import { checkTextFilters } from './filters.js';
import { cursorKey, keysetAfter, offsetAfter, pageOf, type PageRequest } from './pagination.js';
import { hydrateQuestions, questionRowsByRole } from './questions.js';
import type { FaqOut, ListOut, RoleOut, RoundOut, TipOut } from './schemas.js';
import { withNode, type WithNode } from './nodes.js';
import { tsQuery } from './text-search.js';
import { inCategoryScope, visibleStatuses, type ReadContext } from './visibility.js';
import { SLUG_PATTERN, type Seniority, type Status, type Track } from './vocabulary.js';

export const ROLE_INCLUDES = ['rounds', 'questions', 'tips', 'faqs', 'related'] as const;
export type RoleInclude = (typeof ROLE_INCLUDES)[number];

export interface RoleFilters {
  category?: string | undefined;
  seniority?: Seniority | undefined;
  track?: Track | undefined;
  q?: string | undefined;
}

function roleColumns(statuses: Status[]) {
  return {
    id: roles.id,
    slug: roles.slug,
    title: roles.title,
    seniority: roles.seniority,
    track: roles.track,
    summary: roles.summary,
    status: roles.status,
    version: roles.version,
    publishedAt: roles.publishedAt,
    updatedAt: roles.updatedAt,
    categorySlug: categories.slug,
    categoryName: categories.name,
    // Derived on every read so a page can never show a count that disagrees with its lists.
    questionCount: sql<number>`(select count(*) from ${questions} where ${and(eq(questions.roleId, roles.id), inArray(questions.status, statuses))})`.mapWith(Number),
    roundCount: sql<number>`(select count(*) from ${rounds} where ${eq(rounds.roleId, roles.id)})`.mapWith(Number),
  };
}

function selectRoles(db: Queryable, statuses: Status[]) {
  return db.select(roleColumns(statuses)).from(roles).innerJoin(categories, eq(categories.id, roles.categoryId));
}
export type RoleRow = Awaited<ReturnType<ReturnType<typeof selectRoles>['execute']>>[number];

export function toRole(row: RoleRow, formatBreakdown: RoleOut['formatBreakdown']): WithNode<RoleOut> {
  return withNode({
    slug: row.slug,
    title: row.title,
    category: { slug: row.categorySlug, name: row.categoryName },
    seniority: row.seniority as Seniority,
    track: row.track as Track,
    summary: row.summary,
    questionCount: row.questionCount,
    roundCount: row.roundCount,
    formatBreakdown,
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
    updatedAt: row.updatedAt.toISOString(),
  } satisfies RoleOut, { id: row.id });
}

export async function roleRowsByIds(db: Queryable, ids: readonly string[], statuses: Status[], scope?: SQL): Promise<RoleRow[]> {
  if (ids.length === 0) return [];
  return selectRoles(db, statuses).where(and(inArray(roles.id, [...ids]), inArray(roles.status, statuses), scope));
}

export async function roleRowBySlug(db: Queryable, ctx: ReadContext, slug: string): Promise<RoleRow> {
  if (!SLUG_PATTERN.test(slug)) throw notFound(`Role "${slug}"`);
  const statuses = visibleStatuses(ctx);
  const [row] = await selectRoles(db, statuses).where(and(eq(roles.slug, slug), inArray(roles.status, statuses), inCategoryScope(ctx, roles.categoryId)));
  if (!row) throw notFound(`Role "${slug}"`);
  return row;
}

/** Role rows with their format breakdown: one more statement for the whole page. */
export async function hydrateRoles(db: Queryable, rows: RoleRow[]): Promise<WithNode<RoleOut>[]> {
  const breakdowns = await formatBreakdownByRole(db, rows.map((r) => r.id));
  return rows.map((row) => toRole(row, breakdowns.get(row.id) ?? []));
}

/**
 * One role and whatever it was asked to include. Each include is one statement (questions two
 * more for STAR examples and pitfalls), so a role of any size costs the same number of queries.
 */
export async function getRole(db: Queryable, ctx: ReadContext, slug: string, include: ReadonlySet<RoleInclude>): Promise<RoleOut> {
  const statuses = visibleStatuses(ctx);
  const row = await roleRowBySlug(db, ctx, slug);
  const ids = [row.id];
  const [[role], roundMap, questionRows, tipMap, faqMap, relatedMap] = await Promise.all([
    hydrateRoles(db, [row]),
    include.has('rounds') ? roundsByRole(db, ids, statuses) : undefined,
    include.has('questions') ? questionRowsByRole(db, ids, statuses) : undefined,
    include.has('tips') ? tipsByRole(db, ids) : undefined,
    include.has('faqs') ? faqsByRole(db, ids) : undefined,
    include.has('related') ? relatedByRole(db, ids, statuses, inCategoryScope(ctx, roles.categoryId)) : undefined,
  ]);
  const out: RoleOut = { ...role! };
  if (roundMap) out.rounds = (roundMap.get(row.id) ?? []).map(publicRound);
  if (questionRows) out.questions = await hydrateQuestions(db, questionRows);
  if (tipMap) out.tips = tipMap.get(row.id) ?? [];
  if (faqMap) out.faqs = faqMap.get(row.id) ?? [];
  if (relatedMap) out.relatedRoles = relatedMap.get(row.id) ?? [];
  return out;
}

export function publicRound(r: RoundOut): RoundOut {
  return { name: r.name, position: r.position, focus: r.focus, durationMinutes: r.durationMinutes, questionCount: r.questionCount };
}

export async function getRoleRounds(db: Queryable, ctx: ReadContext, slug: string): Promise<RoundOut[]> {
  const row = await roleRowBySlug(db, ctx, slug);
  return ((await roundsByRole(db, [row.id], visibleStatuses(ctx))).get(row.id) ?? []).map(publicRound);
}

export async function getRoleTips(db: Queryable, ctx: ReadContext, slug: string): Promise<TipOut[]> {
  const row = await roleRowBySlug(db, ctx, slug);
  return (await tipsByRole(db, [row.id])).get(row.id) ?? [];
}

export async function getRoleFaqs(db: Queryable, ctx: ReadContext, slug: string): Promise<FaqOut[]> {
  const row = await roleRowBySlug(db, ctx, slug);
  return (await faqsByRole(db, [row.id])).get(row.id) ?? [];
}

const LIST = 'roles';
const SEARCH_LIST = 'roles:q';
const keyShape = z.tuple([cursorKey.text, cursorKey.text]);

export async function listRoles(db: Queryable, ctx: ReadContext, filters: RoleFilters, page: PageRequest): Promise<ListOut<RoleOut>> {
  checkTextFilters(filters);
  const statuses = visibleStatuses(ctx);
  const where: SQL[] = [inArray(roles.status, statuses)];
  const scope = inCategoryScope(ctx, roles.categoryId);
  if (scope) where.push(scope);
  if (filters.category !== undefined) {
    const [category] = await db.select({ id: categories.id }).from(categories).where(and(eq(categories.slug, filters.category), inCategoryScope(ctx, categories.id)));
    if (!category) throw badParameter('category', `no category with slug "${filters.category}"`);
    where.push(eq(roles.categoryId, category.id));
  }
  if (filters.seniority !== undefined) where.push(eq(roles.seniority, filters.seniority));
  if (filters.track !== undefined) where.push(eq(roles.track, filters.track));

  if (filters.q !== undefined) {
    const query = tsQuery(filters.q);
    const offset = offsetAfter(SEARCH_LIST, page.cursor);
    const rows = await selectRoles(db, statuses)
      .where(and(...where, sql`${roles.search} @@ ${query}`))
      .orderBy(desc(sql`ts_rank(${roles.search}, ${query})`), asc(roles.id))
      .limit(page.limit + 1)
      .offset(offset);
    const result = pageOf(rows, page.limit, (_, i) => ({ l: SEARCH_LIST, o: offset + i + 1 }));
    return { data: await hydrateRoles(db, result.rows), page: result.page, cursors: result.cursors };
  }

  const after = keysetAfter(LIST, page.cursor, keyShape);
  if (after) where.push(sql`(${roles.title} collate "C", ${roles.slug} collate "C") > (${after[0]} collate "C", ${after[1]} collate "C")`);
  const rows = await selectRoles(db, statuses)
    .where(and(...where))
    .orderBy(sql`${roles.title} collate "C"`, sql`${roles.slug} collate "C"`)
    .limit(page.limit + 1);
  const result = pageOf(rows, page.limit, (last) => ({ l: LIST, k: [last.title, last.slug] }));
  return { data: await hydrateRoles(db, result.rows), page: result.page, cursors: result.cursors };
}
