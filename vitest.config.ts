import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Each file starts its own database (PGlite boots in a few seconds on a small machine).
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
