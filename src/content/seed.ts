import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { parse } from 'yaml';
import type { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { roles } from '../db/schema.js';
import { AppError, fieldErrors } from '../errors.js';
import { categoriesDocument, roleDocument } from './import-format.js';
import { inUnitOfWork } from './admin/aggregate-write.js';
import { applyImport, operator, type ImportBundle, type ImportReport } from './import-writer.js';

export const SEED_DIR = fileURLToPath(new URL('../../seed/', import.meta.url));
const SEED_ACTOR = 'seed';

// Any fixed number; only seedIfEmpty takes it.
const SEED_LOCK = 727_003;

function parseFile<T extends z.ZodType>(schema: T, file: string, text: string): z.infer<T> {
  const result = schema.safeParse(parse(text));
  if (!result.success) {
    // The detail names the file; each path is where in it.
    throw new AppError('VALIDATION_FAILED', `${file} is not valid seed content`, {
      errors: fieldErrors(result.error.issues),
    });
  }
  return result.data;
}

/** Reads categories.yaml and one file per role, each checked by the import format's schemas. */
export async function readSeed(dir = SEED_DIR): Promise<ImportBundle> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const bundle: ImportBundle = { categories: [], roles: [] };
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    if (file === 'categories.yaml') bundle.categories = parseFile(categoriesDocument, file, text).categories;
    else bundle.roles.push(parseFile(roleDocument, file, text));
  }
  return bundle;
}

/** Brings the database to what seed/ says, as one import by the operator (`seed` in revisions and the audit). */
export async function seed(db: Database, dir = SEED_DIR, clock: Clock = systemClock): Promise<ImportReport> {
  const bundle = await readSeed(dir);
  return inUnitOfWork({ db, clock }, operator(SEED_ACTOR), (uow) => applyImport(uow, bundle), { actor: SEED_ACTOR });
}

/**
 * Seeds a database that has no roles yet; leaves one that has content alone. Several instances
 * starting at once on one empty PostgreSQL (replicas in docker-compose.yml) take turns: the first
 * seeds, the others then find content.
 */
export async function seedIfEmpty(
  db: Database,
  dir = SEED_DIR,
  clock: Clock = systemClock,
): Promise<ImportReport | null> {
  const bundle = await readSeed(dir);
  return inUnitOfWork(
    { db, clock },
    operator(SEED_ACTOR),
    async (uow) => {
      await uow.tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
      const [row] = await uow.tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(roles);
      if ((row?.n ?? 0) > 0) return null;
      return applyImport(uow, bundle);
    },
    { actor: SEED_ACTOR },
  );
}
