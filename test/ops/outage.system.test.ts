import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { seed } from '../../src/content/seed.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { testConfig } from '../helpers/app.js';
import { adminEnv, send } from '../helpers/admin.js';
import { openTestDatabase, postgresServer, type TestDatabase } from '../helpers/database.js';
import { expectProblem } from '../helpers/http.js';
import { until } from '../helpers/process.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

/*
 * The database goes away under a running instance and comes back: the instance answers 503
 * problem+json meanwhile, says it is not ready, and recovers by itself. Instance A reaches
 * PostgreSQL through a TCP proxy the test cuts; instance B reaches it directly and keeps
 * writing. Runs on the PostgreSQL server whichever engine the rest of the suite uses.
 */

const SBD = 'senior-backend-developer';
let database: TestDatabase;
let proxied: DatabaseHandle;
let proxy: TcpProxy;
let a: FastifyInstance;
let b: FastifyInstance;

beforeAll(async () => {
  database = await openTestDatabase({ server: postgresServer });
  await seed(database.db);
  const server = new URL(database.url!);
  proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
  proxied = await openDatabase({ url: proxy.urlFor(database.url!), poolMax: 4, timeoutMs: 1000 });
  a = await buildApp({
    config: testConfig({ ...adminEnv, READY_TIMEOUT_MS: '500' }),
    database: proxied,
    prepareDatabase: false,
  });
  b = await buildApp({ config: testConfig(adminEnv), database, prepareDatabase: false });
});
afterAll(async () => {
  await proxy?.restore();
  await a?.close();
  await b?.close();
  await proxied?.close();
  await proxy?.close();
  await database?.close();
});

const json = (res: Awaited<ReturnType<FastifyInstance['inject']>>) => ({
  status: res.statusCode,
  headers: res.headers,
  body: JSON.parse(res.body),
});

/** A GraphQL query no one asked before, so no cache can answer it. */
let asked = 0;
const freshQuery = () =>
  a.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: `query Q${++asked} { roles(first: ${asked}) { nodes { slug } } }` },
  });

/** What A must answer while it cannot reach the database. */
async function expectUnavailable() {
  for (const res of [
    await a.inject(`/v1/roles/${SBD}/faqs`),
    await a.inject('/v1/search?q=incident'),
    await a.inject('/readyz'),
  ]) {
    const problem = json(res);
    expectProblem(problem, 503);
    expect(problem.body.code).toBe('UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).not.toMatch(/ECONN|CONNECT_TIMEOUT|DATABASE_TIMEOUT|at .*\.js/);
  }
  const write = await send(a, 'PATCH', `/v1/admin/roles/${SBD}`, { summary: 'Written while the database was away.' });
  expect(write.status).toBe(503);
  const graphql = await freshQuery();
  expect(graphql.statusCode).toBe(503);
  expect(Number(graphql.headers['retry-after'])).toBeGreaterThan(0);
  expect(graphql.json().errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  // The process itself is fine.
  expect((await a.inject('/healthz')).statusCode).toBe(200);
}

/** A is back to normal, with nothing restarted. */
async function expectRecovered() {
  await until(async () => (await a.inject('/readyz')).statusCode === 200, 'A to be ready again');
  await until(async () => (await a.inject(`/v1/roles/${SBD}/faqs`)).statusCode === 200, 'A to read again');
  expect((await freshQuery()).statusCode).toBe(200);
}

describe('the database goes away and comes back', () => {
  it('refused connections: 503 with Retry-After, not ready, then recovery and catch-up of what changed meanwhile', async () => {
    const page = `/v1/roles/${SBD}`;
    expect(json(await a.inject(page)).body.data.title).toBe('Senior Backend Developer');
    await proxy.cut();
    await expectUnavailable();

    // Another instance writes while A cannot hear about it. A keeps answering what it had cached.
    expect(
      (await send(b, 'PATCH', page.replace('/v1/', '/v1/admin/'), { title: 'Senior Backend Engineer' })).status,
    ).toBe(200);
    expect(json(await a.inject(page)).body.data.title).toBe('Senior Backend Developer');

    await proxy.restore();
    await expectRecovered();
    // A's listener reconnected, read the change log from where it stopped and purged the page.
    await until(
      async () => json(await a.inject(page)).body.data.title === 'Senior Backend Engineer',
      'A to purge the page changed meanwhile',
      20_000,
    );
    expect(a.changes.seq).toBe(b.changes.seq);
    const write = await send(a, 'PATCH', `/v1/admin/roles/${SBD}`, { title: 'Senior Backend Developer' });
    expect(write.status).toBe(200);
  });

  it('a database that stops answering: 503 within the configured timeout instead of hanging, then recovery', async () => {
    proxy.stall();
    await expectUnavailable();
    await proxy.restore();
    await expectRecovered();
    expect(
      (await send(a, 'PATCH', `/v1/admin/roles/${SBD}`, { summary: 'Written after the network came back.' })).status,
    ).toBe(200);
  });
});
