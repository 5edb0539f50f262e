import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Release } from '../../src/content/admin/schemas.js';
import { single } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { expectProblem } from '../helpers/http.js';

/*
 * A release: drafts (new content) and staged edits of published content, published together in
 * one transaction, now or at a time; changed, rescheduled or cancelled until then.
 */

const clock = new ManualClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv, clock });
});
afterAll(() => t?.close());

const anonymous = (url: string) =>
  send<{ data: { title: string; questionCount: number } }>(t.app, 'GET', url, undefined, {}, null);
const release = async (res: { status: number; body: unknown }, status = 200) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return single(Release).parse(res.body).data;
};

async function draftRoleWithQuestions(slug: string) {
  await send(t.app, 'POST', '/v1/admin/roles', roleInput(slug));
  for (const prompt of ['How do you pick the first tests to automate?', 'Tell me about a release you stopped.'])
    await send(t.app, 'POST', `/v1/admin/roles/${slug}/questions`, questionInput({ prompt }));
}

describe('a release', () => {
  it('publishes new drafts and edits of published pages together at its time, rescheduled once', async () => {
    await draftRoleWithQuestions('qa-launch');
    const created = await release(await send(t.app, 'POST', '/v1/admin/releases', { name: 'Spring launch' }), 201);
    expect(created).toMatchObject({ status: 'open', items: [] });
    const withItems = await release(
      await send(t.app, 'POST', `/v1/admin/releases/${created.id}/items`, {
        items: [
          { type: 'role', key: 'qa-launch', withQuestions: true },
          { type: 'role', key: 'frontend-developer', changes: { title: 'Frontend Engineer' } },
        ],
      }),
    );
    expect(withItems.items.map((i) => [i.type, i.status])).toEqual([
      ['role', 'draft'],
      ['role', 'published'],
      ['question', 'draft'],
      ['question', 'draft'],
    ]);
    // Staged, not applied: readers see nothing of it yet.
    expect((await anonymous('/v1/roles/frontend-developer')).body.data.title).toBe('Frontend Developer');
    expect((await anonymous('/v1/roles/qa-launch')).status).toBe(404);

    const scheduled = await release(
      await send(t.app, 'PATCH', `/v1/admin/releases/${created.id}`, { publishAt: clock.in(HOUR) }),
    );
    expect(scheduled.status).toBe('scheduled');
    await release(await send(t.app, 'PATCH', `/v1/admin/releases/${created.id}`, { publishAt: clock.in(2 * HOUR) }));
    clock.advance(HOUR);
    expect((await t.app.content.runDueSchedules()).releases).toEqual([]);
    expect((await anonymous('/v1/roles/qa-launch')).status).toBe(404);
    clock.advance(HOUR);
    expect((await t.app.content.runDueSchedules()).releases).toEqual([created.id]);

    const done = await release(await send(t.app, 'GET', `/v1/admin/releases/${created.id}`));
    expect(done).toMatchObject({ status: 'published', publishedAt: clock.now().toISOString() });
    expect((await anonymous('/v1/roles/frontend-developer')).body.data.title).toBe('Frontend Engineer');
    expect((await anonymous('/v1/roles/qa-launch')).body.data.questionCount).toBe(2);
    const history = (
      await send<{ data: { note: string; changedFields: string[] }[] }>(
        t.app,
        'GET',
        '/v1/admin/roles/frontend-developer/revisions',
      )
    ).body.data;
    expect(history.at(-1)).toMatchObject({ note: 'Release "Spring launch"', changedFields: ['title'] });
    expectProblem(await send(t.app, 'POST', `/v1/admin/releases/${created.id}/publish`), 409);
  });

  it('publishes nothing when an item changed after its edit was staged, naming it', async () => {
    await draftRoleWithQuestions('qa-blocked');
    const { id } = await release(await send(t.app, 'POST', '/v1/admin/releases', { name: 'Blocked' }), 201);
    await send(t.app, 'POST', `/v1/admin/releases/${id}/items`, {
      items: [
        { type: 'role', key: 'qa-blocked', withQuestions: true },
        {
          type: 'role',
          key: 'ux-designer',
          changes: { summary: 'A staged summary of the UX designer interview loop.' },
        },
      ],
    });
    await send(t.app, 'PATCH', '/v1/admin/roles/ux-designer', { title: 'UX Designer (edited meanwhile)' });
    const before = await fingerprint(t.database);
    const refused = await send<{ detail: string }>(t.app, 'POST', `/v1/admin/releases/${id}/publish`);
    expectProblem(refused, 409);
    expect(refused.body.detail).toMatch(/ux-designer.*changed/);
    expect(await fingerprint(t.database)).toEqual(before);
    expect((await anonymous('/v1/roles/qa-blocked')).status).toBe(404);

    // Staged again against the current version, a dry run says what it would publish and writes nothing.
    await send(t.app, 'POST', `/v1/admin/releases/${id}/items`, {
      items: [
        {
          type: 'role',
          key: 'ux-designer',
          changes: { summary: 'A staged summary of the UX designer interview loop.' },
        },
      ],
    });
    const dry = await send<{ data: { dryRun: boolean; status: string } }>(
      t.app,
      'POST',
      `/v1/admin/releases/${id}/publish?dryRun=true`,
    );
    expect(dry.body.data).toMatchObject({ dryRun: true, status: 'published' });
    expect((await anonymous('/v1/roles/qa-blocked')).status).toBe(404);
    expect((await release(await send(t.app, 'POST', `/v1/admin/releases/${id}/publish`))).status).toBe('published');
    expect((await anonymous('/v1/roles/qa-blocked')).status).toBe(200);
  });

  it('can be cancelled before its time, and then never publishes or changes', async () => {
    await draftRoleWithQuestions('qa-cancelled');
    const { id } = await release(
      await send(t.app, 'POST', '/v1/admin/releases', { name: 'Cancelled', publishAt: clock.in(HOUR) }),
      201,
    );
    await send(t.app, 'POST', `/v1/admin/releases/${id}/items`, { items: [{ type: 'role', key: 'qa-cancelled' }] });
    expect((await release(await send(t.app, 'POST', `/v1/admin/releases/${id}/cancel`))).status).toBe('cancelled');
    clock.advance(2 * HOUR);
    expect((await t.app.content.runDueSchedules()).releases).toEqual([]);
    expect((await anonymous('/v1/roles/qa-cancelled')).status).toBe(404);
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/releases/${id}/items`, { items: [{ type: 'role', key: 'qa-cancelled' }] }),
      409,
    );
  });

  it('checks staged edits when they are added, naming the item and field', async () => {
    const { id } = await release(await send(t.app, 'POST', '/v1/admin/releases', { name: 'Checked' }), 201);
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/releases/${id}/items`, {
        items: [{ type: 'role', key: 'ux-designer', changes: { formatBreakdown: [{ label: 'Half', percent: 50 }] } }],
      }),
      400,
      'items.0.changes.formatBreakdown',
    );
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/releases/${id}/items`, { items: [{ type: 'role', key: 'no-such-role' }] }),
      400,
      'items.0.key',
    );
  });
});
