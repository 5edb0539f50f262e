import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import {
  questionPitfalls,
  questionStarExamples,
  questions,
  roleAlternativeTitles,
  roleFaqs,
  roleFormatSegments,
  roleRelatedRoles,
  roleTips,
  roles,
  rounds,
} from '../db/schema.js';
import { groupBy } from '../group-by.js';
import type { FaqOut, RoleRefOut, RoundOut, TipOut } from './schemas.js';
import type { Status } from './vocabulary.js';

/*
 * The child rows of roles and questions (segments, rounds, tips, FAQs, links, questions, STAR
 * examples, pitfalls) for the export reader, drafts included: each reads the rows of many parents
 * in one statement, grouped by parent, so an export costs the same number of statements for one
 * role or all of them. Public reads have their own single statements (json-sql.ts).
 */

export type ByParent<T> = Map<string, T[]>;

export async function formatBreakdownByRole(db: Queryable, roleIds: readonly string[]) {
  if (roleIds.length === 0) return new Map() as ByParent<{ label: string; percent: number }>;
  const rows = await db
    .select()
    .from(roleFormatSegments)
    .where(inArray(roleFormatSegments.roleId, [...roleIds]))
    .orderBy(asc(roleFormatSegments.roleId), asc(roleFormatSegments.position));
  return groupBy(
    rows,
    (r) => r.roleId,
    (r) => ({ label: r.label, percent: r.percent }),
  );
}

export type RoundWithId = RoundOut & { id: string; roleId: string };

export async function roundsByRole(
  db: Queryable,
  roleIds: readonly string[],
  statuses: Status[],
): Promise<ByParent<RoundWithId>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: rounds.id,
      roleId: rounds.roleId,
      name: rounds.name,
      position: rounds.position,
      focus: rounds.focus,
      durationMinutes: rounds.durationMinutes,
      // eq() qualifies both columns; a bare ${column} in a one-table select would not.
      questionCount:
        sql<number>`(select count(*) from ${questions} where ${and(eq(questions.roundId, rounds.id), inArray(questions.status, statuses))})`.mapWith(
          Number,
        ),
    })
    .from(rounds)
    .where(inArray(rounds.roleId, [...roleIds]))
    .orderBy(asc(rounds.roleId), asc(rounds.position));
  return groupBy(
    rows,
    (r) => r.roleId,
    (r) => r,
  );
}

export async function tipsByRole(db: Queryable, roleIds: readonly string[]): Promise<ByParent<TipOut>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(roleTips)
    .where(inArray(roleTips.roleId, [...roleIds]))
    .orderBy(asc(roleTips.roleId), asc(roleTips.position));
  return groupBy(
    rows,
    (r) => r.roleId,
    (r) => ({ text: r.text }),
  );
}

/** Alternative titles in the default locale (the only one until content is localized). */
export async function alternativeTitlesByRole(db: Queryable, roleIds: readonly string[]): Promise<ByParent<string>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select({ roleId: roleAlternativeTitles.roleId, title: roleAlternativeTitles.title })
    .from(roleAlternativeTitles)
    .where(and(inArray(roleAlternativeTitles.roleId, [...roleIds]), eq(roleAlternativeTitles.locale, 'en')))
    .orderBy(asc(roleAlternativeTitles.roleId), asc(roleAlternativeTitles.position));
  return groupBy(
    rows,
    (r) => r.roleId,
    (r) => r.title,
  );
}

export async function faqsByRole(db: Queryable, roleIds: readonly string[]): Promise<ByParent<FaqOut>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select({
      roleId: roleFaqs.roleId,
      position: roleFaqs.position,
      question: roleFaqs.question,
      answer: roleFaqs.answer,
    })
    .from(roleFaqs)
    .where(inArray(roleFaqs.roleId, [...roleIds]))
    .orderBy(asc(roleFaqs.roleId), asc(roleFaqs.position));
  return groupBy(
    rows,
    (r) => r.roleId,
    (r) => ({ question: r.question, answer: r.answer, position: r.position }),
  );
}

/** Related roles the caller may see; a link to a draft is left out for public readers. */
export async function relatedByRole(
  db: Queryable,
  roleIds: readonly string[],
  statuses: Status[],
  scope?: SQL,
): Promise<ByParent<RoleRefOut>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select({ roleId: roleRelatedRoles.roleId, slug: roles.slug, title: roles.title })
    .from(roleRelatedRoles)
    .innerJoin(roles, eq(roles.id, roleRelatedRoles.relatedRoleId))
    .where(and(inArray(roleRelatedRoles.roleId, [...roleIds]), inArray(roles.status, statuses), scope))
    .orderBy(asc(roleRelatedRoles.roleId), asc(roleRelatedRoles.position));
  return groupBy(
    rows,
    (r) => r.roleId,
    (r) => ({ slug: r.slug, title: r.title }),
  );
}

/** Every question of many roles, drafts included when asked, in interview order (for exports). */
export async function questionRowsByRole(db: Queryable, roleIds: readonly string[], statuses: Status[]) {
  if (roleIds.length === 0) return [];
  return db
    .select({
      id: questions.id,
      roleId: questions.roleId,
      prompt: questions.prompt,
      roundName: rounds.name,
      competency: questions.competency,
      whyAsked: questions.whyAsked,
      howToAnswer: questions.howToAnswer,
      difficulty: questions.difficulty,
      tags: questions.tags,
      status: questions.status,
    })
    .from(questions)
    .leftJoin(rounds, eq(rounds.id, questions.roundId))
    .where(and(inArray(questions.roleId, [...roleIds]), inArray(questions.status, statuses)))
    .orderBy(asc(questions.roleId), asc(questions.position), asc(questions.id));
}

export async function starExamplesByQuestion(db: Queryable, questionIds: readonly string[]) {
  if (questionIds.length === 0)
    return new Map() as ByParent<{ situation: string; task: string; action: string; result: string }>;
  const rows = await db
    .select()
    .from(questionStarExamples)
    .where(inArray(questionStarExamples.questionId, [...questionIds]))
    .orderBy(asc(questionStarExamples.questionId), asc(questionStarExamples.position));
  return groupBy(
    rows,
    (r) => r.questionId,
    (r) => ({ situation: r.situation, task: r.task, action: r.action, result: r.result }),
  );
}

export async function pitfallsByQuestion(
  db: Queryable,
  questionIds: readonly string[],
): Promise<ByParent<{ text: string }>> {
  if (questionIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(questionPitfalls)
    .where(inArray(questionPitfalls.questionId, [...questionIds]))
    .orderBy(asc(questionPitfalls.questionId), asc(questionPitfalls.position));
  return groupBy(
    rows,
    (r) => r.questionId,
    (r) => ({ text: r.text }),
  );
}
