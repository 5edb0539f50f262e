import { isDeepStrictEqual } from 'node:util';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../../access/principal.js';
import type { Queryable } from '../../db/client.js';
import { questions, revisions, roles, rounds } from '../../db/schema.js';
import { AppError, notFound, type FieldError } from '../../errors.js';
import type { QuestionDocument, RoleCoreDocument } from '../import-format.js';
import { inUnitOfWork, write, type WriteDeps } from './aggregate-write.js';
import { note } from './lifecycle.js';
import { questionKind, type AdminQuestion } from './question-aggregate.js';
import { roleKind, type AdminRole } from './role-aggregate.js';
import { checked, type Expected } from './validation.js';

export type EntityType = 'role' | 'question';

/** Finds the aggregate a revision history belongs to: a role by slug, a question by id. */
async function entityId(db: Queryable, type: EntityType, key: string): Promise<string> {
  const [row] =
    type === 'role'
      ? await db.select({ id: roles.id }).from(roles).where(eq(roles.slug, key))
      : z.uuid().safeParse(key).success
        ? await db.select({ id: questions.id }).from(questions).where(eq(questions.id, key))
        : [];
  if (!row) throw notFound(type === 'role' ? `Role "${key}"` : `Question ${key}`);
  return row.id;
}

const describe = (r: typeof revisions.$inferSelect) => ({
  version: r.version,
  actor: r.actor,
  createdAt: r.createdAt.toISOString(),
  note: r.note,
  changedFields: r.changedFields,
});

export async function listRevisions(db: Queryable, type: EntityType, key: string) {
  const id = await entityId(db, type, key);
  const rows = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.entityType, type), eq(revisions.entityId, id)))
    .orderBy(asc(revisions.version));
  return rows.map(describe);
}

/** What a revision stores: a role page without its questions, or a question with its role's slug. */
type Snapshot<T extends EntityType> = T extends 'role' ? RoleCoreDocument : QuestionDocument & { role?: string };

export async function getRevision<T extends EntityType>(db: Queryable, type: T, key: string, version: number) {
  const id = await entityId(db, type, key);
  const [row] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.entityType, type), eq(revisions.entityId, id), eq(revisions.version, version)));
  if (!row) throw notFound(`Version ${version} of ${type} ${key}`);
  // Written by the write path (aggregate-write.ts) from documents that passed their schemas.
  return {
    ...describe(row),
    snapshot: row.snapshot as Snapshot<T>,
    refs: (row.refs ?? null) as { relatedRoles?: string[]; round?: string | null } | null,
  };
}

/** What snapshots are made of: they are stored as jsonb. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Difference {
  path: string;
  from: Json;
  to: Json;
}

/** Field-by-field difference between two snapshots; lists of scalars and objects compare by position. */
function diffSnapshots(a: unknown, b: unknown, path = ''): Difference[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a)
      ? Array.from({ length: Math.max(a.length, (b as unknown as unknown[]).length) }, (_, i) => String(i))
      : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diffSnapshots(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [{ path: path || '(root)', from: (a ?? null) as Json, to: (b ?? null) as Json }];
}

/** A question revision's snapshot names its role too, which is not a field of the question. */
const content = (snapshot: Record<string, unknown>) => {
  const { role: _role, ...rest } = snapshot;
  return rest;
};

export async function diffRevisions(db: Queryable, type: EntityType, key: string, from: number, to: number) {
  const [a, b] = [await getRevision(db, type, key, from), await getRevision(db, type, key, to)];
  return { from, to, changes: diffSnapshots(content(a.snapshot), content(b.snapshot)) };
}

export const restoreInput = z.strictObject({
  note: note.optional(),
  dropMissingReferences: z
    .boolean()
    .optional()
    .describe('true: restore even if a related role or round the revision names is gone, leaving that reference out'),
});
export type RestoreOptions = z.infer<typeof restoreInput>;

/** References that no longer resolve: 409, saying which and how to go on. */
function missing(version: number, errors: FieldError[], what: string): AppError {
  return new AppError(
    'CONFLICT',
    `Version ${version} refers to ${what} that no longer exist(s): ${errors.map((e) => e.message).join('; ')}. Bring it back (import it from an export, or add the round again), or restore with {"dropMissingReferences": true} to leave the reference out`,
    { errors },
  );
}

/** The slugs of the roles a role revision links to, as they are called now (renames followed by id). */
async function relatedNow(
  tx: Queryable,
  version: number,
  slugs: string[],
  ids: string[] | undefined,
  drop: boolean,
): Promise<string[]> {
  if (slugs.length === 0) return [];
  const byId = ids?.length === slugs.length;
  const rows = byId
    ? await tx.select({ id: roles.id, slug: roles.slug }).from(roles).where(inArray(roles.id, ids))
    : await tx.select({ id: roles.id, slug: roles.slug }).from(roles).where(inArray(roles.slug, slugs));
  const now = new Map(rows.map((r) => [byId ? r.id : r.slug, r.slug]));
  const errors: FieldError[] = [];
  const found = slugs.flatMap((slug, i) => {
    const current = now.get(byId ? ids[i]! : slug);
    if (current) return [current];
    errors.push({ path: `relatedRoles.${i}`, message: `the related role "${slug}" was deleted` });
    return [];
  });
  if (errors.length && !drop) throw missing(version, errors, 'a related role');
  return found;
}

/** The name the revision's round has now (a rename followed by id), or null. */
async function roundNow(
  tx: Queryable,
  version: number,
  roleId: string,
  name: string | null,
  id: string | null | undefined,
  drop: boolean,
): Promise<string | null> {
  if (name === null) return null;
  const [row] = await tx
    .select({ name: rounds.name })
    .from(rounds)
    .where(and(eq(rounds.roleId, roleId), id ? eq(rounds.id, id) : eq(rounds.name, name)));
  if (row) return row.name;
  if (drop) return null;
  throw missing(version, [{ path: 'round', message: `the round "${name}" was removed from the role` }], 'a round');
}

/*
 * Restoring writes an old revision's content as a new version; history is never rewritten. It
 * brings back content, never the publication status: a published page stays published (with the
 * old content) and a draft stays a draft. References follow renames. The revision is read first,
 * so a version that does not exist is a 404 whatever If-Match says.
 */

/** The role's own fields as they were; its questions stay as they are (they have their own revisions). */
export const restoreRoleRevision = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  version: number,
  ifMatch?: Expected,
  options: RestoreOptions = {},
): Promise<AdminRole> =>
  inUnitOfWork(deps, principal, async (uow) => {
    checked(restoreInput, options);
    const { snapshot, refs } = await getRevision(uow.tx, 'role', slug, version);
    const relatedRoles = await relatedNow(
      uow.tx,
      version,
      snapshot.relatedRoles,
      refs?.relatedRoles,
      options.dropMissingReferences === true,
    );
    return write(uow, roleKind, {
      key: slug,
      expected: ifMatch,
      action: 'restored',
      note: options.note ?? `Restored version ${version}`,
      change: (current) => ({ ...snapshot, relatedRoles, status: current.status }),
    });
  });

/** The question as it was, in its role at its current place, with the status it has now. */
export const restoreQuestionRevision = (
  deps: WriteDeps,
  principal: Principal,
  id: string,
  version: number,
  ifMatch?: Expected,
  options: RestoreOptions = {},
): Promise<AdminQuestion> =>
  inUnitOfWork(deps, principal, async (uow) => {
    checked(restoreInput, options);
    const { snapshot, refs } = await getRevision(uow.tx, 'question', id, version);
    const doc = content(snapshot) as QuestionDocument;
    return write(uow, questionKind, {
      key: id,
      expected: ifMatch,
      action: 'restored',
      note: options.note ?? `Restored version ${version}`,
      change: async (current, loaded) => ({
        ...doc,
        round: await roundNow(
          uow.tx,
          version,
          loaded.row.roleId,
          doc.round,
          refs?.round,
          options.dropMissingReferences === true,
        ),
        status: current.status,
      }),
    });
  });
