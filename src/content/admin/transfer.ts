import { z } from 'zod';
import type { Principal } from '../../access/principal.js';
import { actorOf } from '../../access/principal.js';
import type { Database, Queryable } from '../../db/client.js';
import { AppError, fieldErrors, notFound, type FieldError } from '../../errors.js';
import { exportCategories, exportRoles } from '../export-reader.js';
import { categoryDocument, roleDocument, type RoleDocument } from '../import-format.js';
import { applyImport, pauses, type ImportBundle, type ImportReport } from '../import-writer.js';

/** The import body: the seed format, every role document checked with the same rules as the API. */
const importBundleInput = z.strictObject({
  categories: z.array(categoryDocument).default([]),
  roles: z.array(z.unknown()).default([]),
});

export async function exportContent(db: Queryable, roleSlug?: string): Promise<ImportBundle> {
  const roles = await exportRoles(db, roleSlug ? [roleSlug] : undefined);
  if (roleSlug && roles.length === 0) throw notFound(`Role "${roleSlug}"`);
  return { categories: await exportCategories(db), roles };
}

class DryRun extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/**
 * Validates every role document (all errors at once, each with its path), then applies the bundle
 * in one transaction. A dry run does the same work and rolls it back, so its report is exactly what
 * an apply would do.
 */
export async function importContent(
  db: Database,
  principal: Principal,
  input: unknown,
  dryRun: boolean,
  signal?: AbortSignal,
): Promise<ImportReport & { dryRun: boolean }> {
  const parsed = importBundleInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'The import is not in the export format', {
      errors: fieldErrors(parsed.error.issues, { location: 'body' }),
    });
  }
  const pause = pauses(signal);
  const errors: FieldError[] = [];
  const roles: RoleDocument[] = [];
  for (const [i, raw] of parsed.data.roles.entries()) {
    await pause();
    const result = roleDocument.safeParse(raw);
    if (result.success) roles.push(result.data);
    else errors.push(...fieldErrors(result.error.issues, { prefix: `roles.${i}`, location: 'body' }));
  }
  if (errors.length)
    throw new AppError('VALIDATION_FAILED', `${errors.length} problem(s) in the import; nothing was written`, {
      errors,
    });
  const bundle = { categories: parsed.data.categories, roles };
  try {
    const report = await db.transaction(async (tx) => {
      const result = await applyImport(tx, bundle, actorOf(principal), pause);
      if (dryRun) throw new DryRun(result);
      return result;
    });
    return { ...report, dryRun: false };
  } catch (err) {
    if (err instanceof DryRun) return { ...err.report, dryRun: true };
    throw err;
  }
}
