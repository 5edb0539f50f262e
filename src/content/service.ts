import { authorize, type OperationName } from '../access/operations.js';
import type { Principal } from '../access/principal.js';
import type { Database } from '../db/client.js';
import type { StatementRunner } from '../db/statements.js';
import { listAudit, type AuditFilters } from './admin/audit.js';
import { createCategory, deleteCategory, listAdminCategories, updateCategory } from './admin/categories.js';
import {
  createQuestion,
  deleteQuestion,
  getAdminQuestion,
  reorderQuestions,
  setQuestionStatus,
  updateQuestion,
} from './admin/questions.js';
import {
  diffRevisions,
  getRevision,
  listRevisions,
  restoreQuestionRevision,
  restoreRoleRevision,
  type EntityType,
} from './admin/revisions.js';
import {
  addRound,
  createRole,
  deleteRole,
  deleteRound,
  getAdminRole,
  listAdminRoles,
  reorderRounds,
  setRoleStatus,
  updateRole,
  updateRound,
  type RoleCreateInput,
  type RoleUpdateInput,
} from './admin/roles.js';
import type { StatusAction } from './admin/lifecycle.js';
import type { Expected } from './admin/validation.js';
import { exportContent, importContent } from './admin/transfer.js';
import { listCategories } from './categories.js';
import type { PageRequest } from './pagination.js';
import { dataOf } from './read-model.js';
import type { QuestionOut, RoleMatchOut, RoleOut } from './schemas.js';
import {
  getQuestion,
  listQuestions,
  questionsByIds,
  questionsOfRounds,
  type ListQuestionsOptions,
  type QuestionFilters,
} from './questions.js';
import { matchRoles } from './role-match.js';
import { getRole, getRolePart, listRoles, rolePages, type RoleFilters, type RoleInclude } from './roles.js';
import { search, type SearchFilters } from './search.js';
import { syncPage, type SyncRequest } from './sync.js';
import type { ReadContext } from './visibility.js';

export interface ContentServiceOptions {
  /**
   * Awaited after every committed write transaction, before the command returns: the change
   * watcher reads the change log there, so the caller's next read already reflects the write.
   */
  afterCommit?: () => Promise<void>;
}

/** The same database, with `afterCommit` run after each transaction that commits. */
function withAfterCommit(db: Database, afterCommit: (() => Promise<void>) | undefined): Database {
  if (!afterCommit) return db;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<Database['transaction']>) => {
        const result = await target.transaction(...args);
        await afterCommit();
        return result;
      };
    },
  });
}

/** Runs an admin operation once the principal has passed its entry in the operation table. */
async function guard<T>(principal: Principal, operation: OperationName, run: () => T | Promise<T>): Promise<T> {
  authorize(principal, operation);
  return run();
}

const REVISIONS = {
  role: { list: 'listRoleRevisions', get: 'getRoleRevision', diff: 'diffRoleRevisions' },
  question: { list: 'listQuestionRevisions', get: 'getQuestionRevision', diff: 'diffQuestionRevisions' },
} as const satisfies Record<EntityType, Record<string, OperationName>>;

/**
 * The content layer bound to its database: what REST routes and GraphQL resolvers call. Reads and
 * writes take separate handles so public reads can later go to a replica without touching callers.
 */
export function createContentService(
  database: { db: Database; prepared: StatementRunner },
  options: ContentServiceOptions = {},
) {
  const db = withAfterCommit(database.db, options.afterCommit);
  const reads = database.prepared;
  return {
    listCategories: (ctx: ReadContext) => listCategories(reads, ctx),
    listRoles: (ctx: ReadContext, filters: RoleFilters, page: PageRequest) => listRoles(reads, ctx, filters, page),
    getRole: (ctx: ReadContext, slug: string, include: ReadonlySet<RoleInclude>) => getRole(reads, ctx, slug, include),
    getRolePart: (ctx: ReadContext, slug: string, part: 'rounds' | 'tips' | 'faqs') =>
      getRolePart(reads, ctx, slug, part),
    listQuestions: (ctx: ReadContext, filters: QuestionFilters, page: PageRequest, options?: ListQuestionsOptions) =>
      listQuestions(reads, ctx, filters, page, options),
    getQuestion: (ctx: ReadContext, id: string) => getQuestion(reads, ctx, id),
    /** The same reads as objects, for surfaces that render them (embed pages, oEmbed). */
    roleData: async (ctx: ReadContext, slug: string, include: ReadonlySet<RoleInclude>) =>
      dataOf<RoleOut>(await getRole(reads, ctx, slug, include)),
    questionData: async (ctx: ReadContext, id: string) => dataOf<QuestionOut>(await getQuestion(reads, ctx, id)),
    search: (ctx: ReadContext, filters: SearchFilters, page: PageRequest) => search(reads, ctx, filters, page),
    /** From a job ad's title to the roles it names (title-match/). */
    matchRoles: (ctx: ReadContext, title: string, limit: number) => matchRoles(reads, ctx, title, limit),
    roleMatchData: async (ctx: ReadContext, title: string, limit: number) =>
      dataOf<RoleMatchOut>(await matchRoles(reads, ctx, title, limit)),
    /** The delta sync feed reads the primary: the change log and the state it describes must agree. */
    sync: (ctx: ReadContext, request: SyncRequest) =>
      guard(ctx.principal, 'syncContent', () => syncPage({ db, reads }, ctx, request)),
    /** Batch reads for GraphQL: every parent of one query level in one statement. */
    graph: {
      rolePages: (ctx: ReadContext, slugs: readonly string[], include: ReadonlySet<RoleInclude>) =>
        rolePages(reads, ctx, slugs, include),
      questionsByIds: (ctx: ReadContext, ids: readonly string[]) => questionsByIds(reads, ctx, ids),
      questionsOfRounds: (ctx: ReadContext, rounds: readonly { role: string; position: number }[]) =>
        questionsOfRounds(reads, ctx, rounds),
    },
    /**
     * Commands and drafts-included reads for content tools. Each checks the caller against its
     * operation in src/access/operations.ts before anything else, so no surface can skip it; a
     * command answers with what it changed, read inside its own transaction (so exactly what it
     * wrote), and the caller needs no read scope to see its write. Every write is one transaction.
     */
    admin: {
      listCategories: (p: Principal) => guard(p, 'listAdminCategories', () => listAdminCategories(db)),
      createCategory: (p: Principal, input: unknown) => guard(p, 'createCategory', () => createCategory(db, p, input)),
      updateCategory: (p: Principal, slug: string, input: unknown) =>
        guard(p, 'updateCategory', () => updateCategory(db, p, slug, input)),
      deleteCategory: (p: Principal, slug: string, cascade: boolean) =>
        guard(p, 'deleteCategory', () => deleteCategory(db, p, slug, cascade)),
      listRoles: (p: Principal) => guard(p, 'listAdminRoles', () => listAdminRoles(db)),
      getRole: (p: Principal, slug: string) => guard(p, 'getAdminRole', () => getAdminRole(db, slug)),
      createRole: (p: Principal, input: RoleCreateInput) => guard(p, 'createRole', () => createRole(db, p, input)),
      updateRole: (p: Principal, slug: string, input: RoleUpdateInput, ifMatch?: Expected) =>
        guard(p, 'updateRole', () => updateRole(db, p, slug, input, ifMatch)),
      setRoleStatus: (p: Principal, slug: string, action: StatusAction, ifMatch?: Expected) =>
        guard(p, `${action}Role`, () => setRoleStatus(db, p, slug, action, ifMatch)),
      deleteRole: (p: Principal, slug: string, cascade: boolean, ifMatch?: Expected) =>
        guard(p, 'deleteRole', () => deleteRole(db, p, slug, cascade, ifMatch)),
      addRound: (p: Principal, slug: string, input: unknown, ifMatch?: Expected) =>
        guard(p, 'addRound', () => addRound(db, p, slug, input, ifMatch)),
      updateRound: (p: Principal, slug: string, position: number, input: unknown, ifMatch?: Expected) =>
        guard(p, 'updateRound', () => updateRound(db, p, slug, position, input, ifMatch)),
      deleteRound: (p: Principal, slug: string, position: number, cascade: boolean, ifMatch?: Expected) =>
        guard(p, 'deleteRound', () => deleteRound(db, p, slug, position, cascade, ifMatch)),
      reorderRounds: (p: Principal, slug: string, names: string[], ifMatch?: Expected) =>
        guard(p, 'reorderRounds', () => reorderRounds(db, p, slug, names, ifMatch)),
      getQuestion: (p: Principal, id: string) => guard(p, 'getAdminQuestion', () => getAdminQuestion(db, id)),
      createQuestion: (p: Principal, roleSlug: string, input: unknown) =>
        guard(p, 'createQuestion', () => createQuestion(db, p, roleSlug, input)),
      updateQuestion: (p: Principal, id: string, input: unknown, ifMatch?: Expected) =>
        guard(p, 'updateQuestion', () => updateQuestion(db, p, id, input, ifMatch)),
      setQuestionStatus: (p: Principal, id: string, action: StatusAction, ifMatch?: Expected) =>
        guard(p, `${action}Question`, () => setQuestionStatus(db, p, id, action, ifMatch)),
      deleteQuestion: (p: Principal, id: string, ifMatch?: Expected) =>
        guard(p, 'deleteQuestion', () => deleteQuestion(db, p, id, ifMatch)),
      reorderQuestions: (p: Principal, roleSlug: string, ids: string[], ifMatch?: Expected) =>
        guard(p, 'reorderQuestions', () => reorderQuestions(db, p, roleSlug, ids, ifMatch)),
      listRevisions: (p: Principal, type: EntityType, key: string) =>
        guard(p, REVISIONS[type].list, () => listRevisions(db, type, key)),
      getRevision: (p: Principal, type: EntityType, key: string, version: number) =>
        guard(p, REVISIONS[type].get, () => getRevision(db, type, key, version)),
      diffRevisions: (p: Principal, type: EntityType, key: string, from: number, to: number) =>
        guard(p, REVISIONS[type].diff, () => diffRevisions(db, type, key, from, to)),
      restoreRoleRevision: (p: Principal, slug: string, version: number, ifMatch?: Expected) =>
        guard(p, 'restoreRoleRevision', () => restoreRoleRevision(db, p, slug, version, ifMatch)),
      restoreQuestionRevision: (p: Principal, id: string, version: number, ifMatch?: Expected) =>
        guard(p, 'restoreQuestionRevision', () => restoreQuestionRevision(db, p, id, version, ifMatch)),
      audit: (p: Principal, filters: AuditFilters, page: PageRequest) =>
        guard(p, 'listAuditEntries', () => listAudit(db, filters, page)),
      exportContent: (p: Principal, roleSlug?: string) => guard(p, 'exportContent', () => exportContent(db, roleSlug)),
      importContent: (p: Principal, input: unknown, dryRun: boolean, signal?: AbortSignal) =>
        guard(p, 'importContent', () => importContent(db, p, input, dryRun, signal)),
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
