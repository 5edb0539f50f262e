import { inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { hasScope, type Principal } from '../access/principal.js';
import { categories } from '../db/schema.js';
import type { Status } from './vocabulary.js';

/**
 * What a read may show. Public readers see published content only; a caller holding
 * content:preview who asks for preview also sees drafts. Archived content is never public.
 */
export interface ReadContext {
  principal: Principal;
  preview: boolean;
}

export function visibleStatuses(ctx: ReadContext): Status[] {
  if (ctx.preview && hasScope(ctx.principal, 'content:preview')) return ['published', 'draft'];
  return ['published'];
}

/** Whether the answer depends on who asked, so it must not be shared by caches. */
export function isPrivateRead(ctx: ReadContext): boolean {
  return visibleStatuses(ctx).length > 1;
}

/**
 * The categories (slugs) a caller may read, or null for all. Every read path (REST, GraphQL,
 * search, sync, embeds) filters through this, so a partner key limited to some categories sees
 * only their roles, questions, FAQs, related roles and counts.
 */
export function categoryScope(ctx: ReadContext): readonly string[] | null {
  return ctx.principal.kind === 'key' ? ctx.principal.categories : null;
}

/**
 * The one SQL condition for the category scope: true for rows whose category id (the column or
 * expression given) the caller may read. Undefined when the caller reads every category, so
 * `and(...)` drops it and unscoped queries stay exactly as they were.
 */
export function inCategoryScope(ctx: ReadContext, categoryId: SQLWrapper): SQL | undefined {
  const scope = categoryScope(ctx);
  if (scope === null) return undefined;
  if (scope.length === 0) return sql`false`;
  return sql`${categoryId} in (select ${categories.id} from ${categories} where ${inArray(categories.slug, [...scope])})`;
}
