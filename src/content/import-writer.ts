import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../access/principal.js';
import type { Change } from '../changes/change-log.js';
import type { Queryable } from '../db/client.js';
import { categories, changeLog, questions, revisions, roles } from '../db/schema.js';
import { AppError, fromDatabaseError, type FieldError } from '../errors.js';
import { commit, firstVersions, type UnitOfWork } from './admin/aggregate-write.js';
import { parkPositions } from './admin/questions.js';
import { loadQuestions, questionKind } from './admin/question-aggregate.js';
import { loadRoles, roleKind, writeRelatedIds, type LoadedRole } from './admin/role-aggregate.js';
import { leaveReleases } from './admin/roles.js';
import { exportCategories } from './export-reader.js';
import type { CategoryDocument, RoleCoreDocument, RoleDocument } from './import-format.js';

export interface ImportBundle {
  categories: CategoryDocument[];
  roles: RoleDocument[];
}

/** When an item was first published and last changed, as a backup says. */
export interface ItemTimes {
  publishedAt?: Date | null | undefined;
  updatedAt?: Date | undefined;
}
/** Times by item: `role:<slug>`, `question:<id>`. */
export type ImportTimes = ReadonlyMap<string, ItemTimes>;

interface ImportItem {
  type: 'category' | 'role' | 'question';
  key: string;
}

export interface ImportReport {
  created: ImportItem[];
  updated: ImportItem[];
  unchanged: ImportItem[];
  removed: ImportItem[];
}

/** A role document without its questions: what the role aggregate stores. */
function roleCore(doc: RoleDocument): RoleCoreDocument {
  const { questions: _questions, ...rest } = doc;
  return rest;
}

/** Checks that every reference in the bundle resolves, against the bundle and the database. */
async function checkReferences(tx: Queryable, bundle: ImportBundle): Promise<void> {
  const errors: FieldError[] = [];
  const knownCategories = new Set([
    ...bundle.categories.map((c) => c.slug),
    ...(await exportCategories(tx)).map((c) => c.slug),
  ]);
  const bundleRoles = new Set(bundle.roles.map((r) => r.slug));
  const related = [...new Set(bundle.roles.flatMap((r) => r.relatedRoles))].filter((s) => !bundleRoles.has(s));
  const existing = related.length
    ? new Set(
        (await tx.select({ slug: roles.slug }).from(roles).where(inArray(roles.slug, related))).map((r) => r.slug),
      )
    : new Set<string>();
  const seenCategories = new Set<string>();
  bundle.categories.forEach((category, i) => {
    if (seenCategories.has(category.slug))
      errors.push({ path: `categories.${i}.slug`, message: `category "${category.slug}" appears twice` });
    seenCategories.add(category.slug);
  });
  const seenRoles = new Set<string>();
  const seenQuestions = new Map<string, string>();
  bundle.roles.forEach((role, i) => {
    if (seenRoles.has(role.slug))
      errors.push({ path: `roles.${i}.slug`, message: `role "${role.slug}" appears twice` });
    seenRoles.add(role.slug);
    if (!knownCategories.has(role.category))
      errors.push({ path: `roles.${i}.category`, message: `no category "${role.category}"` });
    role.relatedRoles.forEach((slug, j) => {
      if (!bundleRoles.has(slug) && !existing.has(slug))
        errors.push({ path: `roles.${i}.relatedRoles.${j}`, message: `no role "${slug}"` });
    });
    role.questions.forEach((q, j) => {
      const other = seenQuestions.get(q.id);
      if (other)
        errors.push({ path: `roles.${i}.questions.${j}.id`, message: `question id also used in role "${other}"` });
      seenQuestions.set(q.id, role.slug);
    });
  });
  const ids = [...seenQuestions.keys()];
  if (ids.length) {
    const owners = await tx
      .select({ id: questions.id, slug: roles.slug })
      .from(questions)
      .innerJoin(roles, eq(roles.id, questions.roleId))
      .where(inArray(questions.id, ids));
    for (const owner of owners) {
      const claimed = seenQuestions.get(owner.id);
      if (claimed !== owner.slug) {
        const i = bundle.roles.findIndex((r) => r.slug === claimed);
        const j = bundle.roles[i]!.questions.findIndex((q) => q.id === owner.id);
        errors.push({
          path: `roles.${i}.questions.${j}.id`,
          message: `question ${owner.id} belongs to role "${owner.slug}": move it there in the file, or give this question a new id`,
        });
      }
    }
  }
  if (errors.length)
    throw new AppError(
      'VALIDATION_FAILED',
      `The import refers to content that does not exist or is claimed twice: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      { errors },
    );
}

async function writeCategories(uow: UnitOfWork, docs: CategoryDocument[], report: ImportReport) {
  const { tx } = uow;
  const current = new Map((await tx.select().from(categories)).map((c) => [c.slug, c]));
  for (const [i, doc] of docs.entries()) {
    const position = i + 1;
    const row = current.get(doc.slug);
    const item = { type: 'category' as const, key: doc.slug };
    const change = (entityId: string, action: 'created' | 'updated'): Change => ({
      entityType: 'category',
      entityId,
      entityKey: doc.slug,
      action,
      actor: uow.actor,
    });
    if (!row) {
      const [created] = await tx
        .insert(categories)
        .values({ slug: doc.slug, name: doc.name, position })
        .returning({ id: categories.id });
      report.created.push(item);
      uow.changes.push(change(created!.id, 'created'));
    } else if (row.name !== doc.name || row.position !== position) {
      await tx
        .update(categories)
        .set({ name: doc.name, position, updatedAt: uow.now })
        .where(eq(categories.id, row.id));
      report.updated.push(item);
      uow.changes.push(change(row.id, 'updated'));
    } else {
      report.unchanged.push(item);
    }
  }
}

/**
 * The ids deleted roles had, by slug: a role an import brings back gets its id again, so its
 * revision history continues where it stopped.
 */
async function deletedRoleIds(tx: Queryable, slugs: string[]): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const rows = await tx
    .selectDistinctOn([changeLog.entityKey], { slug: changeLog.entityKey, id: changeLog.entityId })
    .from(changeLog)
    .where(
      and(
        eq(changeLog.entityType, 'role'),
        eq(changeLog.action, 'deleted'),
        inArray(changeLog.entityKey, slugs),
        sql`not exists (select 1 from ${roles} where ${roles.id} = ${changeLog.entityId})`,
      ),
    )
    .orderBy(changeLog.entityKey, desc(changeLog.seq));
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/** Whether the document is what the aggregate's last revision holds: its rows only fell behind it. */
async function equalsLastRevision(tx: Queryable, type: 'role' | 'question', id: string, doc: object) {
  const [last] = await tx
    .select({ snapshot: revisions.snapshot })
    .from(revisions)
    .where(and(eq(revisions.entityType, type), eq(revisions.entityId, id)))
    .orderBy(desc(revisions.version))
    .limit(1);
  const { role: _role, ...snapshot } = (last?.snapshot ?? {}) as Record<string, unknown>;
  return isDeepStrictEqual(snapshot, doc);
}

/**
 * A point where a long import lets other work run: the statements of one transaction resolve
 * without ever returning to the event loop on PGlite, so without these a large import would hold
 * the whole process (health checks, signals) until it committed. It throws to stop the import
 * when the server is shutting down; the transaction then rolls back.
 */
export type Pause = () => Promise<void>;

export function pauses(signal?: AbortSignal): Pause {
  return async () => {
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted)
      throw new AppError(
        'UNAVAILABLE',
        'The server is shutting down: the import was stopped and nothing of it was written; send it again',
        { cause: signal.reason },
      );
  };
}

const noPause: Pause = async () => {};

/**
 * A write of one item that collides with content stored meanwhile (another import creating the
 * same slug) is a 409 naming the item, where it is in the file, and what it collided with.
 */
async function named<T>(path: string, what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const refused = fromDatabaseError(err);
    if (refused?.code !== 'CONFLICT') throw err;
    type DbError = { constraint?: string; constraint_name?: string; cause?: DbError };
    const cause = (err as DbError).cause ?? (err as DbError);
    const constraint = cause.constraint ?? cause.constraint_name;
    const message = `${what} collides with content stored while this import ran${constraint ? ` (${constraint})` : ''}; export again and retry`;
    throw new AppError('CONFLICT', `${path}: ${message}`, { errors: [{ path, message }], cause: err });
  }
}

/**
 * Brings the database to what the bundle says, inside the caller's unit of work, through the
 * same write as every command: creates what is new (an item deleted since the export comes back
 * with its id, its versions continuing), rewrites what differs (a new version, a revision and a
 * change-log entry each), leaves what is equal untouched, and removes questions a role no longer
 * lists. Running it twice changes nothing the second time.
 */
export async function applyImport(
  uow: UnitOfWork,
  bundle: ImportBundle,
  pause: Pause = noPause,
  times: ImportTimes = new Map(),
): Promise<ImportReport> {
  const { tx } = uow;
  const report: ImportReport = { created: [], updated: [], unchanged: [], removed: [] };
  await checkReferences(tx, bundle);
  await writeCategories(uow, bundle.categories, report);

  const slugs = bundle.roles.map((r) => r.slug);
  const existing = new Map((slugs.length ? await loadRoles(tx, { slugs }, true) : []).map((r) => [r.doc.slug, r]));
  const newSlugs = slugs.filter((s) => !existing.has(s));
  const priorIds = await deletedRoleIds(tx, newSlugs);
  const roleVersions = await firstVersions(tx, 'role', [...priorIds.values()]);
  // Every role of the bundle has its id before any is written, so links may point at any of them.
  const ids = new Map(slugs.map((s) => [s, existing.get(s)?.row.id ?? priorIds.get(s) ?? randomUUID()]));
  const saved = new Map<string, LoadedRole>();
  const links: { roleId: string; ids: string[] }[] = [];

  for (const doc of bundle.roles) {
    await pause();
    const before = existing.get(doc.slug);
    const next = roleCore(doc);
    const item = { type: 'role' as const, key: doc.slug };
    const restoring =
      !!before && !isDeepStrictEqual(before.doc, next) && (await equalsLastRevision(tx, 'role', before.row.id, next));
    const result = await named(`roles.${bundle.roles.indexOf(doc)}`, `role "${doc.slug}"`, () =>
      commit(uow, roleKind, before, next, {
        action: before ? 'updated' : 'created',
        place: { id: ids.get(doc.slug), linkIds: ids, deferLinks: true },
        firstVersion: roleVersions.get(ids.get(doc.slug)!),
        times: before ? undefined : times.get(`role:${doc.slug}`),
        repair: restoring,
      }),
    );
    (before ? (result.changed ? report.updated : report.unchanged) : report.created).push(item);
    saved.set(doc.slug, result.saved);
    if (!before || !isDeepStrictEqual(before.doc.relatedRoles, next.relatedRoles))
      links.push({ roleId: result.saved.row.id, ids: result.saved.relatedIds });
  }
  // Links go once every role exists: they may point at roles created after the one linking.
  for (const link of links) await writeRelatedIds(tx, link.roleId, link.ids);

  for (const doc of bundle.roles) {
    await pause();
    const role = saved.get(doc.slug)!;
    const roleId = role.row.id;
    const current = new Map((await loadQuestions(tx, { roleId }, true)).map((q) => [q.doc.id, q]));
    const newIds = doc.questions.map((q) => q.id).filter((id) => !current.has(id));
    const versions = await firstVersions(tx, 'question', newIds);
    // Positions are unique per role: when any question moves or arrives, the old places are
    // vacated first (the rows removed below are parked out of the way until then).
    const moving = doc.questions.some((q, i) => current.get(q.id)?.row.position !== i + 1);
    if (moving) await parkPositions(tx, roleId);
    let moved = false;
    for (const [i, q] of doc.questions.entries()) {
      const before = current.get(q.id);
      const item = { type: 'question' as const, key: q.id };
      const movedHere = !!before && before.row.position !== i + 1;
      if (before && moving)
        await tx
          .update(questions)
          .set({ position: i + 1 })
          .where(eq(questions.id, q.id));
      const result = await named(`roles.${bundle.roles.indexOf(doc)}.questions.${i}`, `question ${q.id}`, () =>
        commit(uow, questionKind, before, q, {
          action: before ? 'updated' : 'created',
          place: { roleId, roleSlug: doc.slug, position: i + 1 },
          firstVersion: versions.get(q.id),
          times: before ? undefined : times.get(`question:${q.id}`),
        }),
      );
      (!before ? report.created : result.changed || movedHere ? report.updated : report.unchanged).push(item);
      if (movedHere) moved = true;
    }
    const keep = new Set(doc.questions.map((q) => q.id));
    const gone = [...current.keys()].filter((id) => !keep.has(id));
    if (gone.length) {
      await tx.delete(questions).where(inArray(questions.id, gone));
      await leaveReleases(tx, 'question', gone);
      for (const id of gone) {
        report.removed.push({ type: 'question', key: id });
        uow.changes.push({
          entityType: 'question',
          entityId: id,
          entityKey: id,
          roleKey: doc.slug,
          action: 'deleted',
          actor: uow.actor,
        });
      }
    }
    // A new order is a change of the role's page, as a reorder is.
    if (moved)
      uow.changes.push({
        entityType: 'role',
        entityId: roleId,
        entityKey: doc.slug,
        action: 'updated',
        actor: uow.actor,
      });
  }
  return report;
}

/** An operator's principal (seeding, the CLI): may write and publish. */
export function operator(name: string): Principal {
  return {
    kind: 'key',
    keyId: '00000000-0000-0000-0000-000000000000',
    name,
    prefix: name,
    type: 'server',
    scopes: ['content:preview', 'content:write', 'content:publish'],
    categories: null,
    allowedOrigins: [],
    rateLimitPerMinute: null,
    expiresAt: null,
  };
}
