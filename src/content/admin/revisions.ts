import { isDeepStrictEqual } from 'node:util';
import { and, asc, eq } from 'drizzle-orm';
import type { Principal } from '../../access/principal.js';
import type { Database, Queryable } from '../../db/client.js';
import { questions, revisions, roles } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import type { QuestionDocument, RoleDocument } from '../import-format.js';
import { writeAggregateIn } from './aggregate-write.js';
import { questionAggregate, type AdminQuestion } from './questions.js';
import { roleAggregate, type AdminRole } from './roles.js';
import type { Expected } from './validation.js';

export type EntityType = 'role' | 'question';

/** Finds the aggregate a revision history belongs to: a role by slug, a question by id. */
async function entityId(db: Queryable, type: EntityType, key: string): Promise<string> {
  const [row] =
    type === 'role'
      ? await db.select({ id: roles.id }).from(roles).where(eq(roles.slug, key))
      : /^[0-9a-f-]{36}$/.test(key)
        ? await db.select({ id: questions.id }).from(questions).where(eq(questions.id, key))
        : [];
  if (!row) throw notFound(type === 'role' ? `Role "${key}"` : `Question ${key}`);
  return row.id;
}

export async function listRevisions(db: Queryable, type: EntityType, key: string) {
  const id = await entityId(db, type, key);
  const rows = await db
    .select({ version: revisions.version, actor: revisions.actor, createdAt: revisions.createdAt })
    .from(revisions)
    .where(and(eq(revisions.entityType, type), eq(revisions.entityId, id)))
    .orderBy(asc(revisions.version));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** What a revision stores: a role page without its questions, or a question with its role's slug. */
type Snapshot<T extends EntityType> = T extends 'role'
  ? Omit<RoleDocument, 'questions'>
  : QuestionDocument & { role: string };

export async function getRevision<T extends EntityType>(db: Queryable, type: T, key: string, version: number) {
  const id = await entityId(db, type, key);
  const [row] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.entityType, type), eq(revisions.entityId, id), eq(revisions.version, version)));
  if (!row) throw notFound(`Version ${version} of ${type} ${key}`);
  // Written by saveRoleDocument / saveQuestionDocument from documents that passed their schemas.
  return {
    version: row.version,
    actor: row.actor,
    createdAt: row.createdAt.toISOString(),
    snapshot: row.snapshot as Snapshot<T>,
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

export async function diffRevisions(db: Queryable, type: EntityType, key: string, from: number, to: number) {
  const [a, b] = [await getRevision(db, type, key, from), await getRevision(db, type, key, to)];
  return { from, to, changes: diffSnapshots(a.snapshot, b.snapshot) };
}

/*
 * Restoring writes the old snapshot as a new version; history is never rewritten. The revision is
 * read first, so a version that does not exist is a 404 whatever If-Match says.
 */

/** The role's own fields as they were; its questions stay as they are (they have their own revisions). */
export async function restoreRoleRevision(
  db: Database,
  principal: Principal,
  slug: string,
  version: number,
  ifMatch?: Expected,
): Promise<AdminRole> {
  return db.transaction(async (tx) => {
    const { snapshot } = await getRevision(tx, 'role', slug, version);
    return writeAggregateIn(tx, roleAggregate, principal, {
      key: slug,
      expected: ifMatch,
      action: 'restored',
      change: (current) => ({ ...snapshot, questions: current.questions }) as RoleDocument,
    });
  });
}

/** The question as it was, in its role at its current place. */
export async function restoreQuestionRevision(
  db: Database,
  principal: Principal,
  id: string,
  version: number,
  ifMatch?: Expected,
): Promise<AdminQuestion> {
  return db.transaction(async (tx) => {
    const { role: _role, ...doc } = (await getRevision(tx, 'question', id, version)).snapshot;
    return writeAggregateIn(tx, questionAggregate, principal, {
      key: id,
      expected: ifMatch,
      action: 'restored',
      change: (): QuestionDocument => doc,
    });
  });
}
