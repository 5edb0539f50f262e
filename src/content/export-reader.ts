import { asc, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { categories, roles } from '../db/schema.js';
import { groupBy } from '../group-by.js';
import {
  alternativeTitlesByRole,
  faqsByRole,
  formatBreakdownByRole,
  pitfallsByQuestion,
  questionRowsByRole,
  relatedByRole,
  roundsByRole,
  starExamplesByQuestion,
  tipsByRole,
} from './child-rows.js';
import { roleFields, type CategoryDocument, type QuestionDocument, type RoleDocument } from './import-format.js';
import { roleColumnSelection, type RoleColumnValues } from './role-columns.js';
import { STATUSES, type Difficulty, type Status } from './vocabulary.js';

const ALL = [...STATUSES] as Status[];

const FIELD_ORDER = Object.keys(roleFields.shape) as (keyof RoleDocument)[];
/** A role document with its fields in the order the import format lists them, as exports have always written them. */
const inFormatOrder = (doc: RoleDocument): RoleDocument =>
  Object.fromEntries(FIELD_ORDER.map((name) => [name, doc[name]])) as RoleDocument;

export async function exportCategories(db: Queryable): Promise<CategoryDocument[]> {
  return db
    .select({ slug: categories.slug, name: categories.name })
    .from(categories)
    .orderBy(asc(categories.position), sql`${categories.slug} collate "C"`);
}

/**
 * Roles in the import format, drafts included, in a fixed number of statements for any count.
 * With no slugs, every role.
 */
export async function exportRoles(db: Queryable, slugs?: readonly string[]): Promise<RoleDocument[]> {
  const rows = await db
    .select({ id: roles.id, ...roleColumnSelection, category: categories.slug })
    .from(roles)
    .innerJoin(categories, sql`${categories.id} = ${roles.categoryId}`)
    .where(slugs ? inArray(roles.slug, [...slugs]) : undefined)
    .orderBy(sql`${roles.slug} collate "C"`);
  const ids = rows.map((r) => r.id);
  const [segments, roundMap, questionRows, tips, faqs, related, alternativeTitles] = await Promise.all([
    formatBreakdownByRole(db, ids),
    roundsByRole(db, ids, ALL),
    questionRowsByRole(db, ids, ALL),
    tipsByRole(db, ids),
    faqsByRole(db, ids),
    relatedByRole(db, ids, ALL),
    alternativeTitlesByRole(db, ids),
  ]);
  const questionIds = questionRows.map((q) => q.id);
  const [stars, pitfalls] = await Promise.all([
    starExamplesByQuestion(db, questionIds),
    pitfallsByQuestion(db, questionIds),
  ]);

  const questionsByRole = groupBy(
    questionRows,
    (q) => q.roleId,
    (q): QuestionDocument => ({
      id: q.id,
      prompt: q.prompt,
      round: q.roundName,
      competency: q.competency,
      whyAsked: q.whyAsked,
      howToAnswer: q.howToAnswer,
      difficulty: q.difficulty as Difficulty,
      tags: q.tags,
      status: q.status as Status,
      starExamples: stars.get(q.id) ?? [],
      pitfalls: (pitfalls.get(q.id) ?? []).map((p) => p.text),
    }),
  );

  return rows.map(({ id, category, ...columns }) =>
    inFormatOrder({
      ...(columns as RoleColumnValues),
      category,
      formatBreakdown: segments.get(id) ?? [],
      rounds: (roundMap.get(id) ?? []).map((x) => ({
        name: x.name,
        focus: x.focus,
        durationMinutes: x.durationMinutes,
      })),
      questions: questionsByRole.get(id) ?? [],
      tips: (tips.get(id) ?? []).map((t) => t.text),
      faqs: (faqs.get(id) ?? []).map((f) => ({ question: f.question, answer: f.answer })),
      relatedRoles: (related.get(id) ?? []).map((x) => x.slug),
      alternativeTitles: alternativeTitles.get(id) ?? [],
    }),
  );
}
