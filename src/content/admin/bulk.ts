import { z } from 'zod';
import type { Principal } from '../../access/principal.js';
import { AppError } from '../../errors.js';
import { difficulty, seniority, slug, status, tag, timestamp, track, type Status } from '../vocabulary.js';
import {
  commit,
  inUnitOfWork,
  type AggregateKind,
  type Loaded,
  type UnitOfWork,
  type WriteDeps,
} from './aggregate-write.js';
import { ACTION_OF, note, STATUS_OF, type StatusAction } from './lifecycle.js';
import { idsMatching, type AdminQuestionFilters, type AdminRoleFilters } from './lists.js';
import { loadQuestions, questionKind } from './question-aggregate.js';
import { loadRoles, roleKind } from './role-aggregate.js';

/*
 * Bulk status changes: publish, unpublish or archive a set of roles and questions, named or
 * selected by the admin lists' filters, in one transaction, through the same write as one item
 * (one revision and one change-log entry per item that changes; what is already so is left alone).
 */

/** Most items one bulk action may change; a filter selecting more is refused, not cut short. */
const BULK_MAX = 1000;

const common = {
  status: status.optional(),
  updatedBy: z.string().min(1).max(100).optional(),
  updatedSince: timestamp.optional(),
  scheduled: z.boolean().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  category: slug.optional(),
};

const where = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('role'), ...common, seniority: seniority.optional(), track: track.optional() }),
  z.strictObject({
    type: z.literal('question'),
    ...common,
    role: slug.optional(),
    round: z.string().trim().min(1).max(80).optional(),
    competency: z.string().trim().min(1).max(80).optional(),
    difficulty: difficulty.optional(),
    tag: tag.optional(),
  }),
]);

export const bulkInput = z
  .strictObject({
    action: z.enum(['publish', 'unpublish', 'archive']),
    roles: z.array(slug).max(BULK_MAX).optional().describe('Role slugs'),
    questions: z.array(z.uuid()).max(BULK_MAX).optional().describe('Question ids'),
    where: where
      .optional()
      .describe("The admin lists' filters (GET /v1/admin/roles or /questions), with type: role or question"),
    withQuestions: z.boolean().optional().describe("publish: the roles' draft questions too"),
    note: note.optional(),
    dryRun: z.boolean().optional().describe('true: report what would change, change nothing'),
  })
  .refine((b) => b.roles?.length || b.questions?.length || b.where, {
    message: 'name roles, questions, or a where filter',
    path: ['roles'],
  });
export type BulkInput = z.infer<typeof bulkInput>;

interface BulkItem {
  type: 'role' | 'question';
  key: string;
  from: Status;
  to: Status;
  version: number;
}

/** Items that do not exist: a 400 naming each. */
function missing(type: 'roles' | 'questions', keys: string[], found: Set<string>) {
  return keys.flatMap((key, i) =>
    found.has(key) ? [] : [{ path: `${type}.${i}`, message: `no ${type.slice(0, -1)} "${key}"` }],
  );
}

/** One item's write; a refusal names the item it is about. */
async function change<Doc extends { status: Status }, L extends Loaded<Doc>>(
  uow: UnitOfWork,
  kind: AggregateKind<Doc, L, { version: number }, never>,
  loaded: L,
  key: string,
  action: StatusAction,
  why: string | undefined,
): Promise<{ item: BulkItem; changed: boolean }> {
  try {
    const { saved, changed } = await commit(
      uow,
      kind,
      loaded,
      { ...loaded.doc, status: STATUS_OF[action] },
      {
        action: ACTION_OF[action],
        note: why,
      },
    );
    return {
      item: { type: kind.type, key, from: loaded.doc.status, to: saved.doc.status, version: saved.row.version },
      changed,
    };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const name = kind.type === 'role' ? `Role "${key}"` : `Question ${key}`;
    throw new AppError(err.code, `${name}: ${err.message}; nothing was changed`, {
      errors: (err.errors ?? [{ path: '', message: err.message }]).map((e) => ({
        ...e,
        path: [kind.type === 'role' ? 'roles' : 'questions', key, e.path].filter(Boolean).join('.'),
      })),
    });
  }
}

export async function runBulk(deps: WriteDeps, principal: Principal, input: BulkInput) {
  return inUnitOfWork(
    deps,
    principal,
    async (uow) => {
      const roleSlugs = [...(input.roles ?? [])];
      const questionIds = [...(input.questions ?? [])];
      if (input.where) {
        const { type, updatedSince, ...filters } = input.where;
        const keys = await idsMatching(
          uow.tx,
          type,
          { ...filters, updatedSince: updatedSince ? new Date(updatedSince) : undefined } as AdminRoleFilters &
            AdminQuestionFilters,
          BULK_MAX,
        );
        (type === 'role' ? roleSlugs : questionIds).push(...keys);
      }
      const roles = await loadRoles(uow.tx, { slugs: [...new Set(roleSlugs)] }, true);
      const bySlug = new Map(roles.map((r) => [r.doc.slug, r]));
      if (input.withQuestions && input.action === 'publish')
        for (const role of roles)
          questionIds.push(
            ...(await loadQuestions(uow.tx, { roleId: role.row.id }, false))
              .filter((q) => q.doc.status === 'draft')
              .map((q) => q.doc.id),
          );
      const questions = await loadQuestions(uow.tx, { ids: [...new Set(questionIds)] }, true);
      const byId = new Map(questions.map((q) => [q.doc.id, q]));
      const errors = [
        ...missing('roles', input.roles ?? [], new Set(bySlug.keys())),
        ...missing('questions', input.questions ?? [], new Set(byId.keys())),
      ];
      if (errors.length)
        throw new AppError('VALIDATION_FAILED', `${errors.map((e) => e.message).join(', ')}; nothing was changed`, {
          errors,
        });
      if (bySlug.size + byId.size > BULK_MAX)
        throw new AppError('VALIDATION_FAILED', `A bulk action changes at most ${BULK_MAX} items; split it`, {
          errors: [{ path: 'roles', message: `more than ${BULK_MAX} items` }],
        });
      const report = {
        action: input.action,
        dryRun: input.dryRun === true,
        changed: [] as BulkItem[],
        unchanged: [] as BulkItem[],
      };
      for (const [key, loaded] of [...bySlug].sort(([a], [b]) => a.localeCompare(b))) {
        const result = await change(uow, roleKind as never, loaded, key, input.action, input.note);
        (result.changed ? report.changed : report.unchanged).push(result.item);
      }
      for (const [key, loaded] of byId) {
        const result = await change(uow, questionKind as never, loaded, key, input.action, input.note);
        (result.changed ? report.changed : report.unchanged).push(result.item);
      }
      return report;
    },
    { dryRun: input.dryRun === true },
  );
}
