import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../content/pagination.js';
import { ROLE_INCLUDES } from '../content/roles.js';
import { SEARCH_HIT_TYPES } from '../content/schemas.js';
import { difficulty, seniority, slug, tag, track } from '../content/vocabulary.js';

/** Comma-separated values checked against a closed list, e.g. include=rounds,questions. */
const commaList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)))
    .describe(`Comma-separated, any of: ${values.join(', ')}`);

/** Drafts too, for a key with content:preview; such answers are private, no-store. */
const preview = z.enum(['true', 'false']).optional().describe('true: include drafts (needs an API key with content:preview)');

export const pageQuery = {
  preview,
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`Page size, 1 to ${MAX_LIMIT}`),
  cursor: z.string().min(1).max(512).optional().describe('page.nextCursor of the previous page'),
};

const searchText = z.string().trim().min(1).max(200).describe('Full-text search: words, "quoted phrases", -exclusions, or');

export const roleListQuery = z.strictObject({
  ...pageQuery,
  category: slug.optional().describe('Category slug'),
  seniority: seniority.optional(),
  track: track.optional(),
  q: searchText.optional(),
});

export const roleQuery = z.strictObject({ include: commaList(ROLE_INCLUDES).optional(), preview });

export const slugParams = z.strictObject({ slug });

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
  category: slug.optional(),
  seniority: seniority.optional(),
  role: slug.optional(),
  type: commaList(SEARCH_HIT_TYPES).optional(),
});

export const emptyQuery = z.strictObject({});
export const previewQuery = z.strictObject({ preview });
