import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { MIGRATIONS_DIR } from '../src/app.js';
import { seed } from '../src/content/seed.js';
import { openDatabase } from '../src/db/client.js';
import { STARTING_POINTS } from './helpers/starting-points.js';

/*
 * Every test file starts from a database of its own. Creating one from nothing (initdb, then the
 * migrations, then the seed) costs seconds each time; here it is done once per run, and files
 * start from a copy: PGlite from a dump of its data directory, PostgreSQL from template databases.
 * Worker processes are forked after this runs, so they inherit the environment it sets.
 */
export default async function setup() {
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    const id = randomBytes(4).toString('hex');
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    const names = { migrated: `tpl_${id}_migrated`, seeded: `tpl_${id}_seeded` };
    for (const [kind, name] of Object.entries(names)) {
      await admin.unsafe(`create database ${name}`);
      const url = new URL(server);
      url.pathname = `/${name}`;
      const db = await openDatabase({ url: url.toString(), poolMax: 1 });
      await db.migrate(MIGRATIONS_DIR);
      if (kind === 'seeded') await seed(db.db);
      await db.close();
    }
    process.env[STARTING_POINTS.migratedTemplate] = names.migrated;
    process.env[STARTING_POINTS.seededTemplate] = names.seeded;
    return async () => {
      for (const name of Object.values(names)) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }

  const dir = await mkdtemp(join(tmpdir(), 'ica-test-snapshots-'));
  const db = await openDatabase({ dataDir: 'memory://' });
  await db.migrate(MIGRATIONS_DIR);
  const dump = async (file: string) =>
    writeFile(join(dir, file), Buffer.from(await (await db.dumpDataDir!()).arrayBuffer()));
  await dump('migrated.tar');
  await seed(db.db);
  await dump('seeded.tar');
  await db.close();
  process.env[STARTING_POINTS.snapshotDir] = dir;
  return () => rm(dir, { recursive: true, force: true });
}
