import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Vitest's default on a 2-core machine is one file at a time; most of a file's time is spent
    // waiting (a database server, a child process, a browser), so a few at once finish sooner.
    maxWorkers: 3,
    // Prepares the databases every file starts from a copy of (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // Each file starts its own database (PGlite boots in a few seconds on a small machine).
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
