import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../content/pagination.js';
import { MATCH_LIMIT_MAX } from '../content/role-match.js';
import { ROLE_INCLUDES } from '../content/roles.js';
import { SEARCH_HIT_TYPES } from '../content/schemas.js';
import { ADMIN_QUESTION_SORTS, ADMIN_ROLE_SORTS } from '../content/admin/lists.js';
import { difficulty, seniority, slug, status, tag, timestamp, track } from '../content/vocabulary.js';

/*
 * Query strings arrive as text, so some parameters are read from a string but mean something
 * else: a list, a boolean. `x-parameter` says what openapi.yaml should show for them (the
 * parameter's schema, style, explode); plugins/openapi.ts lifts it into the parameter, so
 * generated clients get an array of the enum's values and a boolean, not a free string.
 */
const documented = (parameter: Record<string, unknown>) => ({ 'x-parameter': parameter });

/**
 * Comma-separated values from a closed list (include=rounds,questions), written as one
 * parameter (style form, explode false); the repeated form (include=rounds&include=questions)
 * is read too.
 */
const commaList = <T extends readonly [string, ...string[]]>(
  values: T,
  meta: { description?: string; deprecated?: boolean } = {},
) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)))
    .meta({
      description: meta.description ?? `Any of ${values.join(', ')}, comma-separated`,
      ...(meta.deprecated ? { deprecated: true } : {}),
      ...documented({
        style: 'form',
        explode: false,
        schema: { type: 'array', items: { type: 'string', enum: [...values] } },
      }),
    });

/** true or false, as a query parameter; documented as a boolean. */
const flag = (description: string) =>
  z.enum(['true', 'false']).meta({ description, ...documented({ schema: { type: 'boolean' } }) });
/** A flag that is false unless sent. */
export const flagOff = (description: string) =>
  z
    .enum(['true', 'false'])
    .default('false')
    .meta({ description, ...documented({ schema: { type: 'boolean', default: false } }) });

/** Drafts too, for a key with content:preview; such answers are private, no-store. */
const preview = flag('true: include drafts (needs an API key with content:preview)').optional();

export const pageQuery = {
  preview,
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`Page size, 1 to ${MAX_LIMIT}`),
  cursor: z.string().min(1).max(512).optional().describe('page.nextCursor of the previous page'),
};

const searchText = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('Full-text search: words, "quoted phrases", -exclusions, or');

export const roleListQuery = z.strictObject({
  ...pageQuery,
  category: slug.optional().describe('Category slug'),
  seniority: seniority.optional(),
  track: track.optional(),
  q: searchText.optional(),
});

export const roleQuery = z.strictObject({
  include: commaList(ROLE_INCLUDES, {
    description: `Parts of the role to add to it: any of ${ROLE_INCLUDES.join(', ')}, comma-separated`,
  }).optional(),
  preview,
});

export const slugParams = z.strictObject({ slug });

export const roleMatchQuery = z.strictObject({
  title: z.string().trim().min(1).max(200).describe("A job ad's title, as the ad writes it"),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MATCH_LIMIT_MAX)
    .default(3)
    .describe(`Most candidates to answer, 1 to ${MATCH_LIMIT_MAX}`),
});

export const questionListQuery = z.strictObject({
  ...pageQuery,
  role: slug.optional().describe('Role slug'),
  round: z.string().trim().min(1).max(80).optional().describe("A round's name, or its position together with role"),
  competency: z.string().trim().min(1).max(80).optional().describe('Exact competency, any case'),
  difficulty: difficulty.optional(),
  tag: tag.optional(),
  q: searchText.optional(),
});

export const roleQuestionsQuery = questionListQuery.omit({ role: true });

export const questionParams = z.strictObject({ id: z.string().min(1).max(64) });

export const searchQuery = z.strictObject({
  ...pageQuery,
  q: searchText,
  category: slug.optional().describe('Category slug'),
  seniority: seniority.optional(),
  role: slug.optional().describe('Role slug'),
  types: commaList(SEARCH_HIT_TYPES, {
    description: `Kinds of hits: any of ${SEARCH_HIT_TYPES.join(', ')}, comma-separated (GraphQL's types)`,
  }).optional(),
  type: commaList(SEARCH_HIT_TYPES, {
    description: 'Deprecated: the older name of types, still read',
    deprecated: true,
  }).optional(),
});

export const previewQuery = z.strictObject({ preview });

/*
 * The admin lists take the public lists' parameters (and refuse unknown ones the same way), and
 * what content tools need besides: any status, who changed it and since when, a sort.
 */
const adminFilters = {
  limit: pageQuery.limit,
  cursor: pageQuery.cursor,
  status: status.optional().describe('draft, published or archived; every status when absent'),
  category: slug.optional().describe('Category slug'),
  q: searchText.optional().describe('Full-text search over drafts too; sorted by relevance unless sort is given'),
  updatedBy: z.string().min(1).max(100).optional().describe('Who wrote the current version: key:<prefix>, or seed'),
  updatedSince: timestamp.optional().describe('Changed at or after this time (ISO 8601 with an offset)'),
  scheduled: flag('true: only items with a publish or unpublish scheduled; false: only those without').optional(),
};

export const adminRoleListQuery = z.strictObject({
  ...adminFilters,
  seniority: seniority.optional(),
  track: track.optional(),
  sort: z
    .enum(ADMIN_ROLE_SORTS)
    .optional()
    .describe('title (default), -title, slug, updatedAt or -updatedAt (newest first)'),
});

export const adminQuestionListQuery = z.strictObject({
  ...adminFilters,
  role: slug.optional().describe('Role slug'),
  round: questionListQuery.shape.round,
  competency: questionListQuery.shape.competency,
  difficulty: difficulty.optional(),
  tag: tag.optional(),
  sort: z
    .enum(ADMIN_QUESTION_SORTS)
    .optional()
    .describe('role (default: by role, then interview order), updatedAt or -updatedAt'),
});
