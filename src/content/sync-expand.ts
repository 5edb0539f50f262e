import { eq, inArray } from 'drizzle-orm';
import type { ChangeRow } from '../changes/change-feed.js';
import type { Queryable } from '../db/client.js';
import { categories, questions, roleRelatedRoles, roles } from '../db/schema.js';
import { groupBy } from '../group-by.js';
import type { SyncType } from './sync-schemas.js';

/*
 * A change to one item can alter what other items look like in their public shapes, and the
 * sync feed must send those too or a mirror drifts:
 *   - a role shows its category's name, its published question count, the question count of each
 *     round, and the title of each published related role;
 *   - a question shows its role's slug and title, its round's name and position, its own position,
 *     and is visible only while its role is;
 *   - a category shows how many published roles it holds.
 * So a role change also looks again at its questions, at roles that link to it and at the
 * categories; a question change at its role; a category change at its roles (and, for a caller
 * limited by category, at their questions, which may have left its scope with a renamed slug).
 */

export interface TouchedKey {
  type: SyncType;
  key: string;
  /** The item the change was about, when the key is its own (used to tell a rename from a delete). */
  entityId?: string | undefined;
}

export interface ExpandOptions {
  /** Whether the caller is limited to some categories. */
  scoped: boolean;
  /** Category slugs the caller may read (every one when not scoped). */
  inScope: (categorySlug: string) => boolean;
}

/** For each change, the keys whose published shape it may have changed. A fixed number of statements. */
export async function touchedKeys(
  db: Queryable,
  changes: ChangeRow[],
  options: ExpandOptions,
): Promise<TouchedKey[][]> {
  const ids = (type: string) => [...new Set(changes.filter((c) => c.entityType === type).map((c) => c.entityId))];
  const roleIds = ids('role');
  const questionIds = ids('question');
  const categoryIds = ids('category');

  const [roleSlugs, roleQuestions, linkers, questionRoles, categoryRoles, allCategories] = await Promise.all([
    roleIds.length ? db.select({ id: roles.id, slug: roles.slug }).from(roles).where(inArray(roles.id, roleIds)) : [],
    roleIds.length
      ? db
          .select({ id: questions.id, roleId: questions.roleId })
          .from(questions)
          .where(inArray(questions.roleId, roleIds))
      : [],
    roleIds.length
      ? db
          .select({ relatedId: roleRelatedRoles.relatedRoleId, slug: roles.slug })
          .from(roleRelatedRoles)
          .innerJoin(roles, eq(roles.id, roleRelatedRoles.roleId))
          .where(inArray(roleRelatedRoles.relatedRoleId, roleIds))
      : [],
    questionIds.length
      ? db
          .select({ id: questions.id, slug: roles.slug })
          .from(questions)
          .innerJoin(roles, eq(roles.id, questions.roleId))
          .where(inArray(questions.id, questionIds))
      : [],
    categoryIds.length
      ? db
          .select({ id: roles.id, slug: roles.slug, categoryId: roles.categoryId })
          .from(roles)
          .where(inArray(roles.categoryId, categoryIds))
      : [],
    roleIds.length ? db.select({ slug: categories.slug }).from(categories) : [],
  ]);
  const categoryQuestions =
    options.scoped && categoryRoles.length
      ? await db
          .select({ id: questions.id, roleId: questions.roleId })
          .from(questions)
          .where(
            inArray(
              questions.roleId,
              categoryRoles.map((r) => r.id),
            ),
          )
      : [];

  const slugOfRole = new Map(roleSlugs.map((r) => [r.id, r.slug]));
  const questionsOfRole = groupBy([...roleQuestions, ...categoryQuestions], (q) => q.roleId);
  const linkersOf = groupBy(linkers, (l) => l.relatedId);
  const roleOfQuestion = new Map(questionRoles.map((q) => [q.id, q.slug]));
  const rolesOfCategory = groupBy(categoryRoles, (r) => r.categoryId);
  const visibleCategories = allCategories.map((c) => c.slug).filter(options.inScope);

  return changes.map((change): TouchedKey[] => {
    const own: TouchedKey[] = [
      { type: change.entityType as SyncType, key: change.entityKey, entityId: change.entityId },
    ];
    if (change.previousKey)
      own.push({ type: change.entityType as SyncType, key: change.previousKey, entityId: change.entityId });
    switch (change.entityType) {
      case 'role': {
        const current = slugOfRole.get(change.entityId);
        if (current && current !== change.entityKey)
          own.push({ type: 'role', key: current, entityId: change.entityId });
        return [
          ...own,
          ...(questionsOfRole.get(change.entityId) ?? []).map((q) => ({ type: 'question' as const, key: q.id })),
          ...(linkersOf.get(change.entityId) ?? []).map((l) => ({ type: 'role' as const, key: l.slug })),
          ...visibleCategories.map((slug) => ({ type: 'category' as const, key: slug })),
        ];
      }
      case 'question': {
        // A deleted question is found no more; the change says which role it was on.
        const role = roleOfQuestion.get(change.entityId) ?? change.roleKey;
        return role ? [...own, { type: 'role', key: role }] : own;
      }
      case 'category': {
        const held = rolesOfCategory.get(change.entityId) ?? [];
        return [
          ...own,
          ...held.map((r) => ({ type: 'role' as const, key: r.slug })),
          ...(options.scoped
            ? held.flatMap((r) =>
                (questionsOfRole.get(r.id) ?? []).map((q) => ({ type: 'question' as const, key: q.id })),
              )
            : []),
        ];
      }
      default:
        return own;
    }
  });
}
