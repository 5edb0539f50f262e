import { isDeepStrictEqual } from 'node:util';
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { recordChanges, type Change } from '../changes/change-log.js';
import type { Database, Queryable } from '../db/client.js';
import {
  categories,
  questionPitfalls,
  questionStarExamples,
  questions,
  revisions,
  roleAlternativeTitles,
  roleFaqs,
  roleFormatSegments,
  roleRelatedRoles,
  roleTips,
  roles,
  rounds,
} from '../db/schema.js';
import { AppError, type FieldError } from '../errors.js';
import { exportCategories, exportRoles } from './export-reader.js';
import type { CategoryDocument, QuestionDocument, RoleDocument } from './import-format.js';
import { roleColumnValues } from './role-columns.js';

/** Far above any real position: rows parked here cannot collide with 1..n while being renumbered. */
export const PARKED_POSITION = 1_000_000;

export interface ImportBundle {
  categories: CategoryDocument[];
  roles: RoleDocument[];
}

interface ImportItem {
  type: 'category' | 'role' | 'question';
  key: string;
}

export interface ImportReport {
  created: ImportItem[];
  updated: ImportItem[];
  unchanged: ImportItem[];
  removed: ImportItem[];
}

/** What a role revision stores: the role document without its questions (they have revisions of their own). */
export function roleSnapshot(doc: RoleDocument) {
  const { questions: _questions, ...rest } = doc;
  return rest;
}

/** Checks that every reference in the bundle resolves, against the bundle and the database. */
async function checkReferences(tx: Queryable, bundle: ImportBundle): Promise<void> {
  const errors: FieldError[] = [];
  const knownCategories = new Set([
    ...bundle.categories.map((c) => c.slug),
    ...(await exportCategories(tx)).map((c) => c.slug),
  ]);
  const bundleRoles = new Set(bundle.roles.map((r) => r.slug));
  const related = [...new Set(bundle.roles.flatMap((r) => r.relatedRoles))].filter((s) => !bundleRoles.has(s));
  const existing = related.length
    ? new Set(
        (await tx.select({ slug: roles.slug }).from(roles).where(inArray(roles.slug, related))).map((r) => r.slug),
      )
    : new Set<string>();
  const seenCategories = new Set<string>();
  bundle.categories.forEach((category, i) => {
    if (seenCategories.has(category.slug))
      errors.push({ path: `categories.${i}.slug`, message: `category "${category.slug}" appears twice` });
    seenCategories.add(category.slug);
  });
  const seenRoles = new Set<string>();
  const seenQuestions = new Map<string, string>();
  bundle.roles.forEach((role, i) => {
    if (seenRoles.has(role.slug))
      errors.push({ path: `roles.${i}.slug`, message: `role "${role.slug}" appears twice` });
    seenRoles.add(role.slug);
    if (!knownCategories.has(role.category))
      errors.push({ path: `roles.${i}.category`, message: `no category "${role.category}"` });
    role.relatedRoles.forEach((slug, j) => {
      if (!bundleRoles.has(slug) && !existing.has(slug))
        errors.push({ path: `roles.${i}.relatedRoles.${j}`, message: `no role "${slug}"` });
    });
    role.questions.forEach((q, j) => {
      const other = seenQuestions.get(q.id);
      if (other)
        errors.push({ path: `roles.${i}.questions.${j}.id`, message: `question id also used in role "${other}"` });
      seenQuestions.set(q.id, role.slug);
    });
  });
  const ids = [...seenQuestions.keys()];
  if (ids.length) {
    const owners = await tx
      .select({ id: questions.id, slug: roles.slug })
      .from(questions)
      .innerJoin(roles, eq(roles.id, questions.roleId))
      .where(inArray(questions.id, ids));
    for (const owner of owners) {
      const claimed = seenQuestions.get(owner.id);
      if (claimed !== owner.slug) {
        const i = bundle.roles.findIndex((r) => r.slug === claimed);
        const j = bundle.roles[i]!.questions.findIndex((q) => q.id === owner.id);
        errors.push({
          path: `roles.${i}.questions.${j}.id`,
          message: `question ${owner.id} belongs to role "${owner.slug}"`,
        });
      }
    }
  }
  if (errors.length)
    throw new AppError('VALIDATION_FAILED', 'The import refers to content that does not exist or is claimed twice', {
      errors,
    });
}

async function writeCategories(
  tx: Queryable,
  docs: CategoryDocument[],
  actor: string,
  report: ImportReport,
  changes: Change[],
) {
  const current = new Map((await tx.select().from(categories)).map((c) => [c.slug, c]));
  for (const [i, doc] of docs.entries()) {
    const position = i + 1;
    const row = current.get(doc.slug);
    const item = { type: 'category' as const, key: doc.slug };
    if (!row) {
      const [created] = await tx
        .insert(categories)
        .values({ slug: doc.slug, name: doc.name, position })
        .returning({ id: categories.id });
      report.created.push(item);
      changes.push({ entityType: 'category', entityId: created!.id, entityKey: doc.slug, action: 'created', actor });
    } else if (row.name !== doc.name || row.position !== position) {
      await tx
        .update(categories)
        .set({ name: doc.name, position, updatedAt: new Date() })
        .where(eq(categories.id, row.id));
      report.updated.push(item);
      changes.push({ entityType: 'category', entityId: row.id, entityKey: doc.slug, action: 'updated', actor });
    } else {
      report.unchanged.push(item);
    }
  }
}

export async function writeRoleCore(
  tx: Queryable,
  doc: RoleDocument,
  categoryId: string,
  existing: { id: string; version: number; publishedAt: Date | null } | undefined,
) {
  const now = new Date();
  const fields = {
    ...roleColumnValues(doc),
    categoryId,
    publishedAt: doc.status === 'published' ? (existing?.publishedAt ?? now) : (existing?.publishedAt ?? null),
    updatedAt: now,
  };
  let roleId: string;
  let version: number;
  if (existing) {
    version = existing.version + 1;
    await tx
      .update(roles)
      .set({ ...fields, version })
      .where(eq(roles.id, existing.id));
    roleId = existing.id;
    await tx.delete(roleFormatSegments).where(eq(roleFormatSegments.roleId, roleId));
    await tx.delete(roleTips).where(eq(roleTips.roleId, roleId));
    await tx.delete(roleFaqs).where(eq(roleFaqs.roleId, roleId));
    await tx.delete(roleAlternativeTitles).where(eq(roleAlternativeTitles.roleId, roleId));
  } else {
    version = 1;
    const [created] = await tx
      .insert(roles)
      .values({ ...fields, version })
      .returning({ id: roles.id });
    roleId = created!.id;
  }
  if (doc.formatBreakdown.length) {
    await tx.insert(roleFormatSegments).values(doc.formatBreakdown.map((s, i) => ({ roleId, position: i + 1, ...s })));
  }
  if (doc.tips.length) await tx.insert(roleTips).values(doc.tips.map((text, i) => ({ roleId, position: i + 1, text })));
  if (doc.faqs.length) await tx.insert(roleFaqs).values(doc.faqs.map((f, i) => ({ roleId, position: i + 1, ...f })));
  if (doc.alternativeTitles.length)
    await tx
      .insert(roleAlternativeTitles)
      .values(doc.alternativeTitles.map((title, i) => ({ roleId, position: i + 1, title })));

  // Rounds keep their ids across imports so questions stay attached to them.
  const names = doc.rounds.map((r) => r.name);
  await tx
    .delete(rounds)
    .where(names.length ? and(eq(rounds.roleId, roleId), notInArray(rounds.name, names)) : eq(rounds.roleId, roleId));
  for (const [i, round] of doc.rounds.entries()) {
    await tx
      .insert(rounds)
      .values({ roleId, position: i + 1, ...round })
      .onConflictDoUpdate({
        target: [rounds.roleId, rounds.name],
        set: { position: i + 1, focus: round.focus, durationMinutes: round.durationMinutes, updatedAt: now },
      });
  }
  return { roleId, version };
}

export async function writeQuestion(
  tx: Queryable,
  q: QuestionDocument,
  position: number,
  roleId: string,
  roundIds: Map<string, string>,
  existing: { version: number; publishedAt: Date | null } | undefined,
) {
  const now = new Date();
  const fields = {
    roleId,
    roundId: q.round === null ? null : (roundIds.get(q.round) ?? null),
    position,
    prompt: q.prompt,
    competency: q.competency,
    whyAsked: q.whyAsked,
    howToAnswer: q.howToAnswer,
    difficulty: q.difficulty,
    tags: q.tags,
    status: q.status,
    publishedAt: q.status === 'published' ? (existing?.publishedAt ?? now) : (existing?.publishedAt ?? null),
    updatedAt: now,
  };
  const version = existing ? existing.version + 1 : 1;
  if (existing) {
    await tx
      .update(questions)
      .set({ ...fields, version })
      .where(eq(questions.id, q.id));
    await tx.delete(questionStarExamples).where(eq(questionStarExamples.questionId, q.id));
    await tx.delete(questionPitfalls).where(eq(questionPitfalls.questionId, q.id));
  } else {
    await tx.insert(questions).values({ id: q.id, ...fields, version });
  }
  await tx
    .insert(questionStarExamples)
    .values(q.starExamples.map((s, i) => ({ questionId: q.id, position: i + 1, ...s })));
  await tx.insert(questionPitfalls).values(q.pitfalls.map((text, i) => ({ questionId: q.id, position: i + 1, text })));
  return version;
}

/** Replaces a role's related links, in order. Slugs must name existing roles. */
export async function writeRelated(tx: Queryable, roleId: string, slugs: readonly string[]): Promise<void> {
  await tx.delete(roleRelatedRoles).where(eq(roleRelatedRoles.roleId, roleId));
  if (slugs.length === 0) return;
  const ids = new Map(
    (
      await tx
        .select({ id: roles.id, slug: roles.slug })
        .from(roles)
        .where(inArray(roles.slug, [...slugs]))
    ).map((r) => [r.slug, r.id]),
  );
  await tx
    .insert(roleRelatedRoles)
    .values(slugs.map((slug, i) => ({ roleId, position: i + 1, relatedRoleId: ids.get(slug)! })));
}

/**
 * A point where a long import lets other work run: the statements of one transaction resolve
 * without ever returning to the event loop on PGlite, so without these a large import would hold
 * the whole process (health checks, signals) until it committed. It throws to stop the import
 * when the server is shutting down; the transaction then rolls back.
 */
export type Pause = () => Promise<void>;

export function pauses(signal?: AbortSignal): Pause {
  return async () => {
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted)
      throw new AppError(
        'UNAVAILABLE',
        'The server is shutting down: the import was stopped and nothing of it was written; send it again',
        { cause: signal.reason },
      );
  };
}

const noPause: Pause = async () => {};

/**
 * Brings the database to what the bundle says, inside the caller's transaction: creates what is
 * new, rewrites what differs (a new version, a revision and a change-log entry each), leaves what
 * is equal untouched, and removes questions a role no longer lists. Running it twice changes
 * nothing the second time.
 */
export async function applyImport(
  tx: Queryable,
  bundle: ImportBundle,
  actor: string,
  pause: Pause = noPause,
): Promise<ImportReport> {
  const report: ImportReport = { created: [], updated: [], unchanged: [], removed: [] };
  const changes: Change[] = [];
  await checkReferences(tx, bundle);
  await writeCategories(tx, bundle.categories, actor, report, changes);

  const categoryIds = new Map(
    (await tx.select({ id: categories.id, slug: categories.slug }).from(categories)).map((c) => [c.slug, c.id]),
  );
  const slugs = bundle.roles.map((r) => r.slug);
  const before = new Map((slugs.length ? await exportRoles(tx, slugs) : []).map((d) => [d.slug, d]));
  // Locked, in one order, like every write that places questions (see admin/questions.ts).
  const roleRows = new Map(
    (slugs.length
      ? await tx.select().from(roles).where(inArray(roles.slug, slugs)).orderBy(asc(roles.id)).for('update')
      : []
    ).map((r) => [r.slug, r]),
  );
  const roleIds = new Map<string, string>();

  for (const doc of bundle.roles) {
    await pause();
    const old = before.get(doc.slug);
    const row = roleRows.get(doc.slug);
    const item = { type: 'role' as const, key: doc.slug };
    let roleId = row?.id;
    if (!old || !isDeepStrictEqual(roleSnapshot(old), roleSnapshot(doc))) {
      const written = await writeRoleCore(tx, doc, categoryIds.get(doc.category)!, row);
      roleId = written.roleId;
      (old ? report.updated : report.created).push(item);
      await tx
        .insert(revisions)
        .values({ entityType: 'role', entityId: roleId, version: written.version, snapshot: roleSnapshot(doc), actor });
      changes.push({
        entityType: 'role',
        entityId: roleId,
        entityKey: doc.slug,
        action: old ? 'updated' : 'created',
        version: written.version,
        actor,
      });
    } else {
      report.unchanged.push(item);
    }
    roleIds.set(doc.slug, roleId!);
  }

  // Related links and questions go second: they may point at roles created above.
  for (const doc of bundle.roles) {
    await pause();
    const roleId = roleIds.get(doc.slug)!;
    const old = before.get(doc.slug);
    if (!old || !isDeepStrictEqual(old.relatedRoles, doc.relatedRoles))
      await writeRelated(tx, roleId, doc.relatedRoles);

    const roundIds = new Map(
      (await tx.select({ id: rounds.id, name: rounds.name }).from(rounds).where(eq(rounds.roleId, roleId))).map((r) => [
        r.name,
        r.id,
      ]),
    );
    const oldQuestions = new Map((old?.questions ?? []).map((q, i) => [q.id, { doc: q, position: i + 1 }]));
    const questionRows = new Map(
      (
        await tx
          .select({
            id: questions.id,
            version: questions.version,
            publishedAt: questions.publishedAt,
            position: questions.position,
          })
          .from(questions)
          .where(eq(questions.roleId, roleId))
      ).map((q) => [q.id, q]),
    );
    // Positions are unique per role: when any question moves or arrives, the old places are
    // vacated first (the rows removed below are parked out of the way until then).
    const moving = doc.questions.some((q, i) => questionRows.get(q.id)?.position !== i + 1);
    if (moving)
      await tx
        .update(questions)
        .set({ position: sql`${questions.position} + ${PARKED_POSITION}` })
        .where(eq(questions.roleId, roleId));
    for (const [i, q] of doc.questions.entries()) {
      const prior = oldQuestions.get(q.id);
      const item = { type: 'question' as const, key: q.id };
      if (prior && prior.position === i + 1 && isDeepStrictEqual(prior.doc, q)) {
        if (moving)
          await tx
            .update(questions)
            .set({ position: i + 1 })
            .where(eq(questions.id, q.id));
        report.unchanged.push(item);
        continue;
      }
      await pause();
      const version = await writeQuestion(tx, q, i + 1, roleId, roundIds, questionRows.get(q.id));
      (prior ? report.updated : report.created).push(item);
      await tx
        .insert(revisions)
        .values({ entityType: 'question', entityId: q.id, version, snapshot: { role: doc.slug, ...q }, actor });
      changes.push({
        entityType: 'question',
        entityId: q.id,
        entityKey: q.id,
        roleKey: doc.slug,
        action: prior ? 'updated' : 'created',
        version,
        actor,
      });
    }
    const keep = new Set(doc.questions.map((q) => q.id));
    const gone = [...questionRows.keys()].filter((id) => !keep.has(id));
    if (gone.length) {
      await tx.delete(questions).where(inArray(questions.id, gone));
      for (const id of gone) {
        report.removed.push({ type: 'question', key: id });
        changes.push({
          entityType: 'question',
          entityId: id,
          entityKey: id,
          roleKey: doc.slug,
          action: 'deleted',
          actor,
        });
      }
    }
  }

  await recordChanges(tx, changes);
  return report;
}

/** Runs an import as one transaction: all of it lands, or none of it. */
export async function importBundle(db: Database, bundle: ImportBundle, actor: string): Promise<ImportReport> {
  return db.transaction((tx) => applyImport(tx, bundle, actor));
}
