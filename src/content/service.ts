import type { Principal } from '../access/principal.js';
import type { Database } from '../db/client.js';
import type { StatementRunner } from '../db/statements.js';
import { listAudit, type AuditFilters } from './admin/audit.js';
import { createCategory, deleteCategory, listAdminCategories, updateCategory } from './admin/categories.js';
import { createQuestion, deleteQuestion, getAdminQuestion, reorderQuestions, setQuestionStatus, updateQuestion } from './admin/questions.js';
import { diffRevisions, getRevision, listRevisions, restoreRevision, type EntityType } from './admin/revisions.js';
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
import { exportCategories, exportRoles } from './export.js';
import { importBundle, type ImportBundle } from './import.js';
import type { PageRequest } from './pagination.js';
import { dataOf } from './read-model.js';
import type { QuestionOut, RoleOut } from './schemas.js';
import { getQuestion, listQuestions, questionsByIds, questionsOfRounds, type ListQuestionsOptions, type QuestionFilters } from './questions.js';
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

/**
 * The content layer bound to its database: what REST routes and GraphQL resolvers call. Reads and
 * writes take separate handles so public reads can later go to a replica without touching callers.
 */
export function createContentService(database: { db: Database; prepared: StatementRunner }, options: ContentServiceOptions = {}) {
  const db = withAfterCommit(database.db, options.afterCommit);
  const reads = database.prepared;
  return {
    listCategories: (ctx: ReadContext) => listCategories(reads, ctx),
    listRoles: (ctx: ReadContext, filters: RoleFilters, page: PageRequest) => listRoles(reads, ctx, filters, page),
    getRole: (ctx: ReadContext, slug: string, include: ReadonlySet<RoleInclude>) => getRole(reads, ctx, slug, include),
    getRolePart: (ctx: ReadContext, slug: string, part: 'rounds' | 'tips' | 'faqs') => getRolePart(reads, ctx, slug, part),
    listQuestions: (ctx: ReadContext, filters: QuestionFilters, page: PageRequest, options?: ListQuestionsOptions) => listQuestions(reads, ctx, filters, page, options),
    getQuestion: (ctx: ReadContext, id: string) => getQuestion(reads, ctx, id),
    /** The same reads as objects, for surfaces that render them (embed pages, oEmbed). */
    roleData: async (ctx: ReadContext, slug: string, include: ReadonlySet<RoleInclude>) => dataOf<RoleOut>(await getRole(reads, ctx, slug, include)),
    questionData: async (ctx: ReadContext, id: string) => dataOf<QuestionOut>(await getQuestion(reads, ctx, id)),
    search: (ctx: ReadContext, filters: SearchFilters, page: PageRequest) => search(reads, ctx, filters, page),
    /** The delta sync feed reads the primary: the change log and the state it describes must agree. */
    sync: (ctx: ReadContext, request: SyncRequest) => syncPage({ db, reads }, ctx, request),
    /** Batch reads for GraphQL: every parent of one query level in one statement. */
    graph: {
      rolePages: (ctx: ReadContext, slugs: readonly string[], include: ReadonlySet<RoleInclude>) => rolePages(reads, ctx, slugs, include),
      questionsByIds: (ctx: ReadContext, ids: readonly string[]) => questionsByIds(reads, ctx, ids),
      questionsOfRounds: (ctx: ReadContext, rounds: readonly { role: string; position: number }[]) => questionsOfRounds(reads, ctx, rounds),
    },
    exportAll: async () => ({ categories: await exportCategories(db), roles: await exportRoles(db) }),
    importBundle: (bundle: ImportBundle, actor: string) => importBundle(db, bundle, actor),

    /** Commands and drafts-included reads for content tools; every write is one transaction. */
    admin: {
      listCategories: () => listAdminCategories(db),
      createCategory: (p: Principal, input: unknown) => createCategory(db, p, input),
      updateCategory: (p: Principal, slug: string, input: unknown) => updateCategory(db, p, slug, input),
      deleteCategory: (p: Principal, slug: string, cascade: boolean) => deleteCategory(db, p, slug, cascade),
      listRoles: () => listAdminRoles(db),
      getRole: (slug: string) => getAdminRole(db, slug),
      createRole: (p: Principal, input: RoleCreateInput) => createRole(db, p, input),
      updateRole: (p: Principal, slug: string, input: RoleUpdateInput, ifMatch?: Expected) => updateRole(db, p, slug, input, ifMatch),
      setRoleStatus: (p: Principal, slug: string, action: StatusAction, ifMatch?: Expected) => setRoleStatus(db, p, slug, action, ifMatch),
      deleteRole: (p: Principal, slug: string, cascade: boolean, ifMatch?: Expected) => deleteRole(db, p, slug, cascade, ifMatch),
      addRound: (p: Principal, slug: string, input: unknown, ifMatch?: Expected) => addRound(db, p, slug, input, ifMatch),
      updateRound: (p: Principal, slug: string, position: number, input: unknown, ifMatch?: Expected) => updateRound(db, p, slug, position, input, ifMatch),
      deleteRound: (p: Principal, slug: string, position: number, cascade: boolean, ifMatch?: Expected) => deleteRound(db, p, slug, position, cascade, ifMatch),
      reorderRounds: (p: Principal, slug: string, names: string[], ifMatch?: Expected) => reorderRounds(db, p, slug, names, ifMatch),
      getQuestion: (id: string) => getAdminQuestion(db, id),
      createQuestion: (p: Principal, roleSlug: string, input: unknown) => createQuestion(db, p, roleSlug, input),
      updateQuestion: (p: Principal, id: string, input: unknown, ifMatch?: Expected) => updateQuestion(db, p, id, input, ifMatch),
      setQuestionStatus: (p: Principal, id: string, action: StatusAction, ifMatch?: Expected) => setQuestionStatus(db, p, id, action, ifMatch),
      deleteQuestion: (p: Principal, id: string, ifMatch?: Expected) => deleteQuestion(db, p, id, ifMatch),
      reorderQuestions: (p: Principal, roleSlug: string, ids: string[], ifMatch?: Expected) => reorderQuestions(db, p, roleSlug, ids, ifMatch),
      listRevisions: (type: EntityType, key: string) => listRevisions(db, type, key),
      getRevision: (type: EntityType, key: string, version: number) => getRevision(db, type, key, version),
      diffRevisions: (type: EntityType, key: string, from: number, to: number) => diffRevisions(db, type, key, from, to),
      restoreRevision: (p: Principal, type: EntityType, key: string, version: number, ifMatch?: Expected) => restoreRevision(db, p, type, key, version, ifMatch),
      audit: (filters: AuditFilters, page: PageRequest) => listAudit(db, filters, page),
      exportContent: (roleSlug?: string) => exportContent(db, roleSlug),
      importContent: (p: Principal, input: unknown, dryRun: boolean, signal?: AbortSignal) => importContent(db, p, input, dryRun, signal),
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
