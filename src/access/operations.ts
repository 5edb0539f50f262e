import { AppError } from '../errors.js';
import type { Principal, Scope } from './principal.js';

/*
 * Every operation of the API, once: its name, where each surface serves it, and who may call it.
 *
 * The name is the OpenAPI operationId, what a REST route names in `config.operation` and what
 * the content and access services pass to `authorize`. `rest` is the route as fastify registers
 * it (":param"); `graphql` is the root field. `access` is 'public' or the scopes a key must all
 * hold. Start-up fails when a route or a Query/Mutation field has no entry here, or an entry names
 * a route or field that does not exist (http/plugins/access.ts), so nothing can be added unguarded.
 *
 * Adding an operation: add a line here, name it in the route (`config: { operation: 'listX' }`),
 * and call `authorize(principal, 'listX')` first thing in the service function it runs.
 */

export type Access = 'public' | readonly [Scope, ...Scope[]];

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Operation {
  rest?: `${Method} /${string}`;
  graphql?: `Query.${string}` | `Mutation.${string}`;
  access: Access;
}

const preview = ['content:preview'] as const;
const write = ['content:write'] as const;
const publish = ['content:publish'] as const;
const keys = ['keys:manage'] as const;
const webhooks = ['webhooks:manage'] as const;

export const OPERATIONS = {
  // Probes and public reads: anyone. Drafts through ?preview=true are decided in content/visibility.ts.
  getHealth: { rest: 'GET /healthz', access: 'public' },
  getReadiness: { rest: 'GET /readyz', access: 'public' },
  listCategories: { rest: 'GET /v1/categories', graphql: 'Query.categories', access: 'public' },
  listRoles: { rest: 'GET /v1/roles', graphql: 'Query.roles', access: 'public' },
  getRole: { rest: 'GET /v1/roles/:slug', graphql: 'Query.role', access: 'public' },
  matchRoles: { rest: 'GET /v1/roles/match', graphql: 'Query.roleMatches', access: 'public' },
  listRoleQuestions: { rest: 'GET /v1/roles/:slug/questions', access: 'public' },
  listRoleRounds: { rest: 'GET /v1/roles/:slug/rounds', access: 'public' },
  listRoleTips: { rest: 'GET /v1/roles/:slug/tips', access: 'public' },
  listRoleFaqs: { rest: 'GET /v1/roles/:slug/faqs', access: 'public' },
  listQuestions: { rest: 'GET /v1/questions', graphql: 'Query.questions', access: 'public' },
  getQuestion: { rest: 'GET /v1/questions/:id', graphql: 'Query.question', access: 'public' },
  search: { rest: 'GET /v1/search', graphql: 'Query.search', access: 'public' },
  getRoleEmbedPage: { rest: 'GET /embed/v1/roles/:slug', access: 'public' },
  getRoleEmbedPageByJobTitle: { rest: 'GET /embed/v1/roles', access: 'public' },
  getQuestionEmbedPage: { rest: 'GET /embed/v1/questions/:id', access: 'public' },
  getOEmbed: { rest: 'GET /oembed', access: 'public' },
  syncContent: { rest: 'GET /v1/sync', access: 'public' },
  listProblemTypes: { rest: 'GET /problems', access: 'public' },
  getProblemType: { rest: 'GET /problems/:type', access: 'public' },

  // API keys. What one key may do to another beyond the scope is key-policy.ts.
  listApiKeys: { rest: 'GET /v1/admin/keys', access: keys },
  createApiKey: { rest: 'POST /v1/admin/keys', graphql: 'Mutation.createApiKey', access: keys },
  revokeApiKey: { rest: 'POST /v1/admin/keys/:id/revoke', graphql: 'Mutation.revokeApiKey', access: keys },
  rotateApiKey: { rest: 'POST /v1/admin/keys/:id/rotate', graphql: 'Mutation.rotateApiKey', access: keys },
  getApiKeyUsage: { rest: 'GET /v1/admin/keys/:id/usage', access: keys },

  // Webhooks: receivers, their secrets and the delivery log.
  listWebhooks: { rest: 'GET /v1/admin/webhooks', access: webhooks },
  createWebhook: { rest: 'POST /v1/admin/webhooks', access: webhooks },
  getWebhook: { rest: 'GET /v1/admin/webhooks/:id', access: webhooks },
  updateWebhook: { rest: 'PATCH /v1/admin/webhooks/:id', access: webhooks },
  deleteWebhook: { rest: 'DELETE /v1/admin/webhooks/:id', access: webhooks },
  rotateWebhookSecret: { rest: 'POST /v1/admin/webhooks/:id/rotate-secret', access: webhooks },
  listWebhookDeliveries: { rest: 'GET /v1/admin/webhooks/:id/deliveries', access: webhooks },
  getWebhookDelivery: { rest: 'GET /v1/admin/webhooks/:id/deliveries/:deliveryId', access: webhooks },
  redeliverWebhookEvent: { rest: 'POST /v1/admin/webhooks/:id/deliveries/:deliveryId/redeliver', access: webhooks },
  replayWebhookEvents: { rest: 'POST /v1/admin/webhooks/:id/replay', access: webhooks },

  listAdminCategories: { rest: 'GET /v1/admin/categories', access: preview },
  createCategory: { rest: 'POST /v1/admin/categories', graphql: 'Mutation.createCategory', access: write },
  updateCategory: { rest: 'PATCH /v1/admin/categories/:slug', graphql: 'Mutation.updateCategory', access: write },
  deleteCategory: { rest: 'DELETE /v1/admin/categories/:slug', graphql: 'Mutation.deleteCategory', access: write },

  listAdminRoles: { rest: 'GET /v1/admin/roles', graphql: 'Query.adminRoles', access: preview },
  getAdminRole: { rest: 'GET /v1/admin/roles/:slug', graphql: 'Query.adminRole', access: preview },
  createRole: { rest: 'POST /v1/admin/roles', graphql: 'Mutation.createRole', access: write },
  updateRole: { rest: 'PATCH /v1/admin/roles/:slug', graphql: 'Mutation.updateRole', access: write },
  deleteRole: { rest: 'DELETE /v1/admin/roles/:slug', graphql: 'Mutation.deleteRole', access: write },
  // Changing what readers see needs content:publish, on every path (lifecycle.ts).
  publishRole: { rest: 'POST /v1/admin/roles/:slug/publish', graphql: 'Mutation.publishRole', access: publish },
  unpublishRole: { rest: 'POST /v1/admin/roles/:slug/unpublish', graphql: 'Mutation.unpublishRole', access: publish },
  archiveRole: { rest: 'POST /v1/admin/roles/:slug/archive', graphql: 'Mutation.archiveRole', access: publish },
  scheduleRole: { rest: 'PUT /v1/admin/roles/:slug/schedule', graphql: 'Mutation.scheduleRole', access: publish },
  addRound: { rest: 'POST /v1/admin/roles/:slug/rounds', graphql: 'Mutation.addRound', access: write },
  updateRound: { rest: 'PATCH /v1/admin/roles/:slug/rounds/:position', graphql: 'Mutation.updateRound', access: write },
  deleteRound: {
    rest: 'DELETE /v1/admin/roles/:slug/rounds/:position',
    graphql: 'Mutation.deleteRound',
    access: write,
  },
  reorderRounds: { rest: 'PUT /v1/admin/roles/:slug/rounds/order', graphql: 'Mutation.reorderRounds', access: write },
  createQuestion: { rest: 'POST /v1/admin/roles/:slug/questions', graphql: 'Mutation.createQuestion', access: write },
  reorderQuestions: {
    rest: 'PUT /v1/admin/roles/:slug/questions/order',
    graphql: 'Mutation.reorderQuestions',
    access: write,
  },

  listAdminQuestions: { rest: 'GET /v1/admin/questions', graphql: 'Query.adminQuestions', access: preview },
  getAdminQuestion: { rest: 'GET /v1/admin/questions/:id', graphql: 'Query.adminQuestion', access: preview },
  updateQuestion: { rest: 'PATCH /v1/admin/questions/:id', graphql: 'Mutation.updateQuestion', access: write },
  deleteQuestion: { rest: 'DELETE /v1/admin/questions/:id', graphql: 'Mutation.deleteQuestion', access: write },
  publishQuestion: {
    rest: 'POST /v1/admin/questions/:id/publish',
    graphql: 'Mutation.publishQuestion',
    access: publish,
  },
  unpublishQuestion: {
    rest: 'POST /v1/admin/questions/:id/unpublish',
    graphql: 'Mutation.unpublishQuestion',
    access: publish,
  },
  archiveQuestion: {
    rest: 'POST /v1/admin/questions/:id/archive',
    graphql: 'Mutation.archiveQuestion',
    access: publish,
  },
  scheduleQuestion: {
    rest: 'PUT /v1/admin/questions/:id/schedule',
    graphql: 'Mutation.scheduleQuestion',
    access: publish,
  },

  // Status changes of many items at once, and releases: what readers see changes, so content:publish;
  // putting items into a release (or taking them out) is writing, publishing it is publishing.
  bulkContent: { rest: 'POST /v1/admin/bulk', graphql: 'Mutation.bulk', access: publish },
  listReleases: { rest: 'GET /v1/admin/releases', graphql: 'Query.releases', access: preview },
  getRelease: { rest: 'GET /v1/admin/releases/:id', graphql: 'Query.release', access: preview },
  createRelease: { rest: 'POST /v1/admin/releases', graphql: 'Mutation.createRelease', access: publish },
  updateRelease: { rest: 'PATCH /v1/admin/releases/:id', graphql: 'Mutation.updateRelease', access: publish },
  addReleaseItems: { rest: 'POST /v1/admin/releases/:id/items', graphql: 'Mutation.addReleaseItems', access: write },
  removeReleaseItem: {
    rest: 'DELETE /v1/admin/releases/:id/items/:type/:key',
    graphql: 'Mutation.removeReleaseItem',
    access: write,
  },
  publishRelease: { rest: 'POST /v1/admin/releases/:id/publish', graphql: 'Mutation.publishRelease', access: publish },
  cancelRelease: { rest: 'POST /v1/admin/releases/:id/cancel', graphql: 'Mutation.cancelRelease', access: publish },

  // A restore brings back content, never the status, so writing is enough.
  listRoleRevisions: { rest: 'GET /v1/admin/roles/:key/revisions', access: preview },
  diffRoleRevisions: { rest: 'GET /v1/admin/roles/:key/revisions/diff', access: preview },
  getRoleRevision: { rest: 'GET /v1/admin/roles/:key/revisions/:version', access: preview },
  restoreRoleRevision: {
    rest: 'POST /v1/admin/roles/:key/revisions/:version/restore',
    graphql: 'Mutation.restoreRoleRevision',
    access: write,
  },
  listQuestionRevisions: { rest: 'GET /v1/admin/questions/:key/revisions', access: preview },
  diffQuestionRevisions: { rest: 'GET /v1/admin/questions/:key/revisions/diff', access: preview },
  getQuestionRevision: { rest: 'GET /v1/admin/questions/:key/revisions/:version', access: preview },
  restoreQuestionRevision: {
    rest: 'POST /v1/admin/questions/:key/revisions/:version/restore',
    graphql: 'Mutation.restoreQuestionRevision',
    access: write,
  },

  exportContent: { rest: 'GET /v1/admin/export', access: preview },
  // An import writes statuses as the file says, so it needs both.
  importContent: {
    rest: 'POST /v1/admin/import',
    graphql: 'Mutation.importContent',
    access: ['content:write', 'content:publish'],
  },
  listAuditEntries: { rest: 'GET /v1/admin/audit', access: publish },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

const TABLE: Readonly<Record<string, Operation>> = OPERATIONS;

const isOperationName = (name: unknown): name is OperationName =>
  typeof name === 'string' && Object.hasOwn(TABLE, name);

/** The operation a root GraphQL field (`Mutation.createRole`) serves, if any. */
export function operationOfField(field: string): OperationName | undefined {
  return (Object.keys(TABLE) as OperationName[]).find((name) => TABLE[name]!.graphql === field);
}

export type KeyPrincipal = Extract<Principal, { kind: 'key' }>;

/**
 * Whether the principal may run the operation: 401 without a key, 403 without every scope it
 * needs. The one check every surface and every command goes through; returns the principal, as a
 * key when the operation needs one.
 */
export function authorize<N extends OperationName>(
  principal: Principal,
  name: N,
): (typeof OPERATIONS)[N]['access'] extends 'public' ? Principal : KeyPrincipal;
export function authorize(principal: Principal, name: OperationName): Principal {
  const { access } = TABLE[name]!;
  if (access === 'public') return principal;
  if (principal.kind === 'anonymous')
    throw new AppError('UNAUTHENTICATED', `This operation (${name}) needs an API key with ${access.join(' and ')}`);
  const missing = access.filter((scope) => !principal.scopes.includes(scope));
  if (missing.length)
    throw new AppError('FORBIDDEN', `This API key lacks the scope ${missing.join(' and ')}, which ${name} needs`);
  return principal;
}

export interface Surfaces {
  /** Routes that must serve an operation: METHOD, URL as registered, the operation they name. */
  routes: readonly { method: string; url: string; operation: unknown }[];
  /** Root GraphQL fields, as `Query.role` and `Mutation.createRole`. */
  fields: readonly string[];
}

/**
 * What keeps the table and the surfaces from agreeing, one line each: a route or field without an
 * entry, a route naming an entry that puts it elsewhere, an entry naming a route or field that
 * does not exist. Empty when they agree.
 */
export function coverageProblems({ routes, fields }: Surfaces): string[] {
  const problems: string[] = [];
  const served = new Set<string>();
  for (const { method, url, operation } of routes) {
    const route = `${method} ${url}`;
    served.add(route);
    if (operation === undefined)
      problems.push(`${route} names no operation: add one to src/access/operations.ts and set config.operation`);
    else if (!isOperationName(operation))
      problems.push(
        `${route} names the operation "${String(operation)}", which src/access/operations.ts does not have`,
      );
    else if (TABLE[operation]!.rest !== route)
      problems.push(
        `${route} names ${operation}, which src/access/operations.ts puts at ${TABLE[operation]!.rest ?? 'no route'}`,
      );
  }
  for (const field of fields)
    if (!operationOfField(field)) problems.push(`${field} has no operation in src/access/operations.ts`);
  for (const [name, operation] of Object.entries(TABLE)) {
    if (operation.rest && !served.has(operation.rest))
      problems.push(`${name} names the route ${operation.rest}, which does not exist`);
    if (operation.graphql && !fields.includes(operation.graphql))
      problems.push(`${name} names the field ${operation.graphql}, which does not exist`);
  }
  return problems;
}
