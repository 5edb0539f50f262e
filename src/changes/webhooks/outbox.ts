import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.js';
import { webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema.js';
import { changesAfter, latestSeq } from '../change-feed.js';
import type { SendResult } from './send.js';
import { eventMatches, eventsOf } from './events.js';

/*
 * The dispatcher's work, in the database. The change log is the outbox: it is written in the same
 * transaction as every content change, so nothing that committed can be missed, whenever or
 * however a process died. From it:
 *
 * 1. Fan-out turns the changes after each webhook's cursor into delivery rows (one per event it
 *    asked for) and moves the cursor, in one transaction. The webhook row is locked with
 *    SKIP LOCKED, so with several instances one does a webhook at a time and none twice. A webhook
 *    starts at the log position of its registration: it hears what happens from then on, and an
 *    admin replays older history explicitly.
 * 2. Claiming takes due deliveries with FOR UPDATE SKIP LOCKED and leases them to this process for
 *    a while; the HTTP request runs outside any transaction, so a slow receiver holds no lock or
 *    connection and never slows a write. A process that dies mid-request leaves its lease to run
 *    out; the next claim takes the delivery again and logs the lost attempt. A webhook's deliveries
 *    go out one at a time, in queue order (change order): only the oldest unfinished one of each
 *    webhook is due, so a receiver gets events in order, and one that was down catches up in order.
 * 3. The result is recorded only by the holder of the claim (its token), with the attempt.
 *
 * A receiver that is down (no answer, 5xx, 408, 425, 429, a redirect) keeps its queue: the oldest
 * delivery is retried with backoff, the others wait behind it, for as long as the webhook stays
 * enabled. A webhook that has failed without one success for disableAfterMs is disabled, its queue
 * kept for when it is enabled again. A receiver that answers and refuses one event (another 4xx)
 * gets that event maxAttempts times, then it is failed and the queue moves on; 410 Gone disables
 * the webhook at once.
 */

export interface RetryPolicy {
  /** Tries of an event a receiver refuses (4xx) before it is failed and the queue moves on. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a webhook may fail without a success before it is disabled. */
  disableAfterMs: number;
  /** How long a claim is this process's alone; longer than the request timeout. */
  leaseMs: number;
}

/** Where retry and disable times come from (tests move it); leases use the database's own time. */
export interface Now {
  now(): Date;
}

const FAN_OUT_BATCH = 200;
const secondsFromNow = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000})`;
const after = (clock: Now, ms: number) => new Date(clock.now().getTime() + ms);

export type Delivery = typeof webhookDeliveries.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export interface Claimed {
  delivery: Delivery;
  webhook: WebhookRow;
}

/** Makes deliveries of every change not yet fanned out; returns how many it made. */
export async function fanOut(db: Database, clock: Now): Promise<number> {
  let made = 0;
  for (;;) {
    const latest = await latestSeq(db);
    // Most rounds find nothing new; asking first keeps an idle round to plain reads, no transaction.
    const [behind] = await db
      .select({ id: webhooks.id })
      .from(webhooks)
      .where(and(eq(webhooks.status, 'active'), lt(webhooks.cursorSeq, latest)))
      .limit(1);
    if (!behind) return made;
    const count = await db.transaction(async (tx) => {
      const [hook] = await tx
        .select()
        .from(webhooks)
        .where(and(eq(webhooks.status, 'active'), lt(webhooks.cursorSeq, latest)))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!hook) return null;
      const changes = await changesAfter(tx, hook.cursorSeq, FAN_OUT_BATCH);
      const events = (await eventsOf(tx, changes)).filter((e) => eventMatches(hook.events, e.type));
      if (events.length) {
        await tx.insert(webhookDeliveries).values(
          events.map((e) => ({
            webhookId: hook.id,
            eventId: e.id,
            eventType: e.type,
            changeSeq: e.change.seq,
            body: e.body,
            trigger: 'change',
            nextAttemptAt: clock.now(),
          })),
        );
      }
      await tx
        .update(webhooks)
        .set({ cursorSeq: changes.at(-1)?.seq ?? latest })
        .where(eq(webhooks.id, hook.id));
      return events.length;
    });
    if (count === null) return made;
    made += count;
  }
}

/** Leases up to `limit` due deliveries of active webhooks to this process, at most one per webhook: its oldest. */
export async function claimDue(db: Database, limit: number, leaseMs: number, clock: Now): Promise<Claimed[]> {
  const d = webhookDeliveries;
  const isDue = and(
    eq(webhooks.status, 'active'),
    or(
      and(eq(d.status, 'pending'), lte(d.nextAttemptAt, clock.now())),
      and(eq(d.status, 'delivering'), lt(d.leaseExpiresAt, sql`now()`)),
    ),
    // The head of its webhook's queue: nothing older is still to be delivered.
    sql`not exists (select 1 from ${d} older where older.webhook_id = ${d.webhookId} and older.status in ('pending', 'delivering') and older.seq < ${d.seq})`,
  );
  const [any] = await db
    .select({ id: d.id })
    .from(d)
    .innerJoin(webhooks, eq(webhooks.id, d.webhookId))
    .where(isDue)
    .limit(1);
  if (!any) return [];
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: d.id, status: d.status, attempts: d.attempts })
      .from(d)
      .innerJoin(webhooks, eq(webhooks.id, d.webhookId))
      .where(isDue)
      .orderBy(asc(d.nextAttemptAt))
      .limit(limit)
      .for('update', { of: d, skipLocked: true });
    if (due.length === 0) return [];
    const lost = due.filter((row) => row.status === 'delivering');
    if (lost.length) {
      await tx.insert(webhookAttempts).values(
        lost.map((row) => ({
          deliveryId: row.id,
          attempt: row.attempts,
          startedAt: new Date(),
          latencyMs: 0,
          error: 'no result: the process sending it stopped before the receiver answered',
        })),
      );
    }
    const token = randomUUID();
    await tx
      .update(d)
      .set({
        status: 'delivering',
        attempts: sql`${d.attempts} + 1`,
        leaseExpiresAt: secondsFromNow(leaseMs),
        claimToken: token,
      })
      .where(
        inArray(
          d.id,
          due.map((row) => row.id),
        ),
      );
    const rows = await tx
      .select({ delivery: d, webhook: webhooks })
      .from(d)
      .innerJoin(webhooks, eq(webhooks.id, d.webhookId))
      .where(eq(d.claimToken, token));
    return rows;
  });
}

/** Exponential backoff with equal jitter: half the step is fixed, half random, so retries spread out. */
function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'retryBaseMs' | 'retryMaxMs'>): number {
  const step = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (Math.random() * step) / 2);
}

export interface Outcome {
  recorded: boolean;
  status: Delivery['status'];
  disabledReason?: string | undefined;
}

/** Stops deliveries to a webhook; its queue is kept, to go out in order when it is enabled again. */
async function disable(tx: Queryable, webhookId: string, reason: string, now: Date): Promise<void> {
  await tx
    .update(webhooks)
    .set({ status: 'disabled', disabledReason: reason, disabledAt: now, updatedAt: now })
    .where(eq(webhooks.id, webhookId));
}

export { disable as disableWebhook };

/** Answers that say the receiver is down or busy, not that it refuses this event: keep retrying. */
const UNAVAILABLE = new Set([408, 425, 429]);
const isOutage = (statusCode: number | null) =>
  statusCode === null || statusCode >= 500 || statusCode < 400 || UNAVAILABLE.has(statusCode);

const hours = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000} hour(s)` : ms % 60_000 === 0 ? `${ms / 60_000} minute(s)` : `${ms} ms`;

/** Stores the answer of one attempt and what follows from it: done, retry later, failed, webhook disabled. */
export async function recordAttempt(
  db: Database,
  claimed: Claimed,
  startedAt: Date,
  result: SendResult,
  policy: RetryPolicy,
  clock: Now,
): Promise<Outcome> {
  const { delivery, webhook } = claimed;
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const goneForGood = result.statusCode === 410;
  const error = ok ? null : (result.error ?? `the receiver answered HTTP ${result.statusCode}`);
  // A receiver that is down keeps its event; one that refuses it has maxAttempts tries.
  const final = ok || goneForGood || (!isOutage(result.statusCode) && delivery.attempts >= policy.maxAttempts);
  const status = ok ? 'delivered' : final ? 'failed' : 'pending';
  const now = clock.now();
  return db.transaction(async (tx) => {
    const [mine] = await tx
      .update(webhookDeliveries)
      .set({
        status,
        nextAttemptAt: final
          ? sql`${webhookDeliveries.nextAttemptAt}`
          : after(clock, backoffMs(delivery.attempts, policy)),
        leaseExpiresAt: null,
        claimToken: null,
        lastStatusCode: result.statusCode,
        lastError: error,
        completedAt: final ? now : null,
      })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.claimToken, delivery.claimToken!)))
      .returning({ id: webhookDeliveries.id });
    // Our lease ran out and another process took the delivery over: its answer counts, not ours.
    if (!mine) return { recorded: false, status };
    await tx.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      attempt: delivery.attempts,
      startedAt,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error,
      responseExcerpt: result.excerpt,
    });
    if (ok) {
      await tx.update(webhooks).set({ consecutiveFailures: 0, failingSince: null }).where(eq(webhooks.id, webhook.id));
      return { recorded: true, status };
    }
    const [counted] = await tx
      .update(webhooks)
      .set({
        consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`,
        failingSince: sql`coalesce(${webhooks.failingSince}, ${now.toISOString()}::timestamptz)`,
      })
      .where(eq(webhooks.id, webhook.id))
      .returning({
        status: webhooks.status,
        failingSince: webhooks.failingSince,
        failures: webhooks.consecutiveFailures,
      });
    let disabledReason: string | undefined;
    if (counted?.status === 'active') {
      const failingFor = now.getTime() - (counted.failingSince ?? now).getTime();
      if (goneForGood) disabledReason = 'the receiver answered 410 Gone, which asks senders to stop';
      else if (failingFor >= policy.disableAfterMs)
        disabledReason = `failed for ${hours(policy.disableAfterMs)} without a success (${counted.failures} attempts since ${counted.failingSince!.toISOString()}); the last: ${error}`;
      if (disabledReason) await disable(tx, webhook.id, disabledReason, now);
    }
    return { recorded: true, status, disabledReason };
  });
}

/** Gives a claimed delivery back untouched (the process is stopping before an answer came). */
export async function release(db: Database, claimed: Claimed): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({
      status: 'pending',
      attempts: sql`${webhookDeliveries.attempts} - 1`,
      leaseExpiresAt: null,
      claimToken: null,
    })
    .where(
      and(
        eq(webhookDeliveries.id, claimed.delivery.id),
        eq(webhookDeliveries.claimToken, claimed.delivery.claimToken!),
      ),
    );
}
