import { z } from 'zod';
import { difficulty, seniority, slug, status, tag, timestamp, track } from './vocabulary.js';

/*
 * The seed / import / export format: one document per role, plus one list of categories.
 * Positions are not written down: the order of each list is the order users see.
 * Rounds are referred to by name inside their role, so a file reads like the page it feeds.
 * Every object is strict: a field the format does not have is an error naming it, never dropped.
 */

const prose = (min: number, max: number) => z.string().trim().min(min).max(max);

export const categoryDocument = z.strictObject({
  slug,
  name: prose(2, 80),
});

export const categoriesDocument = z.strictObject({
  categories: z.array(categoryDocument).min(1),
});

const starExampleDocument = z.strictObject({
  situation: prose(20, 2000),
  task: prose(20, 2000),
  action: prose(20, 3000),
  result: prose(20, 2000),
});

export const questionDocument = z.strictObject({
  id: z.uuid(),
  prompt: prose(10, 500),
  round: prose(2, 80).nullable().default(null),
  competency: prose(2, 80),
  whyAsked: prose(20, 3000),
  howToAnswer: prose(20, 4000),
  difficulty,
  tags: z.array(tag).max(12).default([]),
  status: status.default('published'),
  starExamples: z.array(starExampleDocument).min(1).max(5),
  pitfalls: z.array(prose(3, 500)).min(1).max(12),
});

export const roundDocument = z.strictObject({
  name: prose(2, 80),
  focus: prose(10, 1000),
  durationMinutes: z.int().min(5).max(480),
});

const formatSegmentDocument = z.strictObject({
  label: prose(2, 60),
  percent: z.int().min(0).max(100),
});

const faqDocument = z.strictObject({
  question: prose(5, 300),
  answer: prose(10, 3000),
});

/** A role's own fields, without the cross-field rules (admin inputs pick from these). */
export const roleFields = z.strictObject({
  // /v1/roles/match is the title matcher, so no role can be served at that address.
  slug: slug.refine((value) => value !== 'match', '"match" is reserved (GET /v1/roles/match matches job titles)'),
  title: prose(2, 120),
  category: slug,
  seniority,
  track,
  status: status.default('published'),
  summary: prose(20, 2000),
  formatBreakdown: z.array(formatSegmentDocument).max(10).default([]),
  rounds: z.array(roundDocument).max(12).default([]),
  questions: z.array(questionDocument).max(200).default([]),
  tips: z.array(prose(5, 1000)).max(30).default([]),
  faqs: z.array(faqDocument).max(30).default([]),
  relatedRoles: z.array(slug).max(12).default([]),
  /** Other titles job ads use for the role; what /v1/roles/match compares a job title with. */
  alternativeTitles: z.array(prose(2, 120)).max(60).default([]),
});

type RoleFields = z.infer<typeof roleFields>;

/** Rules across a role's own fields, checked on every role as it will be stored. */
function roleRules(role: Omit<RoleFields, 'questions'>, ctx: z.core.$RefinementCtx): Set<string> {
  if (role.status === 'published') {
    const total = role.formatBreakdown.reduce((sum, s) => sum + s.percent, 0);
    if (total !== 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['formatBreakdown'],
        message: `percents of a published role must add up to 100 (they add up to ${total})`,
      });
    }
  }
  const roundNames = new Set<string>();
  role.rounds.forEach((round, i) => {
    if (roundNames.has(round.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rounds', i, 'name'],
        message: 'round names must be unique within a role',
      });
    }
    roundNames.add(round.name);
  });
  const related = new Set<string>();
  role.relatedRoles.forEach((slug, i) => {
    if (slug === role.slug) {
      ctx.addIssue({ code: 'custom', path: ['relatedRoles', i], message: 'a role cannot be related to itself' });
    }
    if (related.has(slug))
      ctx.addIssue({ code: 'custom', path: ['relatedRoles', i], message: `"${slug}" is listed twice` });
    related.add(slug);
  });
  const titles = new Set<string>();
  role.alternativeTitles.forEach((title, i) => {
    const folded = title.toLowerCase();
    if (titles.has(folded))
      ctx.addIssue({ code: 'custom', path: ['alternativeTitles', i], message: `"${title}" is listed twice` });
    titles.add(folded);
  });
  return roundNames;
}

/** Rules across a role and its questions. */
function roleDocumentRules(role: RoleFields, ctx: z.core.$RefinementCtx): void {
  const roundNames = roleRules(role, ctx);
  const ids = new Set<string>();
  role.questions.forEach((q, i) => {
    if (q.round !== null && !roundNames.has(q.round)) {
      ctx.addIssue({
        code: 'custom',
        path: ['questions', i, 'round'],
        message: `no round named "${q.round}" in this role`,
      });
    }
    if (ids.has(q.id)) {
      ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'question ids must be unique' });
    }
    ids.add(q.id);
  });
}

/** A role with its questions, as seed files and imports hold it. */
export const roleDocument = roleFields.superRefine(roleDocumentRules);

/** When an item was first published and last changed: an export writes them so that it works as a backup. */
const times = {
  publishedAt: timestamp.nullable().optional(),
  updatedAt: timestamp.optional(),
};

/**
 * A role as an export writes it and an import reads it: the role document with its items' times,
 * and nothing else (an unknown field is refused, naming it, rather than dropped).
 */
export const exportedRoleDocument = roleFields
  .extend({ ...times, questions: z.array(questionDocument.extend(times).strict()).max(200).default([]) })
  .strict()
  .superRefine(roleDocumentRules);

/**
 * A role page without its questions, which are aggregates of their own: what a role's write
 * stores and its revisions hold.
 */
export const roleCoreDocument = roleFields
  .omit({ questions: true })
  .superRefine((role, ctx) => void roleRules(role, ctx));

export type CategoryDocument = z.infer<typeof categoryDocument>;
export type RoleDocument = z.infer<typeof roleDocument>;
export type ExportedRoleDocument = z.infer<typeof exportedRoleDocument>;
export type RoleCoreDocument = z.infer<typeof roleCoreDocument>;
export type QuestionDocument = z.infer<typeof questionDocument>;
