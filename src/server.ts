import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirectoryLocked } from './db/data-dir-lock.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

let app;
try {
  app = await buildApp({ config });
} catch (err) {
  // Another process serves this data directory: say so and stop, never serve beside it.
  if (err instanceof DataDirectoryLocked) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

// On SIGTERM/SIGINT: stop accepting connections, let requests in flight finish, close the database.
closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});

await app.listen({ host: config.host, port: config.port });
