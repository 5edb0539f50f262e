import type { StatementRunner } from '../db/statements.js';
import { inScope, textArray } from './json-sql.js';
import type { CategoryOut } from './schemas.js';
import { visibilityOf, type ReadContext } from './visibility.js';

/** $1 statuses, $2 scope. */
const CATEGORIES = `select c.slug, c.name, c.position,
    (select count(*)::int from roles r where r.category_id = c.id and r.status = any($1::text[])) as "roleCount"
  from categories c
  where ${inScope('c.slug', '$2::text[]')}
  order by c.position, c.slug collate "C"`;

/** The categories the caller may read, in display order, with how many roles they can see in each. */
export async function listCategories(db: StatementRunner, ctx: ReadContext): Promise<CategoryOut[]> {
  const v = visibilityOf(ctx);
  return db.rows<CategoryOut>(CATEGORIES, [textArray(v.statuses), v.scope ? textArray(v.scope) : null]);
}
