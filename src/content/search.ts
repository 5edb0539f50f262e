import { COLLECTION } from '../changes/surrogate-keys.js';
import type { StatementRunner } from '../db/statements.js';
import { badParameter } from '../errors.js';
import { checkTextFilters } from './filters.js';
import { inScope, Params } from './json-sql.js';
import { offsetAfter, pageOf, type PageRequest } from './pagination.js';
import { SEARCH_HIT_TYPES, type ListOut, type SearchHitOut } from './schemas.js';
import { HIGHLIGHT, TS_QUERY } from './text-search.js';
import { visibilityOf, type ReadContext } from './visibility.js';
import type { Seniority } from './vocabulary.js';

type SearchHitType = (typeof SEARCH_HIT_TYPES)[number];

export interface SearchFilters {
  q: string;
  category?: string | undefined;
  seniority?: Seniority | undefined;
  role?: string | undefined;
  types?: readonly SearchHitType[] | undefined;
}

interface HitRow {
  category_found: boolean;
  role_found: boolean;
  type: SearchHitType | null;
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
export async function search(
  db: StatementRunner,
  ctx: ReadContext,
  filters: SearchFilters,
  page: PageRequest,
): Promise<ListOut<SearchHitOut> & { keys: string[] }> {
  checkTextFilters(filters);
  const p = new Params();
  const { statuses, scope } = p.visibility(visibilityOf(ctx));
  const roleWhere = [
    `r.status = any(${statuses})`,
    `r.category_id in (select c.id from categories c where ${inScope('c.slug', scope)})`,
  ];
  // Filters must name something the caller can see: checked in the same statement, so an unknown
  // one is told apart from no hits.
  let categoryFound = 'true';
  let roleFound = 'true';
  if (filters.category !== undefined) {
    const category = `(select c.id from categories c where c.slug = ${p.add(filters.category)} and ${inScope('c.slug', scope)})`;
    categoryFound = `${category} is not null`;
    roleWhere.push(`r.category_id = ${category}`);
  }
  if (filters.role !== undefined) {
    const role = `(select r.id from roles r join categories c on c.id = r.category_id where r.slug = ${p.add(filters.role)} and r.status = any(${statuses}) and ${inScope('c.slug', scope)})`;
    roleFound = `${role} is not null`;
    roleWhere.push(`r.id = ${role}`);
  }
  if (filters.seniority !== undefined) roleWhere.push(`r.seniority = ${p.add(filters.seniority)}`);
  const rolesOk = roleWhere.join(' and ');
  const types = new Set(filters.types ?? SEARCH_HIT_TYPES);
  const query = TS_QUERY(p.add(filters.q));

  const parts: string[] = [];
  if (types.has('role')) {
    parts.push(`select 'role', r.id, null::uuid, null::int, r.title, r.title || '. ' || r.summary, ts_rank(r.search, query.q)
      from roles r, query where r.search @@ query.q and ${rolesOk}`);
  }
  if (types.has('question')) {
    parts.push(`select 'question', r.id, qn.id, null::int, qn.prompt, qn.prompt || ' ' || qn.why_asked || ' ' || qn.how_to_answer,
      ts_rank(qn.search, query.q)
      from questions qn join roles r on r.id = qn.role_id, query
      where qn.search @@ query.q and qn.status = any(${statuses}) and ${rolesOk}`);
  }
  if (types.has('faq')) {
    parts.push(`select 'faq', r.id, null::uuid, f.position, f.question, f.question || ' ' || f.answer, ts_rank(f.search, query.q)
      from role_faqs f join roles r on r.id = f.role_id, query
      where f.search @@ query.q and ${rolesOk}`);
  }
  if (parts.length === 0)
    parts.push(`select null, null::uuid, null::uuid, null::int, null, null, null::real where false`);

  const offset = offsetAfter(LIST, page.cursor);
  // Snippets (ts_headline, the costly part) are made for the hits of this page only.
  const rows = await db.rows<HitRow>(
    `with query as (select ${query} as q),
    hits (type, role_id, question_id, faq_position, title, body, score) as (${parts.join(' union all ')}),
    page as (
      select * from hits
      order by score desc, type, role_id, question_id nulls first, faq_position nulls first
      limit ${p.add(page.limit + 1)} offset ${p.add(offset)}
    )
    select m.category_found, m.role_found, page.type, page.title, page.score, page.question_id, r.slug as role_slug, r.title as role_title,
      ${HIGHLIGHT('page.body', 'query.q')} as snippet
    from (select ${categoryFound} as category_found, ${roleFound} as role_found) m
    cross join query
    left join page on true
    left join roles r on r.id = page.role_id
    order by page.score desc, page.type, page.role_id, page.question_id nulls first, page.faq_position nulls first`,
    p.values,
  );
  if (rows[0] && !rows[0].category_found) throw badParameter('category', `no category with slug "${filters.category}"`);
  if (rows[0] && !rows[0].role_found) throw badParameter('role', `no role with slug "${filters.role}"`);
  const hits = rows.filter((h): h is HitRow & { type: SearchHitType } => h.type !== null);
  const paged = pageOf(hits, page.limit, (_, i) => ({ l: LIST, o: offset + i + 1 }));
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
