import { hasScope, type Principal } from '../access/principal.js';
import type { Visibility } from './json-sql.js';
import type { Status } from './vocabulary.js';

/**
 * What a read may show. Public readers see published content only; a caller holding
 * content:preview who asks for preview also sees drafts. Archived content is never public.
 */
export interface ReadContext {
  principal: Principal;
  preview: boolean;
}

function visibleStatuses(ctx: ReadContext): Status[] {
  if (ctx.preview && hasScope(ctx.principal, 'content:preview')) return ['published', 'draft'];
  return ['published'];
}

/**
 * The categories (slugs) a caller may read, or null for all. Every read path (REST, GraphQL,
 * search, sync, embeds) filters through this, so a partner key limited to some categories sees
 * only their roles, questions, FAQs, related roles and counts.
 */
export function categoryScope(ctx: ReadContext): readonly string[] | null {
  return ctx.principal.kind === 'key' ? ctx.principal.categories : null;
}

/** Both filters of a read, as the SQL builders take them. */
export function visibilityOf(ctx: ReadContext): Visibility {
  return { statuses: visibleStatuses(ctx), scope: categoryScope(ctx) };
}
