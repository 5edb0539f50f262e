import { sql, type SQL } from 'drizzle-orm';
import type { Status } from './vocabulary.js';

/*
 * SQL that makes PostgreSQL write the public JSON itself, compactly and in the contract's field
 * order, so a response is one statement and no per-row work in JavaScript. row_to_json over a
 * subselect names the fields and keeps their order (json_build_object and json_agg would pad the
 * text with spaces and line breaks); string_agg joins list items. Table aliases used throughout:
 * r roles, c categories, q questions, rd rounds (left-joined to q).
 */

/** A text[] parameter, spelled as an array literal: both engines take it, whatever the driver. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/** The visibility filters of one read, as SQL parameters. */
export interface Visibility {
  statuses: readonly Status[];
  /** Category slugs the caller may read; null for all. */
  scope: readonly string[] | null;
}

export const statusIn = (column: SQL, v: Visibility) => sql`${column} = any(${textArray(v.statuses)}::text[])`;
export const inScope = (categorySlug: SQL, v: Visibility) => (v.scope ? sql`${categorySlug} = any(${textArray(v.scope)}::text[])` : sql`true`);

/** An ISO-8601 UTC timestamp with milliseconds, as JavaScript's toISOString writes it. */
export const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** One JSON object whose fields are the columns of a select list (evaluated in the outer row). */
export const jsonObject = (columns: SQL) => sql`(select row_to_json(o) from (select ${columns}) o)`;

/** A JSON array of objects, one per row of `from`, in the given order; [] when there are none. */
export function jsonList(columns: SQL, from: SQL, orderBy: string[]): SQL {
  const keys = sql.raw(orderBy.map((e, i) => `${e} as o${i}`).join(', '));
  const order = sql.raw(orderBy.map((_, i) => `l.o${i}`).join(', '));
  return sql`(select coalesce('[' || string_agg(l.j, ',' order by ${order}) || ']', '[]')::json
    from (select ${keys}, (select row_to_json(o)::text from (select ${columns}) o) as j ${from}) l)`;
}

const starExamples = jsonList(
  sql.raw('s.situation, s.task, s.action, s.result'),
  sql.raw('from question_star_examples s where s.question_id = q.id'),
  ['s.position'],
);
const pitfalls = jsonList(sql.raw('p.text'), sql.raw('from question_pitfalls p where p.question_id = q.id'), ['p.position']);

/** The public Question (schemas.ts), for a row of q joined to its role r and left-joined round rd. */
export const questionColumns = sql`q.id,
  ${jsonObject(sql.raw('r.slug, r.title'))} as role,
  case when rd.id is null then null else ${jsonObject(sql.raw('rd.name, rd.position'))} end as round,
  q.position, q.prompt, q.competency, q.why_asked as "whyAsked", q.how_to_answer as "howToAnswer", q.difficulty,
  to_json(q.tags) as tags, ${starExamples} as "starExamples", ${pitfalls} as pitfalls, ${iso('q.updated_at')} as "updatedAt"`;

export const questionJson = sql`(select row_to_json(o)::text from (select ${questionColumns}) o)`;

/** The questions of role r the caller may see, in interview order. */
export const roleQuestionsJson = (v: Visibility) =>
  jsonList(questionColumns, sql`from questions q left join rounds rd on rd.id = q.round_id where q.role_id = r.id and ${statusIn(sql`q.status`, v)}`, ['q.position', 'q.id']);

/**
 * The fields every Role has (schemas.ts), up to formatBreakdown; roleTail holds the two that
 * close it. Includes go between them. Counts are derived here, on every read, so a page never
 * shows a count that disagrees with its lists.
 */
export const roleHead = (v: Visibility) => sql`(select row_to_json(o) from (select r.slug, r.title,
  ${jsonObject(sql.raw('c.slug, c.name'))} as category, r.seniority, r.track, r.summary,
  (select count(*)::int from questions q where q.role_id = r.id and ${statusIn(sql`q.status`, v)}) as "questionCount",
  (select count(*)::int from rounds rr where rr.role_id = r.id) as "roundCount",
  ${jsonList(sql.raw('f.label, f.percent'), sql.raw('from role_format_segments f where f.role_id = r.id'), ['f.position'])} as "formatBreakdown") o)`;

export const roleTail = sql`(select row_to_json(o) from (select ${iso('r.published_at')} as "publishedAt", ${iso('r.updated_at')} as "updatedAt") o)`;

export const roleRoundsJson = (v: Visibility) =>
  jsonList(
    sql`rd.name, rd.position, rd.focus, rd.duration_minutes as "durationMinutes",
      (select count(*)::int from questions q where q.round_id = rd.id and ${statusIn(sql`q.status`, v)}) as "questionCount"`,
    sql.raw('from rounds rd where rd.role_id = r.id'),
    ['rd.position'],
  );

export const roleTipsJson = jsonList(sql.raw('t.text'), sql.raw('from role_tips t where t.role_id = r.id'), ['t.position']);
export const roleFaqsJson = jsonList(sql.raw('f.question, f.answer, f.position'), sql.raw('from role_faqs f where f.role_id = r.id'), ['f.position']);

/** Related roles the caller may see: a link to a draft, or outside the caller's categories, is left out. */
const relatedFrom = (v: Visibility) => sql`from role_related_roles l join roles rr on rr.id = l.related_role_id join categories rc on rc.id = rr.category_id
  where l.role_id = r.id and ${statusIn(sql`rr.status`, v)} and ${inScope(sql`rc.slug`, v)}`;
export const roleRelatedJson = (v: Visibility) => jsonList(sql.raw('rr.slug, rr.title'), relatedFrom(v), ['l.position']);
/**
 * Every role r links to, shown or not: its page names them all as surrogate keys, so publishing a
 * linked draft purges the page that will now show it.
 */
export const roleLinkedSlugs = sql`(select coalesce(array_agg(rr.slug), '{}') from role_related_roles l join roles rr on rr.id = l.related_role_id where l.role_id = r.id)`;

/** Splices a role's head, includes and tail (JSON texts) into one object's text. */
export function spliceRole(head: string, parts: [string, string | null][], tail: string): string {
  let out = head.slice(0, -1);
  for (const [name, json] of parts) if (json !== null) out += `,"${name}":${json}`;
  return `${out},${tail.slice(1)}`;
}
