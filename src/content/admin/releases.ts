import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../../access/principal.js';
import type { Queryable } from '../../db/client.js';
import { questions, releaseItems, releases, roles } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import type { QuestionDocument, RoleCoreDocument } from '../import-format.js';
import { timestamp } from '../vocabulary.js';
import { commit, inUnitOfWork, type UnitOfWork, type WriteDeps } from './aggregate-write.js';
import { loadQuestions, questionKind } from './question-aggregate.js';
import { questionCreateInput, questionUpdateInput } from './questions.js';
import { loadRoles, roleKind } from './role-aggregate.js';
import { roleCreateInput, roleUpdateInput } from './roles.js';
import { checked, nullsCleared, sentFields } from './validation.js';

/*
 * A release is a named set of items published together, in one transaction: drafts (new content)
 * and staged edits of what is published (changes kept here, not applied until then). It publishes
 * now, or at publishAt (the scheduler claims it with SKIP LOCKED, so with several instances it
 * runs once), and until then it can be changed, rescheduled or cancelled. An item changed by
 * someone else after its edit was staged stops the release (409 naming it) rather than being
 * overwritten.
 */

const name = z.string().trim().min(1).max(120);
const description = z.string().trim().max(2000);
const publishAt = timestamp.nullable().describe('When to publish it (ISO 8601 with an offset); null: not scheduled');

export const releaseCreateInput = z.strictObject({
  name,
  description: description.optional(),
  publishAt: publishAt.optional(),
});
export const releaseUpdateInput = z
  .strictObject({ name: name.optional(), description: description.optional(), publishAt: publishAt.optional() })
  .refine((r) => Object.keys(r).length > 0, 'send name, description or publishAt');

const roleChanges = roleUpdateInput.omit({ version: true, note: true });
const questionChanges = questionUpdateInput.omit({ version: true, note: true });

export const releaseItemsInput = z.strictObject({
  items: z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('role'),
          key: z.string().min(1).max(80).describe('The role slug'),
          changes: z
            .record(z.string(), z.unknown())
            .optional()
            .describe('Fields to change when it is published, as a PATCH sends them'),
          withQuestions: z.boolean().optional().describe("Add the role's draft questions too"),
        }),
        z.strictObject({
          type: z.literal('question'),
          key: z.uuid().describe('The question id'),
          changes: z
            .record(z.string(), z.unknown())
            .optional()
            .describe('Fields to change when it is published, as a PATCH sends them'),
        }),
      ]),
    )
    .min(1)
    .max(500),
});

type ReleaseRow = typeof releases.$inferSelect;
const OPEN = ['open', 'scheduled', 'failed'];
const iso = (d: Date | null) => d?.toISOString() ?? null;

async function releaseRow(tx: Queryable, id: string, lock: boolean): Promise<ReleaseRow> {
  if (!z.uuid().safeParse(id).success) throw notFound(`Release ${id}`);
  const query = tx.select().from(releases).where(eq(releases.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound(`Release ${id}`);
  return row;
}

function mustBeOpen(row: ReleaseRow): void {
  if (!OPEN.includes(row.status))
    throw new AppError('CONFLICT', `Release "${row.name}" is ${row.status}; it can no longer be changed`);
}

/** A release with its items as they are now (their current key, title, status and version). */
async function releaseView(tx: Queryable, row: ReleaseRow) {
  const items = await tx
    .select({
      type: releaseItems.entityType,
      id: releaseItems.entityId,
      changes: releaseItems.changes,
      baseVersion: releaseItems.baseVersion,
      addedBy: releaseItems.addedBy,
      addedAt: releaseItems.addedAt,
      key: sql<
        string | null
      >`coalesce((select ${roles.slug} from ${roles} where ${roles.id} = ${releaseItems.entityId}), (select ${questions.id}::text from ${questions} where ${questions.id} = ${releaseItems.entityId}))`,
      title: sql<
        string | null
      >`coalesce((select ${roles.title} from ${roles} where ${roles.id} = ${releaseItems.entityId}), (select ${questions.prompt} from ${questions} where ${questions.id} = ${releaseItems.entityId}))`,
      status: sql<
        string | null
      >`coalesce((select ${roles.status} from ${roles} where ${roles.id} = ${releaseItems.entityId}), (select ${questions.status} from ${questions} where ${questions.id} = ${releaseItems.entityId}))`,
      version: sql<
        number | null
      >`coalesce((select ${roles.version} from ${roles} where ${roles.id} = ${releaseItems.entityId}), (select ${questions.version} from ${questions} where ${questions.id} = ${releaseItems.entityId}))`,
    })
    .from(releaseItems)
    .where(eq(releaseItems.releaseId, row.id))
    .orderBy(sql`${releaseItems.entityType} = 'question'`, asc(releaseItems.seq));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status as 'open' | 'scheduled' | 'published' | 'cancelled' | 'failed',
    publishAt: iso(row.publishAt),
    publishedAt: iso(row.publishedAt),
    error: row.error,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    items: items.map((i) => ({
      type: i.type as 'role' | 'question',
      key: i.key ?? i.id,
      title: i.title,
      status: i.status as 'draft' | 'published' | 'archived' | null,
      version: i.version === null ? null : Number(i.version),
      baseVersion: i.baseVersion,
      changes: (i.changes ?? null) as Record<string, unknown> | null,
      addedBy: i.addedBy,
      addedAt: i.addedAt.toISOString(),
    })),
  };
}

export async function listReleases(db: Queryable, status?: string) {
  const rows = await db
    .select()
    .from(releases)
    .where(status ? eq(releases.status, status) : undefined)
    .orderBy(desc(releases.createdAt), asc(releases.id))
    .limit(500);
  return Promise.all(rows.map((r) => releaseView(db, r)));
}

export const getRelease = async (db: Queryable, id: string) => releaseView(db, await releaseRow(db, id, false));

export const createRelease = (deps: WriteDeps, principal: Principal, input: z.input<typeof releaseCreateInput>) => {
  const fields = checked(releaseCreateInput, input);
  return inUnitOfWork(deps, principal, async (uow) => {
    const at = fields.publishAt ? new Date(fields.publishAt) : null;
    const [row] = await uow.tx
      .insert(releases)
      .values({
        name: fields.name,
        description: fields.description ?? '',
        publishAt: at,
        status: at ? 'scheduled' : 'open',
        createdBy: uow.actor,
        createdAt: uow.now,
        updatedAt: uow.now,
      })
      .returning();
    return releaseView(uow.tx, row!);
  });
};

/** Renames, describes, schedules (a time), reschedules or unschedules (null) a release that has not been published. */
export const updateRelease = (deps: WriteDeps, principal: Principal, id: string, input: unknown) => {
  const fields = sentFields(input, checked(releaseUpdateInput, input));
  return inUnitOfWork(deps, principal, async (uow) => {
    const row = await releaseRow(uow.tx, id, true);
    mustBeOpen(row);
    const at =
      fields.publishAt === undefined ? row.publishAt : fields.publishAt === null ? null : new Date(fields.publishAt);
    const [updated] = await uow.tx
      .update(releases)
      .set({
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        ...(fields.description !== undefined ? { description: fields.description } : {}),
        publishAt: at,
        status: at ? 'scheduled' : 'open',
        error: fields.publishAt !== undefined ? null : row.error,
        updatedAt: uow.now,
      })
      .where(eq(releases.id, id))
      .returning();
    return releaseView(uow.tx, updated!);
  });
};

export const cancelRelease = (deps: WriteDeps, principal: Principal, id: string) =>
  inUnitOfWork(deps, principal, async (uow) => {
    const row = await releaseRow(uow.tx, id, true);
    mustBeOpen(row);
    const [updated] = await uow.tx
      .update(releases)
      .set({ status: 'cancelled', updatedAt: uow.now })
      .where(eq(releases.id, id))
      .returning();
    return releaseView(uow.tx, updated!);
  });

/**
 * Adds items (again: an item already in it is replaced). Staged changes are checked now, against
 * the rules for published content, so a release that cannot publish says so when it is made.
 */
export const addReleaseItems = (deps: WriteDeps, principal: Principal, id: string, input: unknown) => {
  const { items } = checked(releaseItemsInput, input);
  return inUnitOfWork(deps, principal, async (uow) => {
    const row = await releaseRow(uow.tx, id, true);
    mustBeOpen(row);
    const slugs = items.filter((i) => i.type === 'role').map((i) => i.key);
    const roleList = await loadRoles(uow.tx, { slugs }, false);
    const bySlug = new Map(roleList.map((r) => [r.doc.slug, r]));
    const ids = items.filter((i) => i.type === 'question').map((i) => i.key);
    const byId = new Map((await loadQuestions(uow.tx, { ids }, false)).map((q) => [q.doc.id, q]));
    const rows: (typeof releaseItems.$inferInsert)[] = [];
    for (const [i, item] of items.entries()) {
      const path = `items.${i}`;
      const prefix = (err: unknown) => {
        if (!(err instanceof AppError)) return err;
        return new AppError(err.code, `${path}: ${err.message}`, {
          errors: (err.errors ?? []).map((e) => ({ ...e, path: `${path}.changes.${e.path}` })),
        });
      };
      if (item.type === 'role') {
        const role = bySlug.get(item.key);
        if (!role)
          throw new AppError('VALIDATION_FAILED', `${path}.key: no role "${item.key}"`, {
            errors: [{ path: `${path}.key`, message: `no role "${item.key}"` }],
          });
        let changes: Record<string, unknown> | null = null;
        if (item.changes) {
          try {
            const raw = nullsCleared(roleCreateInput, item.changes);
            changes = sentFields(raw, checked(roleChanges, raw));
            roleKind.check({ ...role.doc, ...changes, status: 'published' } as RoleCoreDocument, true);
          } catch (err) {
            throw prefix(err);
          }
        }
        rows.push({
          releaseId: id,
          entityType: 'role',
          entityId: role.row.id,
          changes,
          baseVersion: changes ? role.row.version : null,
          addedBy: uow.actor,
          addedAt: uow.now,
        });
        if (item.withQuestions)
          for (const q of await loadQuestions(uow.tx, { roleId: role.row.id }, false))
            if (q.doc.status === 'draft' && !byId.has(q.doc.id))
              rows.push({
                releaseId: id,
                entityType: 'question',
                entityId: q.doc.id,
                changes: null,
                baseVersion: null,
                addedBy: uow.actor,
                addedAt: uow.now,
              });
      } else {
        const question = byId.get(item.key);
        if (!question)
          throw new AppError('VALIDATION_FAILED', `${path}.key: no question "${item.key}"`, {
            errors: [{ path: `${path}.key`, message: `no question "${item.key}"` }],
          });
        let changes: Record<string, unknown> | null = null;
        if (item.changes) {
          try {
            const raw = nullsCleared(questionCreateInput, item.changes);
            changes = sentFields(raw, checked(questionChanges, raw));
            questionKind.check({ ...question.doc, ...changes, status: 'published' } as QuestionDocument, true);
          } catch (err) {
            throw prefix(err);
          }
        }
        rows.push({
          releaseId: id,
          entityType: 'question',
          entityId: question.doc.id,
          changes,
          baseVersion: changes ? question.row.version : null,
          addedBy: uow.actor,
          addedAt: uow.now,
        });
      }
    }
    await uow.tx
      .insert(releaseItems)
      .values(rows)
      .onConflictDoUpdate({
        target: [releaseItems.releaseId, releaseItems.entityType, releaseItems.entityId],
        set: {
          changes: sql`excluded.changes`,
          baseVersion: sql`excluded.base_version`,
          addedBy: sql`excluded.added_by`,
          addedAt: sql`excluded.added_at`,
        },
      });
    await uow.tx.update(releases).set({ updatedAt: uow.now }).where(eq(releases.id, id));
    return releaseView(uow.tx, row);
  });
};

export const removeReleaseItem = (
  deps: WriteDeps,
  principal: Principal,
  id: string,
  type: 'role' | 'question',
  key: string,
) =>
  inUnitOfWork(deps, principal, async (uow) => {
    const row = await releaseRow(uow.tx, id, true);
    mustBeOpen(row);
    const entity =
      type === 'role'
        ? (await loadRoles(uow.tx, { slugs: [key] }, false))[0]?.row.id
        : (await loadQuestions(uow.tx, { ids: [key] }, false))[0]?.row.id;
    const removed = entity
      ? await uow.tx
          .delete(releaseItems)
          .where(
            and(eq(releaseItems.releaseId, id), eq(releaseItems.entityType, type), eq(releaseItems.entityId, entity)),
          )
          .returning({ id: releaseItems.entityId })
      : [];
    if (removed.length === 0)
      throw notFound(`${type === 'role' ? `Role "${key}"` : `Question ${key}`} in release "${row.name}"`);
    await uow.tx.update(releases).set({ updatedAt: uow.now }).where(eq(releases.id, id));
    return releaseView(uow.tx, row);
  });

/**
 * Publishes every item of a release inside the caller's unit of work: roles first, each with its
 * staged changes, through the one write path (a revision and a change-log entry each). Any item
 * that cannot be published stops all of it.
 */
export async function publishReleaseIn(uow: UnitOfWork, row: ReleaseRow) {
  const items = await uow.tx.select().from(releaseItems).where(eq(releaseItems.releaseId, row.id));
  if (items.length === 0) throw new AppError('CONFLICT', `Release "${row.name}" has no items to publish`);
  const note = `Release "${row.name}"`;
  const roleItems = items.filter((i) => i.entityType === 'role');
  const questionItems = items.filter((i) => i.entityType === 'question');
  const loadedRoles = new Map(
    (await loadRoles(uow.tx, { ids: roleItems.map((i) => i.entityId) }, true)).map((r) => [r.row.id, r]),
  );
  const loadedQuestions = new Map(
    (await loadQuestions(uow.tx, { ids: questionItems.map((i) => i.entityId) }, true)).map((q) => [q.row.id, q]),
  );
  const stale = (what: string, base: number | null, now: number) =>
    new AppError(
      'CONFLICT',
      `${what} changed after its edit was added to release "${row.name}" (version ${base}, now ${now}): review it and add it to the release again; nothing was published`,
    );
  for (const item of roleItems) {
    const role = loadedRoles.get(item.entityId);
    if (!role)
      throw new AppError('CONFLICT', `A role of release "${row.name}" no longer exists; nothing was published`);
    if (item.changes && role.row.version !== item.baseVersion)
      throw stale(`Role "${role.doc.slug}"`, item.baseVersion, role.row.version);
    await commit(
      uow,
      roleKind,
      role,
      { ...role.doc, ...(item.changes as object), status: 'published' },
      { action: 'published', note },
    );
  }
  for (const item of questionItems) {
    const question = loadedQuestions.get(item.entityId);
    if (!question)
      throw new AppError('CONFLICT', `A question of release "${row.name}" no longer exists; nothing was published`);
    if (item.changes && question.row.version !== item.baseVersion)
      throw stale(`Question ${question.doc.id}`, item.baseVersion, question.row.version);
    await commit(
      uow,
      questionKind,
      question,
      { ...question.doc, ...(item.changes as object), status: 'published' },
      { action: 'published', note },
    );
  }
  const [updated] = await uow.tx
    .update(releases)
    .set({ status: 'published', publishedAt: uow.now, error: null, updatedAt: uow.now })
    .where(eq(releases.id, row.id))
    .returning();
  return releaseView(uow.tx, updated!);
}

/** Publishes a release now; a dry run says what it would change and changes nothing. */
export const publishRelease = (deps: WriteDeps, principal: Principal, id: string, dryRun = false) =>
  inUnitOfWork(
    deps,
    principal,
    async (uow) => {
      const row = await releaseRow(uow.tx, id, true);
      mustBeOpen(row);
      return { ...(await publishReleaseIn(uow, row)), dryRun };
    },
    { dryRun },
  );

/** Releases due by `now`, claimed one at a time: a row another instance holds is skipped. */
export async function claimDueRelease(tx: Queryable, now: Date): Promise<ReleaseRow | undefined> {
  const [row] = await tx
    .select()
    .from(releases)
    .where(and(eq(releases.status, 'scheduled'), lte(releases.publishAt, now)))
    .orderBy(asc(releases.publishAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** A scheduled release that could not be published stays unpublished, with why. */
export async function markReleaseFailed(tx: Queryable, id: string, error: string, now: Date): Promise<void> {
  await tx
    .update(releases)
    .set({ status: 'failed', error, updatedAt: now })
    .where(and(eq(releases.id, id), inArray(releases.status, ['scheduled'])));
}
