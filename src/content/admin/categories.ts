import { asc, count, eq, max } from 'drizzle-orm';
import { ordinal } from '../vocabulary.js';
import type { Principal } from '../../access/principal.js';
import type { Queryable } from '../../db/client.js';
import { categories, questions, roles } from '../../db/schema.js';
import { AppError, badParameter, notFound } from '../../errors.js';
import { categoryDocument } from '../import-format.js';
import { inUnitOfWork, type WriteDeps } from './aggregate-write.js';
import { leaveReleases, linkChanges, rolesLinkingTo } from './roles.js';
import { checked, patchOf, sentFields } from './validation.js';

export const categoryInput = categoryDocument.strict();
export const categoryUpdateInput = patchOf(categoryDocument).extend({ position: ordinal.optional() });

/** Answers every category, the new one last. */
export async function createCategory(deps: WriteDeps, principal: Principal, input: unknown): Promise<AdminCategory[]> {
  const doc = checked(categoryInput, input);
  return inUnitOfWork(deps, principal, async (uow) => {
    const { tx } = uow;
    const [taken] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, doc.slug));
    if (taken) throw new AppError('CONFLICT', `A category with slug "${doc.slug}" already exists`);
    const [last] = await tx.select({ n: max(categories.position) }).from(categories);
    const [row] = await tx
      .insert(categories)
      .values({ ...doc, position: (last?.n ?? 0) + 1 })
      .returning({ id: categories.id });
    uow.changes.push({
      entityType: 'category',
      entityId: row!.id,
      entityKey: doc.slug,
      action: 'created',
      actor: uow.actor,
    });
    return listAdminCategories(tx);
  });
}

/** Answers every category, in their (perhaps new) order. */
export async function updateCategory(
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  input: unknown,
): Promise<AdminCategory[]> {
  const patch = sentFields(input, checked(categoryUpdateInput, input));
  return inUnitOfWork(deps, principal, async (uow) => {
    const { tx } = uow;
    const [row] = await tx.select().from(categories).where(eq(categories.slug, slug)).for('update');
    if (!row) throw notFound(`Category "${slug}"`);
    if (patch.position !== undefined) {
      const [all] = await tx.select({ n: count() }).from(categories);
      if (patch.position > (all?.n ?? 0))
        throw badParameter('position', `must be between 1 and ${all?.n ?? 0}, the number of categories`);
    }
    if (patch.slug && patch.slug !== slug) {
      const [taken] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, patch.slug));
      if (taken) throw new AppError('CONFLICT', `A category with slug "${patch.slug}" already exists`);
    }
    await tx
      .update(categories)
      .set({ ...patch, updatedAt: uow.now })
      .where(eq(categories.id, row.id));
    const previousKey = patch.slug && patch.slug !== slug ? slug : null;
    uow.changes.push({
      entityType: 'category',
      entityId: row.id,
      entityKey: patch.slug ?? slug,
      previousKey,
      action: 'updated',
      actor: uow.actor,
    });
    return listAdminCategories(tx);
  });
}

/** Refuses while roles are in the category, unless cascade: then its roles and their questions go too. */
export async function deleteCategory(
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  cascade: boolean,
): Promise<void> {
  await inUnitOfWork(deps, principal, async (uow) => {
    const { tx, actor } = uow;
    const [row] = await tx.select().from(categories).where(eq(categories.slug, slug)).for('update');
    if (!row) throw notFound(`Category "${slug}"`);
    const inCategory = await tx
      .select({ id: roles.id, slug: roles.slug })
      .from(roles)
      .where(eq(roles.categoryId, row.id));
    if (inCategory.length && !cascade) {
      throw new AppError(
        'CONFLICT',
        `Category "${slug}" still has ${inCategory.length} role(s): ${inCategory.map((r) => r.slug).join(', ')}; move or delete them first, or pass cascade=true`,
      );
    }
    const linking = await rolesLinkingTo(
      tx,
      inCategory.map((r) => r.id),
    );
    for (const role of inCategory) {
      const owned = await tx.delete(questions).where(eq(questions.roleId, role.id)).returning({ id: questions.id });
      await tx.delete(roles).where(eq(roles.id, role.id));
      await leaveReleases(tx, 'role', [role.id]);
      await leaveReleases(
        tx,
        'question',
        owned.map((q) => q.id),
      );
      uow.changes.push(
        ...owned.map((q) => ({
          entityType: 'question' as const,
          entityId: q.id,
          entityKey: q.id,
          roleKey: role.slug,
          action: 'deleted' as const,
          actor,
        })),
        { entityType: 'role', entityId: role.id, entityKey: role.slug, action: 'deleted', actor },
      );
    }
    await tx.delete(categories).where(eq(categories.id, row.id));
    uow.changes.push(
      { entityType: 'category', entityId: row.id, entityKey: slug, action: 'deleted', actor },
      ...linkChanges(linking, actor),
    );
  });
}

export async function listAdminCategories(db: Queryable) {
  return db
    .select({ slug: categories.slug, name: categories.name, position: categories.position, roleCount: count(roles.id) })
    .from(categories)
    .leftJoin(roles, eq(roles.categoryId, categories.id))
    .groupBy(categories.id)
    .orderBy(asc(categories.position));
}
type AdminCategory = Awaited<ReturnType<typeof listAdminCategories>>[number];
