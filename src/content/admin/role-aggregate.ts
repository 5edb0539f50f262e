import { isDeepStrictEqual } from 'node:util';
import { and, asc, eq, getTableColumns, inArray, notInArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { categories, questions, roleRelatedRoles, roles, rounds } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { listJson, writeList } from '../child-lists.js';
import { roleCoreDocument, roleFields, type RoleCoreDocument } from '../import-format.js';
import { roleColumnSelection, roleColumnValues, ROLE_LISTS } from '../role-columns.js';
import type { Status } from '../vocabulary.js';
import type { AggregateKind, Loaded, UnitOfWork } from './aggregate-write.js';
import { checked } from './validation.js';

/*
 * A role as the write path handles it (aggregate-write.ts): its page without its questions (they
 * are aggregates of their own), found by slug, loaded with everything it holds in one statement.
 */

const { search: _search, ...rowColumns } = getTableColumns(roles);
type RoleRow = Omit<typeof roles.$inferSelect, 'search'>;

export interface LoadedRole extends Loaded<RoleCoreDocument, RoleRow> {
  /** The ids of the roles it links to, in order (a revision keeps them, so links survive renames). */
  relatedIds: string[];
}

const FIELD_ORDER = Object.keys(roleFields.omit({ questions: true }).shape) as (keyof RoleCoreDocument)[];
/** A document with its fields in the import format's order, as exports and revisions have always written them. */
const inRoleOrder = (doc: RoleCoreDocument): RoleCoreDocument =>
  Object.fromEntries(FIELD_ORDER.map((name) => [name, doc[name]])) as RoleCoreDocument;

const roundsJson = sql<string>`coalesce((select json_agg(json_build_object('name', rd.name, 'focus', rd.focus, 'durationMinutes', rd.duration_minutes) order by rd.position)
  from ${rounds} rd where rd.role_id = ${roles.id}), '[]')::text`;
const relatedJson = sql<string>`coalesce((select json_agg(json_build_object('id', x.id, 'slug', x.slug) order by l.position)
  from ${roleRelatedRoles} l join ${roles} x on x.id = l.related_role_id where l.role_id = ${roles.id}), '[]')::text`;

const selection = {
  row: rowColumns,
  columns: roleColumnSelection,
  category: categories.slug,
  rounds: roundsJson,
  related: relatedJson,
  ...Object.fromEntries(Object.entries(ROLE_LISTS).map(([name, list]) => [name, listJson(list, roles.id)])),
} as const;

type SelectedRole = {
  row: RoleRow;
  columns: Pick<RoleCoreDocument, 'slug' | 'title' | 'seniority' | 'track' | 'status' | 'summary'>;
  category: string;
  rounds: string;
  related: string;
} & Record<keyof typeof ROLE_LISTS, string>;

function loadedOf(selected: SelectedRole): LoadedRole {
  const related = JSON.parse(selected.related) as { id: string; slug: string }[];
  const lists = Object.fromEntries(
    Object.keys(ROLE_LISTS).map((name) => [name, JSON.parse(selected[name as keyof typeof ROLE_LISTS])]),
  );
  return {
    row: selected.row,
    doc: inRoleOrder({
      ...selected.columns,
      category: selected.category,
      rounds: JSON.parse(selected.rounds),
      relatedRoles: related.map((r) => r.slug),
      ...lists,
    } as RoleCoreDocument),
    relatedIds: related.map((r) => r.id),
  };
}

/** Roles with their documents, for a write (locked) or a read; one statement for any number. */
export async function loadRoles(
  tx: Queryable,
  where: { slugs?: readonly string[]; ids?: readonly string[] },
  lock: boolean,
): Promise<LoadedRole[]> {
  const filter = where.ids ? inArray(roles.id, [...where.ids]) : inArray(roles.slug, [...(where.slugs ?? [])]);
  const query = tx
    .select(selection)
    .from(roles)
    .innerJoin(categories, eq(categories.id, roles.categoryId))
    .where(filter)
    // Locked in one order, so two writes locking several roles cannot deadlock.
    .orderBy(asc(roles.id));
  const rows = (lock ? await query.for('update', { of: roles }) : await query) as unknown as SelectedRole[];
  return rows.map(loadedOf);
}

/** The questions a role lists for content tools, in interview order. */
async function questionSummaries(tx: Queryable, roleId: string) {
  const rows = await tx
    .select({
      id: questions.id,
      prompt: questions.prompt,
      round: rounds.name,
      status: questions.status,
      position: questions.position,
      version: questions.version,
    })
    .from(questions)
    .leftJoin(rounds, eq(rounds.id, questions.roundId))
    .where(eq(questions.roleId, roleId))
    .orderBy(asc(questions.position));
  return rows.map((q) => ({ ...q, status: q.status as Status }));
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The lifecycle of a role or question as content tools read it. */
export function lifecycleView(row: Loaded<unknown>['row']) {
  return {
    version: row.version,
    publishedAt: iso(row.publishedAt),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
    publishAt: iso(row.publishAt),
    unpublishAt: iso(row.unpublishAt),
    scheduleError: row.scheduleError,
  };
}

async function roleView(tx: Queryable, loaded: LoadedRole) {
  return {
    ...loaded.doc,
    ...lifecycleView(loaded.row),
    questions: await questionSummaries(tx, loaded.row.id),
  };
}
export type AdminRole = Awaited<ReturnType<typeof roleView>>;

function validationError(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${path}: ${message}`, { errors: [{ path, message }] });
}

async function categoryId(tx: Queryable, slug: string): Promise<string> {
  const [category] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, slug));
  if (!category) throw validationError('category', `no category "${slug}"`);
  return category.id;
}

/** The ids of the related roles, in order; every slug must name a role (or one `known` is about to create). */
async function relatedIdsOf(
  tx: Queryable,
  slugs: readonly string[],
  known: ReadonlyMap<string, string> = new Map(),
): Promise<string[]> {
  if (slugs.length === 0) return [];
  const unknown = slugs.filter((s) => !known.has(s));
  const found = new Map([
    ...known,
    ...(unknown.length
      ? await tx.select({ id: roles.id, slug: roles.slug }).from(roles).where(inArray(roles.slug, unknown))
      : []
    ).map((r) => [r.slug, r.id] as const),
  ]);
  const errors = slugs.flatMap((s, i) =>
    found.has(s) ? [] : [{ path: `relatedRoles.${i}`, message: `no role "${s}"` }],
  );
  if (errors.length)
    throw new AppError('VALIDATION_FAILED', `relatedRoles: ${errors.map((e) => e.message).join(', ')}`, { errors });
  return slugs.map((s) => found.get(s)!);
}

/**
 * Brings a role's rounds to the document's: rounds keep their rows (and so their questions) by
 * name; a round a rename changed in place (updateRound) is already under its new name. A round
 * with questions in it is not removed.
 */
async function writeRounds(tx: Queryable, roleId: string, next: RoleCoreDocument['rounds'], now: Date) {
  const names = next.map((r) => r.name);
  const current = await tx.select({ id: rounds.id, name: rounds.name }).from(rounds).where(eq(rounds.roleId, roleId));
  const removed = current.filter((r) => !names.includes(r.name));
  if (removed.length) {
    const used = await tx
      .select({ round: rounds.name })
      .from(questions)
      .innerJoin(rounds, eq(rounds.id, questions.roundId))
      .where(
        inArray(
          questions.roundId,
          removed.map((r) => r.id),
        ),
      );
    if (used.length) {
      const named = [...new Set(used.map((u) => `"${u.round}"`))].join(', ');
      throw new AppError(
        'CONFLICT',
        `The round(s) ${named} still have ${used.length} question(s); move them to another round first, or delete the round with cascade=true to leave them without one`,
      );
    }
    await tx.delete(rounds).where(
      and(
        eq(rounds.roleId, roleId),
        notInArray(
          rounds.id,
          current.filter((r) => names.includes(r.name)).map((r) => r.id),
        ),
      ),
    );
  }
  for (const [i, round] of next.entries()) {
    await tx
      .insert(rounds)
      .values({ roleId, position: i + 1, ...round })
      .onConflictDoUpdate({
        target: [rounds.roleId, rounds.name],
        set: { position: i + 1, focus: round.focus, durationMinutes: round.durationMinutes, updatedAt: now },
      });
  }
}

export async function writeRelatedIds(tx: Queryable, roleId: string, ids: readonly string[]): Promise<void> {
  await tx.delete(roleRelatedRoles).where(eq(roleRelatedRoles.roleId, roleId));
  if (ids.length === 0) return;
  await tx.insert(roleRelatedRoles).values(ids.map((relatedRoleId, i) => ({ roleId, position: i + 1, relatedRoleId })));
}

const changed = <K extends keyof RoleCoreDocument>(
  before: RoleCoreDocument | undefined,
  next: RoleCoreDocument,
  field: K,
) => !before || !isDeepStrictEqual(before[field], next[field]);

/** How an import places roles: the ids of those it creates, and links written once all of them exist. */
export interface RolePlace {
  /** The id a new role gets (the one it had, when an import brings it back). */
  id?: string | undefined;
  /** Ids of roles by slug that the links may name before they exist. */
  linkIds?: ReadonlyMap<string, string> | undefined;
  /** Leave writing the links to the caller (they may point at roles not created yet). */
  deferLinks?: boolean | undefined;
}

/** A role, for the write path. */
export const roleKind: AggregateKind<RoleCoreDocument, LoadedRole, AdminRole, RolePlace> = {
  type: 'role',
  name: (slug) => `Role "${slug}"`,
  load: async (tx, slug, lock) => (await loadRoles(tx, { slugs: [slug] }, lock))[0],
  check: (doc, publishing) => {
    if (!publishing || doc.status === 'published') return inRoleOrder(checked(roleCoreDocument, doc));
    // Scheduled to be published: it must already be what a published role may be.
    checked(
      roleCoreDocument,
      { ...doc, status: 'published' },
      'The role is scheduled to be published, so it must be complete',
    );
    return inRoleOrder(checked(roleCoreDocument, doc));
  },
  snapshot: (saved) => saved.doc,
  async store(uow: UnitOfWork, next, before, lifecycle, place) {
    const { tx } = uow;
    const prior = before?.doc;
    if (!before || before.doc.slug !== next.slug) {
      const [taken] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.slug, next.slug));
      if (taken) throw new AppError('CONFLICT', `A role with slug "${next.slug}" already exists`);
    }
    const category = changed(prior, next, 'category') ? await categoryId(tx, next.category) : before!.row.categoryId;
    const relatedIds = changed(prior, next, 'relatedRoles')
      ? await relatedIdsOf(tx, next.relatedRoles, place?.linkIds)
      : before!.relatedIds;
    const values = { ...roleColumnValues(next), categoryId: category, ...lifecycle };
    const [row] = before
      ? await tx.update(roles).set(values).where(eq(roles.id, before.row.id)).returning(rowColumns)
      : await tx
          .insert(roles)
          .values({ ...values, ...(place?.id ? { id: place.id } : {}) })
          .returning(rowColumns);
    const roleId = row!.id;
    for (const [name, list] of Object.entries(ROLE_LISTS))
      if (changed(prior, next, name as keyof typeof ROLE_LISTS))
        await writeList(tx, list as never, roleId, next[name as keyof typeof ROLE_LISTS] as never[]);
    if (changed(prior, next, 'rounds')) await writeRounds(tx, roleId, next.rounds, uow.now);
    if (changed(prior, next, 'relatedRoles') && !place?.deferLinks) await writeRelatedIds(tx, roleId, relatedIds);
    return { saved: { row: row!, doc: next, relatedIds }, refs: { relatedRoles: relatedIds } };
  },
  change: (saved, before) => ({
    entityType: 'role',
    entityId: saved.row.id,
    entityKey: saved.doc.slug,
    previousKey: before && before.doc.slug !== saved.doc.slug ? before.doc.slug : null,
  }),
  view: roleView,
};
