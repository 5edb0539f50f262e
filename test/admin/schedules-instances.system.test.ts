import { and, count, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { seed } from '../../src/content/seed.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { changeLog, revisions } from '../../src/db/schema.js';
import { testConfig } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { HOUR, ManualClock } from '../helpers/clock.js';
import { openTestDatabase, postgresServer, type TestDatabase } from '../helpers/database.js';
import { until } from '../helpers/process.js';

/*
 * Two instances on one PostgreSQL, both running their scheduler: every scheduled publish and the
 * release happen exactly once between them (due rows are claimed with SKIP LOCKED). Runs on the
 * PostgreSQL server whichever engine the rest of the suite uses, since several instances need one.
 */

const clock = new ManualClock();
let database: TestDatabase;
let other: DatabaseHandle;
let a: FastifyInstance;
let b: FastifyInstance;
const env = { ...adminEnv, SCHEDULER: 'true', SCHEDULER_POLL_MS: '10' };

beforeAll(async () => {
  database = await openTestDatabase({ server: postgresServer });
  await seed(database.db);
  other = await openDatabase({ url: database.url!, poolMax: 4 });
  a = await buildApp({ config: testConfig(env), database, prepareDatabase: false, clock });
  b = await buildApp({ config: testConfig(env), database: other, prepareDatabase: false, clock });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await other?.close();
  await database?.close();
});

describe('scheduled publishing on two instances', () => {
  it('publishes each scheduled item and each release once', async () => {
    await send(a, 'POST', '/v1/admin/roles', roleInput('qa-many'));
    await send(a, 'POST', '/v1/admin/roles/qa-many/publish');
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const created = await send<{ data: { id: string } }>(
        i % 2 ? a : b,
        'POST',
        '/v1/admin/roles/qa-many/questions',
        questionInput({ prompt: `Scheduled question number ${i + 1}?` }),
      );
      ids.push(created.body.data.id);
      await send(i % 2 ? b : a, 'POST', `/v1/admin/questions/${created.body.data.id}/publish`, {
        publishAt: clock.in(HOUR + i * 1000),
      });
    }
    await send(a, 'POST', '/v1/admin/roles', roleInput('qa-released'));
    const release = await send<{ data: { id: string } }>(b, 'POST', '/v1/admin/releases', {
      name: 'Twice?',
      publishAt: clock.in(HOUR),
    });
    await send(a, 'POST', `/v1/admin/releases/${release.body.data.id}/items`, {
      items: [{ type: 'role', key: 'qa-released' }],
    });

    clock.advance(2 * HOUR);
    await until(
      async () => {
        const left = await send<{ data: unknown[] }>(a, 'GET', '/v1/admin/questions?role=qa-many&status=draft');
        const role = await send<{ data: { status: string } }>(a, 'GET', '/v1/admin/roles/qa-released');
        return left.body.data.length === 0 && role.body.data.status === 'published';
      },
      'both schedulers to run everything due',
      60_000,
    );

    const published = await database.db
      .select({ id: changeLog.entityId, n: count() })
      .from(changeLog)
      .where(and(inArray(changeLog.entityKey, [...ids, 'qa-released']), eq(changeLog.action, 'published')))
      .groupBy(changeLog.entityId);
    expect(published).toHaveLength(25);
    expect(published.every((p) => p.n === 1)).toBe(true);
    const written = await database.db
      .select({ n: count() })
      .from(revisions)
      .where(and(inArray(revisions.entityId, ids), eq(revisions.note, 'Scheduled publish')));
    expect(written[0]!.n).toBe(24);
    const done = await send<{ data: { status: string } }>(a, 'GET', `/v1/admin/releases/${release.body.data.id}`);
    expect(done.body.data.status).toBe('published');
  });
});
