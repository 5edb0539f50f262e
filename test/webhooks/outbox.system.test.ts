import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/client.js';
import { changeLog } from '../../src/db/schema.js';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { freePort, PATIENCE_MS, startServer } from '../helpers/process.js';
import { always, startReceiver, type Receiver } from '../helpers/receivers.js';
import { deliveries, dispatcherEnv, eventually, register } from '../helpers/webhooks.js';

/*
 * The change log is the outbox: an event exists as soon as its write commits. Whatever happens to
 * the process that would deliver it, the event is delivered later, with its own id, once.
 */

let t: TestApp;
let ok: Receiver;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  ok = await startReceiver(always(200));
});
afterAll(async () => {
  await t?.close();
  await ok?.close();
});

const latestEventId = async () =>
  (await t.database.db.select({ id: changeLog.eventId }).from(changeLog).orderBy(desc(changeLog.seq)).limit(1))[0]!.id;
const another = (env: Record<string, string>) =>
  buildApp({ config: testConfig(env), database: t.database, prepareDatabase: false });

describe('a dispatcher that was not running when the write committed', () => {
  it('delivers the event when it starts again, with the id of the change, once', async () => {
    const first = await another(dispatcherEnv);
    const hook = await register(first, ok.url, ['role.updated']);
    await first.close();

    // The write happens while no dispatcher runs anywhere.
    expect(
      (await send(t.app, 'PATCH', '/v1/admin/roles/frontend-developer', { title: 'Frontend Developer (while down)' }))
        .status,
    ).toBe(200);
    const eventId = await latestEventId();
    expect(ok.received).toHaveLength(0);

    const second = await another(dispatcherEnv);
    try {
      await eventually(
        async () => (await deliveries(t.app, hook.id)).every((d) => d.status === 'delivered') && ok.received.length > 0,
        'the delivery',
      );
    } finally {
      await second.close();
    }
    expect(ok.received.map((r) => r.headers['webhook-id'])).toEqual([eventId]);
    expect(JSON.parse(ok.received[0]!.body)).toMatchObject({
      id: eventId,
      type: 'role.updated',
      data: { key: 'frontend-developer' },
    });
  });
});

describe('two dispatchers on one database', () => {
  it('deliver each event exactly once between them', async () => {
    const receiver = await startReceiver(always(200));
    // On PostgreSQL each instance has its own connection pool, as separate processes would.
    const secondHandle = t.database.url ? await openDatabase({ url: t.database.url, poolMax: 4 }) : t.database;
    const one = await another(dispatcherEnv);
    const two = await buildApp({ config: testConfig(dispatcherEnv), database: secondHandle, prepareDatabase: false });
    try {
      const hook = await register(one, receiver.url, ['role.updated']);
      for (let i = 1; i <= 12; i++)
        await send(i % 2 ? one : two, 'PATCH', '/v1/admin/roles/site-reliability-engineer', { title: `SRE take ${i}` });
      await eventually(async () => {
        const list = await deliveries(t.app, hook.id);
        return list.length === 12 && list.every((d) => d.status === 'delivered');
      }, 'twelve deliveries');
    } finally {
      // Both stop (and finish what they hold) before counting, so a late duplicate would be seen.
      await Promise.all([one.close(), two.close()]);
      if (secondHandle !== t.database) await secondHandle.close();
      await receiver.close();
    }
    const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });
});

describe('a process killed in the middle of a delivery', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('leaves the event to the next process, which delivers it with the same id', async () => {
    // The first request hangs until its sender dies; later ones are answered.
    const receiver = await startReceiver((n) => (n === 1 ? 'hang' : 200));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let database: Record<string, string>;
    if (t.database.url) {
      // A database of its own on the same server; t's is in use by this file's other tests.
      database = { DATABASE_URL: t.database.url };
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'ica-crash-'));
      dirs.push(dir);
      database = { PGLITE_DATA_DIR: dir };
    }
    const env = {
      ...database,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_ON_EMPTY: 'false',
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      WEBHOOKS_POLL_MS: '20',
      WEBHOOKS_TIMEOUT_MS: '500',
      WEBHOOKS_RETRY_BASE_MS: '10',
      WEBHOOKS_RETRY_MAX_MS: '50',
    };
    const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        ...(init.body ? { body: JSON.stringify(init.body) } : {}),
      });
    const ready = () =>
      eventually(
        async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok === true,
        'the server to be ready',
        PATIENCE_MS,
      );

    const first = startServer(env);
    let second: ReturnType<typeof startServer> | undefined;
    try {
      await ready();
      const hook = (await (
        await api('/v1/admin/webhooks', { method: 'POST', body: { url: receiver.url, events: ['category.published'] } })
      ).json()) as { data: { id: string } };
      expect(
        (await api('/v1/admin/categories', { method: 'POST', body: { slug: 'crash-test', name: 'Crash test' } }))
          .status,
      ).toBe(201);
      await eventually(() => receiver.open() === 1, 'the first process to be sending');
      first.child.kill('SIGKILL');
      await first.exited;

      second = startServer(env);
      await ready();
      await eventually(() => receiver.acceptedIds().length === 1, 'the second process to deliver', PATIENCE_MS);
      // The receiver has answered; the sender records that a moment later.
      const delivery = await eventually(
        async () => {
          const list = (await (await api(`/v1/admin/webhooks/${hook.data.id}/deliveries`)).json()) as {
            data: { id: string; status: string; attempts: number; eventId: string }[];
          };
          return list.data[0]?.status === 'delivered' && list.data[0];
        },
        'the delivery to be recorded as delivered',
        PATIENCE_MS,
      );
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      expect(ids).toEqual([delivery!.eventId, delivery!.eventId]);
      expect(receiver.acceptedIds()).toEqual([delivery!.eventId]);
      const detail = (await (await api(`/v1/admin/webhooks/${hook.data.id}/deliveries/${delivery!.id}`)).json()) as {
        data: { attemptLog: { error: string | null; statusCode: number | null }[] };
      };
      expect(detail.data.attemptLog).toEqual([
        expect.objectContaining({
          statusCode: null,
          error: 'no result: the process sending it stopped before the receiver answered',
        }),
        expect.objectContaining({ statusCode: 200, error: null }),
      ]);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      for (const proc of [first, second])
        if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      await receiver.close();
    }
  });
});
