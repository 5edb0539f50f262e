import { asc, eq, lte, or } from 'drizzle-orm';
import { questions, roles } from '../../db/schema.js';
import { operator } from '../import-writer.js';
import type { QuestionDocument, RoleCoreDocument } from '../import-format.js';
import {
  commit,
  inUnitOfWork,
  type AggregateKind,
  type Loaded,
  type UnitOfWork,
  type WriteDeps,
} from './aggregate-write.js';
import { loadQuestions, questionKind } from './question-aggregate.js';
import { claimDueRelease, markReleaseFailed, publishReleaseIn } from './releases.js';
import { loadRoles, roleKind } from './role-aggregate.js';

/*
 * What the scheduler runs (content/scheduler.ts calls it every poll): due releases, then due
 * publishes and unpublishes of single items, each through the one write path, so the change log,
 * the sync feed, webhooks and every cache see a scheduled change exactly as a manual one.
 *
 * Due rows are claimed with FOR UPDATE SKIP LOCKED and their time cleared in the same transaction
 * as the change: with several instances on one PostgreSQL, each change is made once. A change
 * that can no longer be made (the item became invalid) is not retried: its time is cleared and
 * scheduleError says why.
 */

/** Items claimed per transaction; those due at one moment (a role with its questions) publish together. */
const BATCH = 200;
/** Who a scheduled change is written as when nobody is recorded as having scheduled it. */
const SCHEDULER = 'scheduler';

export interface ScheduledRun {
  published: string[];
  unpublished: string[];
  releases: string[];
  failed: { item: string; error: string }[];
}

async function claimDueItems(uow: UnitOfWork, now: Date) {
  const roleIds = await uow.tx
    .select({ id: roles.id })
    .from(roles)
    .where(or(lte(roles.publishAt, now), lte(roles.unpublishAt, now)))
    .orderBy(asc(roles.id))
    .limit(BATCH)
    .for('update', { skipLocked: true });
  const questionIds = await uow.tx
    .select({ id: questions.id })
    .from(questions)
    .where(or(lte(questions.publishAt, now), lte(questions.unpublishAt, now)))
    .orderBy(asc(questions.id))
    .limit(BATCH)
    .for('update', { skipLocked: true });
  return {
    roles: roleIds.length ? await loadRoles(uow.tx, { ids: roleIds.map((r) => r.id) }, true) : [],
    questions: questionIds.length ? await loadQuestions(uow.tx, { ids: questionIds.map((q) => q.id) }, true) : [],
  };
}

/** Makes one item's due change in a savepoint of its own, written in the name of whoever scheduled it. */
async function runOne<Doc extends { status: 'draft' | 'published' | 'archived' }, L extends Loaded<Doc>>(
  uow: UnitOfWork,
  kind: AggregateKind<Doc, L, { version: number }, never>,
  loaded: L,
  key: string,
  now: Date,
  run: ScheduledRun,
): Promise<void> {
  const { row } = loaded;
  const publish = row.publishAt !== null && row.publishAt.getTime() <= now.getTime();
  const unpublish = row.unpublishAt !== null && row.unpublishAt.getTime() <= now.getTime();
  // Both due (a scheduler that was down): the later of the two wins, as it would have.
  const toPublished = publish && (!unpublish || row.publishAt!.getTime() > row.unpublishAt!.getTime());
  const actor = row.scheduledBy ?? SCHEDULER;
  try {
    await uow.tx.transaction(async (tx) => {
      const item: UnitOfWork = { ...uow, tx, actor, changes: [] };
      const next = {
        ...loaded.doc,
        status: toPublished ? 'published' : loaded.doc.status === 'published' ? 'draft' : loaded.doc.status,
      };
      await commit(item, kind, loaded, next as Doc, {
        action: toPublished ? 'published' : 'unpublished',
        note: toPublished ? 'Scheduled publish' : 'Scheduled unpublish',
        schedule: { publishAt: publish ? null : undefined, unpublishAt: unpublish ? null : undefined },
      });
      uow.changes.push(...item.changes);
    });
    (toPublished ? run.published : run.unpublished).push(key);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const table = kind.type === 'role' ? roles : questions;
    await uow.tx
      .update(table)
      .set({
        scheduleError: `The scheduled ${toPublished ? 'publish' : 'unpublish'} at ${(toPublished ? row.publishAt : row.unpublishAt)!.toISOString()} failed: ${error}`,
        ...(publish ? { publishAt: null } : {}),
        ...(unpublish ? { unpublishAt: null } : {}),
      })
      .where(eq(table.id, row.id));
    run.failed.push({ item: key, error });
  }
}

/** Runs everything due by the clock's now; answers what it did. */
export async function runDueSchedules(deps: WriteDeps): Promise<ScheduledRun> {
  const run: ScheduledRun = { published: [], unpublished: [], releases: [], failed: [] };
  const scheduler = operator(SCHEDULER);
  // Releases, one transaction each, until none is due.
  for (;;) {
    const claimed = await inUnitOfWork(deps, scheduler, async (uow) => {
      const row = await claimDueRelease(uow.tx, uow.now);
      if (!row) return null;
      try {
        await uow.tx.transaction(async (tx) => {
          const inner: UnitOfWork = { ...uow, tx, actor: row.createdBy, changes: [] };
          await publishReleaseIn(inner, row);
          uow.changes.push(...inner.changes);
        });
        run.releases.push(row.id);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        await markReleaseFailed(uow.tx, row.id, error, uow.now);
        run.failed.push({ item: `release:${row.id}`, error });
      }
      return row;
    });
    if (!claimed) break;
  }
  // Single items: those due now, a batch per transaction.
  for (;;) {
    const count = await inUnitOfWork(deps, scheduler, async (uow) => {
      const due = await claimDueItems(uow, uow.now);
      for (const role of due.roles)
        await runOne(uow, roleKind as never, role, `role:${(role.doc as RoleCoreDocument).slug}`, uow.now, run);
      for (const question of due.questions)
        await runOne(
          uow,
          questionKind as never,
          question,
          `question:${(question.doc as QuestionDocument).id}`,
          uow.now,
          run,
        );
      return due.roles.length + due.questions.length;
    });
    if (count < BATCH) break;
  }
  return run;
}
