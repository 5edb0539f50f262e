import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/changes/webhooks/signature.js';
import { roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { always, failingFirst, startReceiver, type Receiver } from '../helpers/receivers.js';
import { bodyOf, deliveries, dispatcherEnv, eventually, register } from '../helpers/webhooks.js';

/* Real receivers on 127.0.0.1: one that answers 200, one that fails then recovers, one that says 410. (One that hangs: write-path.test.ts; one that is down for hours: outage.test.ts.) */

let t: TestApp;
const receivers: Receiver[] = [];
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestApp({
    env: { ...dispatcherEnv, LOG_LEVEL: 'info' },
    logStream: { write: (line) => logs.push(line) },
  });
});
afterAll(async () => {
  await t?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(behaviour: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(behaviour);
  receivers.push(r);
  return r;
}

let edits = 0;
const editRole = (slug = 'senior-backend-developer') =>
  send(t.app, 'PATCH', `/v1/admin/roles/${slug}`, {
    summary: `Edited summary number ${++edits}, written for a webhook test.`,
  });

describe('a receiver that answers 200', () => {
  it('gets each event it asked for, signed, with what a CDN and a mirror need', async () => {
    const ok = await receiver(always(200));
    const hook = await register(t.app, ok.url, ['role.updated', 'role.published']);
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('hooked-role'));
    await send(t.app, 'POST', '/v1/admin/roles/hooked-role/publish');
    await editRole();
    await send(t.app, 'PATCH', '/v1/admin/categories/design', { name: 'Design & Research' });

    await eventually(() => ok.received.length >= 2, 'two deliveries');
    const events = ok.received.map((r) => ({ r, body: bodyOf(r.body) }));
    expect(events.map((e) => `${e.body.type} ${e.body.data.key}`).sort()).toEqual([
      'role.published hooked-role',
      'role.updated senior-backend-developer',
    ]);
    for (const { r, body } of events) {
      expect(verifySignature(hook.secret, String(r.headers['webhook-signature']), r.body)).toBe(true);
      expect(verifySignature('whsec_someone-else', String(r.headers['webhook-signature']), r.body)).toBe(false);
      expect(r.headers).toMatchObject({
        'webhook-id': body.id,
        'webhook-event': body.type,
        'content-type': 'application/json',
      });
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const published = events.find((e) => e.body.type === 'role.published')!.body;
    expect(published.data).toMatchObject({
      type: 'role',
      key: 'hooked-role',
      version: 2,
      link: '/v1/roles/hooked-role',
      purgeKeys: expect.arrayContaining(['role:hooked-role', 'roles']),
    });

    const log = await eventually(async () => {
      const list = await deliveries(t.app, hook.id);
      return list.length === 2 && list.every((d) => d.status === 'delivered') && list;
    }, 'both deliveries recorded as delivered');
    const detail = await send<{
      data: { attemptLog: { statusCode: number; latencyMs: number; error: string | null }[]; payload: { id: string } };
    }>(t.app, 'GET', `/v1/admin/webhooks/${hook.id}/deliveries/${log[0]!.id}`);
    expect(detail.body.data.attemptLog).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 200, error: null, latencyMs: expect.any(Number) }),
    ]);
    expect(detail.body.data.payload.id).toBe(log[0]!.eventId);
    expect(logs.join('\n')).not.toContain(hook.secret);
  });
});

describe('a receiver that fails, then recovers', () => {
  it('is retried with backoff until it answers, every attempt logged, the event id unchanged', async () => {
    const flaky = await receiver(failingFirst(2, 503));
    const hook = await register(t.app, flaky.url, ['role.updated']);
    await editRole();
    const [delivery] = await eventually(async () => {
      const list = await deliveries(t.app, hook.id);
      return list[0]?.status === 'delivered' && list;
    }, 'the delivery to succeed');
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
    expect(new Set(flaky.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery!.eventId]));
    expect(flaky.received.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2', '3']);
    const detail = await send<{ data: { attemptLog: { statusCode: number; error: string | null }[] } }>(
      t.app,
      'GET',
      `/v1/admin/webhooks/${hook.id}/deliveries/${delivery!.id}`,
    );
    expect(detail.body.data.attemptLog.map((a) => [a.statusCode, a.error])).toEqual([
      [503, 'the receiver answered HTTP 503'],
      [503, 'the receiver answered HTTP 503'],
      [200, null],
    ]);
    const webhook = await send(t.app, 'GET', `/v1/admin/webhooks/${hook.id}`);
    expect(webhook.body).toMatchObject({ data: { status: 'active', consecutiveFailures: 0 } });
  });
});

describe('a receiver that answers 410 Gone', () => {
  it('is disabled at once and hears nothing more', async () => {
    const gone = await receiver(always(410));
    const witness = await receiver(always(200));
    const hook = await register(t.app, gone.url, ['role.updated']);
    await editRole();
    await eventually(
      async () =>
        (await send<{ data: { status: string } }>(t.app, 'GET', `/v1/admin/webhooks/${hook.id}`)).body.data.status ===
        'disabled',
      'the webhook to be disabled',
    );
    const res = await send(t.app, 'GET', `/v1/admin/webhooks/${hook.id}`);
    expect(res.body).toMatchObject({
      data: { disabledReason: 'the receiver answered 410 Gone, which asks senders to stop' },
    });

    // Another webhook hears the next change; by then the disabled one would have too.
    await register(t.app, witness.url, ['role.updated']);
    await editRole();
    await eventually(() => witness.received.length === 1, 'the witness to hear the next change');
    expect(gone.received).toHaveLength(1);
    expect((await deliveries(t.app, hook.id)).map((d) => d.status)).toEqual(['failed']);
  });
});
