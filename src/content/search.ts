import { and, eq, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/client.js';
import { categories, roles } from '../db/schema.js';
import { badParameter } from '../errors.js';
import { checkTextFilters } from './filters.js';
import { offsetAfter, pageOf, type PageRequest } from './pagination.js';
import { SEARCH_HIT_TYPES, type ListOut, type SearchHitOut } from './schemas.js';
import { highlight, tsQuery } from './text-search.js';
import { inCategoryScope, visibleStatuses, type ReadContext } from './visibility.js';
import type { Seniority } from './vocabulary.js';

export type SearchHitType = (typeof SEARCH_HIT_TYPES)[number];

export interface SearchFilters {
  q: string;
  category?: string | undefined;
  seniority?: Seniority | undefined;
  role?: string | undefined;
  types?: readonly SearchHitType[] | undefined;
}

interface HitRow {
  type: SearchHitType;
  title: string;
  snippet: string;
  score: number | string;
  question_id: string | null;
  role_slug: string;
  role_title: string;
}

const LIST = 'search';

/**
 * Roles, questions and FAQs ranked together by ts_rank over weighted documents: a role's title and
 * a question's prompt are weight A, an FAQ's question B, summaries C and body text D, so a match
 * in a heading outranks the same word deep in an answer.
 */
export async function search(db: Queryable, ctx: ReadContext, filters: SearchFilters, page: PageRequest): Promise<ListOut<SearchHitOut>> {
  checkTextFilters(filters);
  const statuses = visibleStatuses(ctx);
  const roleWhere: SQL[] = [sql`r.status in (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})`];
  const scope = inCategoryScope(ctx, sql`r.category_id`);
  if (scope) roleWhere.push(scope);
  if (filters.category !== undefined) {
    const [category] = await db.select({ id: categories.id }).from(categories).where(and(eq(categories.slug, filters.category), inCategoryScope(ctx, categories.id)));
    if (!category) throw badParameter('category', `no category with slug "${filters.category}"`);
    roleWhere.push(sql`r.category_id = ${category.id}`);
  }
  if (filters.seniority !== undefined) roleWhere.push(sql`r.seniority = ${filters.seniority}`);
  if (filters.role !== undefined) {
    const [role] = await db.select({ id: roles.id, status: roles.status }).from(roles).where(and(eq(roles.slug, filters.role), inCategoryScope(ctx, roles.categoryId)));
    if (!role || !statuses.includes(role.status as never)) throw badParameter('role', `no role with slug "${filters.role}"`);
    roleWhere.push(sql`r.id = ${role.id}`);
  }
  const rolesOk = sql.join(roleWhere, sql` and `);
  const types = new Set(filters.types ?? SEARCH_HIT_TYPES);
  const statusList = sql.join(statuses.map((s) => sql`${s}`), sql`, `);
  const query = tsQuery(filters.q);

  const parts: SQL[] = [];
  if (types.has('role')) {
    parts.push(sql`select 'role', r.id, null::uuid, null::int, r.title, r.title || '. ' || r.summary, ts_rank(r.search, query.q)
      from roles r, query where r.search @@ query.q and ${rolesOk}`);
  }
  if (types.has('question')) {
    parts.push(sql`select 'question', r.id, qn.id, null::int, qn.prompt, qn.prompt || ' ' || qn.why_asked || ' ' || qn.how_to_answer,
      ts_rank(qn.search, query.q)
      from questions qn join roles r on r.id = qn.role_id, query
      where qn.search @@ query.q and qn.status in (${statusList}) and ${rolesOk}`);
  }
  if (types.has('faq')) {
    parts.push(sql`select 'faq', r.id, null::uuid, f.position, f.question, f.question || ' ' || f.answer, ts_rank(f.search, query.q)
      from role_faqs f join roles r on r.id = f.role_id, query
      where f.search @@ query.q and ${rolesOk}`);
  }

  const offset = offsetAfter(LIST, page.cursor);
  if (parts.length === 0) return { data: [], page: { limit: page.limit, nextCursor: null }, cursors: [] };
  const result = await db.execute(sql`
    with query as (select ${query} as q),
    hits (type, role_id, question_id, faq_position, title, body, score) as (${sql.join(parts, sql` union all `)}),
    page as (
      select * from hits
      order by score desc, type, role_id, question_id nulls first, faq_position nulls first
      limit ${page.limit + 1} offset ${offset}
    )
    select page.type, page.title, page.score, page.question_id, r.slug as role_slug, r.title as role_title,
      ${highlight(sql`page.body`, sql`query.q`)} as snippet
    from page join roles r on r.id = page.role_id, query
    order by page.score desc, page.type, page.role_id, page.question_id nulls first, page.faq_position nulls first`);

  const paged = pageOf(rowsOf<HitRow>(result), page.limit, (_, i) => ({ l: LIST, o: offset + i + 1 }));
  return {
    data: paged.rows.map((h) => ({
      type: h.type,
      title: h.title,
      snippet: h.snippet,
      score: Number(h.score),
      role: { slug: h.role_slug, title: h.role_title },
      link:
        h.type === 'role'
          ? `/v1/roles/${h.role_slug}`
          : h.type === 'question'
            ? `/v1/questions/${h.question_id}`
            : `/v1/roles/${h.role_slug}/faqs`,
      ...(h.question_id ? { id: h.question_id } : {}),
    })),
    page: paged.page,
    cursors: paged.cursors,
  };
}
