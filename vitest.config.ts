import { defineConfig } from 'vitest/config';

/*
 * Three tiers, chosen by file name alone, so a new file lands in one without an edit here:
 * - system:   `*.system.test.ts`: starts processes (the server, the CLI, tsc), a browser, or needs
 *             the PostgreSQL or Redis server whatever the engine under test.
 * - property: everything under test/properties/: fast-check searches, PROPERTY_RUNS deep.
 * - fast:     every other `*.test.ts`: the app through inject (or a port in this process), units.
 * `npm test` runs all three; `npm run test:fast`, `test:system`, `test:property` run one.
 */
const SYSTEM = ['test/**/*.system.test.ts'];
const PROPERTY = ['test/properties/**/*.test.ts'];

/** What every tier shares. The global setup is the root's alone, so it runs once however many tiers run. */
const common = {
  pool: 'forks',
  // Vitest's default on a 2-core machine is one file at a time; most of a file's time is spent
  // waiting (a database server, a child process, a browser), so a few at once finish sooner.
  maxWorkers: 3,
  // Limits sized for a busy machine: a test that needs longer is stuck, not slow. No test asserts
  // on time; these only stop a hung one.
  testTimeout: 60_000,
  hookTimeout: 180_000,
} as const;

export default defineConfig({
  test: {
    ...common,
    // Prepares the databases every file starts from a copy of (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default'],
    projects: [
      { test: { ...common, name: 'fast', include: ['test/**/*.test.ts'], exclude: [...SYSTEM, ...PROPERTY] } },
      // Processes start, browsers launch and servers answer slowly when the machine is loaded.
      { test: { ...common, name: 'system', include: SYSTEM, testTimeout: 300_000, hookTimeout: 300_000 } },
      // Each property test sets its own limit from its number of runs (test/helpers/hostile.ts).
      { test: { ...common, name: 'property', include: PROPERTY } },
    ],
  },
});
