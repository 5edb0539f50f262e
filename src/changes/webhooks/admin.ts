import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Queryable } from '../../db/client.js';
import { changeLog, webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema.js';
import { AppError, badParameter, notFound } from '../../errors.js';
import { latestSeq } from '../change-feed.js';
import { eventMatches, eventsOf } from './events.js';
import { disableWebhook, type Delivery, type Now, type WebhookRow } from './outbox.js';
import type { WebhookCreateInput, WebhookDeliveryOut, WebhookOut, WebhookUpdateInput } from './schemas.js';
import type { SecretBox } from './secret-box.js';
import { checkWebhookUrl } from './url-policy.js';

/* What admins do with webhooks: register, change, rotate, remove, and read and redo deliveries. */

export interface AdminOptions {
  allowPrivateNetworks: boolean;
  /** Most changes one replay may queue; a wider range is refused with a hint to narrow it. */
  maxReplay: number;
}

const generateSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
const iso = (d: Date | null) => d?.toISOString() ?? null;

function describeWebhook(row: WebhookRow): WebhookOut {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookOut['events'],
    status: row.status as WebhookOut['status'],
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    consecutiveFailures: row.consecutiveFailures,
    previousSecretExpiresAt:
      row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now()
        ? row.previousSecretExpiresAt.toISOString()
        : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function describeDelivery(row: Delivery): WebhookDeliveryOut {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    changeSeq: row.changeSeq,
    trigger: row.trigger as WebhookDeliveryOut['trigger'],
    status: row.status as WebhookDeliveryOut['status'],
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    completedAt: iso(row.completedAt),
  };
}

const unique = <T>(values: T[]) => [...new Set(values)];

async function webhookRow(db: Queryable, id: string, lock = false): Promise<WebhookRow> {
  const query = db.select().from(webhooks).where(eq(webhooks.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound(`Webhook ${id}`);
  return row;
}

export async function createWebhook(
  db: Database,
  secrets: () => Promise<SecretBox>,
  options: AdminOptions,
  actor: string,
  input: WebhookCreateInput,
) {
  const url = checkWebhookUrl(input.url, options.allowPrivateNetworks);
  const box = await secrets();
  const secret = input.secret ?? generateSecret();
  const id = randomUUID();
  // From here on: changes already in the log are history, which only a replay sends.
  const [row] = await db
    .insert(webhooks)
    .values({
      id,
      url,
      description: input.description ?? '',
      events: unique(input.events),
      secretCiphertext: box.seal(secret, id),
      cursorSeq: await latestSeq(db),
      createdBy: actor,
    })
    .returning();
  return { ...describeWebhook(row!), secret };
}

export async function listWebhooks(db: Queryable): Promise<WebhookOut[]> {
  return (await db.select().from(webhooks).orderBy(asc(webhooks.createdAt), asc(webhooks.id))).map(describeWebhook);
}

export async function getWebhook(db: Queryable, id: string): Promise<WebhookOut> {
  return describeWebhook(await webhookRow(db, id));
}

export async function updateWebhook(
  db: Database,
  options: AdminOptions,
  id: string,
  input: WebhookUpdateInput,
  clock: Now,
): Promise<WebhookOut> {
  const url = input.url === undefined ? undefined : checkWebhookUrl(input.url, options.allowPrivateNetworks);
  return db.transaction(async (tx) => {
    const row = await webhookRow(tx, id, true);
    const set: Partial<typeof webhooks.$inferInsert> = { updatedAt: new Date() };
    if (url !== undefined) set.url = url;
    if (input.events !== undefined) set.events = unique(input.events);
    if (input.description !== undefined) set.description = input.description;
    if (input.enabled === true && row.status === 'disabled') {
      // Back on where it stopped: its queue goes out now, in order, then the changes made while it
      // was off (its position in the change log stayed where it was).
      Object.assign(set, {
        status: 'active',
        disabledReason: null,
        disabledAt: null,
        consecutiveFailures: 0,
        failingSince: null,
      });
      await tx
        .update(webhookDeliveries)
        .set({ nextAttemptAt: clock.now() })
        .where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, 'pending')));
    }
    await tx.update(webhooks).set(set).where(eq(webhooks.id, id));
    if (input.enabled === false && row.status === 'active')
      await disableWebhook(tx, id, 'disabled by an admin', clock.now());
    return describeWebhook(await webhookRow(tx, id));
  });
}

/** A new secret; the old one keeps signing (a second v1) for the overlap, so receivers can switch without a gap. */
export async function rotateSecret(db: Database, box: SecretBox, id: string, overlapSeconds: number, given?: string) {
  const secret = given ?? generateSecret();
  return db.transaction(async (tx) => {
    const row = await webhookRow(tx, id, true);
    await tx
      .update(webhooks)
      .set({
        secretCiphertext: box.seal(secret, id),
        previousSecretCiphertext: overlapSeconds > 0 ? row.secretCiphertext : null,
        previousSecretExpiresAt: overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null,
        updatedAt: new Date(),
      })
      .where(eq(webhooks.id, id));
    return { ...describeWebhook(await webhookRow(tx, id)), secret };
  });
}

export async function deleteWebhook(db: Queryable, id: string): Promise<void> {
  const gone = await db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id });
  if (gone.length === 0) throw notFound(`Webhook ${id}`);
}

const deliveryCursor = z.tuple([z.int().min(1).max(Number.MAX_SAFE_INTEGER)]);

function decodeCursor(cursor: string): [number] {
  try {
    const parsed = deliveryCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // Reported below like any other cursor that is not ours.
  }
  throw badParameter('cursor', 'is not a cursor this API issued for this list');
}

/** A webhook's deliveries, newest first (the reverse of the order they go out in). */
export async function listDeliveries(
  db: Queryable,
  webhookId: string,
  filters: { status?: string | undefined },
  page: { limit: number; cursor?: string | undefined },
) {
  await webhookRow(db, webhookId);
  const d = webhookDeliveries;
  const where: SQL[] = [eq(d.webhookId, webhookId)];
  if (filters.status) where.push(eq(d.status, filters.status));
  if (page.cursor) where.push(lt(d.seq, decodeCursor(page.cursor)[0]));
  const rows = await db
    .select()
    .from(d)
    .where(and(...where))
    .orderBy(desc(d.seq))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  const nextCursor = more && last ? Buffer.from(JSON.stringify([last.seq])).toString('base64url') : null;
  return { data: shown.map(describeDelivery), page: { limit: page.limit, nextCursor } };
}

async function deliveryRow(db: Queryable, webhookId: string, deliveryId: string): Promise<Delivery> {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId)));
  if (!row) throw notFound(`Delivery ${deliveryId} of webhook ${webhookId}`);
  return row;
}

export async function getDelivery(db: Queryable, webhookId: string, deliveryId: string) {
  const row = await deliveryRow(db, webhookId, deliveryId);
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.attempt), asc(webhookAttempts.id));
  return {
    ...describeDelivery(row),
    payload: JSON.parse(row.body) as Record<string, unknown>,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt.toISOString(),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
      responseExcerpt: a.responseExcerpt,
    })),
  };
}

function mustBeActive(row: WebhookRow): void {
  if (row.status !== 'active')
    throw new AppError(
      'CONFLICT',
      `Webhook ${row.id} is disabled (${row.disabledReason ?? 'no reason recorded'}); enable it first`,
    );
}

/** Sends an event again, as it was (same event id and body), as a new delivery with its own retries. */
export async function redeliver(
  db: Queryable,
  webhookId: string,
  deliveryId: string,
  clock: Now,
): Promise<WebhookDeliveryOut> {
  mustBeActive(await webhookRow(db, webhookId));
  const original = await deliveryRow(db, webhookId, deliveryId);
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      webhookId,
      eventId: original.eventId,
      eventType: original.eventType,
      changeSeq: original.changeSeq,
      body: original.body,
      trigger: 'redelivery',
      nextAttemptAt: clock.now(),
    })
    .returning();
  return describeDelivery(row!);
}

/** Queues every matching event of changes in [from, to) again, in log order. */
export async function replay(
  db: Database,
  options: AdminOptions,
  webhookId: string,
  range: { from: string; to: string },
  clock: Now,
) {
  const hook = await webhookRow(db, webhookId);
  mustBeActive(hook);
  const changes = await db
    .select()
    .from(changeLog)
    .where(and(gte(changeLog.occurredAt, new Date(range.from)), lt(changeLog.occurredAt, new Date(range.to))))
    .orderBy(asc(changeLog.seq))
    .limit(options.maxReplay + 1);
  if (changes.length > options.maxReplay)
    throw badParameter('to', `the range holds more than ${options.maxReplay} changes; replay it in smaller ranges`);
  const events = (await eventsOf(db, changes)).filter((e) => eventMatches(hook.events, e.type));
  // All or nothing, in slices: one statement may carry at most 65,535 parameters.
  await db.transaction(async (tx) => {
    for (let i = 0; i < events.length; i += 1000) {
      const slice = events.slice(i, i + 1000);
      await tx.insert(webhookDeliveries).values(
        slice.map((e) => ({
          webhookId,
          eventId: e.id,
          eventType: e.type,
          changeSeq: e.change.seq,
          body: e.body,
          trigger: 'replay',
          nextAttemptAt: clock.now(),
        })),
      );
    }
  });
  return { queued: events.length, changes: changes.length };
}
