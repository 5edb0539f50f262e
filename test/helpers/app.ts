import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { seed } from '../../src/content/seed.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  // The webhook dispatcher and the scheduler poll the database; only the tests about them turn them on. The embedded
  // database runs inside the test process, where one slow statement on a busy machine stalls the
  // event loop past a second: shedding load on that delay is tested on its own
  // (test/ops/overload.test.ts), not left to trip every other test.
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_ON_EMPTY: 'false',
    CHANGES_POLL_MS: '0',
    WEBHOOKS_DISPATCHER: 'false',
    SCHEDULER: 'false',
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app over a database of its own, seeded with the real content unless told otherwise. */
export async function startTestApp(
  options: {
    seed?: boolean;
    env?: Record<string, string>;
    logStream?: { write(line: string): void };
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const wanted = options.seed !== false;
  const database = await openTestDatabase({ seeded: wanted });
  if (wanted && !database.seeded) await seed(database.db);
  const app = await buildApp({
    config: testConfig(options.env),
    database,
    prepareDatabase: false,
    logStream: options.logStream,
    clock: options.clock,
  });
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
