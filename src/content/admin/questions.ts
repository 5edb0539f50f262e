import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Principal } from '../../access/principal.js';
import type { Queryable } from '../../db/client.js';
import { questions } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { questionDocument, type QuestionDocument } from '../import-format.js';
import { ordinal } from '../vocabulary.js';
import {
  commit,
  inUnitOfWork,
  lockExpected,
  readAggregate,
  write,
  type Schedule,
  type WriteDeps,
} from './aggregate-write.js';
import {
  ACTION_OF,
  checkSchedule,
  note,
  planStatusAction,
  STATUS_OF,
  statusActionInput,
  type StatusAction,
  type StatusActionOptions,
} from './lifecycle.js';
import { questionKind, type AdminQuestion } from './question-aggregate.js';
import { roleKind, type AdminRole } from './role-aggregate.js';
import { lastPosition, leaveReleases, lockRoleRow } from './roles.js';
import { checked, nullsCleared, patchOf, sentFields, type Expected } from './validation.js';

export type { AdminQuestion } from './question-aggregate.js';

/** A new question: everything but its id (assigned) and status (it starts as a draft). */
export const questionCreateInput = questionDocument.omit({ id: true, status: true }).strict();
/** A partial update: a field sent replaces the stored one; `round: null` takes it out of its round. */
export const questionUpdateInput = patchOf(questionCreateInput).extend({
  version: ordinal.optional(),
  note: note.optional(),
});

/*
 * A role's questions hold positions 1..n, one question per place (a unique index says so). Every
 * write that changes them locks the role row first, so concurrent writes to one role take turns;
 * questions are always locked after their role, never before, so two writes cannot deadlock. A
 * write that leaves positions alone (an edit, a status change) locks the question only.
 */

/** Far above any real position: rows parked here cannot collide with 1..n while being renumbered. */
const PARKED_POSITION = 1_000_000;

/** Moves a role's questions out of 1..n, so they can be given new places one by one. */
export async function parkPositions(tx: Queryable, roleId: string): Promise<void> {
  await tx
    .update(questions)
    .set({ position: sql`${questions.position} + ${PARKED_POSITION}` })
    .where(eq(questions.roleId, roleId));
}

/** Numbers a role's questions 1..n again, in their current order (after a delete). */
async function closeGaps(tx: Queryable, roleId: string): Promise<void> {
  await parkPositions(tx, roleId);
  await tx.execute(sql`
    update ${questions} set position = ordered.n
    from (select id, row_number() over (order by position, id) as n from ${questions} where role_id = ${roleId}) as ordered
    where ${questions.id} = ordered.id`);
}

export const createQuestion = (
  deps: WriteDeps,
  principal: Principal,
  roleSlug: string,
  input: unknown,
): Promise<AdminQuestion> => {
  const fields = checked(questionCreateInput, nullsCleared(questionCreateInput, input));
  return inUnitOfWork(deps, principal, async (uow) => {
    const role = await lockRoleRow(uow.tx, roleSlug);
    const { saved } = await commit(
      uow,
      questionKind,
      undefined,
      { ...fields, id: randomUUID(), status: 'draft' },
      {
        action: 'created',
        place: { roleId: role.id, roleSlug: role.slug, position: (await lastPosition(uow.tx, role.id)) + 1 },
      },
    );
    return questionKind.view(uow.tx, saved);
  });
};

export const updateQuestion = (
  deps: WriteDeps,
  principal: Principal,
  id: string,
  input: unknown,
  ifMatch?: Expected,
): Promise<AdminQuestion> => {
  const raw = nullsCleared(questionCreateInput, input);
  const { version, note: why, ...patch } = sentFields(raw, checked(questionUpdateInput, raw));
  return inUnitOfWork(deps, principal, (uow) =>
    write(uow, questionKind, {
      key: id,
      expected: ifMatch ?? version,
      action: 'updated',
      note: why,
      change: (current) => ({ ...current, ...patch }) as QuestionDocument,
    }),
  );
};

/** Publishes, unpublishes or archives a question, now or at a time; doing what is done changes nothing. */
export const setQuestionStatus = (
  deps: WriteDeps,
  principal: Principal,
  id: string,
  action: StatusAction,
  ifMatch?: Expected,
  options: StatusActionOptions = {},
): Promise<AdminQuestion> =>
  inUnitOfWork(deps, principal, async (uow) => {
    checked(
      action === 'publish' ? statusActionInput.publish.omit({ withQuestions: true }) : statusActionInput[action],
      options,
    );
    const plan = planStatusAction(action, options, uow.now);
    return write(uow, questionKind, {
      key: id,
      expected: ifMatch,
      action: ACTION_OF[action],
      note: options.note,
      schedule: plan.schedule,
      change: (current) => (plan.now ? { ...current, status: STATUS_OF[action] } : current),
    });
  });

/** Sets or clears when a question is published or unpublished by the scheduler. */
export const scheduleQuestion = (
  deps: WriteDeps,
  principal: Principal,
  id: string,
  schedule: Schedule,
  ifMatch?: Expected,
): Promise<AdminQuestion> =>
  inUnitOfWork(deps, principal, (uow) => {
    checkSchedule(schedule);
    return write(uow, questionKind, { key: id, expected: ifMatch, action: 'updated', schedule, change: (doc) => doc });
  });

export const deleteQuestion = (deps: WriteDeps, principal: Principal, id: string, ifMatch?: Expected): Promise<void> =>
  inUnitOfWork(deps, principal, async (uow) => {
    const { tx } = uow;
    // Its role first (the places of its questions change), then the question itself.
    const peek = await questionKind.load(tx, id, false);
    if (!peek) throw notFound(`Question ${id}`);
    await lockRoleRow(tx, peek.roleSlug);
    const { row, roleSlug } = await lockExpected(uow, questionKind, id, ifMatch);
    await tx.delete(questions).where(eq(questions.id, id));
    await leaveReleases(tx, 'question', [id]);
    const [after] = await tx
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(questions)
      .where(and(eq(questions.roleId, row.roleId), gt(questions.position, row.position)));
    if ((after?.n ?? 0) > 0) await closeGaps(tx, row.roleId);
    uow.changes.push({
      entityType: 'question',
      entityId: id,
      entityKey: id,
      roleKey: roleSlug,
      action: 'deleted',
      actor: uow.actor,
    });
    // The questions after it moved up one place: the role's order changed, as with a reorder.
    if ((after?.n ?? 0) > 0)
      uow.changes.push({
        entityType: 'role',
        entityId: row.roleId,
        entityKey: roleSlug,
        action: 'updated',
        actor: uow.actor,
      });
  });

/** New interview order of a role's questions: every one of its question ids exactly once. */
export const reorderQuestions = (
  deps: WriteDeps,
  principal: Principal,
  roleSlug: string,
  ids: string[],
  ifMatch?: Expected,
): Promise<AdminRole> =>
  inUnitOfWork(deps, principal, async (uow) => {
    const { tx } = uow;
    const role = await lockExpected(uow, roleKind, roleSlug, ifMatch);
    const current = (
      await tx.select({ id: questions.id }).from(questions).where(eq(questions.roleId, role.row.id))
    ).map((q) => q.id);
    if (ids.length !== current.length || [...ids].sort().join() !== [...current].sort().join()) {
      throw new AppError('VALIDATION_FAILED', `ids must list every question of "${roleSlug}" exactly once`, {
        errors: [{ path: 'ids', message: `must list each of the role's ${current.length} questions exactly once` }],
      });
    }
    await parkPositions(tx, role.row.id);
    await tx.execute(sql`
      update ${questions} set position = wanted.n
      from unnest(${`{${ids.join(',')}}`}::uuid[]) with ordinality as wanted(id, n)
      where ${questions.id} = wanted.id and ${questions.roleId} = ${role.row.id}`);
    // The role's page lists its questions in this order: a change of the role, without a revision.
    uow.changes.push({
      entityType: 'role',
      entityId: role.row.id,
      entityKey: roleSlug,
      action: 'updated',
      actor: uow.actor,
    });
    return roleKind.view(tx, role);
  });

export const getAdminQuestion = (db: Queryable, id: string) => readAggregate(db, questionKind, id);
