import type { Schedule } from '../../../content/admin/aggregate-write.js';

/** What each status action does, for roles and questions alike (openapi.yaml shows these). */
export const STATUS_DESCRIPTIONS = {
  publish:
    'Publishes now; publishing what is published changes nothing (no new version, revision or webhook). With publishAt in the future it schedules the publish instead; unpublishAt schedules an unpublish. note is kept with the revision. Roles: withQuestions publishes the draft questions too, in the same transaction.',
  unpublish:
    'Back to draft: readers no longer see it. With unpublishAt in the future it schedules the unpublish instead.',
  archive: 'Hidden from readers and kept; unpublish or publish brings it back.',
} as const;

/** A schedule as the API takes it (ISO times, null to cancel) as the domain does (dates). */
export function scheduleOf(body: {
  publishAt?: string | null | undefined;
  unpublishAt?: string | null | undefined;
}): Schedule {
  const at = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : new Date(v));
  const schedule: Schedule = {};
  if (body.publishAt !== undefined) schedule.publishAt = at(body.publishAt);
  if (body.unpublishAt !== undefined) schedule.unpublishAt = at(body.unpublishAt);
  return schedule;
}
