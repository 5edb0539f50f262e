import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Queryable } from '../db/client.js';
import { categoryKey, COLLECTION, roleKey } from '../changes/surrogate-keys.js';
import { badParameter, notFound } from '../errors.js';
import { checkTextFilters } from './filters.js';
import {
  inScope,
  roleFaqsJson,
  roleHead,
  roleQuestionsJson,
  roleRelatedJson,
  roleLinkedSlugs,
  roleRoundsJson,
  roleTail,
  roleTipsJson,
  spliceRole,
  statusIn,
  textArray,
} from './json-sql.js';
import { cursorKey, keysetAfter, offsetAfter, pageOf, type PageRequest } from './pagination.js';
import { wholeList, type JsonDocument, type JsonList } from './read-model.js';
import { tsQuery } from './text-search.js';
import { visibilityOf, type ReadContext } from './visibility.js';
import { SLUG_PATTERN, type Seniority, type Track } from './vocabulary.js';

export const ROLE_INCLUDES = ['rounds', 'questions', 'tips', 'faqs', 'related'] as const;
export type RoleInclude = (typeof ROLE_INCLUDES)[number];

export interface RoleFilters {
  category?: string | undefined;
  seniority?: Seniority | undefined;
  track?: Track | undefined;
  q?: string | undefined;
}

export interface RolePage extends JsonDocument {
  slug: string;
}

interface RolePageRow {
  slug: string;
  category_slug: string;
  head: string;
  rounds: string | null;
  questions: string | null;
  tips: string | null;
  faqs: string | null;
  related: string | null;
  tail: string;
  related_slugs: string[] | null;
}

const flag = (on: boolean) => sql.raw(on ? 'true' : 'false');

/**
 * Role pages with whatever they include, for any number of roles, in one statement: PostgreSQL
 * writes each page's JSON. REST asks for one role, GraphQL for every role of a query level; both
 * get the same assembly of a role's children. Roles the caller may not see are left out.
 */
export async function rolePages(db: Queryable, ctx: ReadContext, slugs: readonly string[], include: ReadonlySet<RoleInclude>): Promise<RolePage[]> {
  const wanted = slugs.filter((s) => SLUG_PATTERN.test(s));
  if (wanted.length === 0) return [];
  const v = visibilityOf(ctx);
  const has = (part: RoleInclude) => include.has(part);
  const result = await db.execute(sql`
    select r.slug, c.slug as category_slug, ${roleHead(v)}::text as head,
      case when ${flag(has('rounds'))} then ${roleRoundsJson(v)}::text end as rounds,
      case when ${flag(has('questions'))} then ${roleQuestionsJson(v)}::text end as questions,
      case when ${flag(has('tips'))} then ${roleTipsJson}::text end as tips,
      case when ${flag(has('faqs'))} then ${roleFaqsJson}::text end as faqs,
      case when ${flag(has('related'))} then ${roleRelatedJson(v)}::text end as related,
      ${roleTail}::text as tail,
      case when ${flag(has('related'))} then ${roleLinkedSlugs} end as related_slugs
    from roles r join categories c on c.id = r.category_id
    where r.slug = any(${textArray(wanted)}::text[]) and ${statusIn(sql`r.status`, v)} and ${inScope(sql`c.slug`, v)}`);
  return rowsOf<RolePageRow>(result).map((row) => ({
    slug: row.slug,
    json: spliceRole(
      row.head,
      [
        ['rounds', row.rounds],
        ['questions', row.questions],
        ['tips', row.tips],
        ['faqs', row.faqs],
        ['relatedRoles', row.related],
      ],
      row.tail,
    ),
    keys: [roleKey(row.slug), categoryKey(row.category_slug), ...(row.related_slugs ?? []).map(roleKey)],
  }));
}

/** One role and whatever it was asked to include: one statement, whatever the role's size. */
export async function getRole(db: Queryable, ctx: ReadContext, slug: string, include: ReadonlySet<RoleInclude>): Promise<RolePage> {
  const [page] = await rolePages(db, ctx, [slug], include);
  if (!page) throw notFound(`Role "${slug}"`);
  return page;
}

/** A role's rounds, tips or FAQs as a complete list. */
export async function getRolePart(db: Queryable, ctx: ReadContext, slug: string, part: 'rounds' | 'tips' | 'faqs'): Promise<JsonDocument> {
  const page = await getRole(db, ctx, slug, new Set([part]));
  return wholeList(JSON.stringify((JSON.parse(page.json) as Record<string, unknown>)[part]), [roleKey(slug)]);
}

const LIST = 'roles';
const SEARCH_LIST = 'roles:q';
const keyShape = z.tuple([cursorKey.text, cursorKey.text]);

interface RoleListRow {
  category_found: boolean;
  title: string | null;
  slug: string | null;
  head: string | null;
  tail: string | null;
}

/** Published roles by title (or by relevance with q), one page, in one statement. */
export async function listRoles(db: Queryable, ctx: ReadContext, filters: RoleFilters, page: PageRequest): Promise<JsonList> {
  checkTextFilters(filters);
  const v = visibilityOf(ctx);
  const where: SQL[] = [statusIn(sql`r.status`, v), inScope(sql`c.slug`, v)];
  if (filters.category !== undefined) where.push(sql`c.slug = ${filters.category}`);
  if (filters.seniority !== undefined) where.push(sql`r.seniority = ${filters.seniority}`);
  if (filters.track !== undefined) where.push(sql`r.track = ${filters.track}`);

  let order: SQL;
  let offset = 0;
  if (filters.q !== undefined) {
    offset = offsetAfter(SEARCH_LIST, page.cursor);
    where.push(sql`r.search @@ ${tsQuery(filters.q)}`);
    order = sql`ts_rank(r.search, ${tsQuery(filters.q)}) desc, r.id`;
  } else {
    const after = keysetAfter(LIST, page.cursor, keyShape);
    if (after) where.push(sql`(r.title collate "C", r.slug collate "C") > (${after[0]} collate "C", ${after[1]} collate "C")`);
    order = sql`r.title collate "C", r.slug collate "C"`;
  }
  // A category filter must name a category the caller can see; checked in the same statement,
  // so an empty page and an unknown category can be told apart.
  const categoryFound = filters.category !== undefined ? sql`exists (select 1 from categories c where c.slug = ${filters.category} and ${inScope(sql`c.slug`, v)})` : sql`true`;
  const result = await db.execute(sql`
    select m.category_found, p.title, p.slug, p.head, p.tail
    from (select ${categoryFound} as category_found) m
    left join lateral (
      select r.title, r.slug, row_number() over (order by ${order}) as n, ${roleHead(v)}::text as head, ${roleTail}::text as tail
      from roles r join categories c on c.id = r.category_id
      where ${sql.join(where, sql` and `)}
      order by ${order}
      limit ${page.limit + 1} offset ${offset}
    ) p on true
    order by p.n`);
  const rows = rowsOf<RoleListRow>(result);
  if (!rows[0]?.category_found) throw badParameter('category', `no category with slug "${filters.category}"`);
  const found = rows.filter((r): r is RoleListRow & { title: string; slug: string; head: string; tail: string } => r.slug !== null);
  const paged = pageOf(found, page.limit, (row, i) => (filters.q !== undefined ? { l: SEARCH_LIST, o: offset + i + 1 } : { l: LIST, k: [row.title, row.slug] }));
  return {
    items: paged.rows.map((row) => spliceRole(row.head, [], row.tail)),
    page: paged.page,
    cursors: paged.cursors,
    keys: [COLLECTION.roles],
  };
}
