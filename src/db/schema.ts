import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

// PostgreSQL full-text document; written only by generated columns below.
const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

// Status, version and publish time, shared by every aggregate that is drafted and published.
const lifecycle = {
  status: text('status').notNull().default('draft'),
  version: integer('version').notNull().default(1),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  // Who wrote the current version (key:<prefix>, seed); null only for rows older than this column.
  updatedBy: text('updated_by'),
  // A publish or unpublish the scheduler will run at that time (content/admin/schedules.ts).
  publishAt: timestamp('publish_at', { withTimezone: true }),
  unpublishAt: timestamp('unpublish_at', { withTimezone: true }),
  // Who set them: the scheduled change is written in their name.
  scheduledBy: text('scheduled_by'),
  // Why the last scheduled change could not be made; cleared by the next write.
  scheduleError: text('schedule_error'),
};

// The scheduler looks for due rows often; only the few with a time set are in these.
const scheduleIndexes = (name: string, t: { publishAt: AnyPgColumn; unpublishAt: AnyPgColumn }) => [
  index(`${name}_publish_at_idx`)
    .on(t.publishAt)
    .where(sql`publish_at is not null`),
  index(`${name}_unpublish_at_idx`)
    .on(t.unpublishAt)
    .where(sql`unpublish_at is not null`),
];

const statusCheck = (name: string, column: unknown) =>
  check(name, sql`${column} in ('draft', 'published', 'archived')`);

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex('categories_slug_key').on(t.slug), check('categories_position_check', sql`${t.position} >= 0`)],
);

export const roles = pgTable(
  'roles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'restrict' }),
    seniority: text('seniority').notNull(),
    track: text('track').notNull(),
    summary: text('summary').notNull(),
    ...lifecycle,
    ...timestamps,
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'C')`,
    ),
  },
  (t) => [
    uniqueIndex('roles_slug_key').on(t.slug),
    index('roles_category_status_idx').on(t.categoryId, t.status),
    index('roles_search_idx').using('gin', t.search),
    statusCheck('roles_status_check', t.status),
    check('roles_seniority_check', sql`${t.seniority} in ('junior', 'mid', 'senior', 'staff', 'lead', 'manager')`),
    check('roles_track_check', sql`${t.track} in ('technical', 'non-technical')`),
    check('roles_slug_check', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    check('roles_version_check', sql`${t.version} >= 1`),
    ...scheduleIndexes('roles', t),
  ],
);

export const roleFormatSegments = pgTable(
  'role_format_segments',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    label: text('label').notNull(),
    percent: integer('percent').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.roleId, t.position] }),
    check('role_format_segments_percent_check', sql`${t.percent} between 0 and 100`),
    check('role_format_segments_position_check', sql`${t.position} >= 0`),
  ],
);

export const rounds = pgTable(
  'rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    focus: text('focus').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    ...timestamps,
  },
  (t) => [
    index('rounds_role_position_idx').on(t.roleId, t.position),
    uniqueIndex('rounds_role_name_key').on(t.roleId, t.name),
    check('rounds_position_check', sql`${t.position} >= 0`),
    check('rounds_duration_check', sql`${t.durationMinutes} > 0`),
  ],
);

export const roleTips = pgTable(
  'role_tips',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.position] }), check('role_tips_position_check', sql`${t.position} >= 0`)],
);

export const roleFaqs = pgTable(
  'role_faqs',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english'::regconfig, coalesce(question, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(answer, '')), 'D')`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.roleId, t.position] }),
    index('role_faqs_search_idx').using('gin', t.search),
    check('role_faqs_position_check', sql`${t.position} >= 0`),
  ],
);

// Other titles job ads use for a role ("Backend Engineer", "Software Engineer, Server"): what
// /v1/roles/match compares a job title with. Texts are per locale (default 'en'), as every text
// becomes once content is localized.
export const roleAlternativeTitles = pgTable(
  'role_alternative_titles',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    locale: text('locale').notNull().default('en'),
    position: integer('position').notNull(),
    title: text('title').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.roleId, t.locale, t.position] }),
    check('role_alternative_titles_position_check', sql`${t.position} >= 0`),
  ],
);

export const roleRelatedRoles = pgTable(
  'role_related_roles',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    relatedRoleId: uuid('related_role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.roleId, t.position] }),
    uniqueIndex('role_related_roles_pair_key').on(t.roleId, t.relatedRoleId),
    index('role_related_roles_related_idx').on(t.relatedRoleId),
    check('role_related_roles_position_check', sql`${t.position} >= 0`),
    check('role_related_roles_not_self_check', sql`${t.roleId} <> ${t.relatedRoleId}`),
  ],
);

export const questions = pgTable(
  'questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'restrict' }),
    roundId: uuid('round_id').references(() => rounds.id, { onDelete: 'set null' }),
    position: integer('position').notNull(),
    prompt: text('prompt').notNull(),
    competency: text('competency').notNull(),
    whyAsked: text('why_asked').notNull(),
    howToAnswer: text('how_to_answer').notNull(),
    difficulty: text('difficulty').notNull(),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ...lifecycle,
    ...timestamps,
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english'::regconfig, coalesce(prompt, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(competency, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(why_asked, '') || ' ' || coalesce(how_to_answer, '')), 'D')`,
    ),
  },
  (t) => [
    // Positions are a role's interview order, 1..n: one question per place.
    uniqueIndex('questions_role_position_key').on(t.roleId, t.position),
    index('questions_round_idx').on(t.roundId),
    index('questions_competency_idx').on(t.competency),
    index('questions_tags_idx').using('gin', t.tags),
    index('questions_search_idx').using('gin', t.search),
    statusCheck('questions_status_check', t.status),
    check('questions_difficulty_check', sql`${t.difficulty} in ('easy', 'medium', 'hard')`),
    check('questions_position_check', sql`${t.position} >= 0`),
    check('questions_version_check', sql`${t.version} >= 1`),
    ...scheduleIndexes('questions', t),
  ],
);

export const questionStarExamples = pgTable(
  'question_star_examples',
  {
    questionId: uuid('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    situation: text('situation').notNull(),
    task: text('task').notNull(),
    action: text('action').notNull(),
    result: text('result').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.questionId, t.position] }),
    check('question_star_examples_position_check', sql`${t.position} >= 0`),
  ],
);

export const questionPitfalls = pgTable(
  'question_pitfalls',
  {
    questionId: uuid('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    text: text('text').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.questionId, t.position] }),
    check('question_pitfalls_position_check', sql`${t.position} >= 0`),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    // sha-256 of the secret; the secret itself is shown once and never stored.
    secretHash: text('secret_hash').notNull(),
    // A rotated-out secret keeps working until previous_secret_expires_at.
    previousSecretHash: text('previous_secret_hash'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    rateLimitPerMinute: integer('rate_limit_per_minute'),
    allowedOrigins: text('allowed_origins')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // Category slugs a partner key may read; null reads every category.
    categories: text('categories').array(),
    // 'server' keys are secrets; 'browser' keys are published in pages (src/access/key-types.ts).
    type: text('type').notNull().default('server'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('api_keys_prefix_key').on(t.prefix),
    check('api_keys_rate_limit_check', sql`${t.rateLimitPerMinute} is null or ${t.rateLimitPerMinute} > 0`),
    check('api_keys_type_check', sql`${t.type} in ('server', 'browser')`),
  ],
);

// Requests per key and UTC day, added to from each instance's in-memory tally (never per request).
export const apiKeyUsage = pgTable(
  'api_key_usage',
  {
    keyId: uuid('key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    requests: bigint('requests', { mode: 'number' }).notNull().default(0),
    // Refused by the key's rate limit or allowed origins.
    rejected: bigint('rejected', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.day] })],
);

export const revisions = pgTable(
  'revisions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    actor: text('actor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // Why, in the writer's words (optional).
    note: text('note'),
    // The snapshot's top-level fields that differ from the version before.
    changedFields: text('changed_fields')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // Ids behind the names a snapshot refers to ({ relatedRoles: [uuid], round: uuid }), so a restore
    // finds a related role or a round again after it was renamed.
    refs: jsonb('refs'),
  },
  (t) => [
    uniqueIndex('revisions_entity_version_key').on(t.entityType, t.entityId, t.version),
    check('revisions_entity_type_check', sql`${t.entityType} in ('role', 'question')`),
  ],
);

// Append-only; the sequence orders every content change for sync, webhooks and cache invalidation.
export const changeLog = pgTable(
  'change_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    entityKey: text('entity_key').notNull(),
    // The role slug a question belongs to: a question change shows on its role's pages too.
    roleKey: text('role_key'),
    // The key before this change renamed the item (a slug edit), so caches purge the old name too.
    previousKey: text('previous_key'),
    action: text('action').notNull(),
    version: integer('version'),
    actor: text('actor').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    // The id webhook receivers see for this change: the same on every retry and redelivery.
    eventId: uuid('event_id').notNull().defaultRandom(),
  },
  (t) => [
    index('change_log_entity_idx').on(t.entityType, t.entityId, t.seq),
    uniqueIndex('change_log_event_id_key').on(t.eventId),
    // Webhook replays select a time range.
    index('change_log_occurred_at_idx').on(t.occurredAt),
  ],
);

/*
 * Webhooks. The change log is the outbox: every content write already appends to it in its own
 * transaction. A dispatcher reads it after each webhook's cursor, turns matching changes into
 * delivery rows (one per receiver and event), and delivers those with retries. Attempts are kept
 * for admins to read.
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    events: text('events').array().notNull(),
    status: text('status').notNull().default('active'),
    disabledReason: text('disabled_reason'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    // Failed attempts since the last success, and when the first of them happened: a webhook that
    // has failed without a success for the configured time is disabled.
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    failingSince: timestamp('failing_since', { withTimezone: true }),
    // AES-256-GCM; signing needs the secret itself, so it is encrypted rather than hashed.
    secretCiphertext: text('secret_ciphertext').notNull(),
    // A rotated-out secret still signs (as a second v1) until previous_secret_expires_at.
    previousSecretCiphertext: text('previous_secret_ciphertext'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    // The last change-log seq turned into deliveries for this webhook; starts at registration.
    cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull(),
    createdBy: text('created_by').notNull(),
    ...timestamps,
  },
  (t) => [
    check('webhooks_status_check', sql`${t.status} in ('active', 'disabled')`),
    check('webhooks_failures_check', sql`${t.consecutiveFailures} >= 0`),
  ],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Queue order: a webhook's deliveries go out one at a time, in this order (change order).
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
    // The exact bytes sent, so every retry and redelivery carries the same body.
    body: text('body').notNull(),
    trigger: text('trigger').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    // A claimed delivery belongs to one dispatcher until the lease ends; a dead one's lease runs out.
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    claimToken: uuid('claim_token'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
    index('webhook_deliveries_queue_idx').on(t.webhookId, t.seq),
    check(
      'webhook_deliveries_status_check',
      sql`${t.status} in ('pending', 'delivering', 'delivered', 'failed', 'cancelled')`,
    ),
    check('webhook_deliveries_trigger_check', sql`${t.trigger} in ('change', 'redelivery', 'replay')`),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    // The start of the receiver's answer, so an admin can see why it refused.
    responseExcerpt: text('response_excerpt'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);

// Without WEBHOOK_ENCRYPTION_KEY (never in production) a generated key lives here, for development.
export const webhookKeyring = pgTable('webhook_keyring', {
  name: text('name').primaryKey(),
  key: text('key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/*
 * Releases: a named set of items (drafts, and staged edits of published content) published
 * together in one transaction, now or at publish_at (the scheduler claims due ones with SKIP LOCKED).
 */
export const releases = pgTable(
  'releases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    status: text('status').notNull().default('open'),
    publishAt: timestamp('publish_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    // Why the last attempt to publish it failed (a scheduled run); it stays unpublished until fixed.
    error: text('error'),
    createdBy: text('created_by').notNull(),
    ...timestamps,
  },
  (t) => [
    check('releases_status_check', sql`${t.status} in ('open', 'scheduled', 'published', 'cancelled', 'failed')`),
    index('releases_due_idx')
      .on(t.publishAt)
      .where(sql`status = 'scheduled'`),
  ],
);

export const releaseItems = pgTable(
  'release_items',
  {
    releaseId: uuid('release_id')
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    // Fields to change when it is published (a partial update); null: publish it as it is then.
    changes: jsonb('changes'),
    // The version the changes were made against; a release whose item has moved on since refuses to publish.
    baseVersion: integer('base_version'),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    // The order items were added in, which is the order a release lists them.
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [
    primaryKey({ columns: [t.releaseId, t.entityType, t.entityId] }),
    index('release_items_entity_idx').on(t.entityType, t.entityId),
    check('release_items_entity_type_check', sql`${t.entityType} in ('role', 'question')`),
  ],
);
