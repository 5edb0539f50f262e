/** Environment variables through which the global setup tells test files where to start from. */
export const STARTING_POINTS = {
  snapshotDir: 'TEST_PGLITE_SNAPSHOTS',
  migratedTemplate: 'TEST_PG_TEMPLATE_MIGRATED',
  seededTemplate: 'TEST_PG_TEMPLATE_SEEDED',
} as const;
