import { authorize, type OperationName } from '../access/operations.js';
import type { Principal } from '../access/principal.js';
import { systemClock, type Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import type { StatementRunner } from '../db/statements.js';
import { listAudit, type AuditFilters } from './admin/audit.js';
import type { Schedule } from './admin/aggregate-write.js';
import { runBulk, type BulkInput } from './admin/bulk.js';
import { createCategory, deleteCategory, listAdminCategories, updateCategory } from './admin/categories.js';
import type { StatusAction, StatusActionOptions } from './admin/lifecycle.js';
import { listAdminQuestions, listAdminRoles, type AdminQuestionFilters, type AdminRoleFilters } from './admin/lists.js';
import {
  createQuestion,
  deleteQuestion,
  getAdminQuestion,
  reorderQuestions,
  scheduleQuestion,
  setQuestionStatus,
  updateQuestion,
} from './admin/questions.js';
import {
  addReleaseItems,
  cancelRelease,
  createRelease,
  getRelease,
  listReleases,
  publishRelease,
  removeReleaseItem,
  updateRelease,
} from './admin/releases.js';
import {
  diffRevisions,
  getRevision,
  listRevisions,
  restoreQuestionRevision,
  restoreRoleRevision,
  type EntityType,
  type RestoreOptions,
} from './admin/revisions.js';
import {
  addRound,
  createRole,
  deleteRole,
  deleteRound,
  getAdminRole,
  reorderRounds,
  scheduleRole,
  setRoleStatus,
  updateRole,
  updateRound,
  type RoleCreateInput,
  type RoleUpdateInput,
} from './admin/roles.js';
import { runDueSchedules } from './admin/schedules.js';
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
  /** Where writes and the scheduler take the time from. */
  clock?: Clock;
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
  const deps = { db, clock: options.clock ?? systemClock };
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
      createCategory: (p: Principal, input: unknown) =>
        guard(p, 'createCategory', () => createCategory(deps, p, input)),
      updateCategory: (p: Principal, slug: string, input: unknown) =>
        guard(p, 'updateCategory', () => updateCategory(deps, p, slug, input)),
      deleteCategory: (p: Principal, slug: string, cascade: boolean) =>
        guard(p, 'deleteCategory', () => deleteCategory(deps, p, slug, cascade)),
      listRoles: (p: Principal, filters: AdminRoleFilters = {}, page: PageRequest = { limit: 20 }) =>
        guard(p, 'listAdminRoles', () => listAdminRoles(db, filters, page)),
      getRole: (p: Principal, slug: string) => guard(p, 'getAdminRole', () => getAdminRole(db, slug)),
      createRole: (p: Principal, input: RoleCreateInput) => guard(p, 'createRole', () => createRole(deps, p, input)),
      updateRole: (p: Principal, slug: string, input: RoleUpdateInput, ifMatch?: Expected) =>
        guard(p, 'updateRole', () => updateRole(deps, p, slug, input, ifMatch)),
      setRoleStatus: (
        p: Principal,
        slug: string,
        action: StatusAction,
        ifMatch?: Expected,
        options?: StatusActionOptions,
      ) => guard(p, `${action}Role`, () => setRoleStatus(deps, p, slug, action, ifMatch, options)),
      scheduleRole: (p: Principal, slug: string, schedule: Schedule, ifMatch?: Expected) =>
        guard(p, 'scheduleRole', () => scheduleRole(deps, p, slug, schedule, ifMatch)),
      deleteRole: (p: Principal, slug: string, cascade: boolean, ifMatch?: Expected) =>
        guard(p, 'deleteRole', () => deleteRole(deps, p, slug, cascade, ifMatch)),
      addRound: (p: Principal, slug: string, input: unknown, ifMatch?: Expected) =>
        guard(p, 'addRound', () => addRound(deps, p, slug, input, ifMatch)),
      updateRound: (p: Principal, slug: string, position: number, input: unknown, ifMatch?: Expected) =>
        guard(p, 'updateRound', () => updateRound(deps, p, slug, position, input, ifMatch)),
      deleteRound: (p: Principal, slug: string, position: number, cascade: boolean, ifMatch?: Expected) =>
        guard(p, 'deleteRound', () => deleteRound(deps, p, slug, position, cascade, ifMatch)),
      reorderRounds: (p: Principal, slug: string, names: string[], ifMatch?: Expected) =>
        guard(p, 'reorderRounds', () => reorderRounds(deps, p, slug, names, ifMatch)),
      listQuestions: (p: Principal, filters: AdminQuestionFilters = {}, page: PageRequest = { limit: 20 }) =>
        guard(p, 'listAdminQuestions', () => listAdminQuestions(db, filters, page)),
      getQuestion: (p: Principal, id: string) => guard(p, 'getAdminQuestion', () => getAdminQuestion(db, id)),
      createQuestion: (p: Principal, roleSlug: string, input: unknown) =>
        guard(p, 'createQuestion', () => createQuestion(deps, p, roleSlug, input)),
      updateQuestion: (p: Principal, id: string, input: unknown, ifMatch?: Expected) =>
        guard(p, 'updateQuestion', () => updateQuestion(deps, p, id, input, ifMatch)),
      setQuestionStatus: (
        p: Principal,
        id: string,
        action: StatusAction,
        ifMatch?: Expected,
        options?: StatusActionOptions,
      ) => guard(p, `${action}Question`, () => setQuestionStatus(deps, p, id, action, ifMatch, options)),
      scheduleQuestion: (p: Principal, id: string, schedule: Schedule, ifMatch?: Expected) =>
        guard(p, 'scheduleQuestion', () => scheduleQuestion(deps, p, id, schedule, ifMatch)),
      deleteQuestion: (p: Principal, id: string, ifMatch?: Expected) =>
        guard(p, 'deleteQuestion', () => deleteQuestion(deps, p, id, ifMatch)),
      reorderQuestions: (p: Principal, roleSlug: string, ids: string[], ifMatch?: Expected) =>
        guard(p, 'reorderQuestions', () => reorderQuestions(deps, p, roleSlug, ids, ifMatch)),
      listRevisions: (p: Principal, type: EntityType, key: string) =>
        guard(p, REVISIONS[type].list, () => listRevisions(db, type, key)),
      getRevision: (p: Principal, type: EntityType, key: string, version: number) =>
        guard(p, REVISIONS[type].get, () => getRevision(db, type, key, version)),
      diffRevisions: (p: Principal, type: EntityType, key: string, from: number, to: number) =>
        guard(p, REVISIONS[type].diff, () => diffRevisions(db, type, key, from, to)),
      restoreRoleRevision: (
        p: Principal,
        slug: string,
        version: number,
        ifMatch?: Expected,
        options?: RestoreOptions,
      ) => guard(p, 'restoreRoleRevision', () => restoreRoleRevision(deps, p, slug, version, ifMatch, options)),
      restoreQuestionRevision: (
        p: Principal,
        id: string,
        version: number,
        ifMatch?: Expected,
        options?: RestoreOptions,
      ) => guard(p, 'restoreQuestionRevision', () => restoreQuestionRevision(deps, p, id, version, ifMatch, options)),
      bulk: (p: Principal, input: BulkInput) => guard(p, 'bulkContent', () => runBulk(deps, p, input)),
      listReleases: (p: Principal, status?: string) => guard(p, 'listReleases', () => listReleases(db, status)),
      getRelease: (p: Principal, id: string) => guard(p, 'getRelease', () => getRelease(db, id)),
      createRelease: (p: Principal, input: unknown) =>
        guard(p, 'createRelease', () => createRelease(deps, p, input as never)),
      updateRelease: (p: Principal, id: string, input: unknown) =>
        guard(p, 'updateRelease', () => updateRelease(deps, p, id, input)),
      addReleaseItems: (p: Principal, id: string, input: unknown) =>
        guard(p, 'addReleaseItems', () => addReleaseItems(deps, p, id, input)),
      removeReleaseItem: (p: Principal, id: string, type: 'role' | 'question', key: string) =>
        guard(p, 'removeReleaseItem', () => removeReleaseItem(deps, p, id, type, key)),
      publishRelease: (p: Principal, id: string, dryRun = false) =>
        guard(p, 'publishRelease', () => publishRelease(deps, p, id, dryRun)),
      cancelRelease: (p: Principal, id: string) => guard(p, 'cancelRelease', () => cancelRelease(deps, p, id)),
      audit: (p: Principal, filters: AuditFilters, page: PageRequest) =>
        guard(p, 'listAuditEntries', () => listAudit(db, filters, page)),
      exportContent: (p: Principal, roleSlug?: string) => guard(p, 'exportContent', () => exportContent(db, roleSlug)),
      importContent: (p: Principal, input: unknown, dryRun: boolean, signal?: AbortSignal) =>
        guard(p, 'importContent', () => importContent(deps, p, input, dryRun, signal)),
    },
    /** Runs the publishes, unpublishes and releases that are due (the scheduler calls it every poll). */
    runDueSchedules: () => runDueSchedules(deps),
  };
}

export type ContentService = ReturnType<typeof createContentService>;
