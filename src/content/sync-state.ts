import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { categories, questions, revisions, roles } from '../db/schema.js';
import type { StatementRunner } from '../db/statements.js';
import { listCategories } from './categories.js';
import { questionsByIds } from './questions.js';
import { rolePages } from './roles.js';
import type { CategoryOut, QuestionOut, SyncRoleOut } from './schemas.js';
import type { SyncItemOut, SyncTombstoneOut, SyncType, TombstoneReason } from './sync-schemas.js';
import { categoryScope, type ReadContext } from './visibility.js';

/*
 * Turns keys into what a mirror should hold now: the item in its public shape when the caller can
 * read it, a tombstone when it cannot. Whether it can is decided by the same read functions (and
 * so the same visibility rules) as every public read, plus the caller's category scope.
 *
 * A tombstone is sent only for an item that was published at some time. A draft that never went
 * out is nobody's business, and its slug must not leak through the feed.
 */

export interface Candidate {
  type: SyncType;
  key: string;
  /** When the latest change that touched this key happened. */
  at: Date;
  /** The items the changes were about under this key; one may since have been renamed away. */
  entityIds: Set<string>;
}

export function scopeOf(ctx: ReadContext): (categorySlug: string) => boolean {
  const scope = categoryScope(ctx);
  return scope === null ? () => true : (slug) => scope.includes(slug);
}

/** The reads a sync page needs: the change log and facts through Drizzle, public state as prepared reads. */
export interface SyncDb {
  db: Queryable;
  reads: StatementRunner;
}

const ROLE_PARTS = new Set(['rounds', 'tips', 'faqs', 'related'] as const);

/**
 * Roles as the sync feed sends them: the role page without its questions, which are items of
 * their own. The same one-statement assembly as every public read; in the order asked.
 */
export async function rolesForSync(db: SyncDb, ctx: ReadContext, slugs: string[]): Promise<SyncRoleOut[]> {
  const pages = new Map(
    (await rolePages(db.reads, ctx, slugs, ROLE_PARTS)).map((p) => [p.slug, JSON.parse(p.json) as SyncRoleOut]),
  );
  return slugs.flatMap((slug) => pages.get(slug) ?? []);
}

/** Of these items, the ones published at some time (every status change writes a revision). */
async function everPublished(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: revisions.entityId })
    .from(revisions)
    .where(and(inArray(revisions.entityId, ids), sql`${revisions.snapshot}->>'status' = 'published'`));
  return new Set(rows.map((r) => r.id));
}

const statusReason = (status: string): TombstoneReason => (status === 'archived' ? 'archived' : 'unpublished');

function tombstone(c: Candidate, reason: TombstoneReason): SyncTombstoneOut {
  const at = c.at.toISOString();
  const gone = reason === 'deleted' || reason === 'renamed';
  return { type: c.type, key: c.key, reason, deletedAt: gone ? at : null, unpublishedAt: gone ? null : at };
}

interface Resolved {
  items: SyncItemOut[];
  tombstones: SyncTombstoneOut[];
}

async function resolveCategories({ db, reads }: SyncDb, ctx: ReadContext, wanted: Candidate[]): Promise<Resolved> {
  if (wanted.length === 0) return { items: [], tombstones: [] };
  const inScope = scopeOf(ctx);
  const visible = new Map(
    (await listCategories(reads, ctx)).filter((c) => inScope(c.slug)).map((c): [string, CategoryOut] => [c.slug, c]),
  );
  const missing = wanted.filter((c) => !visible.has(c.key));
  const hinted = missing.flatMap((c) => [...c.entityIds]);
  // A slug that exists but is not visible is out of scope; an item that exists under another slug was renamed.
  const existing = missing.length
    ? await db
        .select({ id: categories.id, slug: categories.slug })
        .from(categories)
        .where(
          or(
            inArray(
              categories.slug,
              missing.map((c) => c.key),
            ),
            hinted.length ? inArray(categories.id, hinted) : undefined,
          ),
        )
    : [];
  const slugs = new Set(existing.map((r) => r.slug));
  const ids = new Set(existing.map((r) => r.id));
  return {
    items: wanted
      .filter((c) => visible.has(c.key))
      .map((c) => ({ type: 'category', key: c.key, category: visible.get(c.key)! })),
    // Categories have no drafts: every one that existed was public.
    tombstones: missing.map((c) =>
      tombstone(
        c,
        slugs.has(c.key) ? 'out-of-scope' : [...c.entityIds].some((id) => ids.has(id)) ? 'renamed' : 'deleted',
      ),
    ),
  };
}

async function resolveRoles(sdb: SyncDb, ctx: ReadContext, wanted: Candidate[]): Promise<Resolved> {
  if (wanted.length === 0) return { items: [], tombstones: [] };
  const { db } = sdb;
  const inScope = scopeOf(ctx);
  const found = await rolesForSync(
    sdb,
    ctx,
    wanted.map((c) => c.key),
  );
  const visible = new Map(found.filter((r) => inScope(r.category.slug)).map((r) => [r.slug, r]));
  const full = visible;

  const missing = wanted.filter((c) => !visible.has(c.key));
  if (missing.length === 0)
    return { items: wanted.map((c) => ({ type: 'role', key: c.key, role: full.get(c.key)! })), tombstones: [] };
  const facts = await db
    .select({ id: roles.id, slug: roles.slug, status: roles.status })
    .from(roles)
    .where(
      inArray(
        roles.slug,
        missing.map((c) => c.key),
      ),
    );
  const hinted = missing.flatMap((c) => [...c.entityIds]);
  const stillHeld = new Set(
    hinted.length
      ? (await db.select({ id: roles.id }).from(roles).where(inArray(roles.id, hinted))).map((r) => r.id)
      : [],
  );
  const factOf = new Map(facts.map((f) => [f.slug, f]));
  const published = await everPublished(db, [...hinted, ...facts.map((f) => f.id)]);

  const tombstones = missing.flatMap((c) => {
    const fact = factOf.get(c.key);
    const ids = [...c.entityIds, ...(fact ? [fact.id] : [])];
    if (!ids.some((id) => published.has(id))) return [];
    if (fact) return [tombstone(c, fact.status === 'published' ? 'out-of-scope' : statusReason(fact.status))];
    return [tombstone(c, [...c.entityIds].some((id) => stillHeld.has(id)) ? 'renamed' : 'deleted')];
  });
  return {
    items: wanted.filter((c) => visible.has(c.key)).map((c) => ({ type: 'role', key: c.key, role: full.get(c.key)! })),
    tombstones,
  };
}

async function resolveQuestions({ db, reads }: SyncDb, ctx: ReadContext, wanted: Candidate[]): Promise<Resolved> {
  if (wanted.length === 0) return { items: [], tombstones: [] };
  const inScope = scopeOf(ctx);
  const ids = wanted.map((c) => c.key);
  const [found, facts] = await Promise.all([
    questionsByIds(reads, ctx, ids).then((docs) => docs.map((d) => JSON.parse(d.json) as QuestionOut)),
    db
      .select({ id: questions.id, status: questions.status, roleStatus: roles.status, category: categories.slug })
      .from(questions)
      .innerJoin(roles, eq(roles.id, questions.roleId))
      .innerJoin(categories, eq(categories.id, roles.categoryId))
      .where(inArray(questions.id, ids)),
  ]);
  const factOf = new Map(facts.map((f) => [f.id, f]));
  const visible = new Map(
    found.filter((q) => inScope(factOf.get(q.id)?.category ?? '')).map((q): [string, QuestionOut] => [q.id, q]),
  );
  const missing = wanted.filter((c) => !visible.has(c.key));
  const published = await everPublished(
    db,
    missing.map((c) => c.key),
  );
  const tombstones = missing.flatMap((c) => {
    if (!published.has(c.key)) return [];
    const fact = factOf.get(c.key);
    if (!fact) return [tombstone(c, 'deleted')];
    if (fact.status !== 'published') return [tombstone(c, statusReason(fact.status))];
    if (fact.roleStatus !== 'published') return [tombstone(c, statusReason(fact.roleStatus))];
    return [tombstone(c, 'out-of-scope')];
  });
  return {
    items: wanted
      .filter((c) => visible.has(c.key))
      .map((c) => ({ type: 'question', key: c.key, question: visible.get(c.key)! })),
    tombstones,
  };
}

/**
 * Items first (categories, roles, questions: what others refer to comes first), then tombstones
 * the other way round, so a mirror with foreign keys can apply a page in order.
 */
export async function resolve(db: SyncDb, ctx: ReadContext, candidates: Candidate[]): Promise<Resolved> {
  const of = (type: SyncType) => candidates.filter((c) => c.type === type);
  const [c, r, q] = await Promise.all([
    resolveCategories(db, ctx, of('category')),
    resolveRoles(db, ctx, of('role')),
    resolveQuestions(db, ctx, of('question')),
  ]);
  return {
    items: [...c.items, ...r.items, ...q.items],
    tombstones: [...q.tombstones, ...r.tombstones, ...c.tombstones],
  };
}
