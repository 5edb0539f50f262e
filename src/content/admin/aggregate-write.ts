import { isDeepStrictEqual } from 'node:util';
import { and, eq, inArray, max } from 'drizzle-orm';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordChanges, type Change, type ChangeAction } from '../../changes/change-log.js';
import type { Clock } from '../../clock.js';
import type { Database, Queryable } from '../../db/client.js';
import { revisions } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import type { Status } from '../vocabulary.js';
import { checkStatusChange } from './lifecycle.js';
import { expectCurrent, type Expected } from './validation.js';

/*
 * The one way content changes. Every command (create, update, publish, restore, delete, reorder,
 * schedule, bulk, release, import) runs in a unit of work (one transaction) and changes each
 * aggregate it touches (a role page; a question with its examples and pitfalls) the same way:
 *
 *   load and lock its row with its document, in one statement -> check the version or admin ETag
 *   the caller read (412 when stale) -> make the next document -> check it -> write only what
 *   differs (nothing at all when nothing does) -> a revision (what changed, the caller's note,
 *   the ids behind the names it refers to) -> a change-log entry, all entries of the unit written
 *   together when it ends -> answer the aggregate as saved, without reading it again.
 *
 * What differs between aggregates (which tables, how a role's rounds or a question's place are
 * kept) is an AggregateKind (role-aggregate.ts, question-aggregate.ts); the steps and their order
 * are here, once. A later kind (a translation of an item into a locale) is another AggregateKind.
 */

/** What a write needs besides its arguments: the database and the time. */
export interface WriteDeps {
  db: Database;
  clock: Clock;
}

/** One transaction of content writes, and what it has to say in the change log. */
export interface UnitOfWork {
  tx: Queryable;
  principal: Principal;
  /** Who the revisions and change-log entries name: the caller, or whoever scheduled the change. */
  actor: string;
  /** One time for everything the unit writes. */
  now: Date;
  /** Written to the change log together, once the unit's work is done. */
  changes: Change[];
}

/** A dry run did its work and is being rolled back; carries what it would have answered. */
class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

export interface UnitOptions {
  /** Do all the work, then roll it back: the answer says exactly what would happen. */
  dryRun?: boolean;
  actor?: string;
}

/** Runs `work` as one transaction: its writes, revisions and change-log entries land together or not at all. */
export async function inUnitOfWork<T>(
  deps: WriteDeps,
  principal: Principal,
  work: (uow: UnitOfWork) => Promise<T>,
  options: UnitOptions = {},
): Promise<T> {
  try {
    return await deps.db.transaction(async (tx) => {
      const uow: UnitOfWork = {
        tx,
        principal,
        actor: options.actor ?? actorOf(principal),
        now: deps.clock.now(),
        changes: [],
      };
      const result = await work(uow);
      await recordChanges(tx, uow.changes);
      if (options.dryRun) throw new RolledBack(result);
      return result;
    });
  } catch (err) {
    if (err instanceof RolledBack) return err.result as T;
    throw err;
  }
}

/** The columns every drafted and published aggregate has (db/schema.ts `lifecycle`). */
interface LifecycleRow {
  id: string;
  status: string;
  version: number;
  publishedAt: Date | null;
  updatedAt: Date;
  updatedBy: string | null;
  publishAt: Date | null;
  unpublishAt: Date | null;
  scheduledBy: string | null;
  scheduleError: string | null;
}

/** What a write sets of them (the status is the document's). */
type LifecycleValues = Omit<LifecycleRow, 'id' | 'status'>;

export interface Loaded<Doc, Row extends LifecycleRow = LifecycleRow> {
  row: Row;
  doc: Doc;
}

/** Ids behind the names a document refers to, kept with its revision (see revisions.ts). */
type Refs = Record<string, unknown>;

/** What the write path needs to know of one kind of aggregate. */
export interface AggregateKind<
  Doc extends { status: Status },
  L extends Loaded<Doc>,
  View extends { version: number },
  Place = undefined,
> {
  type: 'role' | 'question';
  /** How messages name one: `Role "qa-engineer"`, `Question 0b7c…`. */
  name(key: string): string;
  /** One by its key (a slug, an id) with its document, in one statement, its row locked when asked. */
  load(tx: Queryable, key: string, lock: boolean): Promise<L | undefined>;
  /** The document as it will be stored, or a 400 naming each bad field; `publishing` checks the rules for published content. */
  check(doc: Doc, publishing: boolean): Doc;
  /** What a revision keeps of it. */
  snapshot(saved: L): Record<string, unknown>;
  /** Writes what differs from `before` (everything for a new one); answers the aggregate as saved. */
  store(
    uow: UnitOfWork,
    next: Doc,
    before: L | undefined,
    lifecycle: LifecycleValues,
    place: Place | undefined,
  ): Promise<{ saved: L; refs: Refs }>;
  /** How the change log names a write of it. */
  change(saved: L, before: L | undefined): Omit<Change, 'action' | 'version' | 'actor'>;
  /** What content tools see of it; its admin ETag is a digest of this. */
  view(tx: Queryable, loaded: L): Promise<View>;
}

/** When it is to be published or unpublished by the scheduler; null clears, absent leaves it. */
export interface Schedule {
  publishAt?: Date | null;
  unpublishAt?: Date | null;
}

export interface CommitOptions<Place> {
  /** How the change log names the write. */
  action: ChangeAction;
  /** Why, in the writer's words; kept with the revision. */
  note?: string | undefined;
  schedule?: Schedule | undefined;
  /** Where it sits in its parent (a question in its role); a new one needs it. */
  place?: Place | undefined;
  /** An import bringing back what a backup says: when it was first published and last changed. */
  times?: { publishedAt?: Date | null | undefined; updatedAt?: Date | undefined } | undefined;
  /** The version a new aggregate starts at: after the last of an id it had before (an import bringing it back). */
  firstVersion?: number | undefined;
  /**
   * The stored rows fell behind the aggregate's last revision without a write of their own (a link
   * dropped with the role it pointed to) and this brings them back to it: rows only, no new version.
   */
  repair?: boolean | undefined;
}

/** The top-level fields whose values differ. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => !isDeepStrictEqual(before[k], after[k]),
  );
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** The version each of these ids would start at again: after the last revision it had (1 for none). */
export async function firstVersions(
  tx: Queryable,
  type: 'role' | 'question',
  ids: readonly string[],
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: revisions.entityId, n: max(revisions.version) })
    .from(revisions)
    .where(and(eq(revisions.entityType, type), inArray(revisions.entityId, [...ids])))
    .groupBy(revisions.entityId);
  return new Map(rows.map((r) => [r.id, (r.n ?? 0) + 1]));
}

/**
 * The one write: stores `next` as the aggregate's next state. Nothing is written when nothing
 * differs (publishing what is published, saving what was read): no version, revision or event.
 * Answers the aggregate as saved, and whether its content changed.
 */
export async function commit<
  Doc extends { status: Status },
  L extends Loaded<Doc>,
  View extends { version: number },
  Place,
>(
  uow: UnitOfWork,
  kind: AggregateKind<Doc, L, View, Place>,
  before: L | undefined,
  next: Doc,
  options: CommitOptions<Place>,
): Promise<{ saved: L; changed: boolean }> {
  const was = before?.row;
  const schedule = {
    publishAt: options.schedule?.publishAt !== undefined ? options.schedule.publishAt : (was?.publishAt ?? null),
    unpublishAt:
      options.schedule?.unpublishAt !== undefined ? options.schedule.unpublishAt : (was?.unpublishAt ?? null),
  };
  // A scheduled change that has happened is done, whoever made it happen.
  if (next.status === 'published') schedule.publishAt = null;
  if (was?.status === 'published' && next.status !== 'published') schedule.unpublishAt = null;

  const doc = kind.check(next, next.status === 'published' || schedule.publishAt !== null);
  const fields = changedFields((before?.doc ?? {}) as Record<string, unknown>, doc as Record<string, unknown>);
  const contentChanged = !before || fields.length > 0;
  const scheduleChanged =
    !!was && (!sameTime(schedule.publishAt, was.publishAt) || !sameTime(schedule.unpublishAt, was.unpublishAt));
  if (before && !contentChanged && !scheduleChanged) return { saved: before, changed: false };
  if (contentChanged) checkStatusChange(uow.principal, was?.status as Status | undefined, doc.status);

  const repair = options.repair === true && !!was;
  const version = !contentChanged || repair ? was!.version : was ? was.version + 1 : (options.firstVersion ?? 1);
  const published = doc.status === 'published';
  const lifecycle: LifecycleValues = {
    version,
    publishedAt:
      options.times?.publishedAt !== undefined
        ? options.times.publishedAt
        : published
          ? (was?.publishedAt ?? uow.now)
          : (was?.publishedAt ?? null),
    updatedAt: contentChanged && !repair ? (options.times?.updatedAt ?? uow.now) : was!.updatedAt,
    updatedBy: contentChanged && !repair ? uow.actor : (was?.updatedBy ?? null),
    ...schedule,
    scheduledBy: scheduleChanged ? uow.actor : (was?.scheduledBy ?? null),
    scheduleError: contentChanged || scheduleChanged ? null : (was?.scheduleError ?? null),
  };
  const { saved, refs } = await kind.store(uow, doc, before, lifecycle, options.place);
  if (repair) {
    // What readers see changed, though no new version was written: the change log says so.
    uow.changes.push({ ...kind.change(saved, before), action: options.action, actor: uow.actor });
  } else if (contentChanged) {
    await uow.tx.insert(revisions).values({
      entityType: kind.type,
      entityId: saved.row.id,
      version,
      snapshot: kind.snapshot(saved),
      actor: uow.actor,
      note: options.note ?? null,
      changedFields: fields,
      refs,
    });
    uow.changes.push({ ...kind.change(saved, before), action: options.action, version, actor: uow.actor });
  }
  return { saved, changed: contentChanged };
}

/** Loads an aggregate for a write, its row locked, and checks it is still what the caller read. */
export async function lockExpected<
  Doc extends { status: Status },
  L extends Loaded<Doc>,
  View extends { version: number },
  Place,
>(uow: UnitOfWork, kind: AggregateKind<Doc, L, View, Place>, key: string, expected: Expected | undefined): Promise<L> {
  const loaded = await kind.load(uow.tx, key, true);
  if (!loaded) throw notFound(kind.name(key));
  await expectCurrent(kind.name(key), loaded.row.version, expected, () => kind.view(uow.tx, loaded));
  return loaded;
}

/** One change to one aggregate. */
export interface Edit<Doc, L, Place> extends Omit<CommitOptions<Place>, 'priorId' | 'times'> {
  key: string;
  /** The version or admin ETag the caller read; none: whatever is current. */
  expected: Expected | undefined;
  /** The document to store, made from the stored one. */
  change(current: Doc, loaded: L): Doc | Promise<Doc>;
}

/** Lock, check, change, commit: what a command on one aggregate runs inside its unit of work. */
export async function write<
  Doc extends { status: Status },
  L extends Loaded<Doc>,
  View extends { version: number },
  Place,
>(uow: UnitOfWork, kind: AggregateKind<Doc, L, View, Place>, edit: Edit<Doc, L, Place>): Promise<View> {
  const before = await lockExpected(uow, kind, edit.key, edit.expected);
  const { saved } = await commit(uow, kind, before, await edit.change(before.doc, before), edit);
  return kind.view(uow.tx, saved);
}

/** Reads one aggregate as content tools see it, without locking. */
export async function readAggregate<
  Doc extends { status: Status },
  L extends Loaded<Doc>,
  View extends { version: number },
  Place,
>(tx: Queryable, kind: AggregateKind<Doc, L, View, Place>, key: string): Promise<View> {
  const loaded = await kind.load(tx, key, false);
  if (!loaded) throw notFound(kind.name(key));
  return kind.view(tx, loaded);
}
