import { asc, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db/client.js';
import { groupBy } from '../group-by.js';

/*
 * A list an aggregate keeps in child rows, one row per item at its position (a role's tips, a
 * question's STAR examples): declared once (role-columns.ts, question-fields.ts), and from that
 * declaration read inside the one statement that loads an aggregate for a write, read for many
 * parents at once for exports, and replaced when a write changes it.
 */
export interface ChildList<Item> {
  table: PgTable;
  /** The column naming the parent row. */
  parent: AnyPgColumn;
  position: AnyPgColumn;
  /** An item is the text in this column (a tip, a pitfall) ... */
  text?: AnyPgColumn;
  /** ... or an object of these fields, each in the column of the same name (a STAR example). */
  fields?: Record<string, AnyPgColumn>;
  /**
   * A key column besides parent and position whose value is fixed for this list (the locale of a
   * role's alternative titles): read with it, and written with it as part of the row's key.
   */
  fixed?: { column: AnyPgColumn; value: string };
  /** The TypeScript type of one item; never set, only read by types. */
  readonly item?: Item;
}

export const textList = (
  table: PgTable,
  parent: AnyPgColumn,
  position: AnyPgColumn,
  text: AnyPgColumn,
  fixed?: ChildList<string>['fixed'],
) => ({ table, parent, position, text, ...(fixed ? { fixed } : {}) }) satisfies ChildList<string>;

export const objectList = <Item extends Record<string, unknown>>(
  table: PgTable,
  parent: AnyPgColumn,
  position: AnyPgColumn,
  fields: { [K in keyof Item]: AnyPgColumn },
): ChildList<Item> => ({ table, parent, position, fields: fields as Record<string, AnyPgColumn> });

function itemJson(list: ChildList<unknown>): SQL {
  if (list.text) return sql`${list.text}`;
  const pairs = Object.entries(list.fields!).map(([name, column]) => sql`${name}::text, ${column}`);
  return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
}

/** The rows of `parent` (a column or a value) in this list. */
function rowsOf(list: ChildList<unknown>, parent: unknown): SQL {
  const own = sql`${list.parent} = ${parent}`;
  return list.fixed ? sql`${own} and ${list.fixed.column} = ${list.fixed.value}` : own;
}

/** The list of the parent whose id is `parentId` as JSON text, for a select of that parent: `[]` when empty. */
export function listJson(list: ChildList<unknown>, parentId: AnyPgColumn | SQL): SQL<string> {
  return sql<string>`coalesce((select json_agg(${itemJson(list)} order by ${list.position}) from ${list.table} where ${rowsOf(list, parentId)}), '[]')::text`;
}

/** The lists of many parents in one statement, grouped by parent (exports). */
export async function listsOf<Item>(
  db: Queryable,
  list: ChildList<Item>,
  parentIds: readonly string[],
): Promise<Map<string, Item[]>> {
  if (parentIds.length === 0) return new Map();
  const rows = (await db
    .select({ parent: list.parent, item: itemJson(list) })
    .from(list.table)
    .where(
      list.fixed
        ? sql`${inArray(list.parent, [...parentIds])} and ${list.fixed.column} = ${list.fixed.value}`
        : inArray(list.parent, [...parentIds]),
    )
    .orderBy(asc(list.parent), asc(list.position))) as { parent: string; item: Item }[];
  return groupBy(
    rows,
    (r) => r.parent,
    (r) => r.item,
  );
}

/**
 * Replaces a parent's list with these items, in order, in one statement: places 1..n are written
 * over (inserted, or updated where a row is there), and places after n removed.
 */
export async function writeList<Item>(
  tx: Queryable,
  list: ChildList<Item>,
  parentId: string,
  items: readonly Item[],
): Promise<void> {
  const removeAfter = (n: number) =>
    sql`delete from ${list.table} where ${rowsOf(list, parentId)} and ${list.position} > ${n}`;
  if (items.length === 0) {
    await tx.execute(removeAfter(0));
    return;
  }
  const fields = list.text ? [] : Object.entries(list.fields!);
  const keys = [list.parent, list.position, ...(list.fixed ? [list.fixed.column] : [])];
  const columns = [...keys, ...(list.text ? [list.text] : fields.map(([, column]) => column))];
  const valuesOf = (item: Item, i: number) => [
    parentId,
    i + 1,
    ...(list.fixed ? [list.fixed.value] : []),
    ...(list.text ? [item] : fields.map(([name]) => (item as Record<string, unknown>)[name])),
  ];
  const name = (column: AnyPgColumn) => sql.identifier(column.name);
  const written = columns.slice(keys.length);
  await tx.execute(sql`with written as (
    insert into ${list.table} (${sql.join(columns.map(name), sql`, `)})
    values ${sql.join(
      items.map(
        (item, i) =>
          sql`(${sql.join(
            valuesOf(item, i).map((v) => sql`${v}`),
            sql`, `,
          )})`,
      ),
      sql`, `,
    )}
    on conflict (${sql.join(keys.map(name), sql`, `)}) do update
    set ${sql.join(
      written.map((c) => sql`${name(c)} = excluded.${name(c)}`),
      sql`, `,
    )}
    returning 1
  ) ${removeAfter(items.length)}`);
}
