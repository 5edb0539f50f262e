import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { seed } from '../../src/content/seed.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { testConfig } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { openTestDatabase, postgresServer, type TestDatabase } from '../helpers/database.js';
import { until } from '../helpers/process.js';

/*
 * Two instances of the API on one PostgreSQL database, each with its own response cache: a write
 * through one purges the other's cache through LISTEN/NOTIFY. Runs on the PostgreSQL server
 * whichever engine the rest of the suite uses, since several instances need one.
 */

let database: TestDatabase;
let other: DatabaseHandle;
let a: FastifyInstance;
let b: FastifyInstance;
const SBD = 'senior-backend-developer';

beforeAll(async () => {
  database = await openTestDatabase({ server: postgresServer });
  await seed(database.db);
  other = await openDatabase({ url: database.url!, poolMax: 4 });
  a = await buildApp({ config: testConfig(adminEnv), database, prepareDatabase: false });
  b = await buildApp({ config: testConfig(adminEnv), database: other, prepareDatabase: false });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await other?.close();
  await database?.close();
});

/**
 * The other instance has applied every change the writer knows of (its NOTIFY arrived). The
 * writer answers once its own NOTIFY is back, so this is usually true already; but PostgreSQL
 * delivers a notification to each listener on its own, and nothing orders one instance's
 * delivery before the other's answer, so the test waits rather than races (README, Freshness).
 */
const caughtUp = () => until(() => b.changes.seq >= a.changes.seq, 'the other instance to hear of the change');

async function cachedOnB(url: string) {
  await b.inject(url);
  const hits = b.responseCache!.stats().hits;
  const res = await b.inject(url);
  expect(b.responseCache!.stats().hits).toBe(hits + 1);
  return res.body;
}

describe('two instances on one database', () => {
  it('purges the other instance when a role is edited through one', async () => {
    expect(await cachedOnB(`/v1/roles/${SBD}`)).toContain('"title":"Senior Backend Developer"');
    const res = await send(a, 'PATCH', `/v1/admin/roles/${SBD}`, { title: 'Senior Backend Engineer' });
    expect(res.status).toBe(200);
    // The write answered only once its own NOTIFY had come back, so PostgreSQL had sent it to B too.
    expect(a.changes.heardUpTo).toBeGreaterThanOrEqual(a.changes.seq);
    expect((await a.inject(`/v1/roles/${SBD}`)).body).toContain('"title":"Senior Backend Engineer"');
    await caughtUp();
    expect((await b.inject(`/v1/roles/${SBD}`)).body).toContain('"title":"Senior Backend Engineer"');
  });

  it('shows a publish through one on the other: lists, the page, its question, GraphQL', async () => {
    const slug = 'twin-instance-analyst';
    expect((await send(a, 'POST', '/v1/admin/roles', roleInput(slug, { title: 'Twin Instance Analyst' }))).status).toBe(
      201,
    );
    const question = await send<{ data: { id: string } }>(
      a,
      'POST',
      `/v1/admin/roles/${slug}/questions`,
      questionInput(),
    );
    const graphql = `/graphql?query=${encodeURIComponent('{ roles(first: 100) { nodes { slug } } }')}`;
    // The other instance first hears of the two creates, so their purge cannot land between the
    // two requests that show its cache holding the list.
    await caughtUp();
    expect(await cachedOnB('/v1/roles?limit=100')).not.toContain(slug);
    expect(await cachedOnB(graphql)).not.toContain(slug);

    expect((await send(a, 'POST', `/v1/admin/roles/${slug}/publish`)).status).toBe(200);
    expect((await send(a, 'POST', `/v1/admin/questions/${question.body.data.id}/publish`)).status).toBe(200);
    await caughtUp();
    expect((await b.inject('/v1/roles?limit=100')).body).toContain(slug);
    expect((await b.inject(graphql)).body).toContain(slug);
    expect((await b.inject(`/v1/roles/${slug}?include=questions`)).json().data.questionCount).toBe(1);
    expect((await b.inject(`/v1/questions/${question.body.data.id}`)).statusCode).toBe(200);

    expect((await send(a, 'POST', `/v1/admin/roles/${slug}/unpublish`)).status).toBe(200);
    await caughtUp();
    expect((await b.inject('/v1/roles?limit=100')).body).not.toContain(slug);
    expect((await b.inject(`/v1/questions/${question.body.data.id}`)).statusCode).toBe(404);
  });
});
