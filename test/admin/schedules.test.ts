import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { changeLog } from '../../src/db/schema.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { expectProblem } from '../helpers/http.js';
import { until } from '../helpers/process.js';
import { syncAll, type Mirror } from '../helpers/sync.js';

/*
 * Scheduled publishing: publishAt and unpublishAt on an item, run by the scheduler when the clock
 * says so, through the same write as a manual publish. The tests move the clock; nothing sleeps.
 */

const clock = new ManualClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv, clock });
});
afterAll(() => t?.close());

const anonymous = (url: string) => send<{ data: { questionCount?: number } }>(t.app, 'GET', url, undefined, {}, null);
const role = async (slug: string) =>
  (
    await send<{ data: { status: string; version: number; publishAt: string | null; unpublishAt: string | null } }>(
      t.app,
      'GET',
      `/v1/admin/roles/${slug}`,
    )
  ).body.data;

describe('a scheduled publish', () => {
  it('publishes a role with its draft questions when the time comes, as the key that scheduled it', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-scheduled'));
    await send(t.app, 'POST', '/v1/admin/roles/qa-scheduled/questions', questionInput());
    // A list cached before the publish must not hide the role afterwards; a mirror is up to date.
    expect((await anonymous('/v1/roles?limit=100')).status).toBe(200);
    const mirror: Mirror = new Map();
    const { cursor } = await syncAll(t.app, mirror, null);

    const at = clock.in(HOUR);
    const scheduled = await send(t.app, 'POST', '/v1/admin/roles/qa-scheduled/publish', {
      publishAt: at,
      withQuestions: true,
      note: 'launch',
    });
    expect(scheduled.status).toBe(200);
    expect(await role('qa-scheduled')).toMatchObject({ status: 'draft', version: 1, publishAt: at });
    expect((await anonymous('/v1/roles/qa-scheduled')).status).toBe(404);

    clock.advance(HOUR - 1000);
    expect((await t.app.content.runDueSchedules()).published).toEqual([]);
    clock.advance(1000);
    const run = await t.app.content.runDueSchedules();
    expect(run.published).toContain('role:qa-scheduled');
    expect(run.published).toHaveLength(2);

    expect(await role('qa-scheduled')).toMatchObject({ status: 'published', version: 2, publishAt: null });
    const page = await anonymous('/v1/roles/qa-scheduled');
    expect(page.status).toBe(200);
    expect(page.body.data.questionCount).toBe(1);
    expect(JSON.stringify((await anonymous('/v1/roles?limit=100')).body)).toContain('qa-scheduled');
    const history = (
      await send<{ data: { actor: string; note: string | null }[] }>(
        t.app,
        'GET',
        '/v1/admin/roles/qa-scheduled/revisions',
      )
    ).body.data;
    expect(history.at(-1)).toMatchObject({ actor: `key:${ADMIN_KEY.slice(0, 12)}`, note: 'Scheduled publish' });
    // The sync feed and webhooks read the change log: the scheduled publish is in it like a manual one.
    const entries = await t.database.db
      .select({ action: changeLog.action })
      .from(changeLog)
      .where(and(eq(changeLog.entityKey, 'qa-scheduled'), eq(changeLog.action, 'published')));
    expect(entries).toHaveLength(1);
    await syncAll(t.app, mirror, cursor);
    expect(mirror.has('role:qa-scheduled')).toBe(true);
  });

  it('unpublishes at unpublishAt, and a schedule can be moved or cancelled before then', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-embargo'));
    await send(t.app, 'POST', '/v1/admin/roles/qa-embargo/publish', { unpublishAt: clock.in(2 * HOUR) });
    expect(await role('qa-embargo')).toMatchObject({ status: 'published', unpublishAt: clock.in(2 * HOUR) });
    const moved = await send(t.app, 'PUT', '/v1/admin/roles/qa-embargo/schedule', { unpublishAt: clock.in(3 * HOUR) });
    expect(moved.status).toBe(200);
    clock.advance(2 * HOUR);
    await t.app.content.runDueSchedules();
    expect((await role('qa-embargo')).status).toBe('published');
    clock.advance(HOUR);
    await t.app.content.runDueSchedules();
    expect(await role('qa-embargo')).toMatchObject({ status: 'draft', unpublishAt: null });
    expect((await anonymous('/v1/roles/qa-embargo')).status).toBe(404);

    await send(t.app, 'POST', '/v1/admin/roles/qa-embargo/publish', { publishAt: clock.in(HOUR) });
    expect((await send(t.app, 'PUT', '/v1/admin/roles/qa-embargo/schedule', { publishAt: null })).status).toBe(200);
    clock.advance(2 * HOUR);
    await t.app.content.runDueSchedules();
    expect(await role('qa-embargo')).toMatchObject({ status: 'draft', publishAt: null });
  });

  it('refuses to schedule what could not be published, and edits that would break a scheduled role', async () => {
    await send(
      t.app,
      'POST',
      '/v1/admin/roles',
      roleInput('qa-unready', { formatBreakdown: [{ label: 'All', percent: 60 }] }),
    );
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles/qa-unready/publish', { publishAt: clock.in(HOUR) }),
      400,
      'formatBreakdown',
    );
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-unready', { formatBreakdown: [{ label: 'All', percent: 100 }] });
    expect(
      (await send(t.app, 'POST', '/v1/admin/roles/qa-unready/publish', { publishAt: clock.in(HOUR) })).status,
    ).toBe(200);
    expectProblem(
      await send(t.app, 'PATCH', '/v1/admin/roles/qa-unready', { formatBreakdown: [{ label: 'All', percent: 90 }] }),
      400,
      'formatBreakdown',
    );
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles/qa-unready/publish', {
        publishAt: clock.in(2 * HOUR),
        unpublishAt: clock.in(HOUR),
      }),
      400,
      'unpublishAt',
    );
  });

  it('survives a restart: a new process runs what fell due while none was running', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-restart'));
    await send(t.app, 'POST', '/v1/admin/roles/qa-restart/publish', { publishAt: clock.in(HOUR) });
    clock.advance(2 * HOUR);
    // Another app on the same database, with its scheduler running, as after a restart.
    const next = await buildApp({
      config: testConfig({ ...adminEnv, SCHEDULER: 'true', SCHEDULER_POLL_MS: '20' }),
      database: t.database,
      prepareDatabase: false,
      clock,
    });
    try {
      await until(async () => (await role('qa-restart')).status === 'published', 'the scheduled publish', 30_000);
    } finally {
      await next.close();
    }
  });
});
