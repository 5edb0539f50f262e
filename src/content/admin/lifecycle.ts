import { z } from 'zod';
import { hasScope, type Principal } from '../../access/principal.js';
import { AppError } from '../../errors.js';
import { timestamp, type Status } from '../vocabulary.js';
import type { Schedule } from './aggregate-write.js';

/** The status actions content tools take, what each sets, and how the change log names it. */
export const STATUS_OF = { publish: 'published', unpublish: 'draft', archive: 'archived' } as const;
export const ACTION_OF = { publish: 'published', unpublish: 'unpublished', archive: 'archived' } as const;
export type StatusAction = keyof typeof STATUS_OF;

/**
 * Changing what readers can see (publishing, unpublishing, archiving) needs content:publish,
 * whichever command does it: a status action, a release, an import.
 */
export function checkStatusChange(principal: Principal, from: Status | undefined, to: Status): void {
  if ((from ?? 'draft') === to || hasScope(principal, 'content:publish')) return;
  throw new AppError(
    'FORBIDDEN',
    `This would change the status from ${from ?? 'draft'} to ${to}, which needs the scope content:publish`,
  );
}

/** Why a write was made, in the writer's words; every revision it makes keeps it. */
export const note = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .describe('Why: kept with the revision the write makes (GET …/revisions shows it)');

const at = (what: string) =>
  timestamp.nullable().describe(`When to ${what} (ISO 8601 with an offset); null cancels one that is pending`);

/** What a status action takes besides the item: all optional, nothing else. */
export const statusActionInput = {
  publish: z.strictObject({
    note: note.optional(),
    publishAt: at('publish it; a time to come schedules the publish instead of publishing now').optional(),
    unpublishAt: at('unpublish it again').optional(),
    withQuestions: z
      .boolean()
      .optional()
      .describe("Roles: publish the role's draft questions with it, in the same transaction (or at the same time)"),
  }),
  unpublish: z.strictObject({
    note: note.optional(),
    unpublishAt: at('unpublish it; a time to come schedules the unpublish instead').optional(),
  }),
  archive: z.strictObject({ note: note.optional() }),
} as const;

export type StatusActionOptions = {
  note?: string | undefined;
  publishAt?: string | null | undefined;
  unpublishAt?: string | null | undefined;
  withQuestions?: boolean | undefined;
};

export const scheduleInput = z
  .strictObject({
    publishAt: at('publish it').optional(),
    unpublishAt: at('unpublish it').optional(),
  })
  .refine((s) => s.publishAt !== undefined || s.unpublishAt !== undefined, 'send publishAt, unpublishAt or both');

const dateOf = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

/**
 * What a status action does now and what it leaves to the scheduler: a time to come is a
 * schedule; a time that has come (or none) is now.
 */
export function planStatusAction(
  action: StatusAction,
  options: StatusActionOptions,
  now: Date,
): { now: boolean; schedule: Schedule } {
  const publishAt = dateOf(options.publishAt);
  const unpublishAt = dateOf(options.unpublishAt);
  const later = (d: Date | null | undefined) => d instanceof Date && d.getTime() > now.getTime();
  if (publishAt && unpublishAt && unpublishAt.getTime() <= publishAt.getTime())
    throw new AppError('VALIDATION_FAILED', 'unpublishAt: must be after publishAt', {
      errors: [{ path: 'unpublishAt', message: 'must be after publishAt' }],
    });
  const schedule: Schedule = {};
  if (unpublishAt !== undefined) schedule.unpublishAt = unpublishAt;
  if (action === 'publish') {
    if (later(publishAt)) return { now: false, schedule: { ...schedule, publishAt } };
    return { now: true, schedule };
  }
  if (action === 'unpublish' && later(unpublishAt)) return { now: false, schedule };
  return { now: true, schedule: {} };
}

/** Checks a schedule set on its own (PUT …/schedule). */
export function checkSchedule(schedule: Schedule): void {
  if (schedule.publishAt && schedule.unpublishAt && schedule.unpublishAt.getTime() <= schedule.publishAt.getTime())
    throw new AppError('VALIDATION_FAILED', 'unpublishAt: must be after publishAt', {
      errors: [{ path: 'unpublishAt', message: 'must be after publishAt' }],
    });
}
