import { z } from 'zod';
import { questionCreateInput } from '../content/admin/questions.js';
import { roleCreateInput } from '../content/admin/roles.js';
import { questionDocument, roleFields } from '../content/import-format.js';

/*
 * The fields of RoleInput, RoleUpdateInput and AdminRole, and of QuestionInput,
 * QuestionUpdateInput and AdminQuestion, are those of the import format, as in REST's admin
 * schemas (the create body, the update body, AdminRole, AdminQuestion), so a field added to the
 * format is in GraphQL too, required where the format requires it. Text is a String; a field of
 * any other kind says its GraphQL types here, or the schema refuses to build.
 */
type FieldTypes = Record<string, { input: string; output: string }>;
const ROLE_FIELD_TYPES: FieldTypes = {
  seniority: { input: 'Seniority', output: 'Seniority' },
  track: { input: 'Track', output: 'Track' },
  status: { input: 'Status', output: 'Status' },
  formatBreakdown: { input: '[FormatSegmentInput!]', output: '[FormatSegment!]' },
  rounds: { input: '[RoundInput!]', output: '[AdminRound!]' },
  tips: { input: '[String!]', output: '[String!]' },
  faqs: { input: '[FaqInput!]', output: '[AdminFaq!]' },
  relatedRoles: { input: '[String!]', output: '[String!]' },
  alternativeTitles: { input: '[String!]', output: '[String!]' },
};
const QUESTION_FIELD_TYPES: FieldTypes = {
  id: { input: 'ID', output: 'ID' },
  difficulty: { input: 'Difficulty', output: 'Difficulty' },
  status: { input: 'Status', output: 'Status' },
  tags: { input: '[String!]', output: '[String!]' },
  starExamples: { input: '[StarExampleInput!]', output: '[StarExample!]' },
  pitfalls: { input: '[String!]', output: '[String!]' },
};
const INPUT_DESCRIPTIONS: Record<string, string> = {
  category: 'A category slug.',
  relatedRoles: 'Role slugs.',
  round: "The name of one of the role's rounds; null: none (in an update, null takes it out of its round).",
  alternativeTitles: 'Other titles job ads use for the role; roleMatches compares job titles with them.',
};

const unwrapped = (field: z.ZodType): z.ZodType =>
  field instanceof z.ZodDefault || field instanceof z.ZodOptional || field instanceof z.ZodNullable
    ? unwrapped(field.unwrap() as z.ZodType)
    : field;

function fieldType(types: FieldTypes, name: string, field: z.ZodType, use: 'input' | 'output'): string {
  const known =
    types[name] ?? (unwrapped(field) instanceof z.ZodString ? { input: 'String', output: 'String' } : undefined);
  if (!known)
    throw new Error(
      `src/graphql/sdl-admin.ts: the field "${name}" is not text; give its GraphQL types in ROLE_FIELD_TYPES or QUESTION_FIELD_TYPES`,
    );
  return known[use];
}

/** An input's fields: required where the format has no default, unless every field is optional (an update). */
const inputFields = (shape: z.ZodRawShape, types: FieldTypes, every: 'as the format says' | 'optional') =>
  Object.entries(shape)
    .map(([name, field]) => {
      const required = every === 'as the format says' && !(field as z.ZodType).safeParse(undefined).success;
      const description = INPUT_DESCRIPTIONS[name] ? `"${INPUT_DESCRIPTIONS[name]}" ` : '';
      return `${description}${name}: ${fieldType(types, name, field as z.ZodType, 'input')}${required ? '!' : ''}`;
    })
    .join('\n    ');

/** An output's fields: each always there, null only where the format allows null. */
const outputFields = (shape: z.ZodRawShape, types: FieldTypes) =>
  Object.entries(shape)
    .map(
      ([name, field]) =>
        `${name}: ${fieldType(types, name, field as z.ZodType, 'output')}${(field as z.ZodType).safeParse(null).success ? '' : '!'}`,
    )
    .join('\n    ');

const roleInputFields = (every: 'as the format says' | 'optional') =>
  inputFields(roleCreateInput.shape, ROLE_FIELD_TYPES, every);
const questionInputFields = (every: 'as the format says' | 'optional') =>
  inputFields(questionCreateInput.shape, QUESTION_FIELD_TYPES, every);
const adminRoleFields = outputFields(roleFields.omit({ questions: true }).shape, ROLE_FIELD_TYPES);
const adminQuestionFields = outputFields(questionDocument.shape, QUESTION_FIELD_TYPES);

/** What content tools see of every drafted and published item besides its content. */
const LIFECYCLE_FIELDS = `version: Int!
    publishedAt: DateTime
    updatedAt: DateTime!
    "Who wrote the current version: key:<prefix>, or seed."
    updatedBy: String
    "When the scheduler publishes it; null: not scheduled."
    publishAt: DateTime
    "When the scheduler unpublishes it; null: not scheduled."
    unpublishAt: DateTime`;

const REVISION_FIELDS = `"Every version, oldest first."
    revisions: [Revision!]!
    "One version as it was stored."
    revision(version: Int!): RevisionSnapshot
    "What changed between two versions."
    revisionDiff(from: Int!, to: Int!): RevisionDiff!`;

const LIST_FILTERS = `first: Int = 20
    after: String
    status: Status
    "A category slug."
    category: String
    "Full-text search, drafts included; by relevance unless sort is given."
    q: String
    "key:<prefix>, or seed."
    updatedBy: String
    updatedSince: DateTime
    "true: only items with a publish or unpublish scheduled."
    scheduled: Boolean`;

/** Mutations for content tools: the admin REST operations, with the same scopes, rules and errors. */
export const adminTypeDefs = /* GraphQL */ `
  enum Status { DRAFT PUBLISHED ARCHIVED }

  input FormatSegmentInput { label: String!, percent: Int! }
  input RoundInput { name: String!, focus: String!, durationMinutes: Int! }
  input FaqInput { question: String!, answer: String! }
  input StarExampleInput { situation: String!, task: String!, action: String!, result: String! }

  "A role page without its questions. New roles start as drafts."
  input RoleInput {
    ${roleInputFields('as the format says')}
  }

  "Only the fields given are changed; a list given replaces the stored one."
  input RoleUpdateInput {
    ${roleInputFields('optional')}
  }

  "A question in a role. New questions start as drafts."
  input QuestionInput {
    ${questionInputFields('as the format says')}
  }

  "Only the fields given are changed, as PATCH does: a list given replaces the stored one; null clears what may be empty (round) and is refused for what may not."
  input QuestionUpdateInput {
    ${questionInputFields('optional')}
  }

  type AdminRound { name: String!, focus: String!, durationMinutes: Int! }
  type AdminFaq { question: String!, answer: String! }
  type AdminQuestionSummary { id: ID!, prompt: String!, round: String, status: Status!, position: Int!, version: Int! }

  "A role as content tools see it: drafts included, with its version."
  type AdminRole {
    ${adminRoleFields}
    questions: [AdminQuestionSummary!]!
    ${LIFECYCLE_FIELDS}
    "Why the last scheduled publish or unpublish failed; null: none did."
    scheduleError: String
    ${REVISION_FIELDS}
  }

  "A question as content tools see it: drafts included, with its version."
  type AdminQuestion {
    ${adminQuestionFields}
    "The slug of its role."
    role: String!
    position: Int!
    ${LIFECYCLE_FIELDS}
    scheduleError: String
    ${REVISION_FIELDS}
  }

  "Any JSON value."
  scalar JSON

  type Revision {
    version: Int!
    "key:<prefix> of the key that wrote, or seed."
    actor: String!
    createdAt: DateTime!
    "Why, as the writer said; null: none given."
    note: String
    "The fields that differ from the version before."
    changedFields: [String!]!
  }
  type RevisionSnapshot {
    version: Int!
    actor: String!
    createdAt: DateTime!
    note: String
    changedFields: [String!]!
    "The content as stored (the export format's fields)."
    snapshot: JSON!
  }
  type RevisionChange {
    "Where in the snapshot, dotted (title, rounds.1.name)."
    path: String!
    from: JSON
    to: JSON
  }
  type RevisionDiff { from: Int!, to: Int!, changes: [RevisionChange!]! }

  "A role in an admin list."
  type AdminRoleSummary {
    slug: String!
    title: String!
    category: String!
    seniority: Seniority!
    track: Track!
    status: Status!
    ${LIFECYCLE_FIELDS}
    "Questions of any status."
    questionCount: Int!
  }
  type AdminRoleSummaryEdge { node: AdminRoleSummary!, cursor: String! }
  type AdminRoleSummaryConnection { edges: [AdminRoleSummaryEdge!]!, nodes: [AdminRoleSummary!]!, pageInfo: PageInfo! }

  "A question in an admin list."
  type AdminQuestionListItem {
    id: ID!
    role: String!
    prompt: String!
    round: String
    competency: String!
    difficulty: Difficulty!
    tags: [String!]!
    status: Status!
    position: Int!
    ${LIFECYCLE_FIELDS}
  }
  type AdminQuestionListItemEdge { node: AdminQuestionListItem!, cursor: String! }
  type AdminQuestionListItemConnection { edges: [AdminQuestionListItemEdge!]!, nodes: [AdminQuestionListItem!]!, pageInfo: PageInfo! }

  enum AdminRoleSort { TITLE TITLE_DESC SLUG UPDATED_AT UPDATED_AT_DESC }
  enum AdminQuestionSort { ROLE UPDATED_AT UPDATED_AT_DESC }
  enum ItemType { ROLE QUESTION }
  enum BulkAction { PUBLISH UNPUBLISH ARCHIVE }
  enum ReleaseStatus { OPEN SCHEDULED PUBLISHED CANCELLED FAILED }

  # Drafts included; the caller needs a key with content:preview. X-Preview is not needed.
  extend type Query {
    "Every role, drafts and archived included: the public list's filters, and status, updatedBy, updatedSince, scheduled, sort."
    adminRoles(
    ${LIST_FILTERS}
    seniority: Seniority
    track: Track
    sort: AdminRoleSort
    ): AdminRoleSummaryConnection!
    adminRole(slug: String!): AdminRole
    "Every question, drafts and archived included."
    adminQuestions(
    ${LIST_FILTERS}
    "A role slug."
    role: String
    "A round's name, or its position together with role."
    round: String
    competency: String
    difficulty: Difficulty
    tag: String
    sort: AdminQuestionSort
    ): AdminQuestionListItemConnection!
    adminQuestion(id: ID!): AdminQuestion
    "Releases, newest first."
    releases(status: ReleaseStatus): [Release!]!
    release(id: ID!): Release
  }

  "The admin lists' filters, to select the items of a bulk action."
  input BulkWhere {
    type: ItemType!
    status: Status
    category: String
    q: String
    updatedBy: String
    updatedSince: DateTime
    scheduled: Boolean
    seniority: Seniority
    track: Track
    role: String
    round: String
    competency: String
    difficulty: Difficulty
    tag: String
  }
  input BulkInput {
    action: BulkAction!
    "Role slugs."
    roles: [String!]
    "Question ids."
    questions: [ID!]
    where: BulkWhere
    "publish: the roles' draft questions too."
    withQuestions: Boolean
    note: String
    "true: report what would change, change nothing."
    dryRun: Boolean
  }
  type BulkItem { type: ItemType!, key: String!, from: Status!, to: Status!, version: Int! }
  type BulkReport { action: BulkAction!, dryRun: Boolean!, changed: [BulkItem!]!, unchanged: [BulkItem!]! }

  input ReleaseInput { name: String!, description: String, "Schedules it; null or absent: publish it by hand." publishAt: DateTime }
  input ReleaseUpdateInput { name: String, description: String, "A new time; null unschedules it." publishAt: DateTime }
  input ReleaseItemInput {
    type: ItemType!
    "A role slug or a question id."
    key: String!
    "Fields to change when the release is published, as updateRole or updateQuestion take them."
    changes: JSON
    "Roles: add the role's draft questions too."
    withQuestions: Boolean
  }
  type ReleaseItem {
    type: ItemType!
    key: String!
    title: String
    status: Status
    version: Int
    baseVersion: Int
    changes: JSON
    addedBy: String!
    addedAt: DateTime!
  }
  "A named set of drafts and staged edits published together, in one transaction, now or at publishAt."
  type Release {
    id: ID!
    name: String!
    description: String!
    status: ReleaseStatus!
    publishAt: DateTime
    publishedAt: DateTime
    "Why a scheduled publish failed."
    error: String
    createdBy: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    items: [ReleaseItem!]!
  }

  type AdminCategory { slug: String!, name: String!, position: Int!, roleCount: Int! }
  input CategoryInput { slug: String!, name: String! }
  input CategoryUpdateInput { slug: String, name: String, position: Int }
  input RoundUpdateInput { name: String, focus: String, durationMinutes: Int }

  enum Scope { CONTENT_PREVIEW CONTENT_WRITE CONTENT_PUBLISH KEYS_MANAGE WEBHOOKS_MANAGE }
  "SERVER: a secret. BROWSER: published in web pages (the widget): no scopes, public answers within its categories, a rate limit per visitor."
  enum KeyType { SERVER BROWSER }
  "scopes: [] makes a partner key: public reads with its own rate limit, browser origins and (optionally) categories."
  input ApiKeyInput { name: String!, "SERVER unless given." type: KeyType, scopes: [Scope!]!, "ISO 8601 with an offset. A String, not DateTime, so operations that declare it as one keep working." expiresAt: String, rateLimitPerMinute: Int, allowedOrigins: [String!], categories: [String!] }
  type ApiKey {
    id: ID!
    name: String!
    "Public: the first 12 characters of the key."
    prefix: String!
    type: KeyType!
    scopes: [Scope!]!
    "Requests per minute (a browser key's: per visitor address); null: the default for keys."
    rateLimitPerMinute: Int
    "Browser origins the key may be used from."
    allowedOrigins: [String!]!
    "Category slugs the key reads; null: every category."
    categories: [String!]
    expiresAt: DateTime
    revokedAt: DateTime
    lastUsedAt: DateTime
    previousSecretExpiresAt: DateTime
    createdAt: DateTime!
  }
  "A key with its secret, shown this once."
  type NewApiKey { key: ApiKey!, token: String! }

  type ImportItem { type: String!, key: String! }
  type ImportReport { dryRun: Boolean!, created: [ImportItem!]!, updated: [ImportItem!]!, unchanged: [ImportItem!]!, removed: [ImportItem!]! }

  "Writes need an API key (Authorization: Bearer). version, where accepted, makes a stale write fail with PRECONDITION_FAILED."
  type Mutation {
    createRole(input: RoleInput!): AdminRole!
    "note is kept with the revision."
    updateRole(slug: String!, input: RoleUpdateInput!, version: Int, note: String): AdminRole!
    "Publishing what is published changes nothing. publishAt in the future schedules it instead; withQuestions publishes the role's draft questions too."
    publishRole(slug: String!, version: Int, note: String, publishAt: DateTime, unpublishAt: DateTime, withQuestions: Boolean = false): AdminRole!
    unpublishRole(slug: String!, version: Int, note: String, unpublishAt: DateTime): AdminRole!
    archiveRole(slug: String!, version: Int, note: String): AdminRole!
    "Sets (or, with null, cancels) when the scheduler publishes or unpublishes the role; an argument left out stays as it is."
    scheduleRole(slug: String!, publishAt: DateTime, unpublishAt: DateTime, version: Int): AdminRole!
    deleteRole(slug: String!, cascade: Boolean = false, version: Int): Boolean!
    createQuestion(role: String!, input: QuestionInput!): AdminQuestion!
    updateQuestion(id: ID!, input: QuestionUpdateInput!, version: Int, note: String): AdminQuestion!
    publishQuestion(id: ID!, version: Int, note: String, publishAt: DateTime, unpublishAt: DateTime): AdminQuestion!
    unpublishQuestion(id: ID!, version: Int, note: String, unpublishAt: DateTime): AdminQuestion!
    archiveQuestion(id: ID!, version: Int, note: String): AdminQuestion!
    scheduleQuestion(id: ID!, publishAt: DateTime, unpublishAt: DateTime, version: Int): AdminQuestion!
    deleteQuestion(id: ID!, version: Int): Boolean!
    "Brings back the content of a revision, never the status. dropMissingReferences: restore even if a related role or round it names is gone."
    restoreRoleRevision(slug: String!, revision: Int!, version: Int, note: String, dropMissingReferences: Boolean): AdminRole!
    restoreQuestionRevision(id: ID!, revision: Int!, version: Int, note: String, dropMissingReferences: Boolean): AdminQuestion!
    "Publish, unpublish or archive many items in one transaction."
    bulk(input: BulkInput!): BulkReport!
    createRelease(input: ReleaseInput!): Release!
    updateRelease(id: ID!, input: ReleaseUpdateInput!): Release!
    addReleaseItems(id: ID!, items: [ReleaseItemInput!]!): Release!
    removeReleaseItem(id: ID!, type: ItemType!, key: String!): Release!
    "All of it in one transaction; dryRun: answer what it would be, publish nothing."
    publishRelease(id: ID!, dryRun: Boolean = false): Release!
    cancelRelease(id: ID!): Release!
    createCategory(input: CategoryInput!): [AdminCategory!]!
    updateCategory(slug: String!, input: CategoryUpdateInput!): [AdminCategory!]!
    deleteCategory(slug: String!, cascade: Boolean = false): Boolean!
    addRound(role: String!, input: RoundInput!, version: Int): AdminRole!
    "position: 1 for the first round."
    updateRound(role: String!, position: Int!, input: RoundUpdateInput!, version: Int): AdminRole!
    deleteRound(role: String!, position: Int!, cascade: Boolean = false, version: Int): AdminRole!
    reorderRounds(role: String!, names: [String!]!, version: Int): AdminRole!
    reorderQuestions(role: String!, ids: [ID!]!, version: Int): AdminRole!
    createApiKey(input: ApiKeyInput!): NewApiKey!
    revokeApiKey(id: ID!): ApiKey!
    "The old secret keeps working for overlapSeconds (default a day)."
    rotateApiKey(id: ID!, overlapSeconds: Int = 86400): NewApiKey!
    "The export format ({ categories, roles }) as JSON text; all or nothing."
    importContent(bundle: String!, dryRun: Boolean = false): ImportReport!
  }
`;
