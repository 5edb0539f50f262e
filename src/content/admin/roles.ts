import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordChanges, type Change, type ChangeAction } from '../../changes/change-log.js';
import type { Database, Queryable } from '../../db/client.js';
import { categories, questions, revisions, roleRelatedRoles, roles, rounds } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { exportRoles } from '../export-reader.js';
import { roleDocument, roleFields, roundDocument, type RoleDocument } from '../import-format.js';
import { roleSnapshot, writeRelated, writeRoleCore } from '../import-writer.js';
import { ordinal, type Status } from '../vocabulary.js';
import { lockExpected, writeAggregate, type Aggregate, type Edit } from './aggregate-write.js';
import { ACTION_OF, checkStatusChange, STATUS_OF, type StatusAction } from './lifecycle.js';
import { checked, patchOf, sentFields, type Expected } from './validation.js';

/** What a content tool sends to create a role: the role page without questions; it starts as a draft. */
export const roleCreateInput = roleFields.omit({ questions: true, status: true }).strict();
/** A partial update: any listed field replaces the stored one whole (lists included). */
export const roleUpdateInput = patchOf(roleCreateInput).extend({ version: ordinal.optional() });
export type RoleCreateInput = z.input<typeof roleCreateInput>;
export type RoleUpdateInput = z.input<typeof roleUpdateInput>;

type RoleRow = typeof roles.$inferSelect;

export async function lockRole(tx: Queryable, slug: string): Promise<RoleRow> {
  const [row] = await tx.select().from(roles).where(eq(roles.slug, slug)).for('update');
  if (!row) throw notFound(`Role "${slug}"`);
  return row;
}

async function currentDocument(tx: Queryable, slug: string): Promise<RoleDocument> {
  const [doc] = await exportRoles(tx, [slug]);
  if (!doc) throw notFound(`Role "${slug}"`);
  return doc;
}

/** References a role document makes must exist: its category and related roles. */
async function checkReferences(tx: Queryable, doc: RoleDocument): Promise<string> {
  const [category] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, doc.category));
  if (!category)
    throw new AppError('VALIDATION_FAILED', `category: no category "${doc.category}"`, {
      errors: [{ path: 'category', message: `no category "${doc.category}"` }],
    });
  if (doc.relatedRoles.length) {
    const found = new Set(
      (await tx.select({ slug: roles.slug }).from(roles).where(inArray(roles.slug, doc.relatedRoles))).map(
        (r) => r.slug,
      ),
    );
    const errors = doc.relatedRoles.flatMap((s, i) =>
      found.has(s) ? [] : [{ path: `relatedRoles.${i}`, message: `no role "${s}"` }],
    );
    if (errors.length)
      throw new AppError('VALIDATION_FAILED', `relatedRoles: ${errors.map((e) => e.message).join(', ')}`, { errors });
  }
  return category.id;
}

/**
 * Stores a role document as the next version of its aggregate: row, breakdown, rounds, tips,
 * FAQs and related links, a revision and a change-log entry, all in the caller's transaction.
 * Answers the slug it is stored under.
 */
async function saveRoleDocument(
  tx: Queryable,
  doc: RoleDocument,
  existing: RoleRow | undefined,
  principal: Principal,
  action: ChangeAction,
): Promise<string> {
  const valid = checked(roleDocument, doc);
  checkStatusChange(principal, existing?.status as Status | undefined, valid.status);
  const categoryId = await checkReferences(tx, valid);
  if (!existing || existing.slug !== valid.slug) {
    const [taken] = await tx
      .select({ id: roles.id })
      .from(roles)
      .where(existing ? and(eq(roles.slug, valid.slug), ne(roles.id, existing.id)) : eq(roles.slug, valid.slug));
    if (taken) throw new AppError('CONFLICT', `A role with slug "${valid.slug}" already exists`);
  }
  const { roleId, version } = await writeRoleCore(tx, valid, categoryId, existing);
  await writeRelated(tx, roleId, valid.relatedRoles);
  const actor = actorOf(principal);
  await tx
    .insert(revisions)
    .values({ entityType: 'role', entityId: roleId, version, snapshot: roleSnapshot(valid), actor });
  const previousKey = existing && existing.slug !== valid.slug ? existing.slug : null;
  await recordChanges(tx, [
    { entityType: 'role', entityId: roleId, entityKey: valid.slug, previousKey, action, version, actor },
  ]);
  return valid.slug;
}

/** A role as admin writes handle it (aggregate-write.ts): found by its slug. */
export const roleAggregate: Aggregate<RoleRow, RoleDocument, AdminRole> = {
  name: (slug) => `Role "${slug}"`,
  lock: lockRole,
  load: (tx, row) => currentDocument(tx, row.slug),
  save: saveRoleDocument,
  view: getAdminRole,
};

export async function createRole(db: Database, principal: Principal, input: RoleCreateInput): Promise<AdminRole> {
  const fields = checked(roleCreateInput, input);
  return db.transaction(async (tx) =>
    getAdminRole(
      tx,
      await saveRoleDocument(tx, { ...fields, status: 'draft', questions: [] }, undefined, principal, 'created'),
    ),
  );
}

export async function updateRole(
  db: Database,
  principal: Principal,
  slug: string,
  input: RoleUpdateInput,
  ifMatch?: Expected,
): Promise<AdminRole> {
  const { version, ...patch } = sentFields(input, checked(roleUpdateInput, input));
  return writeAggregate(db, roleAggregate, principal, {
    key: slug,
    expected: ifMatch ?? version,
    action: 'updated',
    change: (current) => ({ ...current, ...patch }) as RoleDocument,
  });
}

/** publish checks the whole role against the rules for published content (breakdown adds up to 100). */
export async function setRoleStatus(
  db: Database,
  principal: Principal,
  slug: string,
  action: StatusAction,
  ifMatch?: Expected,
): Promise<AdminRole> {
  return writeAggregate(db, roleAggregate, principal, {
    key: slug,
    expected: ifMatch,
    action: ACTION_OF[action],
    change: (current) => ({ ...current, status: STATUS_OF[action] }),
  });
}

/**
 * Deletes a role. Refuses (409, saying what refers to it) while questions belong to it or other
 * roles link to it, unless cascade is asked for: then its questions and those links go too.
 */
export async function deleteRole(
  db: Database,
  principal: Principal,
  slug: string,
  cascade: boolean,
  ifMatch?: Expected,
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockExpected(tx, roleAggregate, slug, ifMatch);
    const owned = await tx.select({ id: questions.id }).from(questions).where(eq(questions.roleId, row.id));
    const [links] = await tx
      .select({ n: count() })
      .from(roleRelatedRoles)
      .where(eq(roleRelatedRoles.relatedRoleId, row.id));
    if (!cascade && (owned.length > 0 || (links?.n ?? 0) > 0)) {
      throw new AppError(
        'CONFLICT',
        `Role "${slug}" is still referred to by ${owned.length} question(s) and ${links?.n ?? 0} related-role link(s); delete those first or pass cascade=true`,
      );
    }
    const actor = actorOf(principal);
    const linking = await rolesLinkingTo(tx, [row.id]);
    await tx.delete(questions).where(eq(questions.roleId, row.id));
    await tx.delete(roles).where(eq(roles.id, row.id));
    await recordChanges(tx, [
      ...owned.map((q) => ({
        entityType: 'question' as const,
        entityId: q.id,
        entityKey: q.id,
        roleKey: slug,
        action: 'deleted' as const,
        actor,
      })),
      { entityType: 'role', entityId: row.id, entityKey: slug, action: 'deleted', actor },
      ...linkChanges(linking, actor),
    ]);
  });
}

/** Other roles that link to these; deleting these drops the links (and changes those roles' pages). */
export async function rolesLinkingTo(tx: Queryable, roleIds: string[]): Promise<{ id: string; slug: string }[]> {
  if (roleIds.length === 0) return [];
  const rows = await tx
    .selectDistinct({ id: roles.id, slug: roles.slug })
    .from(roleRelatedRoles)
    .innerJoin(roles, eq(roles.id, roleRelatedRoles.roleId))
    .where(inArray(roleRelatedRoles.relatedRoleId, roleIds));
  return rows.filter((r) => !roleIds.includes(r.id));
}

/**
 * A role whose related-role link went with a deleted role shows a different page, so the change
 * log says so (without a version: no revision is written), for the sync feed, webhooks and caches.
 */
export function linkChanges(linking: { id: string; slug: string }[], actor: string): Change[] {
  return linking.map((r) => ({ entityType: 'role', entityId: r.id, entityKey: r.slug, action: 'updated', actor }));
}

/* Rounds live inside the role aggregate: each change here is a new version of the role. */

export const roundInput = roundDocument.strict();
export const roundUpdateInput = patchOf(roundDocument).extend({ version: ordinal.optional() });

const roundChange = (
  db: Database,
  principal: Principal,
  slug: string,
  expected: Expected | undefined,
  change: Edit<RoleRow, RoleDocument>['change'],
) => writeAggregate(db, roleAggregate, principal, { key: slug, expected, action: 'updated', change });

function roundAt(doc: RoleDocument, position: number) {
  const round = doc.rounds[position - 1];
  if (!round) throw notFound(`Round ${position} of role "${doc.slug}"`);
  return round;
}

export const addRound = (db: Database, principal: Principal, slug: string, input: unknown, ifMatch?: Expected) =>
  roundChange(db, principal, slug, ifMatch, (doc) => ({ ...doc, rounds: [...doc.rounds, checked(roundInput, input)] }));

/** Renaming keeps the round's questions attached: the row is updated in place, not replaced. */
export const updateRound = (
  db: Database,
  principal: Principal,
  slug: string,
  position: number,
  input: unknown,
  ifMatch?: Expected,
) => {
  const { version, ...patch } = sentFields(input, checked(roundUpdateInput, input));
  return roundChange(db, principal, slug, ifMatch ?? version, async (doc, tx, { id: roleId }) => {
    const round = roundAt(doc, position);
    const next = { ...round, ...patch };
    if (next.name !== round.name) {
      if (doc.rounds.some((r) => r.name === next.name))
        throw new AppError('CONFLICT', `Role "${slug}" already has a round named "${next.name}"`);
      await tx
        .update(rounds)
        .set({ name: next.name })
        .where(and(eq(rounds.roleId, roleId), eq(rounds.name, round.name)));
    }
    return {
      ...doc,
      rounds: doc.rounds.map((r, i) => (i === position - 1 ? next : r)),
      questions: doc.questions.map((q) => (q.round === round.name ? { ...q, round: next.name } : q)),
    };
  });
};

/** Refuses while questions are in the round, unless cascade: then they stay in the role, without a round. */
export const deleteRound = (
  db: Database,
  principal: Principal,
  slug: string,
  position: number,
  cascade: boolean,
  ifMatch?: Expected,
) =>
  roundChange(db, principal, slug, ifMatch, async (doc, tx, { id: roleId }) => {
    const round = roundAt(doc, position);
    const inRound = doc.questions.filter((q) => q.round === round.name);
    if (inRound.length && !cascade) {
      throw new AppError(
        'CONFLICT',
        `Round "${round.name}" still has ${inRound.length} question(s); move them first or pass cascade=true to leave them without a round`,
      );
    }
    const [row] = await tx
      .select({ id: rounds.id })
      .from(rounds)
      .where(and(eq(rounds.roleId, roleId), eq(rounds.name, round.name)));
    await tx.update(questions).set({ roundId: null }).where(eq(questions.roundId, row!.id));
    return {
      ...doc,
      rounds: doc.rounds.filter((_, i) => i !== position - 1),
      questions: doc.questions.map((q) => (q.round === round.name ? { ...q, round: null } : q)),
    };
  });

/** New order of rounds, by name: every current round exactly once. */
export const reorderRounds = (db: Database, principal: Principal, slug: string, names: string[], ifMatch?: Expected) =>
  roundChange(db, principal, slug, ifMatch, (doc) => {
    const current = doc.rounds.map((r) => r.name);
    if (names.length !== current.length || [...names].sort().join('\n') !== [...current].sort().join('\n')) {
      throw new AppError(
        'VALIDATION_FAILED',
        `names must list every round of "${slug}" exactly once: ${current.join(', ')}`,
        { errors: [{ path: 'names', message: 'must list every round exactly once' }] },
      );
    }
    return { ...doc, rounds: names.map((n) => doc.rounds.find((r) => r.name === n)!) };
  });

/** The role as content tools see it: drafts included, with its version and its questions in order. */
export async function getAdminRole(db: Queryable, slug: string) {
  const [row] = await db.select().from(roles).where(eq(roles.slug, slug));
  if (!row) throw notFound(`Role "${slug}"`);
  const doc = await currentDocument(db, slug);
  const { questions: qs, ...role } = doc;
  const positions = await db
    .select({ id: questions.id, position: questions.position, version: questions.version })
    .from(questions)
    .where(eq(questions.roleId, row.id))
    .orderBy(asc(questions.position));
  const versions = new Map(positions.map((p) => [p.id, p.version]));
  return {
    ...role,
    version: row.version,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    questions: qs.map((q, i) => ({
      id: q.id,
      prompt: q.prompt,
      round: q.round,
      status: q.status,
      position: i + 1,
      version: versions.get(q.id) ?? 1,
    })),
  };
}
export type AdminRole = Awaited<ReturnType<typeof getAdminRole>>;

export async function listAdminRoles(db: Queryable) {
  return db
    .select({
      slug: roles.slug,
      title: roles.title,
      status: roles.status,
      version: roles.version,
      updatedAt: roles.updatedAt,
    })
    .from(roles)
    .orderBy(sql`${roles.slug} collate "C"`)
    .then((rows) => rows.map((r) => ({ ...r, status: r.status as Status, updatedAt: r.updatedAt.toISOString() })));
}
