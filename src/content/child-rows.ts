import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { questions, roleRelatedRoles, roles, rounds } from '../db/schema.js';
import { groupBy } from '../group-by.js';
import { questionColumnSelection } from './question-fields.js';
import type { RoleRefOut, RoundOut } from './schemas.js';
import type { Status } from './vocabulary.js';

/*
 * The child rows of roles that are more than plain lists (rounds, links, questions) for the export
 * reader, drafts included: each reads the rows of many parents in one statement, grouped by
 * parent, so an export costs the same number of statements for one role or all of them. Plain
 * lists (tips, STAR examples, ...) are read from their declarations (child-lists.ts). Public reads
 * have their own single statements (json-sql.ts).
 */

export type ByParent<T> = Map<string, T[]>;

export type RoundWithId = RoundOut & { id: string; roleId: string };

export async function roundsByRole(
  db: Queryable,
  roleIds: readonly string[],
  statuses: Status[],
): Promise<ByParent<RoundWithId>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: rounds.id,
      roleId: rounds.roleId,
      name: rounds.name,
      position: rounds.position,
      focus: rounds.focus,
      durationMinutes: rounds.durationMinutes,
      // eq() qualifies both columns; a bare ${column} in a one-table select would not.
      questionCount:
        sql<number>`(select count(*) from ${questions} where ${and(eq(questions.roundId, rounds.id), inArray(questions.status, statuses))})`.mapWith(
          Number,
        ),
    })
    .from(rounds)
    .where(inArray(rounds.roleId, [...roleIds]))
    .orderBy(asc(rounds.roleId), asc(rounds.position));
  return groupBy(
    rows,
    (r) => r.roleId,
    (r) => r,
  );
}

/** Related roles the caller may see; a link to a draft is left out for public readers. */
export async function relatedByRole(
  db: Queryable,
  roleIds: readonly string[],
  statuses: Status[],
  scope?: SQL,
): Promise<ByParent<RoleRefOut>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select({ roleId: roleRelatedRoles.roleId, slug: roles.slug, title: roles.title })
    .from(roleRelatedRoles)
    .innerJoin(roles, eq(roles.id, roleRelatedRoles.relatedRoleId))
    .where(and(inArray(roleRelatedRoles.roleId, [...roleIds]), inArray(roles.status, statuses), scope))
    .orderBy(asc(roleRelatedRoles.roleId), asc(roleRelatedRoles.position));
  return groupBy(
    rows,
    (r) => r.roleId,
    (r) => ({ slug: r.slug, title: r.title }),
  );
}

/** Every question of many roles, drafts included when asked, in interview order (for exports). */
export async function questionRowsByRole(db: Queryable, roleIds: readonly string[], statuses: Status[]) {
  if (roleIds.length === 0) return [];
  return db
    .select({
      id: questions.id,
      roleId: questions.roleId,
      roundName: rounds.name,
      columns: questionColumnSelection,
    })
    .from(questions)
    .leftJoin(rounds, eq(rounds.id, questions.roundId))
    .where(and(inArray(questions.roleId, [...roleIds]), inArray(questions.status, statuses)))
    .orderBy(asc(questions.roleId), asc(questions.position), asc(questions.id));
}
