import { and, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { changeLog, revisions } from '../../db/schema.js';
import type { ChangeRow } from '../change-feed.js';
import type { EntityType } from '../change-log.js';
import { purgeKeysOf } from '../surrogate-keys.js';

/*
 * The events webhooks announce. They follow what the public can see: an edit to a draft, or
 * deleting one that was never published, sends nothing (drafts stay private, even their slugs).
 *   <type>.published    an item became public (for a category: it was created)
 *   <type>.updated      a public item changed and stays public
 *   <type>.unpublished  a public item went back to draft or was archived
 *   <type>.deleted      a public item was deleted
 * A question's events follow its own status; a question shows publicly only while its role is
 * published too, which role events announce. /v1/sync tracks the combined visibility exactly.
 */

const ENTITY_TYPES = ['role', 'question', 'category'] as const;
const EVENT_ACTIONS = ['published', 'unpublished', 'updated', 'deleted'] as const;
type EventAction = (typeof EVENT_ACTIONS)[number];
export const EVENT_TYPES = ENTITY_TYPES.flatMap((t) => EVENT_ACTIONS.map((a) => `${t}.${a}` as const));
type EventType = (typeof EVENT_TYPES)[number];
export const ALL_EVENTS = '*';

export interface WebhookEvent {
  id: string;
  type: EventType;
  change: ChangeRow;
  /** The JSON body receivers get; built once so every retry and redelivery sends the same bytes. */
  body: string;
}

export function eventMatches(subscribed: readonly string[], type: string): boolean {
  return subscribed.includes(ALL_EVENTS) || subscribed.includes(type);
}

function linkOf(change: ChangeRow, action: EventAction): string | null {
  if (action === 'deleted' || action === 'unpublished') return null;
  if (change.entityType === 'role') return `/v1/roles/${change.entityKey}`;
  if (change.entityType === 'question') return `/v1/questions/${change.entityKey}`;
  return '/v1/categories';
}

function eventBody(change: ChangeRow, type: EventType): string {
  const action = type.split('.')[1] as EventAction;
  return JSON.stringify({
    id: change.eventId,
    type,
    occurredAt: change.occurredAt.toISOString(),
    data: {
      type: change.entityType,
      key: change.entityKey,
      previousKey: change.previousKey,
      role: change.roleKey,
      action: change.action,
      version: change.version,
      purgeKeys: purgeKeysOf({ ...change, entityType: change.entityType as EntityType }),
      link: linkOf(change, action),
    },
  });
}

type Status = string | null;

/**
 * Status of roles and questions before and after each change, from their revisions (every write
 * that sets a status stores one). A change without a version (a reorder, a delete) leaves the
 * status as the version current at that point in the log had it.
 */
async function statuses(db: Queryable, changes: ChangeRow[]): Promise<Map<number, { before: Status; after: Status }>> {
  const versioned = changes.filter((c) => c.entityType !== 'category');
  const out = new Map<number, { before: Status; after: Status }>();
  if (versioned.length === 0) return out;
  const ids = [...new Set(versioned.map((c) => c.entityId))];
  const lastSeq = Math.max(...versioned.map((c) => c.seq));
  const [history, snapshots] = await Promise.all([
    db
      .select({ entityId: changeLog.entityId, seq: changeLog.seq, version: changeLog.version })
      .from(changeLog)
      .where(and(inArray(changeLog.entityId, ids), isNotNull(changeLog.version), lte(changeLog.seq, lastSeq))),
    db
      .select({
        entityId: revisions.entityId,
        version: revisions.version,
        status: sql<string>`${revisions.snapshot}->>'status'`,
      })
      .from(revisions)
      .where(inArray(revisions.entityId, ids)),
  ]);
  const statusOf = new Map(snapshots.map((s) => [`${s.entityId}:${s.version}`, s.status]));
  const at = (entityId: string, version: number | null | undefined): Status =>
    version ? (statusOf.get(`${entityId}:${version}`) ?? null) : null;
  for (const change of versioned) {
    if (change.version) {
      out.set(change.seq, {
        // A created item was not there before, even when an import brings back a deleted one
        // whose versions continue.
        before: change.action === 'created' ? null : at(change.entityId, change.version - 1),
        after: at(change.entityId, change.version),
      });
      continue;
    }
    const current = history
      .filter((h) => h.entityId === change.entityId && h.seq < change.seq)
      .reduce<number | null>((v, h) => Math.max(v ?? 0, h.version ?? 0), null);
    const status = at(change.entityId, current);
    out.set(change.seq, { before: status, after: change.action === 'deleted' ? null : status });
  }
  return out;
}

function actionOf(change: ChangeRow, before: Status, after: Status): EventAction | null {
  if (change.entityType === 'category') {
    return change.action === 'created' ? 'published' : change.action === 'deleted' ? 'deleted' : 'updated';
  }
  const was = before === 'published';
  const is = after === 'published';
  if (change.action === 'deleted') return was ? 'deleted' : null;
  if (is) return was ? 'updated' : 'published';
  return was ? 'unpublished' : null;
}

/** The events these changes make, in log order. */
export async function eventsOf(db: Queryable, changes: ChangeRow[]): Promise<WebhookEvent[]> {
  const known = await statuses(db, changes);
  return changes.flatMap((change) => {
    const s = known.get(change.seq) ?? { before: null, after: null };
    const action = actionOf(change, s.before, s.after);
    if (!action) return [];
    const type = `${change.entityType}.${action}` as EventType;
    return [{ id: change.eventId, type, change, body: eventBody(change, type) }];
  });
}
