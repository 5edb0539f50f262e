import { randomBytes } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { adminEnv } from '../helpers/admin.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { createPartnerKey, type PartnerKey } from '../helpers/partners.js';
import { until } from '../helpers/process.js';

/*
 * Several instances, one Redis, one budget. The shared Redis of CI is only read and written
 * under a prefix of this file's own; it is never stopped or flushed. "Redis goes away" is played
 * by a TCP relay of ours in front of it, which this file closes and opens again.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `test:rate-limit:${randomBytes(6).toString('hex')}:`;
const target = new URL(REDIS_URL);

let t: TestApp;
let redis: Redis;
const apps: FastifyInstance[] = [];

/** Another instance of the API over the same database, counting in Redis at `url`. */
async function instance(url: string, env: Record<string, string> = {}, logStream?: { write(line: string): void }) {
  const app = await buildApp({
    config: testConfig({
      ...adminEnv,
      REDIS_URL: url,
      RATE_LIMIT_REDIS_PREFIX: PREFIX,
      TRUST_PROXY: 'true',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '6',
      LOG_LEVEL: 'info',
      ...env,
    }),
    database: t.database,
    prepareDatabase: false,
    logStream: logStream ?? { write: () => {} },
  });
  apps.push(app);
  return app;
}

/** Forwards TCP to Redis until closed; closing also cuts every open connection. */
class Relay {
  server: Server | undefined;
  sockets = new Set<Socket>();
  constructor(public port = 0) {}
  async open() {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }
  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

beforeAll(async () => {
  t = await startTestApp({ seed: false, env: adminEnv });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await t?.close();
});

const call = (app: FastifyInstance, headers: Record<string, string>) => app.inject({ url: '/v1/categories', headers });

describe('rate limits shared through Redis', () => {
  it('hold one budget across two instances', async () => {
    const [a, b] = [await instance(REDIS_URL), await instance(REDIS_URL)];
    const client = { 'x-forwarded-for': '203.0.113.50' };
    const seen: [number, string][] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call(i % 2 ? b : a, client);
      seen.push([res.statusCode, String(res.headers['ratelimit-remaining'])]);
    }
    expect(seen).toEqual([
      [200, '5'],
      [200, '4'],
      [200, '3'],
      [200, '2'],
      [200, '1'],
      [200, '0'],
    ]);
    expect((await call(a, client)).statusCode).toBe(429);
    expect((await call(b, client)).statusCode).toBe(429);
    expect(Number(await redis.get(`${PREFIX}ip:203.0.113.50`))).toBe(8);
  });

  it("hold a key's own limit across instances too", async () => {
    const [a, b] = [await instance(REDIS_URL), await instance(REDIS_URL)];
    const key = await createPartnerKey(t.app, { rateLimitPerMinute: 4 });
    const auth = { authorization: `Bearer ${key.token}` };
    const statuses = [];
    for (const app of [a, b, a, b, a]) statuses.push((await call(app, auth)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});

describe('when Redis goes away', () => {
  let relay: Relay;
  let key: PartnerKey;
  const lines: string[] = [];
  const logged = (text: string) => lines.filter((l) => l.includes(text)).length;
  const counted = async () => Number((await redis.get(`${PREFIX}key:${key.id}`)) ?? 0);

  beforeAll(async () => {
    relay = new Relay();
    await relay.open();
    key = await createPartnerKey(t.app, { rateLimitPerMinute: 1000 });
  });
  afterAll(() => relay?.close());

  it('keeps serving with limits counted per instance, says so once, and shares again when Redis is back', async () => {
    const app = await instance(`redis://127.0.0.1:${relay.port}`, {}, { write: (line) => lines.push(line) });
    const auth = { authorization: `Bearer ${key.token}` };
    expect((await call(app, auth)).statusCode).toBe(200);
    expect(await counted()).toBe(1);

    await relay.close();
    for (let i = 0; i < 5; i++) {
      const res = await call(app, auth);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('1000');
    }
    expect(await counted()).toBe(1);
    expect(logged('Redis is unreachable')).toBe(1);

    await relay.open();
    await until(
      async () => {
        await call(app, auth);
        return (await counted()) > 1;
      },
      'the instance to count in Redis again',
      20_000,
    );
    expect(logged('Redis is back')).toBe(1);
    expect(logged('Redis is unreachable')).toBe(1);
  });

  it('starts and serves when Redis is unreachable from the start', async () => {
    const closed = new Relay();
    await closed.open();
    await closed.close();
    const startLines: string[] = [];
    const app = await instance(`redis://127.0.0.1:${closed.port}`, {}, { write: (line) => startLines.push(line) });
    const res = await call(app, { 'x-forwarded-for': '203.0.113.60' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['ratelimit-remaining']).toBe('5');
    expect(startLines.filter((l) => l.includes('Redis is unreachable')).length).toBe(1);
  });
});
