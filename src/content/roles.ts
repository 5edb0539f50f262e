import { z } from 'zod';
import { categoryKey, COLLECTION, roleKey } from '../changes/surrogate-keys.js';
import type { StatementRunner } from '../db/statements.js';
import { badParameter, notFound } from '../errors.js';
import { checkTextFilters } from './filters.js';
import { inScope, Params, roleJoins, rolePartJoins, spliceRole, textArray } from './json-sql.js';
import { cursorKey, keysetAfter, offsetAfter, pageOf, type PageRequest } from './pagination.js';
import { wholeList, type JsonDocument, type JsonList } from './read-model.js';
import { TS_QUERY } from './text-search.js';
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
  related_slugs: string | null;
}

/** $1 slugs, $2 statuses, $3 scope, $4..$8 which parts to include. */
const ROLE_PAGES = `select r.slug, c.slug as category_slug, row_to_json(head)::text as head, rounds.list as rounds, questions.list as questions,
    tips.list as tips, faqs.list as faqs, related.list as related, row_to_json(tail)::text as tail, links.slugs as related_slugs
  from roles r join categories c on c.id = r.category_id
  ${roleJoins('$2::text[]')}
  ${rolePartJoins('$2::text[]', '$3::text[]', { rounds: '$4::boolean', questions: '$5::boolean', tips: '$6::boolean', faqs: '$7::boolean', related: '$8::boolean' })}
  where r.slug = any($1::text[]) and r.status = any($2::text[]) and ${inScope('c.slug', '$3::text[]')}`;

/**
 * Role pages with whatever they include, for any number of roles, in one prepared statement:
 * PostgreSQL writes each page's JSON. REST asks for one role, GraphQL for every role of a query
 * level; both get the same assembly of a role's children. Roles the caller may not see are left
 * out.
 */
export async function rolePages(
  db: StatementRunner,
  ctx: ReadContext,
  slugs: readonly string[],
  include: ReadonlySet<RoleInclude>,
): Promise<RolePage[]> {
  const wanted = slugs.filter((s) => SLUG_PATTERN.test(s));
  if (wanted.length === 0) return [];
  const v = visibilityOf(ctx);
  const rows = await db.rows<RolePageRow>(ROLE_PAGES, [
    textArray(wanted),
    textArray(v.statuses),
    v.scope ? textArray(v.scope) : null,
    ...ROLE_INCLUDES.map((part) => include.has(part)),
  ]);
  return rows.map((row) => ({
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
    keys: [
      roleKey(row.slug),
      categoryKey(row.category_slug),
      ...(row.related_slugs ? (JSON.parse(row.related_slugs) as string[]) : []).map(roleKey),
    ],
  }));
}

/** One role and whatever it was asked to include: one statement, whatever the role's size. */
export async function getRole(
  db: StatementRunner,
  ctx: ReadContext,
  slug: string,
  include: ReadonlySet<RoleInclude>,
): Promise<RolePage> {
  const [page] = await rolePages(db, ctx, [slug], include);
  if (!page) throw notFound(`Role "${slug}"`);
  return page;
}

/** A role's rounds, tips or FAQs as a complete list. */
export async function getRolePart(
  db: StatementRunner,
  ctx: ReadContext,
  slug: string,
  part: 'rounds' | 'tips' | 'faqs',
): Promise<JsonDocument> {
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

/**
 * Published roles by title (or by relevance with q), one page, in one statement. A category
 * filter must name a category the caller can see; it is checked in the same statement, so an
 * empty page and an unknown category can be told apart.
 */
export async function listRoles(
  db: StatementRunner,
  ctx: ReadContext,
  filters: RoleFilters,
  page: PageRequest,
): Promise<JsonList> {
  checkTextFilters(filters);
  const p = new Params();
  const { statuses, scope } = p.visibility(visibilityOf(ctx));
  const where = [`r.status = any(${statuses})`, inScope('c.slug', scope)];
  let categoryFound = 'true';
  if (filters.category !== undefined) {
    const category = p.add(filters.category);
    where.push(`c.slug = ${category}`);
    categoryFound = `exists (select 1 from categories c where c.slug = ${category} and ${inScope('c.slug', scope)})`;
  }
  if (filters.seniority !== undefined) where.push(`r.seniority = ${p.add(filters.seniority)}`);
  if (filters.track !== undefined) where.push(`r.track = ${p.add(filters.track)}`);

  let order: string;
  let offset = 0;
  if (filters.q !== undefined) {
    offset = offsetAfter(SEARCH_LIST, page.cursor);
    const query = TS_QUERY(p.add(filters.q));
    where.push(`r.search @@ ${query}`);
    order = `ts_rank(r.search, ${query}) desc, r.id`;
  } else {
    const after = keysetAfter(LIST, page.cursor, keyShape);
    if (after)
      where.push(
        `(r.title collate "C", r.slug collate "C") > (${p.add(after[0])} collate "C", ${p.add(after[1])} collate "C")`,
      );
    order = 'r.title collate "C", r.slug collate "C"';
  }
  const rows = await db.rows<RoleListRow>(
    `select m.category_found, p.title, p.slug, p.head, p.tail
    from (select ${categoryFound} as category_found) m
    left join lateral (
      select r.title, r.slug, row_number() over (order by ${order}) as n, row_to_json(head)::text as head, row_to_json(tail)::text as tail
      from roles r join categories c on c.id = r.category_id ${roleJoins(statuses)}
      where ${where.join(' and ')}
      order by ${order}
      limit ${p.add(page.limit + 1)} offset ${p.add(offset)}
    ) p on true
    order by p.n`,
    p.values,
  );
  if (!rows[0]?.category_found) throw badParameter('category', `no category with slug "${filters.category}"`);
  const found = rows.filter(
    (r): r is RoleListRow & { title: string; slug: string; head: string; tail: string } => r.slug !== null,
  );
  const paged = pageOf(found, page.limit, (row, i) =>
    filters.q !== undefined ? { l: SEARCH_LIST, o: offset + i + 1 } : { l: LIST, k: [row.title, row.slug] },
  );
  return {
    items: paged.rows.map((row) => spliceRole(row.head, [], row.tail)),
    page: paged.page,
    cursors: paged.cursors,
    keys: [COLLECTION.roles],
  };
}
