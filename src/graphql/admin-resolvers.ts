import type { IResolvers, MercuriusContext } from 'mercurius';
import type { AdminQuestionFilters, AdminRoleFilters } from '../content/admin/lists.js';
import type { EntityType } from '../content/admin/revisions.js';
import { isAppError } from '../errors.js';
import { fromEnum, toEnum } from './enums.js';
import { connection, pageArgs } from './resolvers.js';
import './context.js';

/*
 * Content tools' reads: the admin lists, one role or question with its revisions and their
 * differences, releases. Each calls the content service, which checks the caller's scopes (the
 * nested revision fields too, against the revision operations).
 */

type Args = Record<string, unknown>;

const SORTS: Record<string, string> = {
  TITLE: 'title',
  TITLE_DESC: '-title',
  SLUG: 'slug',
  ROLE: 'role',
  UPDATED_AT: 'updatedAt',
  UPDATED_AT_DESC: '-updatedAt',
};

/** The admin lists' filters from GraphQL arguments, as REST's query string gives them. */
function listFilters(args: Args): AdminRoleFilters & AdminQuestionFilters {
  const text = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);
  return {
    status: fromEnum(args.status as string | undefined),
    category: text('category'),
    q: text('q'),
    updatedBy: text('updatedBy'),
    updatedSince: typeof args.updatedSince === 'string' ? new Date(args.updatedSince) : undefined,
    scheduled: typeof args.scheduled === 'boolean' ? args.scheduled : undefined,
    seniority: fromEnum(args.seniority as string | undefined),
    track: fromEnum(args.track as string | undefined),
    role: text('role'),
    round: text('round'),
    competency: text('competency'),
    difficulty: fromEnum(args.difficulty as string | undefined),
    tag: text('tag'),
    sort: typeof args.sort === 'string' ? (SORTS[args.sort] as never) : undefined,
  };
}

/** null for a revision or item that does not exist, as for the root fields. */
async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (isAppError(err) && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

const revisionFields = (type: EntityType, keyOf: (item: Record<string, unknown>) => string) => ({
  revisions: (item: Record<string, unknown>, _args: Args, ctx: MercuriusContext) =>
    ctx.content.admin.listRevisions(ctx.read.principal, type, keyOf(item)),
  revision: (item: Record<string, unknown>, args: { version: number }, ctx: MercuriusContext) =>
    orNull(ctx.content.admin.getRevision(ctx.read.principal, type, keyOf(item), args.version)),
  revisionDiff: (item: Record<string, unknown>, args: { from: number; to: number }, ctx: MercuriusContext) =>
    ctx.content.admin.diffRevisions(ctx.read.principal, type, keyOf(item), args.from, args.to),
});

const enumOf =
  (field: string) =>
  (o: Record<string, unknown>): string | null =>
    typeof o[field] === 'string' ? toEnum(o[field] as string) : null;

export const adminResolvers: IResolvers = {
  Query: {
    adminRoles: async (_r, args: Args, ctx) => {
      const result = await ctx.content.admin.listRoles(ctx.read.principal, listFilters(args), pageArgs(args));
      return connection(result.data, result.page, result.cursors);
    },
    adminRole: (_r, args: { slug: string }, ctx) => ctx.content.admin.getRole(ctx.read.principal, args.slug),
    adminQuestions: async (_r, args: Args, ctx) => {
      const result = await ctx.content.admin.listQuestions(ctx.read.principal, listFilters(args), pageArgs(args));
      return connection(result.data, result.page, result.cursors);
    },
    adminQuestion: (_r, args: { id: string }, ctx) => ctx.content.admin.getQuestion(ctx.read.principal, args.id),
    releases: (_r, args: { status?: string | null }, ctx) =>
      ctx.content.admin.listReleases(ctx.read.principal, fromEnum(args.status)),
    release: (_r, args: { id: string }, ctx) => ctx.content.admin.getRelease(ctx.read.principal, args.id),
  },
  AdminRole: {
    seniority: enumOf('seniority'),
    track: enumOf('track'),
    status: enumOf('status'),
    ...revisionFields('role', (role) => role.slug as string),
  },
  AdminQuestion: {
    difficulty: enumOf('difficulty'),
    status: enumOf('status'),
    ...revisionFields('question', (question) => question.id as string),
  },
  AdminQuestionSummary: { status: enumOf('status') },
  AdminRoleSummary: { seniority: enumOf('seniority'), track: enumOf('track'), status: enumOf('status') },
  AdminQuestionListItem: { difficulty: enumOf('difficulty'), status: enumOf('status') },
  BulkReport: { action: enumOf('action') },
  BulkItem: { type: enumOf('type'), from: enumOf('from'), to: enumOf('to') },
  Release: { status: enumOf('status') },
  ReleaseItem: { type: enumOf('type'), status: enumOf('status') },
};
