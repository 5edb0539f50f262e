import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../src/db/schema.js';
import { send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { startReceiver, type Receiver } from '../helpers/receivers.js';
import { deliveries, dispatcherEnv, eventually, register } from '../helpers/webhooks.js';

/*
 * A receiver that is down for a while: its events wait in order behind the oldest, which is
 * retried (at most WEBHOOKS_RETRY_MAX_MS apart, 10 minutes); when it is back it gets them all, in
 * change order, with their original ids, without an admin doing anything. Only after failing for
 * WEBHOOKS_DISABLE_AFTER_MS (24 hours) without a success is it disabled, its queue kept. The clock
 * is moved, never waited for.
 */

const clock = new ManualClock();
let t: TestApp;
const receivers: Receiver[] = [];
beforeAll(async () => {
  const { WEBHOOKS_RETRY_BASE_MS: _b, WEBHOOKS_RETRY_MAX_MS: _m, ...env } = dispatcherEnv;
  t = await startTestApp({ env, clock });
});
afterAll(async () => {
  await t?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

/** A receiver that answers 503 while `down.is`, 200 otherwise. */
async function switchable() {
  const down = { is: true };
  const receiver = await startReceiver(() => (down.is ? 503 : 200));
  receivers.push(receiver);
  return { receiver, down };
}

let edits = 0;
async function edit(slug: string): Promise<void> {
  const res = await send(t.app, 'PATCH', `/v1/admin/roles/${slug}`, {
    summary: `Summary edit number ${++edits} for a receiver that is down.`,
  });
  expect(res.status).toBe(200);
}
const eventIds = async (slug: string) =>
  (
    await t.database.db
      .select({ id: changeLog.eventId })
      .from(changeLog)
      .where(and(eq(changeLog.entityKey, slug), eq(changeLog.action, 'updated')))
      .orderBy(asc(changeLog.seq))
  ).map((r) => r.id);
const webhook = async (id: string) =>
  (await send<{ data: { status: string; disabledReason: string | null } }>(t.app, 'GET', `/v1/admin/webhooks/${id}`))
    .body.data;

/** Tries recorded so far, once none is under way (its answer is in, its next try scheduled). */
async function settledTries(hookId: string): Promise<number> {
  const settled = await eventually(async () => {
    const list = await deliveries(t.app, hookId);
    return list.every((d) => d.status !== 'delivering') && { tries: list.reduce((n, d) => n + d.attempts, 0) };
  }, 'the try under way to be recorded');
  return settled.tries;
}

/** Moves the clock on once the last try is recorded, and waits for the next one to be recorded. */
async function later(hookId: string, ms: number) {
  const tried = await settledTries(hookId);
  clock.advance(ms);
  await eventually(async () => (await settledTries(hookId)) > tried, 'the next try');
}

describe('a receiver down for an hour', () => {
  it('catches up by itself when it is back, in order, with the original event ids', async () => {
    const { receiver, down } = await switchable();
    const hook = await register(t.app, receiver.url, ['role.updated']);
    for (let i = 0; i < 5; i++) await edit('product-manager');
    const ids = (await eventIds('product-manager')).slice(-5);
    await eventually(() => receiver.received.length > 0, 'the first try');
    for (let minutes = 10; minutes <= 60; minutes += 10) await later(hook.id, 10 * 60_000);

    // An hour of failures: still enabled, every event still queued, only the oldest ever tried.
    expect(await webhook(hook.id)).toMatchObject({ status: 'active', disabledReason: null });
    const queued = await deliveries(t.app, hook.id);
    expect(queued.map((d) => d.status).every((s) => s === 'pending' || s === 'delivering')).toBe(true);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([ids[0]]));

    down.is = false;
    await settledTries(hook.id);
    clock.advance(10 * 60_000);
    await eventually(
      async () => (await deliveries(t.app, hook.id)).every((d) => d.status === 'delivered'),
      'the catch-up',
    );
    expect(receiver.acceptedIds()).toEqual(ids);
  });
});

describe('a receiver down for a day', () => {
  it('is disabled after 24 hours without a success, and gets its kept queue when enabled again', async () => {
    const { receiver, down } = await switchable();
    const hook = await register(t.app, receiver.url, ['role.updated']);
    await edit('data-scientist');
    await edit('data-scientist');
    await eventually(() => receiver.received.length > 0, 'the first try');
    await later(hook.id, 6 * HOUR);
    await later(hook.id, 12 * HOUR);
    expect((await webhook(hook.id)).status).toBe('active');
    await later(hook.id, 7 * HOUR);
    const disabled = await eventually(async () => {
      const now = await webhook(hook.id);
      return now.status === 'disabled' && now;
    }, 'the webhook to be disabled');
    expect(disabled.disabledReason).toMatch(/^failed for 24 hour\(s\) without a success/);
    expect((await deliveries(t.app, hook.id)).map((d) => d.status)).toEqual(['pending', 'pending']);

    // A change while it is off is sent too once it is back on, after the queue.
    await edit('data-scientist');
    const ids = (await eventIds('data-scientist')).slice(-3);
    down.is = false;
    expect((await send(t.app, 'PATCH', `/v1/admin/webhooks/${hook.id}`, { enabled: true })).status).toBe(200);
    await eventually(() => receiver.acceptedIds().length === 3, 'the queue and the missed change');
    expect(receiver.acceptedIds()).toEqual(ids);
    expect((await webhook(hook.id)).status).toBe('active');
  });
});
