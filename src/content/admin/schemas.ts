import { z } from 'zod';
import { KEY_TYPES } from '../../access/key-types.js';
import { SCOPES } from '../../access/principal.js';
import { roleFields, questionDocument } from '../import-format.js';
import { count, difficulty, ordinal, seniority, slug, status, timestamp, track } from '../vocabulary.js';

/* Response shapes of the admin API (the content tools' contract). */

const named = <T extends z.ZodType>(schema: T, id: string): T => schema.meta({ id });
/** Times as the API writes them: ISO 8601 in UTC with milliseconds. */
const time = z.iso.datetime();

/** When content tools see an item was changed and by whom, and what the scheduler will do to it. */
const lifecycleFields = {
  version: ordinal,
  publishedAt: time.nullable(),
  updatedAt: time,
  updatedBy: z.string().nullable().describe('Who wrote the current version: key:<prefix>, or seed'),
  publishAt: time.nullable().describe('When the scheduler publishes it; null: not scheduled'),
  unpublishAt: time.nullable().describe('When the scheduler unpublishes it; null: not scheduled'),
};

const AdminQuestionSummary = named(
  z.object({
    id: z.uuid(),
    prompt: z.string(),
    round: z.string().nullable(),
    status,
    position: ordinal,
    version: ordinal,
  }),
  'AdminQuestionSummary',
);

const scheduleError = z
  .string()
  .nullable()
  .describe('Why the last scheduled publish or unpublish could not be made; null: none failed');

export const AdminRole = named(
  roleFields.omit({ questions: true }).extend({
    ...lifecycleFields,
    scheduleError,
    questions: z.array(AdminQuestionSummary),
  }),
  'AdminRole',
);

export const AdminRoleSummary = named(
  z.object({
    slug: z.string(),
    title: z.string(),
    category: z.string(),
    seniority,
    track,
    status,
    ...lifecycleFields,
    questionCount: count.describe('Questions of any status'),
  }),
  'AdminRoleSummary',
);

export const AdminQuestion = named(
  questionDocument.extend({
    role: z.string(),
    position: ordinal,
    ...lifecycleFields,
    scheduleError,
  }),
  'AdminQuestion',
);

export const AdminQuestionListItem = named(
  z.object({
    id: z.uuid(),
    role: z.string(),
    prompt: z.string(),
    round: z.string().nullable(),
    competency: z.string(),
    difficulty,
    tags: z.array(z.string()),
    status,
    position: ordinal,
    ...lifecycleFields,
  }),
  'AdminQuestionListItem',
);

export const AdminCategory = named(
  z.object({ slug: z.string(), name: z.string(), position: ordinal, roleCount: count }),
  'AdminCategory',
);

export const ApiKey = named(
  z.object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('Public: the first 12 characters of the key'),
    type: z
      .enum(KEY_TYPES)
      .describe('server: a secret; browser: published in pages, no scopes, public answers, limited per visitor'),
    scopes: z.array(z.enum(SCOPES)),
    rateLimitPerMinute: z
      .int()
      .min(1)
      .max(1_000_000)
      .nullable()
      .describe("Requests per minute (a browser key's: per visitor address); null: the default"),
    allowedOrigins: z.array(z.string()).describe('Browser origins the key may be used from'),
    categories: z.array(z.string()).nullable().describe('Category slugs the key reads; null: every category'),
    expiresAt: time.nullable(),
    revokedAt: time.nullable(),
    lastUsedAt: time.nullable(),
    previousSecretExpiresAt: time.nullable().describe('Until then the key before the last rotation still works'),
    createdAt: time,
  }),
  'ApiKey',
);

export const NewApiKey = named(
  ApiKey.extend({ token: z.string().describe('The secret key. Shown once, never again.') }),
  'NewApiKey',
);

export const Revision = named(
  z.object({
    version: ordinal,
    actor: z.string().describe('key:<prefix> of the key that wrote, or seed'),
    createdAt: time,
    note: z.string().nullable().describe('Why, as the writer said (the note of the write); null: none given'),
    changedFields: z
      .array(z.string())
      .describe('The fields that differ from the version before (every field for the first version)'),
  }),
  'Revision',
);

/** What a role revision stores: the role page as written, without its questions (they have their own). */
const RoleSnapshot = named(roleFields.omit({ questions: true }), 'RoleSnapshot');
/** What a question revision stores: the question as written, and the slug of its role. */
const QuestionSnapshot = named(questionDocument.extend({ role: slug }), 'QuestionSnapshot');
export const RoleRevision = named(Revision.extend({ snapshot: RoleSnapshot }), 'RoleRevision');
export const QuestionRevision = named(Revision.extend({ snapshot: QuestionSnapshot }), 'QuestionRevision');

/**
 * Any JSON value: what one field of a snapshot held. Written as an unconstrained schema: the
 * recursive union it is would make generated TypeScript refer to itself (openapi-typescript's
 * output then fails to compile), and clients read it as unknown either way.
 */
const JsonValue = z
  .unknown()
  .meta({ id: 'JsonValue', description: 'Any JSON value: a string, number, boolean, null, list or object' });
export const RevisionDiff = named(
  z.object({
    from: ordinal,
    to: ordinal,
    changes: z.array(
      z.object({
        path: z.string().describe('Where in the snapshot, dotted (title, rounds.1.name); (root) for the whole'),
        from: JsonValue.describe('The value in version from; null where it had none'),
        to: JsonValue.describe('The value in version to; null where it has none'),
      }),
    ),
  }),
  'RevisionDiff',
);

export const AuditEntry = named(
  z.object({
    seq: z.int().min(1).max(Number.MAX_SAFE_INTEGER).describe('Position in the change log; grows with every write'),
    actor: z.string().describe('key:<prefix> of the key that wrote, or seed'),
    action: z.string(),
    entityType: z.string(),
    entityKey: z.string(),
    version: ordinal.nullable(),
    occurredAt: time,
  }),
  'AuditEntry',
);

const item = z.object({ type: z.enum(['category', 'role', 'question']), key: z.string() });
export const ImportReport = named(
  z.object({
    dryRun: z.boolean(),
    created: z.array(item),
    updated: z.array(item),
    unchanged: z.array(item),
    removed: z.array(item),
  }),
  'ImportReport',
);

/** A browser origin as the Origin header sends it: scheme, host and port, nothing more. */
const origin = z
  .url({ protocol: /^https?$/ })
  .refine(
    (value) => URL.canParse(value) && new URL(value).origin === value,
    'must be an origin like https://jobs.example.com (no path or trailing slash)',
  );

export const keyCreateInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  type: z
    .enum(KEY_TYPES)
    .default('server')
    .describe(
      'browser: a key to publish in web pages (the widget): no scopes, at least one allowed origin; its rate limit applies to each visitor',
    ),
  // No scopes: a partner key, reading public content with its own limits, origins and categories.
  scopes: z.array(z.enum(SCOPES)),
  expiresAt: timestamp.optional(),
  rateLimitPerMinute: z.int().min(1).max(1_000_000).optional(),
  allowedOrigins: z.array(origin).max(50).optional(),
  categories: z.array(slug).min(1).max(50).optional(),
});

export const KeyUsage = named(
  z.object({
    keyId: z.uuid(),
    days: z.array(
      z.object({
        date: z.iso.date().describe('UTC day, YYYY-MM-DD'),
        requests: count,
        rejected: count.describe('Refused by the rate limit or allowed origins'),
      }),
    ),
  }),
  'KeyUsage',
);

const bulkItem = z.object({
  type: z.enum(['role', 'question']),
  key: z.string().describe('The role slug or the question id'),
  from: status,
  to: status,
  version: ordinal.describe('Its version after the action (unchanged: the one it had)'),
});
export const BulkReport = named(
  z.object({
    action: z.enum(['publish', 'unpublish', 'archive']),
    dryRun: z.boolean(),
    changed: z.array(bulkItem).describe('Each got a new version, a revision and a change-log entry'),
    unchanged: z.array(bulkItem).describe('Already so: nothing written'),
  }),
  'BulkReport',
);

export const Release = named(
  z.object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    status: z
      .enum(['open', 'scheduled', 'published', 'cancelled', 'failed'])
      .describe(
        'failed: a scheduled publish could not be made (error says why); fix it and schedule or publish it again',
      ),
    publishAt: time.nullable(),
    publishedAt: time.nullable(),
    error: z.string().nullable(),
    createdBy: z.string(),
    createdAt: time,
    updatedAt: time,
    items: z.array(
      z.object({
        type: z.enum(['role', 'question']),
        key: z.string().describe('The role slug or the question id, as they are now'),
        title: z.string().nullable().describe("The role's title or the question's prompt, as they are now"),
        status: status.nullable(),
        version: ordinal.nullable(),
        baseVersion: ordinal.nullable().describe('The version its changes were made against; null: no changes'),
        changes: z.record(z.string(), z.unknown()).nullable().describe('Fields it changes when published'),
        addedBy: z.string(),
        addedAt: time,
      }),
    ),
  }),
  'Release',
);
