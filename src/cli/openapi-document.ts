import { fileURLToPath } from 'node:url';
import { buildApp, MIGRATIONS_DIR } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';

export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

/** The OpenAPI document of the running routes, as YAML. Needs an empty database, no content. */
export async function generateOpenApi(): Promise<string> {
  const database = await openDatabase({ dataDir: 'memory://' });
  await database.migrate(MIGRATIONS_DIR);
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent', SEED_ON_EMPTY: 'false', WEBHOOKS_DISPATCHER: 'false' }),
    database,
    prepareDatabase: false,
  });
  try {
    return app.swagger({ yaml: true });
  } finally {
    await app.close();
    await database.close();
  }
}
