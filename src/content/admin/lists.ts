import { and, eq, gte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { categories, questions, roles, rounds } from '../../db/schema.js';
import { badParameter } from '../../errors.js';
import { checkTextFilters } from '../filters.js';
import { cursorKey, keysetAfter, offsetAfter, pageOf, type PageRequest } from '../pagination.js';
import { tsQueryOf } from '../text-search.js';
import { INT32_MAX, type Difficulty, type Seniority, type Status, type Track } from '../vocabulary.js';

/*
 * Lists for content tools: every role and question whatever its status, with the public lists'
 * filters, cursors and refusals (an unknown category, role or round is a 400 naming it), and what
 * only content tools ask for: by status, by who changed it and since when, full text over drafts,
 * sorted as asked. Each page is one statement (two with a category, role or round to check).
 */

export const ADMIN_ROLE_SORTS = ['title', '-title', 'slug', 'updatedAt', '-updatedAt'] as const;
export const ADMIN_QUESTION_SORTS = ['role', 'updatedAt', '-updatedAt'] as const;

interface LifecycleFilters {
  status?: Status | undefined;
  /** Who wrote the current version: `key:<prefix>`, or `seed`. */
  updatedBy?: string | undefined;
  updatedSince?: Date | undefined;
  /** true: only what has a publish or unpublish scheduled; false: only what has none. */
  scheduled?: boolean | undefined;
  q?: string | undefined;
}

export interface AdminRoleFilters extends LifecycleFilters {
  category?: string | undefined;
  seniority?: Seniority | undefined;
  track?: Track | undefined;
  sort?: (typeof ADMIN_ROLE_SORTS)[number] | undefined;
}

export interface AdminQuestionFilters extends LifecycleFilters {
  category?: string | undefined;
  role?: string | undefined;
  /** A round's name (any role), or its position together with role. */
  round?: string | undefined;
  competency?: string | undefined;
  difficulty?: Difficulty | undefined;
  tag?: string | undefined;
  sort?: (typeof ADMIN_QUESTION_SORTS)[number] | undefined;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
/** A time as text with microseconds, so a cursor continues exactly where its page ended. */
const exactTime = (column: typeof roles.updatedAt | typeof questions.updatedAt) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function lifecycleFilters(table: typeof roles | typeof questions, f: LifecycleFilters): SQL[] {
  const where: SQL[] = [];
  if (f.status) where.push(eq(table.status, f.status));
  if (f.updatedBy) where.push(eq(table.updatedBy, f.updatedBy));
  if (f.updatedSince) where.push(gte(table.updatedAt, f.updatedSince));
  if (f.scheduled !== undefined) {
    const any = sql`(${table.publishAt} is not null or ${table.unpublishAt} is not null)`;
    where.push(f.scheduled ? any : sql`not ${any}`);
  }
  if (f.q !== undefined) where.push(sql`${table.search} @@ ${tsQueryOf(f.q)}`);
  return where;
}

/** How a list is ordered and where a cursor continues: the sort's columns, and a row's values of them. */
interface Keyset<Row> {
  keys: SQL[];
  /** How each value of a cursor is compared with its column. */
  cast: ((value: string | number) => SQL)[];
  shape: z.ZodTuple;
  of(row: Row): (string | number)[];
  descending: boolean;
}

const tuple = (parts: SQL[]) => sql`(${sql.join(parts, sql`, `)})`;
const asText = (v: string | number) => sql`${v} collate "C"`;

/**
 * The order and the page: by relevance with q (unless a sort is asked for; ranks have no stable
 * key, so the cursor is an offset), otherwise by the sort's keyset.
 */
function paging<Row>(
  list: string,
  page: PageRequest,
  ranked: SQL | undefined,
  keyset: Keyset<Row>,
): {
  where: SQL | undefined;
  order: SQL[];
  offset: number;
  cursorOf: (row: Row, i: number) => { l: string; k?: (string | number)[]; o?: number };
} {
  if (ranked) {
    const offset = offsetAfter(`${list}:q`, page.cursor);
    return {
      where: undefined,
      order: [sql`${ranked} desc`, ...keyset.keys],
      offset,
      cursorOf: (_r, i) => ({ l: `${list}:q`, o: offset + i + 1 }),
    };
  }
  const after = keysetAfter(list, page.cursor, keyset.shape) as (string | number)[] | undefined;
  const values = after?.map((v, i) => keyset.cast[i]!(v));
  const where = values
    ? keyset.descending
      ? sql`${tuple(keyset.keys)} < ${tuple(values)}`
      : sql`${tuple(keyset.keys)} > ${tuple(values)}`
    : undefined;
  return {
    where,
    order: keyset.keys.map((k) => (keyset.descending ? sql`${k} desc` : sql`${k} asc`)),
    offset: 0,
    cursorOf: (row) => ({ l: list, k: keyset.of(row) }),
  };
}

const byTime = <Row extends { exactUpdatedAt: string; id: string }>(
  table: typeof roles | typeof questions,
  descending: boolean,
): Keyset<Row> => ({
  keys: [sql`${table.updatedAt}`, sql`${table.id}`],
  cast: [(v) => sql`${v}::timestamptz`, (v) => sql`${v}::uuid`],
  shape: z.tuple([cursorKey.text, cursorKey.id]),
  of: (row) => [row.exactUpdatedAt, row.id],
  descending,
});

async function checkCategory(db: Queryable, slug: string | undefined): Promise<void> {
  if (slug === undefined) return;
  const [found] = await db.select({ id: categories.id }).from(categories).where(eq(categories.slug, slug));
  if (!found) throw badParameter('category', `no category with slug "${slug}"`);
}

const lifecycleOut = (r: {
  status: string;
  publishedAt: Date | null;
  updatedAt: Date;
  publishAt: Date | null;
  unpublishAt: Date | null;
}) => ({
  status: r.status as Status,
  publishedAt: iso(r.publishedAt),
  updatedAt: r.updatedAt.toISOString(),
  publishAt: iso(r.publishAt),
  unpublishAt: iso(r.unpublishAt),
});

/** Every role, drafts and archived included, one page at a time. */
export async function listAdminRoles(db: Queryable, filters: AdminRoleFilters, page: PageRequest) {
  checkTextFilters(filters);
  await checkCategory(db, filters.category);
  const where = lifecycleFilters(roles, filters);
  if (filters.category) where.push(eq(categories.slug, filters.category));
  if (filters.seniority) where.push(eq(roles.seniority, filters.seniority));
  if (filters.track) where.push(eq(roles.track, filters.track));
  const sort = filters.sort ?? 'title';
  type Row = { slug: string; title: string; id: string; exactUpdatedAt: string };
  const keyset: Keyset<Row> = sort.endsWith('updatedAt')
    ? byTime(roles, sort.startsWith('-'))
    : sort === 'slug'
      ? {
          keys: [sql`${roles.slug} collate "C"`],
          cast: [asText],
          shape: z.tuple([cursorKey.text]),
          of: (row) => [row.slug],
          descending: false,
        }
      : {
          keys: [sql`${roles.title} collate "C"`, sql`${roles.slug} collate "C"`],
          cast: [asText, asText],
          shape: z.tuple([cursorKey.text, cursorKey.text]),
          of: (row) => [row.title, row.slug],
          descending: sort === '-title',
        };
  const ranked =
    filters.q !== undefined && filters.sort === undefined
      ? sql`ts_rank(${roles.search}, ${tsQueryOf(filters.q)})`
      : undefined;
  const p = paging(`admin-roles:${sort}`, page, ranked, keyset);
  const rows = await db
    .select({
      slug: roles.slug,
      title: roles.title,
      category: categories.slug,
      seniority: roles.seniority,
      track: roles.track,
      status: roles.status,
      version: roles.version,
      publishedAt: roles.publishedAt,
      updatedAt: roles.updatedAt,
      updatedBy: roles.updatedBy,
      publishAt: roles.publishAt,
      unpublishAt: roles.unpublishAt,
      questionCount: sql<number>`(select count(*) from ${questions} where ${questions.roleId} = ${roles.id})`.mapWith(
        Number,
      ),
      id: roles.id,
      exactUpdatedAt: exactTime(roles.updatedAt),
    })
    .from(roles)
    .innerJoin(categories, eq(categories.id, roles.categoryId))
    .where(and(...where, p.where))
    .orderBy(...p.order)
    .limit(page.limit + 1)
    .offset(p.offset);
  const paged = pageOf(rows, page.limit, p.cursorOf);
  return {
    data: paged.rows.map(({ id: _id, exactUpdatedAt: _exact, ...r }) => ({
      ...r,
      seniority: r.seniority as Seniority,
      track: r.track as Track,
      ...lifecycleOut(r),
    })),
    page: paged.page,
    cursors: paged.cursors,
  };
}

/** The role filter must name a role, the round filter one of its rounds (or of any role, by name). */
async function checkRoleAndRound(db: Queryable, filters: AdminQuestionFilters): Promise<SQL[]> {
  const where: SQL[] = [];
  if (filters.role !== undefined) {
    const [role] = await db.select({ id: roles.id }).from(roles).where(eq(roles.slug, filters.role));
    if (!role) throw badParameter('role', `no role with slug "${filters.role}"`);
    where.push(eq(questions.roleId, role.id));
  }
  if (filters.round !== undefined) {
    const byPosition = /^\d+$/.test(filters.round);
    if (byPosition && filters.role === undefined)
      throw badParameter('round', 'a round position needs the role filter too');
    const position = Number(filters.round);
    const match = byPosition
      ? position <= INT32_MAX
        ? eq(rounds.position, position)
        : sql`false`
      : sql`lower(${rounds.name}) = lower(${filters.round})`;
    const found = await db
      .select({ id: rounds.id })
      .from(rounds)
      .innerJoin(roles, eq(roles.id, rounds.roleId))
      .where(and(match, filters.role !== undefined ? eq(roles.slug, filters.role) : undefined));
    if (found.length === 0)
      throw badParameter('round', `no round "${filters.round}"${filters.role ? ` in role "${filters.role}"` : ''}`);
    where.push(
      sql`${questions.roundId} in (${sql.join(
        found.map((r) => sql`${r.id}::uuid`),
        sql`, `,
      )})`,
    );
  }
  return where;
}

/** Every question, drafts and archived included, one page at a time. */
export async function listAdminQuestions(db: Queryable, filters: AdminQuestionFilters, page: PageRequest) {
  checkTextFilters(filters);
  await checkCategory(db, filters.category);
  const where = [...lifecycleFilters(questions, filters), ...(await checkRoleAndRound(db, filters))];
  if (filters.category) where.push(eq(categories.slug, filters.category));
  if (filters.competency) where.push(sql`lower(${questions.competency}) = lower(${filters.competency})`);
  if (filters.difficulty) where.push(eq(questions.difficulty, filters.difficulty));
  if (filters.tag) where.push(sql`${questions.tags} @> array[${filters.tag}]::text[]`);
  const sort = filters.sort ?? 'role';
  type Row = { role: string; position: number; id: string; exactUpdatedAt: string };
  const keyset: Keyset<Row> =
    sort === 'role'
      ? {
          keys: [sql`${roles.slug} collate "C"`, sql`${questions.position}`, sql`${questions.id}`],
          cast: [asText, (v) => sql`${v}::int`, (v) => sql`${v}::uuid`],
          shape: z.tuple([cursorKey.text, cursorKey.position, cursorKey.id]),
          of: (row) => [row.role, row.position, row.id],
          descending: false,
        }
      : byTime(questions, sort.startsWith('-'));
  const ranked =
    filters.q !== undefined && filters.sort === undefined
      ? sql`ts_rank(${questions.search}, ${tsQueryOf(filters.q)})`
      : undefined;
  const p = paging(`admin-questions:${sort}`, page, ranked, keyset);
  const rows = await db
    .select({
      id: questions.id,
      role: roles.slug,
      prompt: questions.prompt,
      round: rounds.name,
      competency: questions.competency,
      difficulty: questions.difficulty,
      tags: questions.tags,
      status: questions.status,
      position: questions.position,
      version: questions.version,
      publishedAt: questions.publishedAt,
      updatedAt: questions.updatedAt,
      updatedBy: questions.updatedBy,
      publishAt: questions.publishAt,
      unpublishAt: questions.unpublishAt,
      exactUpdatedAt: exactTime(questions.updatedAt),
    })
    .from(questions)
    .innerJoin(roles, eq(roles.id, questions.roleId))
    .innerJoin(categories, eq(categories.id, roles.categoryId))
    .leftJoin(rounds, eq(rounds.id, questions.roundId))
    .where(and(...where, p.where))
    .orderBy(...p.order)
    .limit(page.limit + 1)
    .offset(p.offset);
  const paged = pageOf(rows, page.limit, p.cursorOf);
  return {
    data: paged.rows.map(({ exactUpdatedAt: _exact, ...r }) => ({
      ...r,
      difficulty: r.difficulty as Difficulty,
      ...lifecycleOut(r),
    })),
    page: paged.page,
    cursors: paged.cursors,
  };
}

/** Every id a filter selects (for bulk actions), up to `max`; more is refused rather than cut short. */
export async function idsMatching(
  db: Queryable,
  type: 'role' | 'question',
  filters: AdminRoleFilters | AdminQuestionFilters,
  max: number,
): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const result =
      type === 'role'
        ? await listAdminRoles(db, { ...filters, sort: 'slug' } as AdminRoleFilters, { limit: 100, cursor })
        : await listAdminQuestions(db, { ...filters, sort: 'role' } as AdminQuestionFilters, { limit: 100, cursor });
    keys.push(...result.data.map((r) => ('slug' in r ? r.slug : r.id)));
    if (keys.length > max)
      throw badParameter('where', `selects more than ${max} items; narrow it (by role, status, updatedSince, ...)`);
    if (!result.page.nextCursor) return keys;
    cursor = result.page.nextCursor;
  }
}
