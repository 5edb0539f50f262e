// npm run db:seed: brings the database to the content in seed/. A second run changes nothing.
import { MIGRATIONS_DIR } from '../app.js';
import { seed } from '../content/seed.js';
import { openDatabase } from '../db/client.js';
import { runCli } from './run.js';

await runCli(async (config) => {
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  try {
    await database.migrate(MIGRATIONS_DIR);
    const report = await seed(database.db);
    console.log(
      `seed (${database.engine}): ${report.created.length} created, ${report.updated.length} updated, ` +
        `${report.unchanged.length} unchanged, ${report.removed.length} removed`,
    );
  } finally {
    await database.close();
  }
});
