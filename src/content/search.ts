import { sql, type SQL } from 'drizzle-orm';
import { COLLECTION } from '../changes/surrogate-keys.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { badParameter } from '../errors.js';
import { inScope, statusIn } from './json-sql.js';
import { checkTextFilters } from './filters.js';
import { offsetAfter, pageOf, type PageRequest } from './pagination.js';
import { SEARCH_HIT_TYPES, type ListOut, type SearchHitOut } from './schemas.js';
import { highlight, tsQuery } from './text-search.js';
import { visibilityOf, type ReadContext } from './visibility.js';
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
export async function search(db: Queryable, ctx: ReadContext, filters: SearchFilters, page: PageRequest): Promise<ListOut<SearchHitOut> & { keys: string[] }> {
  checkTextFilters(filters);
  const v = visibilityOf(ctx);
  const roleWhere: SQL[] = [statusIn(sql`r.status`, v), sql`r.category_id in (select c.id from categories c where ${inScope(sql`c.slug`, v)})`];
  // Filters must name something the caller can see; looked up in one statement.
  if (filters.category !== undefined || filters.role !== undefined) {
    const result = await db.execute(sql`select
      (select c.id from categories c where c.slug = ${filters.category ?? null} and ${inScope(sql`c.slug`, v)}) as category_id,
      (select r.id from roles r join categories c on c.id = r.category_id where r.slug = ${filters.role ?? null} and ${statusIn(sql`r.status`, v)} and ${inScope(sql`c.slug`, v)}) as role_id`);
    const [found] = rowsOf<{ category_id: string | null; role_id: string | null }>(result);
    if (filters.category !== undefined) {
      if (!found?.category_id) throw badParameter('category', `no category with slug "${filters.category}"`);
      roleWhere.push(sql`r.category_id = ${found.category_id}`);
    }
    if (filters.role !== undefined) {
      if (!found?.role_id) throw badParameter('role', `no role with slug "${filters.role}"`);
      roleWhere.push(sql`r.id = ${found.role_id}`);
    }
  }
  if (filters.seniority !== undefined) roleWhere.push(sql`r.seniority = ${filters.seniority}`);
  const rolesOk = sql.join(roleWhere, sql` and `);
  const types = new Set(filters.types ?? SEARCH_HIT_TYPES);
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
      where qn.search @@ query.q and ${statusIn(sql`qn.status`, v)} and ${rolesOk}`);
  }
  if (types.has('faq')) {
    parts.push(sql`select 'faq', r.id, null::uuid, f.position, f.question, f.question || ' ' || f.answer, ts_rank(f.search, query.q)
      from role_faqs f join roles r on r.id = f.role_id, query
      where f.search @@ query.q and ${rolesOk}`);
  }

  const offset = offsetAfter(LIST, page.cursor);
  if (parts.length === 0) return { data: [], page: { limit: page.limit, nextCursor: null }, cursors: [], keys: [COLLECTION.search] };
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
    keys: [COLLECTION.search],
  };
}
