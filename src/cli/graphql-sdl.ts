import { fileURLToPath } from 'node:url';
import { printSchema } from '../graphql/graphql-module.js';
import { buildApp, MIGRATIONS_DIR } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';

export const SDL_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The SDL of the schema the app actually serves, for client generators. */
export async function generateSdl(): Promise<string> {
  const database = await openDatabase({ dataDir: 'memory://' });
  await database.migrate(MIGRATIONS_DIR);
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent', SEED_ON_EMPTY: 'false' }),
    database,
    prepareDatabase: false,
  });
  try {
    return `${printSchema(app.graphql.schema)}\n`;
  } finally {
    await app.close();
    await database.close();
  }
}
