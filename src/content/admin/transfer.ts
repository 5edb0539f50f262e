import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../../access/principal.js';
import type { Queryable } from '../../db/client.js';
import { questions, roles } from '../../db/schema.js';
import { AppError, fieldErrors, notFound, type FieldError } from '../../errors.js';
import { exportCategories, exportRoles } from '../export-reader.js';
import {
  categoryDocument,
  exportedRoleDocument,
  type CategoryDocument,
  type ExportedRoleDocument,
  type RoleDocument,
} from '../import-format.js';
import { applyImport, pauses, type ImportReport, type ItemTimes } from '../import-writer.js';
import { inUnitOfWork, type WriteDeps } from './aggregate-write.js';

/** The import body: the export format; every role document is checked by itself, with every error listed. */
const importBundleInput = z.strictObject({
  categories: z.array(categoryDocument).default([]),
  roles: z.array(z.unknown()).default([]),
});

/** What an export answers and an import takes: categories, and roles with their items' times. */
export interface ExportBundle {
  categories: CategoryDocument[];
  roles: ExportedRoleDocument[];
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * All content, or one role, in the import format, drafts included, with when each role and
 * question was first published and last changed: importing it into an empty database, or into
 * this one after something in it was deleted, brings back exactly what was exported.
 */
export async function exportContent(db: Queryable, roleSlug?: string): Promise<ExportBundle> {
  const docs = await exportRoles(db, roleSlug ? [roleSlug] : undefined);
  if (roleSlug && docs.length === 0) throw notFound(`Role "${roleSlug}"`);
  const slugs = docs.map((d) => d.slug);
  const ids = docs.flatMap((d) => d.questions.map((q) => q.id));
  const [roleTimes, questionTimes] = await Promise.all([
    slugs.length
      ? db
          .select({ key: roles.slug, publishedAt: roles.publishedAt, updatedAt: roles.updatedAt })
          .from(roles)
          .where(inArray(roles.slug, slugs))
      : [],
    ids.length
      ? db
          .select({ key: questions.id, publishedAt: questions.publishedAt, updatedAt: questions.updatedAt })
          .from(questions)
          .where(inArray(questions.id, ids))
      : [],
  ]);
  const timesOf = (rows: { key: string; publishedAt: Date | null; updatedAt: Date }[]) =>
    new Map(rows.map((r) => [r.key, { publishedAt: iso(r.publishedAt), updatedAt: r.updatedAt.toISOString() }]));
  const roleTimesBy = timesOf(roleTimes);
  const questionTimesBy = timesOf(questionTimes);
  return {
    categories: await exportCategories(db),
    roles: docs.map((doc) => ({
      ...doc,
      questions: doc.questions.map((q) => ({ ...q, ...questionTimesBy.get(q.id) })),
      ...roleTimesBy.get(doc.slug),
    })),
  };
}

const dateOf = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);
const timeOf = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

/** A role as the import writes it, and its items' times apart. */
function withoutTimes(doc: ExportedRoleDocument, times: Map<string, ItemTimes>): RoleDocument {
  const { publishedAt, updatedAt, questions: qs, ...role } = doc;
  times.set(`role:${doc.slug}`, { publishedAt: dateOf(publishedAt), updatedAt: timeOf(updatedAt) });
  return {
    ...role,
    questions: qs.map(({ publishedAt: p, updatedAt: u, ...q }) => {
      times.set(`question:${q.id}`, { publishedAt: dateOf(p), updatedAt: timeOf(u) });
      return q;
    }),
  };
}

/**
 * Validates every role document (all errors at once, each with its path), then applies the bundle
 * in one transaction. A dry run does the same work and rolls it back, so its report is exactly what
 * an apply would do.
 */
export async function importContent(
  deps: WriteDeps,
  principal: Principal,
  input: unknown,
  dryRun: boolean,
  signal?: AbortSignal,
): Promise<ImportReport & { dryRun: boolean }> {
  const parsed = importBundleInput.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues, { location: 'body' });
    throw new AppError(
      'VALIDATION_FAILED',
      `The import is not in the export format: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      { errors },
    );
  }
  const pause = pauses(signal);
  const errors: FieldError[] = [];
  const roles: RoleDocument[] = [];
  const times = new Map<string, ItemTimes>();
  for (const [i, raw] of parsed.data.roles.entries()) {
    await pause();
    const result = exportedRoleDocument.safeParse(raw);
    if (result.success) roles.push(withoutTimes(result.data, times));
    else errors.push(...fieldErrors(result.error.issues, { prefix: `roles.${i}`, location: 'body' }));
  }
  if (errors.length)
    throw new AppError('VALIDATION_FAILED', `${errors.length} problem(s) in the import; nothing was written`, {
      errors,
    });
  const bundle = { categories: parsed.data.categories, roles };
  const report = await inUnitOfWork(deps, principal, (uow) => applyImport(uow, bundle, pause, times), { dryRun });
  return { ...report, dryRun };
}
