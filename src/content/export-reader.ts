import { asc, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { categories, roles } from '../db/schema.js';
import { groupBy } from '../group-by.js';
import { listsOf } from './child-lists.js';
import { questionRowsByRole, relatedByRole, roundsByRole } from './child-rows.js';
import {
  questionDocument,
  roleFields,
  type CategoryDocument,
  type QuestionDocument,
  type RoleDocument,
} from './import-format.js';
import { QUESTION_LISTS, type QuestionColumnValues } from './question-fields.js';
import { roleColumnSelection, ROLE_LISTS, type RoleColumnValues } from './role-columns.js';
import { STATUSES, type Status } from './vocabulary.js';

const ALL = [...STATUSES] as Status[];

const FIELD_ORDER = Object.keys(roleFields.shape) as (keyof RoleDocument)[];
const QUESTION_FIELD_ORDER = Object.keys(questionDocument.shape) as (keyof QuestionDocument)[];
/** Documents with their fields in the order the import format lists them, as exports have always written them. */
const inFormatOrder = (doc: RoleDocument): RoleDocument =>
  Object.fromEntries(FIELD_ORDER.map((name) => [name, doc[name]])) as RoleDocument;
const inQuestionOrder = (doc: QuestionDocument): QuestionDocument =>
  Object.fromEntries(QUESTION_FIELD_ORDER.map((name) => [name, doc[name]])) as QuestionDocument;

/** Every declared list of these parents, by list name, then by parent. */
async function allLists<Lists extends Record<string, Parameters<typeof listsOf>[1]>>(
  db: Queryable,
  lists: Lists,
  ids: readonly string[],
): Promise<{ [K in keyof Lists]: Map<string, unknown[]> }> {
  const read = await Promise.all(Object.values(lists).map((list) => listsOf(db, list, ids)));
  return Object.fromEntries(Object.keys(lists).map((name, i) => [name, read[i]])) as never;
}

export async function exportCategories(db: Queryable): Promise<CategoryDocument[]> {
  return db
    .select({ slug: categories.slug, name: categories.name })
    .from(categories)
    .orderBy(asc(categories.position), sql`${categories.slug} collate "C"`);
}

/**
 * Roles in the import format, drafts included, in a fixed number of statements for any count.
 * With no slugs, every role.
 */
export async function exportRoles(db: Queryable, slugs?: readonly string[]): Promise<RoleDocument[]> {
  const rows = await db
    .select({ id: roles.id, ...roleColumnSelection, category: categories.slug })
    .from(roles)
    .innerJoin(categories, sql`${categories.id} = ${roles.categoryId}`)
    .where(slugs ? inArray(roles.slug, [...slugs]) : undefined)
    .orderBy(sql`${roles.slug} collate "C"`);
  const ids = rows.map((r) => r.id);
  const [roleLists, roundMap, questionRows, related] = await Promise.all([
    allLists(db, ROLE_LISTS, ids),
    roundsByRole(db, ids, ALL),
    questionRowsByRole(db, ids, ALL),
    relatedByRole(db, ids, ALL),
  ]);
  const questionLists = await allLists(
    db,
    QUESTION_LISTS,
    questionRows.map((q) => q.id),
  );

  const questionsByRole = groupBy(
    questionRows,
    (q) => q.roleId,
    (q): QuestionDocument =>
      inQuestionOrder({
        id: q.id,
        round: q.roundName,
        ...(q.columns as QuestionColumnValues),
        ...Object.fromEntries(
          Object.entries(questionLists).map(([name, byParent]) => [name, byParent.get(q.id) ?? []]),
        ),
      } as QuestionDocument),
  );

  return rows.map(({ id, category, ...columns }) =>
    inFormatOrder({
      ...(columns as RoleColumnValues),
      category,
      ...Object.fromEntries(Object.entries(roleLists).map(([name, byParent]) => [name, byParent.get(id) ?? []])),
      rounds: (roundMap.get(id) ?? []).map((x) => ({
        name: x.name,
        focus: x.focus,
        durationMinutes: x.durationMinutes,
      })),
      questions: questionsByRole.get(id) ?? [],
      relatedRoles: (related.get(id) ?? []).map((x) => x.slug),
    } as RoleDocument),
  );
}
