import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../../access/principal.js';
import type { Change } from '../../changes/change-log.js';
import type { Queryable } from '../../db/client.js';
import { questions, releaseItems, roleRelatedRoles, roles, rounds } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { roleFields, roundDocument, type RoleCoreDocument } from '../import-format.js';
import { ordinal } from '../vocabulary.js';
import {
  commit,
  inUnitOfWork,
  lockExpected,
  readAggregate,
  write,
  type Schedule,
  type UnitOfWork,
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
import { loadQuestions, questionKind } from './question-aggregate.js';
import { roleKind, type AdminRole, type LoadedRole } from './role-aggregate.js';
import { checked, nullsCleared, patchOf, sentFields, type Expected } from './validation.js';

export type { AdminRole } from './role-aggregate.js';

/** What a content tool sends to create a role: the role page without questions; it starts as a draft. */
export const roleCreateInput = roleFields.omit({ questions: true, status: true }).strict();
/** A partial update: any listed field replaces the stored one whole (lists included). */
export const roleUpdateInput = patchOf(roleCreateInput).extend({ version: ordinal.optional(), note: note.optional() });
export type RoleCreateInput = z.input<typeof roleCreateInput>;
export type RoleUpdateInput = z.input<typeof roleUpdateInput>;

export const createRole = (deps: WriteDeps, principal: Principal, input: RoleCreateInput): Promise<AdminRole> => {
  const fields = checked(roleCreateInput, nullsCleared(roleCreateInput, input));
  return inUnitOfWork(deps, principal, async (uow) => {
    const { saved } = await commit(uow, roleKind, undefined, { ...fields, status: 'draft' }, { action: 'created' });
    return roleKind.view(uow.tx, saved);
  });
};

export const updateRole = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  input: RoleUpdateInput,
  ifMatch?: Expected,
): Promise<AdminRole> => {
  const raw = nullsCleared(roleCreateInput, input);
  const { version, note: why, ...patch } = sentFields(raw, checked(roleUpdateInput, raw));
  return inUnitOfWork(deps, principal, (uow) =>
    write(uow, roleKind, {
      key: slug,
      expected: ifMatch ?? version,
      action: 'updated',
      note: why,
      change: (current) => ({ ...current, ...patch }) as RoleCoreDocument,
    }),
  );
};

/** A role's questions that are drafts: what "publish the role with its questions" publishes too. */
async function draftQuestionsOf(uow: UnitOfWork, role: LoadedRole) {
  return (await loadQuestions(uow.tx, { roleId: role.row.id }, true)).filter((q) => q.doc.status === 'draft');
}

/**
 * Publishes, unpublishes or archives a role, now or at a time (a schedule the scheduler runs).
 * Publishing checks the whole role against the rules for published content (its breakdown adds up
 * to 100); publishing what is published changes nothing. withQuestions publishes the role's draft
 * questions in the same transaction, or schedules them for the same time.
 */
export const setRoleStatus = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  action: StatusAction,
  ifMatch?: Expected,
  options: StatusActionOptions = {},
): Promise<AdminRole> =>
  inUnitOfWork(deps, principal, async (uow) => {
    checked(statusActionInput[action], options);
    const plan = planStatusAction(action, options, uow.now);
    const before = await lockExpected(uow, roleKind, slug, ifMatch);
    const next = plan.now ? { ...before.doc, status: STATUS_OF[action] } : before.doc;
    const { saved } = await commit(uow, roleKind, before, next, {
      action: ACTION_OF[action],
      note: options.note,
      schedule: plan.schedule,
    });
    if (action === 'publish' && options.withQuestions) {
      for (const question of await draftQuestionsOf(uow, before)) {
        await commit(uow, questionKind, question, plan.now ? { ...question.doc, status: 'published' } : question.doc, {
          action: 'published',
          note: options.note,
          schedule: plan.now ? {} : { publishAt: plan.schedule.publishAt ?? null },
        });
      }
    }
    return roleKind.view(uow.tx, saved);
  });

/** Sets or clears when a role is published or unpublished by the scheduler. */
export const scheduleRole = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  schedule: Schedule,
  ifMatch?: Expected,
): Promise<AdminRole> =>
  inUnitOfWork(deps, principal, (uow) => {
    checkSchedule(schedule);
    return write(uow, roleKind, { key: slug, expected: ifMatch, action: 'updated', schedule, change: (doc) => doc });
  });

/** Takes deleted items out of the releases they were in. */
export async function leaveReleases(tx: Queryable, type: 'role' | 'question', ids: string[]): Promise<void> {
  if (ids.length)
    await tx.delete(releaseItems).where(and(eq(releaseItems.entityType, type), inArray(releaseItems.entityId, ids)));
}

/**
 * Deletes a role. Refuses (409, saying what refers to it) while questions belong to it or other
 * roles link to it, unless cascade is asked for: then its questions and those links go too.
 */
export const deleteRole = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  cascade: boolean,
  ifMatch?: Expected,
): Promise<void> =>
  inUnitOfWork(deps, principal, async (uow) => {
    const { tx } = uow;
    const { row } = await lockExpected(uow, roleKind, slug, ifMatch);
    const owned = await tx.select({ id: questions.id }).from(questions).where(eq(questions.roleId, row.id));
    const linking = await rolesLinkingTo(tx, [row.id]);
    if (!cascade && (owned.length > 0 || linking.length > 0)) {
      throw new AppError(
        'CONFLICT',
        `Role "${slug}" is still referred to by ${owned.length} question(s) and the related-role links of ${linking.length} role(s)${linking.length ? ` (${linking.map((r) => r.slug).join(', ')})` : ''}; delete those first or pass cascade=true`,
      );
    }
    await tx.delete(questions).where(eq(questions.roleId, row.id));
    await tx.delete(roles).where(eq(roles.id, row.id));
    await leaveReleases(tx, 'role', [row.id]);
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
        roleKey: slug,
        action: 'deleted' as const,
        actor: uow.actor,
      })),
      { entityType: 'role', entityId: row.id, entityKey: slug, action: 'deleted', actor: uow.actor },
      ...linkChanges(linking, uow.actor),
    );
  });

/** Other roles that link to these; deleting these drops the links (and changes those roles' pages). */
export async function rolesLinkingTo(tx: Queryable, roleIds: string[]): Promise<{ id: string; slug: string }[]> {
  if (roleIds.length === 0) return [];
  const rows = await tx
    .selectDistinct({ id: roles.id, slug: roles.slug })
    .from(roleRelatedRoles)
    .innerJoin(roles, eq(roles.id, roleRelatedRoles.roleId))
    .where(inArray(roleRelatedRoles.relatedRoleId, roleIds));
  return rows.filter((r) => !roleIds.includes(r.id));
}

/**
 * A role whose related-role link went with a deleted role shows a different page, so the change
 * log says so (without a version: no revision is written), for the sync feed, webhooks and caches.
 */
export function linkChanges(linking: { id: string; slug: string }[], actor: string): Change[] {
  return linking.map((r) => ({ entityType: 'role', entityId: r.id, entityKey: r.slug, action: 'updated', actor }));
}

/* Rounds live inside the role aggregate: each change here is a new version of the role. */

export const roundInput = roundDocument.strict();
export const roundUpdateInput = patchOf(roundDocument).extend({ version: ordinal.optional() });

const roundChange = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  expected: Expected | undefined,
  change: (doc: RoleCoreDocument, uow: UnitOfWork, role: LoadedRole) => RoleCoreDocument | Promise<RoleCoreDocument>,
) =>
  inUnitOfWork(deps, principal, (uow) =>
    write(uow, roleKind, { key: slug, expected, action: 'updated', change: (doc, role) => change(doc, uow, role) }),
  );

function roundAt(doc: RoleCoreDocument, position: number) {
  const round = doc.rounds[position - 1];
  if (!round) throw notFound(`Round ${position} of role "${doc.slug}"`);
  return round;
}

export const addRound = (deps: WriteDeps, principal: Principal, slug: string, input: unknown, ifMatch?: Expected) => {
  const round = checked(roundInput, input);
  return roundChange(deps, principal, slug, ifMatch, (doc) => ({ ...doc, rounds: [...doc.rounds, round] }));
};

/** Renaming keeps the round's questions attached: the row is updated in place, not replaced. */
export const updateRound = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  position: number,
  input: unknown,
  ifMatch?: Expected,
) => {
  const { version, ...patch } = sentFields(input, checked(roundUpdateInput, input));
  return roundChange(deps, principal, slug, ifMatch ?? version, async (doc, uow, role) => {
    const round = roundAt(doc, position);
    const next = { ...round, ...patch };
    if (next.name !== round.name) {
      if (doc.rounds.some((r) => r.name === next.name))
        throw new AppError('CONFLICT', `Role "${slug}" already has a round named "${next.name}"`);
      await uow.tx
        .update(rounds)
        .set({ name: next.name })
        .where(and(eq(rounds.roleId, role.row.id), eq(rounds.name, round.name)));
    }
    return { ...doc, rounds: doc.rounds.map((r, i) => (i === position - 1 ? next : r)) };
  });
};

/** Refuses while questions are in the round, unless cascade: then they stay in the role, without a round. */
export const deleteRound = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  position: number,
  cascade: boolean,
  ifMatch?: Expected,
) =>
  roundChange(deps, principal, slug, ifMatch, async (doc, uow, role) => {
    const round = roundAt(doc, position);
    const inRound = await uow.tx
      .select({ id: questions.id })
      .from(questions)
      .innerJoin(rounds, eq(rounds.id, questions.roundId))
      .where(and(eq(rounds.roleId, role.row.id), eq(rounds.name, round.name)));
    if (inRound.length && !cascade) {
      throw new AppError(
        'CONFLICT',
        `Round "${round.name}" still has ${inRound.length} question(s); move them first or pass cascade=true to leave them without a round`,
      );
    }
    if (inRound.length) {
      // Not a change of those questions' content: their round is gone, which the role's change says.
      await uow.tx
        .update(questions)
        .set({ roundId: null })
        .where(
          inArray(
            questions.id,
            inRound.map((q) => q.id),
          ),
        );
    }
    return { ...doc, rounds: doc.rounds.filter((_, i) => i !== position - 1) };
  });

/** New order of rounds, by name: every current round exactly once. */
export const reorderRounds = (
  deps: WriteDeps,
  principal: Principal,
  slug: string,
  names: string[],
  ifMatch?: Expected,
) =>
  roundChange(deps, principal, slug, ifMatch, (doc) => {
    const current = doc.rounds.map((r) => r.name);
    if (names.length !== current.length || [...names].sort().join('\n') !== [...current].sort().join('\n')) {
      throw new AppError(
        'VALIDATION_FAILED',
        `names must list every round of "${slug}" exactly once: ${current.join(', ')}`,
        { errors: [{ path: 'names', message: 'must list every round exactly once' }] },
      );
    }
    return { ...doc, rounds: names.map((n) => doc.rounds.find((r) => r.name === n)!) };
  });

/** The role as content tools see it: drafts included, with its version and its questions in order. */
export const getAdminRole = (db: Queryable, slug: string) => readAggregate(db, roleKind, slug);

/** A role's id by slug, locked: writes that place its questions take turns on it. */
export async function lockRoleRow(tx: Queryable, slug: string): Promise<{ id: string; slug: string }> {
  const [row] = await tx
    .select({ id: roles.id, slug: roles.slug })
    .from(roles)
    .where(eq(roles.slug, slug))
    .for('update');
  if (!row) throw notFound(`Role "${slug}"`);
  return row;
}

/** The number of a role's questions, for places at its end. */
export async function lastPosition(tx: Queryable, roleId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`coalesce(max(${questions.position}), 0)`.mapWith(Number) })
    .from(questions)
    .where(eq(questions.roleId, roleId));
  return row?.n ?? 0;
}
