import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { changeLog } from '../../db/schema.js';
import { cursorKey, keysetAfter, pageOf, type PageRequest } from '../pagination.js';

export interface AuditFilters {
  actor?: string | undefined;
  entityType?: 'category' | 'role' | 'question' | undefined;
  entityKey?: string | undefined;
  action?: string | undefined;
  since?: Date | undefined;
}

const LIST = 'audit';

/** Who did what to which item, newest first, from the change log. */
export async function listAudit(db: Queryable, filters: AuditFilters, page: PageRequest) {
  const where: SQL[] = [];
  if (filters.actor) where.push(eq(changeLog.actor, filters.actor));
  if (filters.entityType) where.push(eq(changeLog.entityType, filters.entityType));
  if (filters.entityKey) where.push(eq(changeLog.entityKey, filters.entityKey));
  if (filters.action) where.push(eq(changeLog.action, filters.action));
  if (filters.since) where.push(gte(changeLog.occurredAt, filters.since));
  const after = keysetAfter(LIST, page.cursor, z.tuple([cursorKey.seq]));
  if (after) where.push(lt(changeLog.seq, after[0]));
  const rows = await db
    .select()
    .from(changeLog)
    .where(and(...where))
    .orderBy(desc(changeLog.seq))
    .limit(page.limit + 1);
  const result = pageOf(rows, page.limit, (row) => ({ l: LIST, k: [row.seq] }));
  return {
    data: result.rows.map((r) => ({
      seq: r.seq,
      actor: r.actor,
      action: r.action,
      entityType: r.entityType,
      entityKey: r.entityKey,
      version: r.version,
      occurredAt: r.occurredAt.toISOString(),
    })),
    page: result.page,
    cursors: result.cursors,
  };
}
