import { z } from 'zod';
import { SCOPES } from '../../access/principal.js';
import { roleFields, questionDocument } from '../import-format.js';
import { slug, status, timestamp } from '../vocabulary.js';

/* Response shapes of the admin API (the content tools' contract). */

const named = <T extends z.ZodType>(schema: T, id: string): T => schema.meta({ id });

export const AdminQuestionSummary = named(
  z.object({ id: z.uuid(), prompt: z.string(), round: z.string().nullable(), status, position: z.int(), version: z.int() }),
  'AdminQuestionSummary',
);

export const AdminRole = named(
  roleFields.omit({ questions: true }).extend({
    version: z.int(),
    publishedAt: z.string().nullable(),
    updatedAt: z.string(),
    questions: z.array(AdminQuestionSummary),
  }),
  'AdminRole',
);

export const AdminRoleSummary = named(
  z.object({ slug: z.string(), title: z.string(), status, version: z.int(), updatedAt: z.string() }),
  'AdminRoleSummary',
);

export const AdminQuestion = named(
  questionDocument.extend({ role: z.string(), position: z.int(), version: z.int(), publishedAt: z.string().nullable(), updatedAt: z.string() }),
  'AdminQuestion',
);

export const AdminCategory = named(z.object({ slug: z.string(), name: z.string(), position: z.int(), roleCount: z.int() }), 'AdminCategory');

export const ApiKey = named(
  z.object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('Public: the first 12 characters of the key'),
    scopes: z.array(z.enum(SCOPES)),
    rateLimitPerMinute: z.int().nullable(),
    allowedOrigins: z.array(z.string()).describe('Browser origins the key may be used from'),
    categories: z.array(z.string()).nullable().describe('Category slugs the key reads; null: every category'),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    previousSecretExpiresAt: z.string().nullable().describe('Until then the key before the last rotation still works'),
    createdAt: z.string(),
  }),
  'ApiKey',
);

export const NewApiKey = named(ApiKey.extend({ token: z.string().describe('The secret key. Shown once, never again.') }), 'NewApiKey');

export const Revision = named(z.object({ version: z.int(), actor: z.string(), createdAt: z.string() }), 'Revision');
export const RevisionSnapshot = named(Revision.extend({ snapshot: z.record(z.string(), z.unknown()) }), 'RevisionSnapshot');
export const RevisionDiff = named(
  z.object({ from: z.int(), to: z.int(), changes: z.array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() })) }),
  'RevisionDiff',
);

export const AuditEntry = named(
  z.object({
    seq: z.int(),
    actor: z.string().describe('key:<prefix> of the key that wrote, or seed'),
    action: z.string(),
    entityType: z.string(),
    entityKey: z.string(),
    version: z.int().nullable(),
    occurredAt: z.string(),
  }),
  'AuditEntry',
);

const item = z.object({ type: z.enum(['category', 'role', 'question']), key: z.string() });
export const ImportReport = named(
  z.object({ dryRun: z.boolean(), created: z.array(item), updated: z.array(item), unchanged: z.array(item), removed: z.array(item) }),
  'ImportReport',
);

/** A browser origin as the Origin header sends it: scheme, host and port, nothing more. */
const origin = z
  .url({ protocol: /^https?$/ })
  .refine((value) => URL.canParse(value) && new URL(value).origin === value, 'must be an origin like https://jobs.example.com (no path or trailing slash)');

export const keyCreateInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
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
    days: z.array(z.object({ date: z.string().describe('UTC day, YYYY-MM-DD'), requests: z.int(), rejected: z.int().describe('Refused by the rate limit or allowed origins') })),
  }),
  'KeyUsage',
);
