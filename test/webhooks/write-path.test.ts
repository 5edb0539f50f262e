import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { send } from '../helpers/admin.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { hanging, startReceiver, type Receiver } from '../helpers/receivers.js';
import { deliveries, dispatcherEnv, eventually, register } from '../helpers/webhooks.js';

/*
 * A receiver that never answers. While one holds a delivery open, writes answer as if there were
 * no webhooks at all; stopping the app hands the delivery back; and a dispatcher with a timeout
 * gives up on it after each try and tries again, the events after it waiting their turn.
 */

let t: TestApp;
let slow: Receiver;
beforeAll(async () => {
  t = await startTestApp({ env: dispatcherEnv });
  slow = await startReceiver(hanging);
});
afterAll(async () => {
  await t?.close();
  await slow?.close();
});

describe('a receiver that hangs', () => {
  let hookId: string;

  it('never slows a write: the write answers while the receiver still holds the delivery', async () => {
    hookId = (await register(t.app, slow.url, ['role.updated'])).id;
    expect((await send(t.app, 'PATCH', '/v1/admin/roles/ux-designer', { title: 'UX Designer (hooked)' })).status).toBe(
      200,
    );
    await eventually(() => slow.open() === 1, 'the receiver to be holding the delivery');

    const write = await send(t.app, 'PATCH', '/v1/admin/roles/ux-designer', { title: 'UX Designer (while it hangs)' });
    expect(write.status).toBe(200);
    // The first delivery is still unanswered (its timeout is 10 s): the write did not wait for it.
    expect(slow.open()).toBeGreaterThanOrEqual(1);
    expect((await deliveries(t.app, hookId)).some((d) => d.status === 'delivering')).toBe(true);
  });

  it('hands held deliveries back when the app stops, uncounted', async () => {
    await t.app.close();
    // The held one is back in the queue; the second write's event may not have been fanned out yet,
    // and then it waits in the change log, which is the outbox.
    const list = await deliveries(await reopened(), hookId);
    expect(list.length).toBeGreaterThanOrEqual(1);
    for (const d of list) expect(d).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('is given up on at each timeout and tried again, its queue kept in order behind the first event', async () => {
    const impatient = await buildApp({
      config: testConfig({ ...dispatcherEnv, WEBHOOKS_TIMEOUT_MS: '300', WEBHOOKS_MAX_ATTEMPTS: '2' }),
      database: t.database,
      prepareDatabase: false,
    });
    try {
      // A receiver that does not answer is down, not refusing: more tries than WEBHOOKS_MAX_ATTEMPTS.
      const list = await eventually(async () => {
        const all = await deliveries(impatient, hookId);
        return all.length === 2 && all.some((d) => d.attempts >= 3) && all;
      }, 'the first delivery to be tried a third time');
      const [second, first] = list;
      expect(first).toMatchObject({ status: expect.toBeOneOf(['pending', 'delivering']), lastStatusCode: null });
      // The second event waits behind the first: a receiver hears events in order.
      expect(second).toMatchObject({ status: 'pending', attempts: 0 });
      const detail = await send<{
        data: { attemptLog: { latencyMs: number; error: string; statusCode: number | null }[] };
      }>(impatient, 'GET', `/v1/admin/webhooks/${hookId}/deliveries/${first!.id}`);
      for (const a of detail.body.data.attemptLog)
        expect(a).toMatchObject({ statusCode: null, error: 'no answer within 300 ms', latencyMs: expect.any(Number) });
      expect(detail.body.data.attemptLog.every((a) => a.latencyMs >= 300)).toBe(true);
    } finally {
      await impatient.close();
    }
  });
});

/** A fresh app without a dispatcher on the same database, to look at what the stopped one left. */
let viewer: Awaited<ReturnType<typeof buildApp>> | undefined;
async function reopened() {
  viewer ??= await buildApp({
    config: testConfig({ ...dispatcherEnv, WEBHOOKS_DISPATCHER: 'false' }),
    database: t.database,
    prepareDatabase: false,
  });
  return viewer;
}
afterAll(async () => {
  await viewer?.close();
});
