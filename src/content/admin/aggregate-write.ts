import type { Principal } from '../../access/principal.js';
import type { ChangeAction } from '../../changes/change-log.js';
import type { Database, Queryable } from '../../db/client.js';
import { expectCurrent, type Expected } from './validation.js';

/*
 * The one way an admin command changes an aggregate (a role with its breakdown, rounds, tips, FAQs
 * and links; a question with its examples and pitfalls), in one transaction:
 *
 *   lock its row -> check the version the caller read (412 when stale) -> read the stored document
 *   -> apply the change -> save it (rows, a revision and a change-log entry) -> read what content
 *   tools see of it, still inside the transaction
 *
 * so every command answers with the aggregate exactly as it saved it, and no adapter reads it again.
 */

/** What the skeleton needs to know of one kind of aggregate. */
export interface Aggregate<Row extends { version: number }, Doc, View extends { version: number }> {
  /** How messages name one: `Role "qa-engineer"`, `Question 0b7c…`. */
  name(key: string): string;
  /** Finds one by its key (a role's slug, a question's id) and locks its row; 404 when there is none. */
  lock(tx: Queryable, key: string): Promise<Row>;
  /** Its stored document, in the import format. */
  load(tx: Queryable, row: Row): Promise<Doc>;
  /**
   * Stores a document as its next version (its rows, a revision and a change-log entry of the
   * action) and answers the key it is found by now (a role's slug may have changed).
   */
  save(tx: Queryable, doc: Doc, row: Row, principal: Principal, action: ChangeAction): Promise<string>;
  /** What content tools see of it; its admin ETag is a digest of this. */
  view(tx: Queryable, key: string): Promise<View>;
}

/** One change to one aggregate. */
export interface Edit<Row, Doc> {
  key: string;
  /** The version or admin ETag the caller read; none: whatever is current. */
  expected: Expected | undefined;
  /** How the change log names it. */
  action: ChangeAction;
  /** The document to store, made from the stored one; may write rows the document cannot say (a round renamed in place). */
  change(current: Doc, tx: Queryable, row: Row): Doc | Promise<Doc>;
}

/** Locks an aggregate and checks it is still what the caller read; for writes that store no document too (deletes, reorders). */
export async function lockExpected<Row extends { version: number }, Doc, View extends { version: number }>(
  tx: Queryable,
  aggregate: Aggregate<Row, Doc, View>,
  key: string,
  expected: Expected | undefined,
): Promise<Row> {
  const row = await aggregate.lock(tx, key);
  await expectCurrent(aggregate.name(key), row.version, expected, () => aggregate.view(tx, key));
  return row;
}

/** The skeleton inside the caller's transaction (a restore reads the revision first). */
export async function writeAggregateIn<Row extends { version: number }, Doc, View extends { version: number }>(
  tx: Queryable,
  aggregate: Aggregate<Row, Doc, View>,
  principal: Principal,
  edit: Edit<Row, Doc>,
): Promise<View> {
  const row = await lockExpected(tx, aggregate, edit.key, edit.expected);
  const next = await edit.change(await aggregate.load(tx, row), tx, row);
  const key = await aggregate.save(tx, next, row, principal, edit.action);
  return aggregate.view(tx, key);
}

/** The skeleton in a transaction of its own: what role and question commands call. */
export function writeAggregate<Row extends { version: number }, Doc, View extends { version: number }>(
  db: Database,
  aggregate: Aggregate<Row, Doc, View>,
  principal: Principal,
  edit: Edit<Row, Doc>,
): Promise<View> {
  return db.transaction((tx) => writeAggregateIn(tx, aggregate, principal, edit));
}
