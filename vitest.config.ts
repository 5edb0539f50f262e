import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Prepares the databases every file starts from a copy of (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // Each file starts its own database (PGlite boots in a few seconds on a small machine).
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
