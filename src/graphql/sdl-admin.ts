import { z } from 'zod';
import { roleCreateInput } from '../content/admin/roles.js';
import { roleFields } from '../content/import-format.js';

/*
 * A role's fields in RoleInput, RoleUpdateInput and AdminRole are those of the import format, as
 * in REST's admin schemas (the create body, the update body, AdminRole), so a field added to the
 * format is in GraphQL too, required where the format requires it. Text is a String; a field of
 * any other kind says its GraphQL types here, or the schema refuses to build.
 */
const ROLE_FIELD_TYPES: Record<string, { input: string; output: string }> = {
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
const ROLE_INPUT_DESCRIPTIONS: Record<string, string> = {
  category: 'A category slug.',
  relatedRoles: 'Role slugs.',
  alternativeTitles: 'Other titles job ads use for the role; roleMatches compares job titles with them.',
};

const unwrapped = (field: z.ZodType): z.ZodType =>
  field instanceof z.ZodDefault || field instanceof z.ZodOptional || field instanceof z.ZodNullable
    ? unwrapped(field.unwrap() as z.ZodType)
    : field;

function roleFieldType(name: string, field: z.ZodType, use: 'input' | 'output'): string {
  const types =
    ROLE_FIELD_TYPES[name] ??
    (unwrapped(field) instanceof z.ZodString ? { input: 'String', output: 'String' } : undefined);
  if (!types)
    throw new Error(
      `src/graphql/sdl-admin.ts: the role field "${name}" is not text; give its GraphQL types in ROLE_FIELD_TYPES`,
    );
  return types[use];
}

/** An input's role fields: required where the format has no default, unless every field is optional (an update). */
const roleInputFields = (every: 'as the format says' | 'optional') =>
  Object.entries(roleCreateInput.shape)
    .map(([name, field]: [string, z.ZodType]) => {
      const required = every === 'as the format says' && !field.safeParse(undefined).success;
      const description =
        every === 'as the format says' && ROLE_INPUT_DESCRIPTIONS[name] ? `"${ROLE_INPUT_DESCRIPTIONS[name]}" ` : '';
      return `${description}${name}: ${roleFieldType(name, field, 'input')}${required ? '!' : ''}`;
    })
    .join('\n    ');

/** AdminRole's role fields: each always there, null only where the format allows null. */
const adminRoleFields = Object.entries(roleFields.omit({ questions: true }).shape)
  .map(
    ([name, field]: [string, z.ZodType]) =>
      `${name}: ${roleFieldType(name, field, 'output')}${field.safeParse(null).success ? '' : '!'}`,
  )
  .join('\n    ');

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

  input QuestionInput {
    prompt: String!
    "The name of one of the role's rounds, or null."
    round: String
    competency: String!
    whyAsked: String!
    howToAnswer: String!
    difficulty: Difficulty!
    tags: [String!]
    starExamples: [StarExampleInput!]!
    pitfalls: [String!]!
  }

  input QuestionUpdateInput {
    prompt: String
    round: String
    competency: String
    whyAsked: String
    howToAnswer: String
    difficulty: Difficulty
    tags: [String!]
    starExamples: [StarExampleInput!]
    pitfalls: [String!]
  }

  type AdminRound { name: String!, focus: String!, durationMinutes: Int! }
  type AdminFaq { question: String!, answer: String! }
  type AdminQuestionSummary { id: ID!, prompt: String!, round: String, status: Status!, position: Int!, version: Int! }

  "A role as content tools see it: drafts included, with its version."
  type AdminRole {
    ${adminRoleFields}
    questions: [AdminQuestionSummary!]!
    version: Int!
    publishedAt: DateTime
    updatedAt: DateTime!
  }

  type AdminQuestion {
    id: ID!
    role: String!
    prompt: String!
    round: String
    competency: String!
    whyAsked: String!
    howToAnswer: String!
    difficulty: Difficulty!
    tags: [String!]!
    status: Status!
    starExamples: [StarExample!]!
    pitfalls: [String!]!
    position: Int!
    version: Int!
    publishedAt: DateTime
    updatedAt: DateTime!
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
    updateRole(slug: String!, input: RoleUpdateInput!, version: Int): AdminRole!
    publishRole(slug: String!, version: Int): AdminRole!
    unpublishRole(slug: String!, version: Int): AdminRole!
    archiveRole(slug: String!, version: Int): AdminRole!
    deleteRole(slug: String!, cascade: Boolean = false, version: Int): Boolean!
    createQuestion(role: String!, input: QuestionInput!): AdminQuestion!
    updateQuestion(id: ID!, input: QuestionUpdateInput!, version: Int): AdminQuestion!
    publishQuestion(id: ID!, version: Int): AdminQuestion!
    unpublishQuestion(id: ID!, version: Int): AdminQuestion!
    archiveQuestion(id: ID!, version: Int): AdminQuestion!
    deleteQuestion(id: ID!, version: Int): Boolean!
    restoreRoleRevision(slug: String!, revision: Int!, version: Int): AdminRole!
    restoreQuestionRevision(id: ID!, revision: Int!, version: Int): AdminQuestion!
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
