import { changesAfter, latestSeq } from '../changes/change-feed.js';
import { AppError } from '../errors.js';
import { listCategories } from './categories.js';
import { listQuestions } from './questions.js';
import { listRoles } from './roles.js';
import { decodeSyncCursor, encodeSyncCursor, type SyncCursor } from './sync-cursor.js';
import { touchedKeys } from './sync-expand.js';
import type { SyncItemOut, SyncPageOut } from './sync-schemas.js';
import { resolve, rolesForSync, scopeOf, type Candidate, type SyncDb } from './sync-state.js';
import { categoryScope, type ReadContext } from './visibility.js';
import type { QuestionOut, RoleOut } from './schemas.js';

/*
 * The delta sync feed (GET /v1/sync). Without a cursor it walks everything published (categories,
 * roles, questions) and then continues from the change-log position it took when it began. With a
 * cursor it answers what changed after that position, as current state: a key changed three times
 * in a page is sent once, as it is now, or as a tombstone if the caller can no longer read it.
 *
 * Why nothing is lost under concurrent writes: the change log's sequence numbers commit in order
 * (change-log.ts), so a position N means "every change up to N is reflected". A page reads the
 * changes after N, then reads current state, which may be newer still; anything newer has a
 * larger seq and is sent again in a later page. Applying pages in order therefore ends at the
 * state of the last position, whichever writes committed while the client was reading. The first
 * full pass takes its position before it reads anything, for the same reason.
 */

export interface SyncRequest {
  cursor?: string | undefined;
  limit: number;
  /** How far back a cursor may point; older than that the client must start over (410). */
  retentionMs: number;
  now?: Date;
}

const page = (
  limit: number,
  items: SyncItemOut[],
  next: SyncCursor,
  more: boolean,
  tombstones: SyncPageOut['data']['tombstones'] = [],
): SyncPageOut => ({
  data: { items, tombstones },
  page: { limit, nextCursor: more ? encodeSyncCursor(next) : null, syncCursor: encodeSyncCursor(next) },
});

/** Sync reads what anyone may read, within the caller's categories; preview does not apply. */
const syncContext = (ctx: ReadContext): ReadContext => ({ principal: ctx.principal, preview: false });

export async function syncPage(db: SyncDb, callerCtx: ReadContext, request: SyncRequest): Promise<SyncPageOut> {
  const ctx = syncContext(callerCtx);
  const cursor = request.cursor === undefined ? undefined : decodeSyncCursor(request.cursor);
  if (!cursor) return firstPage(db, ctx, request.limit);
  if (cursor.m === 'full') return fullPage(db, ctx, request.limit, cursor);
  return deltaPage(db, ctx, request, cursor.s);
}

async function firstPage(db: SyncDb, ctx: ReadContext, limit: number): Promise<SyncPageOut> {
  // The position comes first: whatever commits after it is sent again by the delta pass.
  const start = await latestSeq(db.db);
  const inScope = scopeOf(ctx);
  const items = (await listCategories(db.reads, ctx))
    .filter((c) => inScope(c.slug))
    .map((c): SyncItemOut => ({ type: 'category', key: c.slug, category: c }));
  return page(limit, items, { m: 'full', s: start, p: 'roles' }, true);
}

async function fullPage(
  db: SyncDb,
  ctx: ReadContext,
  limit: number,
  cursor: Extract<SyncCursor, { m: 'full' }>,
): Promise<SyncPageOut> {
  // The lists apply visibility and the caller's category scope themselves.
  if (cursor.p === 'roles') {
    const result = await listRoles(db.reads, ctx, {}, { limit, cursor: cursor.c });
    const roles = await rolesForSync(
      db,
      ctx,
      result.items.map((item) => (JSON.parse(item) as RoleOut).slug),
    );
    const next: SyncCursor = result.page.nextCursor
      ? { ...cursor, c: result.page.nextCursor }
      : { m: 'full', s: cursor.s, p: 'questions' };
    return page(
      limit,
      roles.map((r) => ({ type: 'role', key: r.slug, role: r })),
      next,
      true,
    );
  }
  const result = await listQuestions(db.reads, ctx, {}, { limit, cursor: cursor.c });
  const questions = result.items.map((item) => JSON.parse(item) as QuestionOut);
  // After the last question the client continues with the changes made since the pass began.
  const next: SyncCursor = result.page.nextCursor
    ? { ...cursor, c: result.page.nextCursor }
    : { m: 'delta', s: cursor.s };
  return page(
    limit,
    questions.map((q) => ({ type: 'question', key: q.id, question: q })),
    next,
    true,
  );
}

function gone(detail: string): AppError {
  return new AppError(
    'GONE',
    `${detail} Start over: call GET /v1/sync without a cursor, replace your mirror with what it sends, and keep the new syncCursor.`,
  );
}

async function deltaPage(db: SyncDb, ctx: ReadContext, request: SyncRequest, after: number): Promise<SyncPageOut> {
  const { limit } = request;
  const changes = await changesAfter(db.db, after, limit + 1);
  const first = changes[0];
  if (!first && after > (await latestSeq(db.db)))
    throw gone('This cursor points past the change history this API holds (was the database restored?).');
  if (first && first.occurredAt.getTime() < (request.now ?? new Date()).getTime() - request.retentionMs) {
    throw gone(
      `This cursor is older than the ${Math.round(request.retentionMs / 86_400_000)} days of change history the sync feed keeps.`,
    );
  }

  const touched = await touchedKeys(db.db, changes.slice(0, limit), {
    scoped: categoryScope(ctx) !== null,
    inScope: scopeOf(ctx),
  });
  // Take whole changes until the page holds about `limit` keys; at least one, so a page always moves on.
  const candidates = new Map<string, Candidate>();
  let taken = 0;
  for (const [i, keys] of touched.entries()) {
    if (i > 0 && candidates.size >= limit) break;
    const change = changes[i]!;
    for (const k of keys) {
      const id = `${k.type}:${k.key}`;
      const candidate = candidates.get(id) ?? {
        type: k.type,
        key: k.key,
        at: change.occurredAt,
        entityIds: new Set<string>(),
      };
      candidate.at = change.occurredAt;
      if (k.entityId) candidate.entityIds.add(k.entityId);
      candidates.set(id, candidate);
    }
    taken = i + 1;
  }
  if (taken === 0) return page(limit, [], { m: 'delta', s: after }, false);

  const { items, tombstones } = await resolve(db, ctx, [...candidates.values()]);
  const last = changes[taken - 1]!.seq;
  return page(limit, items, { m: 'delta', s: last }, changes.length > taken, tombstones);
}
