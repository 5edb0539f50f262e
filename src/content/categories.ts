import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { categories, roles } from '../db/schema.js';
import type { CategoryOut } from './schemas.js';
import { inCategoryScope, visibleStatuses, type ReadContext } from './visibility.js';

/** Every category, in display order, with how many roles the caller can see in it. */
export async function listCategories(db: Queryable, ctx: ReadContext): Promise<CategoryOut[]> {
  const statuses = visibleStatuses(ctx);
  return db
    .select({
      slug: categories.slug,
      name: categories.name,
      position: categories.position,
      roleCount: sql<number>`(select count(*) from ${roles} where ${and(eq(roles.categoryId, categories.id), inArray(roles.status, statuses))})`.mapWith(Number),
    })
    .from(categories)
    .where(inCategoryScope(ctx, categories.id))
    .orderBy(asc(categories.position), sql`${categories.slug} collate "C"`);
}
