import type { Principal } from '../access/principal.js';
import type { Database } from '../db/client.js';
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
import { exportContent, importContent } from './admin/transfer.js';
import { listCategories } from './categories.js';
import { exportCategories, exportRoles } from './export.js';
import * as graph from './graph.js';
import { importBundle, type ImportBundle } from './import.js';
import type { PageRequest } from './pagination.js';
import { getQuestion, listQuestions, type QuestionFilters } from './questions.js';
import { getRole, getRoleFaqs, getRoleRounds, getRoleTips, listRoles, type RoleFilters, type RoleInclude } from './roles.js';
import { search, type SearchFilters } from './search.js';
import { syncPage, type SyncRequest } from './sync.js';
import type { ReadContext } from './visibility.js';

/**
 * The content layer bound to its database: what REST routes and GraphQL resolvers call. Reads and
 * writes take separate handles so public reads can later go to a replica without touching callers.
 */
export function createContentService(db: Database) {
  const reads = db;
  return {
    listCategories: (ctx: ReadContext) => listCategories(reads, ctx),
    listRoles: (ctx: ReadContext, filters: RoleFilters, page: PageRequest) => listRoles(reads, ctx, filters, page),
    getRole: (ctx: ReadContext, slug: string, include: ReadonlySet<RoleInclude>) => getRole(reads, ctx, slug, include),
    getRoleRounds: (ctx: ReadContext, slug: string) => getRoleRounds(reads, ctx, slug),
    getRoleTips: (ctx: ReadContext, slug: string) => getRoleTips(reads, ctx, slug),
    getRoleFaqs: (ctx: ReadContext, slug: string) => getRoleFaqs(reads, ctx, slug),
    listQuestions: (ctx: ReadContext, filters: QuestionFilters, page: PageRequest) => listQuestions(reads, ctx, filters, page),
    getQuestion: (ctx: ReadContext, id: string) => getQuestion(reads, ctx, id),
    search: (ctx: ReadContext, filters: SearchFilters, page: PageRequest) => search(reads, ctx, filters, page),
    /** The delta sync feed reads the primary: the change log and the state it describes must agree. */
    sync: (ctx: ReadContext, request: SyncRequest) => syncPage(db, ctx, request),
    /** Batch reads for GraphQL loaders: one answer per id, in order. */
    graph: {
      rolesByIds: (ctx: ReadContext, ids: readonly string[]) => graph.rolesByIds(reads, ctx, ids),
      rolesBySlugs: (ctx: ReadContext, slugs: readonly string[]) => graph.rolesBySlugs(reads, ctx, slugs),
      questionsByIds: (ctx: ReadContext, ids: readonly string[]) => graph.questionsByIds(reads, ctx, ids),
      roundsByIds: (ctx: ReadContext, ids: readonly string[]) => graph.roundsByIds(reads, ctx, ids),
      roundsOfRoles: (ctx: ReadContext, ids: readonly string[]) => graph.roundsOfRoles(reads, ctx, ids),
      questionsOfRoles: (ctx: ReadContext, ids: readonly string[]) => graph.questionsOfRoles(reads, ctx, ids),
      questionsOfRounds: (ctx: ReadContext, ids: readonly string[]) => graph.questionsOfRounds(reads, ctx, ids),
      tipsOfRoles: (_ctx: ReadContext, ids: readonly string[]) => graph.tipsOfRoles(reads, ids),
      faqsOfRoles: (_ctx: ReadContext, ids: readonly string[]) => graph.faqsOfRoles(reads, ids),
      relatedOfRoles: (ctx: ReadContext, ids: readonly string[]) => graph.relatedOfRoles(reads, ctx, ids),
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
      updateRole: (p: Principal, slug: string, input: RoleUpdateInput, ifMatch?: number) => updateRole(db, p, slug, input, ifMatch),
      setRoleStatus: (p: Principal, slug: string, action: StatusAction, ifMatch?: number) => setRoleStatus(db, p, slug, action, ifMatch),
      deleteRole: (p: Principal, slug: string, cascade: boolean) => deleteRole(db, p, slug, cascade),
      addRound: (p: Principal, slug: string, input: unknown, ifMatch?: number) => addRound(db, p, slug, input, ifMatch),
      updateRound: (p: Principal, slug: string, position: number, input: unknown, ifMatch?: number) => updateRound(db, p, slug, position, input, ifMatch),
      deleteRound: (p: Principal, slug: string, position: number, cascade: boolean, ifMatch?: number) => deleteRound(db, p, slug, position, cascade, ifMatch),
      reorderRounds: (p: Principal, slug: string, names: string[], ifMatch?: number) => reorderRounds(db, p, slug, names, ifMatch),
      getQuestion: (id: string) => getAdminQuestion(db, id),
      createQuestion: (p: Principal, roleSlug: string, input: unknown) => createQuestion(db, p, roleSlug, input),
      updateQuestion: (p: Principal, id: string, input: unknown, ifMatch?: number) => updateQuestion(db, p, id, input, ifMatch),
      setQuestionStatus: (p: Principal, id: string, action: StatusAction, ifMatch?: number) => setQuestionStatus(db, p, id, action, ifMatch),
      deleteQuestion: (p: Principal, id: string, ifMatch?: number) => deleteQuestion(db, p, id, ifMatch),
      reorderQuestions: (p: Principal, roleSlug: string, ids: string[]) => reorderQuestions(db, p, roleSlug, ids),
      listRevisions: (type: EntityType, key: string) => listRevisions(db, type, key),
      getRevision: (type: EntityType, key: string, version: number) => getRevision(db, type, key, version),
      diffRevisions: (type: EntityType, key: string, from: number, to: number) => diffRevisions(db, type, key, from, to),
      restoreRevision: (p: Principal, type: EntityType, key: string, version: number, ifMatch?: number) => restoreRevision(db, p, type, key, version, ifMatch),
      audit: (filters: AuditFilters, page: PageRequest) => listAudit(db, filters, page),
      exportContent: (roleSlug?: string) => exportContent(db, roleSlug),
      importContent: (p: Principal, input: unknown, dryRun: boolean) => importContent(db, p, input, dryRun),
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
