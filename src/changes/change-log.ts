import type { Queryable } from '../db/client.js';
import { changeLog } from '../db/schema.js';

export type ChangeAction = 'created' | 'updated' | 'deleted' | 'published' | 'unpublished' | 'archived' | 'restored';
export type EntityType = 'category' | 'role' | 'question';

export interface Change {
  entityType: EntityType;
  entityId: string;
  /** What a reader calls the item: a slug, or the question id. */
  entityKey: string;
  action: ChangeAction;
  version?: number | null;
  actor: string;
}

/**
 * Appends to the change log. Callers pass their transaction, so the entry commits or rolls back
 * together with the write it describes: the sync feed, webhooks and cache invalidation that read
 * this table can never miss a change or see one that did not happen.
 */
export async function recordChanges(tx: Queryable, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.insert(changeLog).values(changes.map((c) => ({ ...c, version: c.version ?? null })));
}
