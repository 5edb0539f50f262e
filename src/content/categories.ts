import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/client.js';
import { inScope, statusIn } from './json-sql.js';
import type { CategoryOut } from './schemas.js';
import { visibilityOf, type ReadContext } from './visibility.js';

/** The categories the caller may read, in display order, with how many roles they can see in each. */
export async function listCategories(db: Queryable, ctx: ReadContext): Promise<CategoryOut[]> {
  const v = visibilityOf(ctx);
  const result = await db.execute(sql`
    select c.slug, c.name, c.position,
      (select count(*)::int from roles r where r.category_id = c.id and ${statusIn(sql`r.status`, v)}) as "roleCount"
    from categories c
    where ${inScope(sql`c.slug`, v)}
    order by c.position, c.slug collate "C"`);
  return rowsOf<CategoryOut>(result);
}
