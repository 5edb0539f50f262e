import { ConfigError, loadConfig, type Config } from '../config.js';
import { DataDirectoryLocked } from '../db/data-dir-lock.js';
import { AppError } from '../errors.js';

/** Runs a command-line task: config errors and our own errors print one clear message, exit 1. */
export async function runCli(task: (config: Config) => Promise<void>): Promise<void> {
  try {
    await task(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataDirectoryLocked) console.error(err.message);
    else if (err instanceof AppError) {
      console.error(`${err.code}: ${err.message}`);
      for (const e of err.errors ?? []) console.error(`  ${e.path}: ${e.message}`);
    } else console.error(err);
    process.exitCode = 1;
  }
}
