import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { roleRelatedRoles, roles, rounds } from '../db/schema.js';
import { faqsByRole, roundsByRole, tipsByRole, type RoundWithId } from './loaders.js';
import { nodeOf, withNode, type WithNode } from './nodes.js';
import { hydrateQuestions, questionRowsByIds, questionRowsByRole, questionRowsByRound } from './questions.js';
import { hydrateRoles, publicRound, roleRowsByIds } from './roles.js';
import type { FaqOut, QuestionOut, RoleOut, RoundOut, TipOut } from './schemas.js';
import { inCategoryScope, visibleStatuses, type ReadContext } from './visibility.js';

/*
 * Batch reads for GraphQL loaders: each takes every parent id of one level of a query and answers
 * in a fixed number of statements, keyed by parent id, in the order the ids came.
 */

export type RoleNode = WithNode<RoleOut>;
export type QuestionNode = WithNode<QuestionOut>;
export type RoundNode = WithNode<RoundOut>;

const roundNode = (r: RoundWithId): RoundNode => withNode(publicRound(r), { id: r.id, roleId: r.roleId });

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export async function rolesByIds(db: Queryable, ctx: ReadContext, ids: readonly string[]): Promise<(RoleNode | null)[]> {
  const nodes = await hydrateRoles(db, await roleRowsByIds(db, ids, visibleStatuses(ctx), inCategoryScope(ctx, roles.categoryId)));
  const byId = new Map(nodes.map((n) => [nodeOf(n).id, n]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function roundsOfRoles(db: Queryable, ctx: ReadContext, roleIds: readonly string[]): Promise<RoundNode[][]> {
  const map = await roundsByRole(db, roleIds, visibleStatuses(ctx));
  return roleIds.map((id) => (map.get(id) ?? []).map(roundNode));
}

export async function roundsByIds(db: Queryable, ctx: ReadContext, ids: readonly string[]): Promise<(RoundNode | null)[]> {
  const real = ids.filter((id): id is string => Boolean(id));
  if (real.length === 0) return ids.map(() => null);
  const owners = await db.select({ roleId: rounds.roleId }).from(rounds).where(inArray(rounds.id, real));
  const map = await roundsByRole(db, [...new Set(owners.map((o) => o.roleId))], visibleStatuses(ctx));
  const byId = new Map([...map.values()].flat().map((r) => [r.id, roundNode(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function questionsOfRoles(db: Queryable, ctx: ReadContext, roleIds: readonly string[]): Promise<QuestionNode[][]> {
  const rows = await questionRowsByRole(db, roleIds, visibleStatuses(ctx));
  const grouped = groupBy(await hydrateQuestions(db, rows), (q) => nodeOf(q).roleId!);
  return roleIds.map((id) => grouped.get(id) ?? []);
}

export async function questionsOfRounds(db: Queryable, ctx: ReadContext, roundIds: readonly string[]): Promise<QuestionNode[][]> {
  const rows = await questionRowsByRound(db, roundIds, visibleStatuses(ctx));
  const grouped = groupBy(await hydrateQuestions(db, rows), (q) => nodeOf(q).roundId ?? '');
  return roundIds.map((id) => grouped.get(id) ?? []);
}

export async function tipsOfRoles(db: Queryable, roleIds: readonly string[]): Promise<TipOut[][]> {
  const map = await tipsByRole(db, roleIds);
  return roleIds.map((id) => map.get(id) ?? []);
}

export async function faqsOfRoles(db: Queryable, roleIds: readonly string[]): Promise<FaqOut[][]> {
  const map = await faqsByRole(db, roleIds);
  return roleIds.map((id) => map.get(id) ?? []);
}

/** Related roles as full role nodes (visible ones only), so a query can go on into them. */
export async function relatedOfRoles(db: Queryable, ctx: ReadContext, roleIds: readonly string[]): Promise<RoleNode[][]> {
  if (roleIds.length === 0) return [];
  const statuses = visibleStatuses(ctx);
  const links = await db
    .select({ roleId: roleRelatedRoles.roleId, relatedId: roleRelatedRoles.relatedRoleId })
    .from(roleRelatedRoles)
    .innerJoin(roles, eq(roles.id, roleRelatedRoles.relatedRoleId))
    .where(and(inArray(roleRelatedRoles.roleId, [...roleIds]), inArray(roles.status, statuses)))
    .orderBy(roleRelatedRoles.roleId, roleRelatedRoles.position);
  const related = await rolesByIds(db, ctx, [...new Set(links.map((l) => l.relatedId))]);
  const byId = new Map(related.filter((r): r is RoleNode => r !== null).map((r) => [nodeOf(r).id, r]));
  const grouped = groupBy(links, (l) => l.roleId);
  return roleIds.map((id) => (grouped.get(id) ?? []).map((l) => byId.get(l.relatedId)).filter((r): r is RoleNode => Boolean(r)));
}

export async function rolesBySlugs(db: Queryable, ctx: ReadContext, slugs: readonly string[]): Promise<(RoleNode | null)[]> {
  if (slugs.length === 0) return [];
  const found = await db.select({ id: roles.id, slug: roles.slug }).from(roles).where(inArray(roles.slug, [...slugs]));
  const ids = new Map(found.map((r) => [r.slug, r.id]));
  const nodes = await rolesByIds(db, ctx, found.map((r) => r.id));
  const byId = new Map(nodes.filter((n): n is RoleNode => n !== null).map((n) => [nodeOf(n).id, n]));
  return slugs.map((slug) => byId.get(ids.get(slug) ?? '') ?? null);
}

export async function questionsByIds(db: Queryable, ctx: ReadContext, ids: readonly string[]): Promise<(QuestionNode | null)[]> {
  const questions = await hydrateQuestions(db, await questionRowsByIds(db, ids, visibleStatuses(ctx), inCategoryScope(ctx, roles.categoryId)));
  const byId = new Map(questions.map((q) => [q.id, q]));
  return ids.map((id) => byId.get(id) ?? null);
}
