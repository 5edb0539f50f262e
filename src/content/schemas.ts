import { z } from 'zod';
import { TITLE_SENIORITIES } from './title-match/seniority.js';
import { count, difficulty, ordinal, seniority, track } from './vocabulary.js';

/*
 * The public contract, written by hand so that renaming a column cannot silently change what
 * partners receive. Responses are serialized through these schemas, which drops anything not
 * listed here. Field names are fixed by shared/DESIGN.md: add freely, rename none.
 */

const named = <T extends z.ZodType>(schema: T, id: string, description?: string): T =>
  schema.meta({ id, ...(description ? { description } : {}) });

const CategoryRef = named(z.object({ slug: z.string(), name: z.string() }), 'CategoryRef');
const RoleRef = named(z.object({ slug: z.string(), title: z.string() }), 'RoleRef');
const RoundRef = named(z.object({ name: z.string(), position: ordinal }), 'RoundRef');

export const Category = named(
  z.object({
    slug: z.string(),
    name: z.string(),
    position: ordinal,
    roleCount: count.describe('Published roles in this category'),
  }),
  'Category',
);

const FormatSegment = named(z.object({ label: z.string(), percent: z.int().min(0).max(100) }), 'FormatSegment');

export const Round = named(
  z.object({
    name: z.string(),
    position: ordinal.describe('1 for the first round a candidate meets'),
    focus: z.string(),
    durationMinutes: z.int().min(5).max(480),
    questionCount: count,
  }),
  'Round',
);

const StarExample = named(
  z.object({ situation: z.string(), task: z.string(), action: z.string(), result: z.string() }),
  'StarExample',
);

const Pitfall = named(z.object({ text: z.string() }), 'Pitfall');
export const Tip = named(z.object({ text: z.string() }), 'Tip');
export const Faq = named(z.object({ question: z.string(), answer: z.string(), position: ordinal }), 'Faq');

export const Question = named(
  z.object({
    id: z.uuid(),
    role: RoleRef,
    round: RoundRef.nullable(),
    position: ordinal.describe('Order of the question within its role'),
    prompt: z.string(),
    competency: z.string(),
    whyAsked: z.string(),
    howToAnswer: z.string(),
    difficulty,
    tags: z.array(z.string()),
    starExamples: z.array(StarExample),
    pitfalls: z.array(Pitfall),
    updatedAt: z.iso.datetime(),
  }),
  'Question',
);

const roleFields = {
  slug: z.string(),
  title: z.string(),
  category: CategoryRef,
  seniority,
  track,
  summary: z.string(),
  questionCount: count,
  roundCount: count,
  formatBreakdown: z.array(FormatSegment),
  publishedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
};

/** A role as lists show it: never with the parts include= adds. */
export const Role = named(z.object(roleFields), 'Role');

/**
 * One role (GET /v1/roles/{slug}): each part is there exactly when include= names it, so a
 * client that asked for some can narrow the type (Required<Pick<RolePage, 'rounds' | ...>>).
 */
export const RolePage = named(
  z.object({
    ...roleFields,
    rounds: z.array(Round).optional().describe('Present with include=rounds'),
    questions: z.array(Question).optional().describe('Present with include=questions'),
    tips: z.array(Tip).optional().describe('Present with include=tips'),
    faqs: z.array(Faq).optional().describe('Present with include=faqs'),
    relatedRoles: z.array(RoleRef).optional().describe('Present with include=related'),
  }),
  'RolePage',
);

/** A role with every part but its questions, always present: how the sync feed carries a role. */
export const SyncRole = named(
  z.object({
    ...roleFields,
    rounds: z.array(Round),
    tips: z.array(Tip),
    faqs: z.array(Faq),
    relatedRoles: z.array(RoleRef),
  }),
  'SyncRole',
);

export const SEARCH_HIT_TYPES = ['role', 'question', 'faq'] as const;

export const SearchHit = named(
  z.object({
    type: z.enum(SEARCH_HIT_TYPES),
    title: z.string().describe('Role title, question prompt or FAQ question'),
    snippet: z
      .string()
      .describe('A short excerpt; matched words are wrapped in <mark></mark>, other markup is escaped'),
    link: z.string().describe('API path of the hit'),
    score: z.number(),
    role: RoleRef,
    id: z.uuid().optional().describe('The question id, for question hits'),
  }),
  'SearchHit',
);

const MatchedRole = named(
  z.object({ slug: z.string(), title: z.string(), category: CategoryRef, seniority }),
  'MatchedRole',
);

export const RoleMatchResult = named(
  z.object({
    title: z.string().describe('The job title, as sent'),
    seniority: z
      .object({
        level: z.enum(TITLE_SENIORITIES),
        text: z.string().describe('The words of the title that say it, as written ("Sr.", "Head of", "II")'),
      })
      .nullable()
      .describe('The seniority the title states; null when it states none'),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .describe('Candidates have at least this confidence; below it the match abstains'),
    candidates: z
      .array(
        z.object({
          role: MatchedRole,
          confidence: z.number().min(0).max(1),
          matchedTitle: z.string().describe("The role's title or alternative title that matched best"),
          matchedWords: z.array(z.string()).describe('The words of the job title that matched it, as written'),
        }),
      )
      .describe('Best first; empty when no role reaches the threshold'),
  }),
  'RoleMatchResult',
);

const Page = named(
  z.object({
    limit: count.describe('Items asked for (the whole list, for lists returned whole)'),
    nextCursor: z.string().nullable().describe('Pass as cursor= for the next page; null on the last page'),
  }),
  'Page',
);

export const single = <T extends z.ZodType>(item: T) => z.object({ data: item });
export const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), page: Page });

export type CategoryOut = z.infer<typeof Category>;
export type RoleOut = z.infer<typeof RolePage>;
export type SyncRoleOut = z.infer<typeof SyncRole>;
export type RoundOut = z.infer<typeof Round>;
export type QuestionOut = z.infer<typeof Question>;
export type RoleRefOut = z.infer<typeof RoleRef>;
export type SearchHitOut = z.infer<typeof SearchHit>;
export type RoleMatchOut = z.infer<typeof RoleMatchResult>;
export type PageOut = z.infer<typeof Page>;
export interface ListOut<T> {
  data: T[];
  page: PageOut;
  /** One cursor per item (continue after it); REST leaves them out, GraphQL edges carry them. */
  cursors: string[];
}
