import { randomUUID } from 'node:crypto';
import { and, count, eq, gt, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordChanges, type ChangeAction } from '../../changes/change-log.js';
import type { Database, Queryable } from '../../db/client.js';
import { questions, revisions, roles, rounds } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { exportRoles } from '../export-reader.js';
import { questionDocument, type QuestionDocument } from '../import-format.js';
import { PARKED_POSITION, writeQuestion } from '../import-writer.js';
import { ordinal, type Status } from '../vocabulary.js';
import { lockExpected, writeAggregate, type Aggregate } from './aggregate-write.js';
import { ACTION_OF, checkStatusChange, STATUS_OF, type StatusAction } from './lifecycle.js';
import { getAdminRole, lockRole, roleAggregate, type AdminRole } from './roles.js';
import { checked, patchOf, sentFields, type Expected } from './validation.js';

/** A new question: everything but its id (assigned) and status (it starts as a draft). */
export const questionCreateInput = questionDocument.omit({ id: true, status: true }).strict();
export const questionUpdateInput = patchOf(questionCreateInput).extend({ version: ordinal.optional() });

type QuestionRow = typeof questions.$inferSelect;
/** A question's row with the slug of its role. */
type LockedQuestion = QuestionRow & { roleSlug: string };

async function lockQuestion(tx: Queryable, id: string): Promise<LockedQuestion> {
  const [row] = z.uuid().safeParse(id).success
    ? await tx
        .select({ q: questions, roleSlug: roles.slug })
        .from(questions)
        .innerJoin(roles, eq(roles.id, questions.roleId))
        .where(eq(questions.id, id))
        .for('update')
    : [];
  if (!row) throw notFound(`Question ${id}`);
  return { ...row.q, roleSlug: row.roleSlug };
}

async function questionDoc(tx: Queryable, roleSlug: string, id: string): Promise<QuestionDocument> {
  const [role] = await exportRoles(tx, [roleSlug]);
  const doc = role?.questions.find((q) => q.id === id);
  if (!doc) throw notFound(`Question ${id}`);
  return doc;
}

/**
 * Stores a question document as its next version, with a revision and a change-log entry. Its
 * round is named within its own role, so a question can never point at another role's round.
 * Answers its id.
 */
async function saveQuestionDocument(
  tx: Queryable,
  roleId: string,
  roleSlug: string,
  doc: QuestionDocument,
  position: number,
  existing: QuestionRow | undefined,
  principal: Principal,
  action: ChangeAction,
): Promise<string> {
  const valid = checked(questionDocument, doc);
  checkStatusChange(principal, existing?.status as Status | undefined, valid.status);
  const roundIds = new Map(
    (await tx.select({ id: rounds.id, name: rounds.name }).from(rounds).where(eq(rounds.roleId, roleId))).map((r) => [
      r.name,
      r.id,
    ]),
  );
  if (valid.round !== null && !roundIds.has(valid.round)) {
    throw new AppError('VALIDATION_FAILED', `round: role "${roleSlug}" has no round named "${valid.round}"`, {
      errors: [
        { path: 'round', message: `must be one of this role's rounds: ${[...roundIds.keys()].join(', ') || '(none)'}` },
      ],
    });
  }
  const version = await writeQuestion(tx, valid, position, roleId, roundIds, existing);
  const actor = actorOf(principal);
  await tx
    .insert(revisions)
    .values({ entityType: 'question', entityId: valid.id, version, snapshot: { role: roleSlug, ...valid }, actor });
  await recordChanges(tx, [
    { entityType: 'question', entityId: valid.id, entityKey: valid.id, roleKey: roleSlug, action, version, actor },
  ]);
  return valid.id;
}

/** A question as admin writes handle it (aggregate-write.ts): found by its id, stored in its role at its place. */
export const questionAggregate: Aggregate<LockedQuestion, QuestionDocument, AdminQuestion> = {
  name: (id) => `Question ${id}`,
  lock: lockQuestion,
  load: (tx, row) => questionDoc(tx, row.roleSlug, row.id),
  save: (tx, doc, row, principal, action) =>
    saveQuestionDocument(tx, row.roleId, row.roleSlug, doc, row.position, row, principal, action),
  view: getAdminQuestion,
};

/*
 * A role's questions hold positions 1..n, one question per place (a unique index says so). Every
 * write that changes them locks the role row first, so concurrent writes to one role take turns;
 * questions are always locked after their role, never before, so two writes cannot deadlock.
 */

/** Moves a role's questions out of 1..n, so they can be given new places one by one. */
async function parkPositions(tx: Queryable, roleId: string): Promise<void> {
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

export async function createQuestion(
  db: Database,
  principal: Principal,
  roleSlug: string,
  input: unknown,
): Promise<AdminQuestion> {
  const fields = checked(questionCreateInput, input);
  const id = randomUUID();
  return db.transaction(async (tx) => {
    const role = await lockRole(tx, roleSlug);
    const [last] = await tx
      .select({ n: max(questions.position) })
      .from(questions)
      .where(eq(questions.roleId, role.id));
    await saveQuestionDocument(
      tx,
      role.id,
      roleSlug,
      { ...fields, id, status: 'draft' },
      (last?.n ?? 0) + 1,
      undefined,
      principal,
      'created',
    );
    return getAdminQuestion(tx, id);
  });
}

export async function updateQuestion(
  db: Database,
  principal: Principal,
  id: string,
  input: unknown,
  ifMatch?: Expected,
): Promise<AdminQuestion> {
  const { version, ...patch } = sentFields(input, checked(questionUpdateInput, input));
  return writeAggregate(db, questionAggregate, principal, {
    key: id,
    expected: ifMatch ?? version,
    action: 'updated',
    change: (current) => ({ ...current, ...patch }) as QuestionDocument,
  });
}

export async function setQuestionStatus(
  db: Database,
  principal: Principal,
  id: string,
  action: StatusAction,
  ifMatch?: Expected,
): Promise<AdminQuestion> {
  return writeAggregate(db, questionAggregate, principal, {
    key: id,
    expected: ifMatch,
    action: ACTION_OF[action],
    change: (current) => ({ ...current, status: STATUS_OF[action] }),
  });
}

export async function deleteQuestion(
  db: Database,
  principal: Principal,
  id: string,
  ifMatch?: Expected,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [owner] = z.uuid().safeParse(id).success
      ? await tx.select({ roleId: questions.roleId }).from(questions).where(eq(questions.id, id))
      : [];
    if (!owner) throw notFound(`Question ${id}`);
    await tx.select({ id: roles.id }).from(roles).where(eq(roles.id, owner.roleId)).for('update');
    const row = await lockExpected(tx, questionAggregate, id, ifMatch);
    await tx.delete(questions).where(eq(questions.id, id));
    await closeGaps(tx, row.roleId);
    const actor = actorOf(principal);
    // The questions after it moved up one place: the role's order changed, as with a reorder.
    const [after] = await tx
      .select({ n: count() })
      .from(questions)
      .where(and(eq(questions.roleId, row.roleId), gt(questions.position, row.position - 1)));
    await recordChanges(tx, [
      { entityType: 'question', entityId: id, entityKey: id, roleKey: row.roleSlug, action: 'deleted', actor },
      ...((after?.n ?? 0) > 0
        ? [
            {
              entityType: 'role' as const,
              entityId: row.roleId,
              entityKey: row.roleSlug,
              action: 'updated' as const,
              actor,
            },
          ]
        : []),
    ]);
  });
}

/** New interview order of a role's questions: every one of its question ids exactly once. */
export async function reorderQuestions(
  db: Database,
  principal: Principal,
  roleSlug: string,
  ids: string[],
  ifMatch?: Expected,
): Promise<AdminRole> {
  return db.transaction(async (tx) => {
    const role = await lockExpected(tx, roleAggregate, roleSlug, ifMatch);
    const current = (await tx.select({ id: questions.id }).from(questions).where(eq(questions.roleId, role.id))).map(
      (q) => q.id,
    );
    if (ids.length !== current.length || [...ids].sort().join() !== [...current].sort().join()) {
      throw new AppError('VALIDATION_FAILED', `ids must list every question of "${roleSlug}" exactly once`, {
        errors: [{ path: 'ids', message: `must list each of the role's ${current.length} questions exactly once` }],
      });
    }
    await parkPositions(tx, role.id);
    for (const [i, id] of ids.entries()) {
      await tx
        .update(questions)
        .set({ position: i + 1 })
        .where(and(eq(questions.id, id), eq(questions.roleId, role.id)));
    }
    await recordChanges(tx, [
      { entityType: 'role', entityId: role.id, entityKey: roleSlug, action: 'updated', actor: actorOf(principal) },
    ]);
    return getAdminRole(tx, roleSlug);
  });
}

export async function getAdminQuestion(db: Queryable, id: string) {
  const [row] = z.uuid().safeParse(id).success
    ? await db
        .select({ q: questions, roleSlug: roles.slug })
        .from(questions)
        .innerJoin(roles, eq(roles.id, questions.roleId))
        .where(eq(questions.id, id))
    : [];
  if (!row) throw notFound(`Question ${id}`);
  const doc = await questionDoc(db, row.roleSlug, id);
  return {
    ...doc,
    role: row.roleSlug,
    position: row.q.position,
    version: row.q.version,
    publishedAt: row.q.publishedAt?.toISOString() ?? null,
    updatedAt: row.q.updatedAt.toISOString(),
  };
}
export type AdminQuestion = Awaited<ReturnType<typeof getAdminQuestion>>;
