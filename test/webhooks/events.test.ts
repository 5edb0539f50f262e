import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionInput, roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';
import { always, startReceiver, type Receiver } from '../helpers/receivers.js';
import { bodyOf, deliveries, dispatcherEnv, eventually, register, type EventBody } from '../helpers/webhooks.js';

/*
 * Which changes make which events. heard() makes a marker change (a category rename) and waits
 * until the receiver has it and every delivery of the webhook has landed: then every event of the
 * changes before the marker has arrived.
 */

let t: TestApp;
let all: Receiver;
let hookId: string;
beforeAll(async () => {
  t = await startTestApp({ env: dispatcherEnv });
  all = await startReceiver(always(200));
  hookId = (await register(t.app, all.url, ['*'])).id;
});
afterAll(async () => {
  await t?.close();
  await all?.close();
});

let markers = 0;
/** How many requests earlier calls of heard() accounted for. */
let seen = 0;
const isMarker = (b: EventBody) => b.type === 'category.updated' && b.data.key === 'design';

/** Events heard since the last call, markers left out, sorted. */
async function heard(): Promise<string[]> {
  const marker = ++markers;
  await send(t.app, 'PATCH', '/v1/admin/categories/design', { name: `Marker ${marker}` });
  const from = seen;
  await eventually(async () => {
    const markerIn = all.received.slice(from).some((r) => isMarker(bodyOf(r.body)));
    return markerIn && (await deliveries(t.app, hookId)).every((d) => d.status === 'delivered');
  }, `marker ${marker} and everything before it`);
  seen = all.received.length;
  return all.received
    .slice(from)
    .map((r) => bodyOf(r.body))
    .filter((b) => !isMarker(b))
    .map((b) => `${b.type} ${b.data.key}`)
    .sort();
}

describe('events', () => {
  it('follow what the public sees: nothing for drafts, then published, updated, unpublished, deleted', async () => {
    await heard();
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('event-role'));
    await send(t.app, 'PATCH', '/v1/admin/roles/event-role', { title: 'Still a draft' });
    expect(await heard()).toEqual([]);

    await send(t.app, 'POST', '/v1/admin/roles/event-role/publish');
    expect(await heard()).toEqual(['role.published event-role']);
    await send(t.app, 'PATCH', '/v1/admin/roles/event-role', { title: 'Public now' });
    expect(await heard()).toEqual(['role.updated event-role']);
    await send(t.app, 'POST', '/v1/admin/roles/event-role/archive');
    expect(await heard()).toEqual(['role.unpublished event-role']);
    await send(t.app, 'POST', '/v1/admin/roles/event-role/publish');
    await send(t.app, 'POST', '/v1/admin/roles/event-role/unpublish');
    expect(await heard()).toEqual(['role.published event-role', 'role.unpublished event-role']);
    await send(t.app, 'POST', '/v1/admin/roles/event-role/publish');
    await heard();

    const q = await send<{ data: { id: string } }>(
      t.app,
      'POST',
      '/v1/admin/roles/event-role/questions',
      questionInput(),
    );
    const id = q.body.data.id;
    await send(t.app, 'POST', `/v1/admin/questions/${id}/publish`);
    await send(t.app, 'PATCH', `/v1/admin/questions/${id}`, { prompt: 'A sharper prompt?' });
    expect(await heard()).toEqual([`question.published ${id}`, `question.updated ${id}`]);

    await send(t.app, 'DELETE', '/v1/admin/roles/event-role?cascade=true');
    expect(await heard()).toEqual([`question.deleted ${id}`, 'role.deleted event-role']);

    await send(t.app, 'POST', '/v1/admin/roles', roleInput('never-public'));
    await send(t.app, 'DELETE', '/v1/admin/roles/never-public');
    expect(await heard()).toEqual([]);
  });

  it('cover categories: created is published, renamed carries the previous key', async () => {
    await send(t.app, 'POST', '/v1/admin/categories', { slug: 'operations', name: 'Operations' });
    await send(t.app, 'PATCH', '/v1/admin/categories/operations', { slug: 'ops' });
    expect(await heard()).toEqual(['category.published operations', 'category.updated ops']);
    const renamed = all.received
      .map((r) => bodyOf(r.body))
      .find((b) => b.type === 'category.updated' && b.data.key === 'ops')!;
    expect(renamed.data).toMatchObject({
      previousKey: 'operations',
      link: '/v1/categories',
      purgeKeys: expect.arrayContaining(['category:ops', 'category:operations']),
    });
    await send(t.app, 'DELETE', '/v1/admin/categories/ops');
    expect(await heard()).toEqual(['category.deleted ops']);
  });

  it('reach only the webhooks that asked for them, and none from before a webhook existed', async () => {
    await send(t.app, 'PATCH', '/v1/admin/roles/ux-designer', { title: 'UX Designer (before)' });
    const questionsOnly = await startReceiver(always(200));
    try {
      const hook = await register(t.app, questionsOnly.url, ['question.updated', 'role.unpublished']);
      await send(t.app, 'PATCH', '/v1/admin/roles/ux-designer', { title: 'UX Designer (after)' });
      await send(t.app, 'POST', '/v1/admin/roles/ux-designer/unpublish');
      await eventually(() => questionsOnly.received.length === 1, 'the one event it wants');
      await heard();
      expect(questionsOnly.received.map((r) => `${bodyOf(r.body).type} ${bodyOf(r.body).data.key}`)).toEqual([
        'role.unpublished ux-designer',
      ]);
      expect(await deliveries(t.app, hook.id)).toHaveLength(1);
    } finally {
      await questionsOnly.close();
    }
  });
});

describe('redelivery and replay', () => {
  it('sends an event again with the same id and body, as a new delivery', async () => {
    await heard();
    await send(t.app, 'PATCH', '/v1/admin/roles/product-manager', { title: 'Product Manager (again)' });
    await heard();
    const original = (await deliveries(t.app, hookId)).find(
      (d) => d.eventType === 'role.updated' && d.status === 'delivered',
    )!;
    const sent = all.received.find((r) => r.headers['webhook-id'] === original.eventId)!;

    const res = await send<{ data: { id: string; trigger: string; eventId: string } }>(
      t.app,
      'POST',
      `/v1/admin/webhooks/${hookId}/deliveries/${original.id}/redeliver`,
    );
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ trigger: 'redelivery', eventId: original.eventId });
    await eventually(
      () => all.received.filter((r) => r.headers['webhook-id'] === original.eventId).length === 2,
      'the redelivery',
    );
    const again = all.received.filter((r) => r.headers['webhook-id'] === original.eventId)[1]!;
    expect(again.body).toBe(sent.body);
    expectProblem(
      await send(
        t.app,
        'POST',
        `/v1/admin/webhooks/${hookId}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`,
      ),
      404,
    );
  });

  it('replays a time range: the same events, in change order', async () => {
    const from = new Date().toISOString();
    await send(t.app, 'PATCH', '/v1/admin/roles/data-engineer', { title: 'Data Engineer (one)' });
    await send(t.app, 'PATCH', '/v1/admin/roles/data-engineer', { title: 'Data Engineer (two)' });
    await heard();
    const to = new Date(Date.now() + 1000).toISOString();
    const firstIds = all.received
      .map((r) => bodyOf(r.body))
      .filter((b) => b.data.key === 'data-engineer')
      .map((b) => b.id);
    expect(firstIds).toHaveLength(2);

    const res = await send<{ data: { queued: number } }>(t.app, 'POST', `/v1/admin/webhooks/${hookId}/replay`, {
      from,
      to,
    });
    expect(res.status).toBe(202);
    expect(res.body.data.queued).toBeGreaterThanOrEqual(3);
    await eventually(
      () => firstIds.every((id) => all.received.filter((r) => r.headers['webhook-id'] === id).length === 2),
      'the replayed events',
    );
    expectProblem(await send(t.app, 'POST', `/v1/admin/webhooks/${hookId}/replay`, { from: to, to: from }), 400, 'to');
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/webhooks/${hookId}/replay`, { from: 'yesterday', to }),
      400,
      'from',
    );
  });

  it('refuses both on a disabled webhook with 409', async () => {
    const { id } = await register(t.app, all.url, ['role.updated']);
    await send(t.app, 'PATCH', `/v1/admin/webhooks/${id}`, { enabled: false });
    const range = { from: new Date(Date.now() - 60_000).toISOString(), to: new Date().toISOString() };
    expectProblem(await send(t.app, 'POST', `/v1/admin/webhooks/${id}/replay`, range), 409);
  });
});
