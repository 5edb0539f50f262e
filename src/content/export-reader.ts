import { asc, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { categories, roles } from '../db/schema.js';
import { groupBy } from '../group-by.js';
import type { CategoryDocument, QuestionDocument, RoleDocument } from './import-format.js';
import { faqsByRole, formatBreakdownByRole, pitfallsByQuestion, questionRowsByRole, relatedByRole, roundsByRole, starExamplesByQuestion, tipsByRole } from './child-rows.js';
import { STATUSES, type Difficulty, type Seniority, type Status, type Track } from './vocabulary.js';

const ALL = [...STATUSES] as Status[];

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
    .select({
      id: roles.id,
      slug: roles.slug,
      title: roles.title,
      seniority: roles.seniority,
      track: roles.track,
      status: roles.status,
      summary: roles.summary,
      category: categories.slug,
    })
    .from(roles)
    .innerJoin(categories, sql`${categories.id} = ${roles.categoryId}`)
    .where(slugs ? inArray(roles.slug, [...slugs]) : undefined)
    .orderBy(sql`${roles.slug} collate "C"`);
  const ids = rows.map((r) => r.id);
  const [segments, roundMap, questionRows, tips, faqs, related] = await Promise.all([
    formatBreakdownByRole(db, ids),
    roundsByRole(db, ids, ALL),
    questionRowsByRole(db, ids, ALL),
    tipsByRole(db, ids),
    faqsByRole(db, ids),
    relatedByRole(db, ids, ALL),
  ]);
  const questionIds = questionRows.map((q) => q.id);
  const [stars, pitfalls] = await Promise.all([starExamplesByQuestion(db, questionIds), pitfallsByQuestion(db, questionIds)]);

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

  return rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    category: r.category,
    seniority: r.seniority as Seniority,
    track: r.track as Track,
    status: r.status as Status,
    summary: r.summary,
    formatBreakdown: segments.get(r.id) ?? [],
    rounds: (roundMap.get(r.id) ?? []).map((x) => ({ name: x.name, focus: x.focus, durationMinutes: x.durationMinutes })),
    questions: questionsByRole.get(r.id) ?? [],
    tips: (tips.get(r.id) ?? []).map((t) => t.text),
    faqs: (faqs.get(r.id) ?? []).map((f) => ({ question: f.question, answer: f.answer })),
    relatedRoles: (related.get(r.id) ?? []).map((x) => x.slug),
  }));
}
