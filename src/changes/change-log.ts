import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { changeLog } from '../db/schema.js';

export type ChangeAction = 'created' | 'updated' | 'deleted' | 'published' | 'unpublished' | 'archived' | 'restored';
export type EntityType = 'category' | 'role' | 'question';

export interface Change {
  entityType: EntityType;
  entityId: string;
  /** What a reader calls the item: a slug, or the question id. */
  entityKey: string;
  /** For a question: the slug of its role. */
  roleKey?: string | null | undefined;
  /** The key before this change renamed the item. */
  previousKey?: string | null | undefined;
  action: ChangeAction;
  version?: number | null;
  actor: string;
}

/**
 * Channel every instance LISTENs on; a notification means "read the change log again". Its
 * payload is the last sequence number the transaction wrote.
 */
export const CHANGES_CHANNEL = 'content_changes';

// Any fixed number; every writer agrees on it.
const CHANGE_LOG_LOCK = 727_002;

/**
 * Appends to the change log. Callers pass their transaction, so the entry commits or rolls back
 * together with the write it describes: the sync feed, webhooks and cache invalidation that read
 * this table can never miss a change or see one that did not happen.
 *
 * Writers take a transaction-scoped advisory lock first, so sequence numbers become visible in
 * order: a reader that has seen seq N will never later find a committed N-1. Content writes are
 * rare next to reads; serialising their last step costs little and makes "everything after N" a
 * complete answer. NOTIFY is delivered at commit, to every instance listening.
 */
export async function recordChanges(tx: Queryable, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`);
  const rows = changes.map((c) => ({
    ...c,
    roleKey: c.roleKey ?? null,
    previousKey: c.previousKey ?? null,
    version: c.version ?? null,
  }));
  // The entries and their NOTIFY in one statement. The payload is the last sequence number
  // written, so the writer can tell when its own notification has come back (watcher.ts).
  const written = tx.$with('written').as(tx.insert(changeLog).values(rows).returning({ seq: changeLog.seq }));
  await tx
    .with(written)
    .select({ notified: sql`pg_notify(${CHANGES_CHANNEL}, max(${written.seq})::text)` })
    .from(written);
}
