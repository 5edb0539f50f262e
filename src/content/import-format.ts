import { z } from 'zod';
import { difficulty, seniority, slug, status, tag, track } from './vocabulary.js';

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
  slug,
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
});

/** Rules across fields, checked on every role as it will be stored. */
export const roleDocument = roleFields.superRefine((role, ctx) => {
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
  const related = new Set<string>();
  role.relatedRoles.forEach((slug, i) => {
    if (slug === role.slug) {
      ctx.addIssue({ code: 'custom', path: ['relatedRoles', i], message: 'a role cannot be related to itself' });
    }
    if (related.has(slug))
      ctx.addIssue({ code: 'custom', path: ['relatedRoles', i], message: `"${slug}" is listed twice` });
    related.add(slug);
  });
});

export type CategoryDocument = z.infer<typeof categoryDocument>;
export type RoleDocument = z.infer<typeof roleDocument>;
export type QuestionDocument = z.infer<typeof questionDocument>;
