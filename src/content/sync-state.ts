import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/client.js';
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
 * A tombstone is sent only for what the caller could have held: an item that was public to it, in
 * its categories, under that very key at some time (revisions record every state an item was in).
 * A draft that never went out is nobody's business, and a key limited to categories never learns
 * the key of anything that was never in them: not even that it changed.
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

const listOf = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** Of these role slugs, the ones a role was published under, in one of the caller's categories, at some time. */
async function roleSlugsEverVisible(db: Queryable, slugs: string[], scope: readonly string[] | null) {
  if (slugs.length === 0 || scope?.length === 0) return new Set<string>();
  const slug = sql<string>`${revisions.snapshot}->>'slug'`;
  const rows = await db
    .selectDistinct({ slug })
    .from(revisions)
    .where(
      and(
        eq(revisions.entityType, 'role'),
        inArray(slug, slugs),
        sql`${revisions.snapshot}->>'status' = 'published'`,
        scope ? inArray(sql`${revisions.snapshot}->>'category'`, [...scope]) : undefined,
      ),
    );
  return new Set(rows.map((r) => r.slug));
}

/**
 * Of these questions, the ones that were public at some time, within the caller's categories: the
 * question published while its role was published in one of them. Both change only when a
 * revision is written, so it is enough to look at the state of both at each of their revisions.
 * A question never changes roles; its role is the one that bore the slug its first revision names.
 */
async function questionsEverVisible(db: Queryable, ids: string[], scope: readonly string[] | null) {
  if (ids.length === 0 || scope?.length === 0) return new Set<string>();
  const inScope = scope ? sql`rs.category in (${listOf(scope)})` : sql`true`;
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      with first_revision as (
        select distinct on (entity_id) entity_id as qid, id as rev, snapshot->>'role' as role_slug
        from ${revisions}
        where entity_type = 'question' and entity_id in (${listOf(ids)})
        order by entity_id, id
      ),
      owner as (
        select f.qid, (
          select r.entity_id from ${revisions} r
          where r.entity_type = 'role' and r.snapshot->>'slug' = f.role_slug and r.id < f.rev
          order by r.id desc limit 1
        ) as role_id
        from first_revision f
      ),
      points as (
        select o.qid, o.role_id, p.id from owner o
        cross join lateral (
          select id from ${revisions} where entity_type = 'question' and entity_id = o.qid
          union all
          select id from ${revisions} where entity_type = 'role' and entity_id = o.role_id
        ) p
      )
      select distinct pt.qid as id from points pt
      cross join lateral (
        select snapshot->>'status' as status from ${revisions}
        where entity_type = 'question' and entity_id = pt.qid and id <= pt.id order by id desc limit 1
      ) qs
      cross join lateral (
        select snapshot->>'status' as status, snapshot->>'category' as category from ${revisions}
        where entity_type = 'role' and entity_id = pt.role_id and id <= pt.id order by id desc limit 1
      ) rs
      where qs.status = 'published' and rs.status = 'published' and ${inScope}`),
  );
  return new Set(rows.map((r) => String(r.id)));
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
    // Categories have no drafts: every one that existed was public, to a key limited to
    // categories only under the slugs it lists.
    tombstones: missing
      .filter((c) => inScope(c.key))
      .map((c) =>
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
  const held = await roleSlugsEverVisible(
    db,
    missing.map((c) => c.key),
    categoryScope(ctx),
  );

  const tombstones = missing.flatMap((c) => {
    const fact = factOf.get(c.key);
    if (!held.has(c.key)) return [];
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
  const held = await questionsEverVisible(
    db,
    missing.map((c) => c.key),
    categoryScope(ctx),
  );
  const tombstones = missing.flatMap((c) => {
    if (!held.has(c.key)) return [];
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
