import type { SqlValue } from '../db/statements.js';
import type { Status } from './vocabulary.js';

/*
 * SQL that makes PostgreSQL write the public JSON itself, compactly and in the contract's field
 * order, so a read is one statement and no per-row work in JavaScript. Objects are row_to_json of
 * a LATERAL subselect that names the fields (json_build_object and json_agg would pad the text
 * with spaces and line breaks, and scalar subselects per field cost a subplan each); lists are
 * string_agg of those. Table aliases: r roles, c categories, q questions, rd rounds.
 *
 * The statements are plain text built once, with $n parameters, so the database prepares them
 * once and no query builder runs per request (db/statements.ts).
 */

/** A text[] parameter, spelled as an array literal: both engines take it, whatever the driver. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/** The visibility filters of one read. */
export interface Visibility {
  statuses: readonly Status[];
  /** Category slugs the caller may read; null for all. */
  scope: readonly string[] | null;
}

/** Collects the values of a statement, answering each with its $n. */
export class Params {
  readonly values: SqlValue[] = [];
  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** The two visibility parameters, as every statement below takes them. */
  visibility(v: Visibility): { statuses: string; scope: string } {
    return {
      statuses: `${this.add(textArray(v.statuses))}::text[]`,
      scope: `${this.add(v.scope ? textArray(v.scope) : null)}::text[]`,
    };
  }
}

/** An ISO-8601 UTC timestamp with milliseconds, as JavaScript's toISOString writes it. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A JSON array text of the rows `alias`, in the given order; [] when there are none. */
const list = (alias: string, orderBy: string) =>
  `coalesce('[' || string_agg(row_to_json(${alias})::text, ',' order by ${orderBy}) || ']', '[]')`;

export const inScope = (categorySlug: string, scope: string) => `(${scope} is null or ${categorySlug} = any(${scope}))`;

/**
 * Joins that give a question row q (joined to its role r) its public JSON as row_to_json(qx):
 * the Question of schemas.ts, with STAR examples and pitfalls.
 */
export const questionJoins = `left join rounds rd on rd.id = q.round_id
  cross join lateral (select ${list('sx', 's.position')}::json as list from question_star_examples s
    cross join lateral (select s.situation, s.task, s.action, s.result) sx where s.question_id = q.id) st
  cross join lateral (select ${list('px', 'p.position')}::json as list from question_pitfalls p
    cross join lateral (select p.text) px where p.question_id = q.id) pf
  cross join lateral (select r.slug, r.title) qrole
  cross join lateral (select rd.name, rd.position) qround
  cross join lateral (select q.id, qrole as role, case when rd.id is null then null else qround end as round, q.position, q.prompt,
    q.competency, q.why_asked as "whyAsked", q.how_to_answer as "howToAnswer", q.difficulty, to_json(q.tags) as tags,
    st.list as "starExamples", pf.list as pitfalls, ${iso('q.updated_at')} as "updatedAt") qx`;

/**
 * Joins that give a role row r (joined to its category c) its fields up to formatBreakdown as
 * row_to_json(head), and the two that close it as row_to_json(tail); includes go between them.
 * Counts are derived here, on every read, so a page never disagrees with its lists.
 */
export const roleJoins = (statuses: string) => `cross join lateral (select c.slug, c.name) cat
  cross join lateral (select count(*)::int as n from questions q where q.role_id = r.id and q.status = any(${statuses})) qc
  cross join lateral (select count(*)::int as n from rounds x where x.role_id = r.id) rc
  cross join lateral (select ${list('fx', 'f.position')}::json as list from role_format_segments f
    cross join lateral (select f.label, f.percent) fx where f.role_id = r.id) fb
  cross join lateral (select r.slug, r.title, cat as category, r.seniority, r.track, r.summary, qc.n as "questionCount",
    rc.n as "roundCount", fb.list as "formatBreakdown") head
  cross join lateral (select ${iso('r.published_at')} as "publishedAt", ${iso('r.updated_at')} as "updatedAt") tail`;

export interface RolePageFlags {
  rounds: string;
  questions: string;
  tips: string;
  faqs: string;
  related: string;
}

/** The parts a role page may include, each read only when its flag parameter is true. */
export const rolePartJoins = (statuses: string, scope: string, flags: RolePageFlags) => `
  left join lateral (select case when ${flags.rounds} then ${list('rx', 'rd.position')} end as list from rounds rd
    cross join lateral (select count(*)::int as n from questions q where q.round_id = rd.id and q.status = any(${statuses})) rq
    cross join lateral (select rd.name, rd.position, rd.focus, rd.duration_minutes as "durationMinutes", rq.n as "questionCount") rx
    where rd.role_id = r.id and ${flags.rounds}) rounds on true
  left join lateral (select case when ${flags.questions} then ${list('qx', 'q.position, q.id')} end as list from questions q ${questionJoins}
    where q.role_id = r.id and q.status = any(${statuses}) and ${flags.questions}) questions on true
  left join lateral (select case when ${flags.tips} then ${list('tx', 't.position')} end as list from role_tips t
    cross join lateral (select t.text) tx where t.role_id = r.id and ${flags.tips}) tips on true
  left join lateral (select case when ${flags.faqs} then ${list('ax', 'a.position')} end as list from role_faqs a
    cross join lateral (select a.question, a.answer, a.position) ax where a.role_id = r.id and ${flags.faqs}) faqs on true
  left join lateral (select case when ${flags.related} then ${list('lx', 'l.position')} end as list from role_related_roles l
    join roles rr on rr.id = l.related_role_id join categories rc on rc.id = rr.category_id
    cross join lateral (select rr.slug, rr.title) lx
    where l.role_id = r.id and rr.status = any(${statuses}) and ${inScope('rc.slug', scope)} and ${flags.related}) related on true
  left join lateral (select case when ${flags.related} then to_json(coalesce(array_agg(rr.slug), '{}'))::text end as slugs
    from role_related_roles l join roles rr on rr.id = l.related_role_id where l.role_id = r.id and ${flags.related}) links on true`;

/** Splices a role's head, includes and tail (JSON texts) into one object's text. */
export function spliceRole(head: string, parts: [string, string | null][], tail: string): string {
  let out = head.slice(0, -1);
  for (const [name, json] of parts) if (json !== null) out += `,"${name}":${json}`;
  return `${out},${tail.slice(1)}`;
}
