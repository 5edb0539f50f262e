import type { Database } from '../db/client.js';
import { listCategories } from './categories.js';
import { exportCategories, exportRoles } from './export.js';
import * as graph from './graph.js';
import { importBundle, type ImportBundle } from './import.js';
import type { PageRequest } from './pagination.js';
import { getQuestion, listQuestions, type QuestionFilters } from './questions.js';
import { getRole, getRoleFaqs, getRoleRounds, getRoleTips, listRoles, type RoleFilters, type RoleInclude } from './roles.js';
import { search, type SearchFilters } from './search.js';
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
  };
}

export type ContentService = ReturnType<typeof createContentService>;
