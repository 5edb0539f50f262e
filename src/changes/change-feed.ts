import { asc, gt, max } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { changeLog } from '../db/schema.js';

/*
 * Reading the change log in order. Writers append under a transaction-scoped advisory lock
 * (change-log.ts), so sequence numbers become visible in the order they were assigned: once a
 * reader has seen seq N, no transaction can still commit an N-1. That is what lets a reader keep
 * a single number as its position and trust that "everything after N" is complete, now and later.
 */

export type ChangeRow = typeof changeLog.$inferSelect;

/** The newest sequence number, 0 for an empty log. Every change up to it has committed. */
export async function latestSeq(db: Queryable): Promise<number> {
  const [row] = await db.select({ seq: max(changeLog.seq) }).from(changeLog);
  return Number(row?.seq ?? 0);
}

/** Changes after a position, oldest first. */
export async function changesAfter(db: Queryable, afterSeq: number, limit: number): Promise<ChangeRow[]> {
  return db.select().from(changeLog).where(gt(changeLog.seq, afterSeq)).orderBy(asc(changeLog.seq)).limit(limit);
}
