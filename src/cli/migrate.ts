// npm run db:migrate: applies pending migrations to the configured database; safe to run again.
import { MIGRATIONS_DIR } from '../app.js';
import { openDatabase } from '../db/client.js';
import { runCli } from './run.js';

await runCli(async (config) => {
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  try {
    await database.migrate(MIGRATIONS_DIR);
    console.log(`migrations applied (${database.engine})`);
  } finally {
    await database.close();
  }
});
