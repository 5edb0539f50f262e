import type { IResolvers, MercuriusContext } from 'mercurius';
import { hasScope, type Scope } from '../access/principal.js';
import type { StatusAction } from '../content/admin/lifecycle.js';
import { AppError } from '../errors.js';
import { fromEnum, toEnum } from './enums.js';
import './context.js';

/** The same scope rule as the REST routes: 401 without a key, 403 without the scope. */
function require(ctx: MercuriusContext, scope: Scope) {
  const principal = ctx.read.principal;
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', `This mutation needs an API key with ${scope}`);
  if (!hasScope(principal, scope)) throw new AppError('FORBIDDEN', `This API key lacks the scope ${scope}`);
  return principal;
}

type Input = Record<string, unknown>;

/** GraphQL enum names back to content values; fields left out stay out (partial updates). */
function contentInput(input: Input): Input {
  const out: Input = { ...input };
  for (const key of ['seniority', 'track', 'difficulty'] as const) if (typeof out[key] === 'string') out[key] = fromEnum(out[key] as string);
  return out;
}

const enumsOut = { seniority: (o: { seniority: string }) => toEnum(o.seniority), track: (o: { track: string }) => toEnum(o.track), status: (o: { status: string }) => toEnum(o.status) };

type StatusArgs<K extends string> = { [key in K]: string } & { version?: number | null };

const roleStatus = (action: StatusAction) => async (_r: unknown, { slug, version }: StatusArgs<'slug'>, ctx: MercuriusContext) => {
  await ctx.content.admin.setRoleStatus(require(ctx, 'content:publish'), slug, action, version ?? undefined);
  return ctx.content.admin.getRole(slug);
};

const questionStatus = (action: StatusAction) => async (_r: unknown, { id, version }: StatusArgs<'id'>, ctx: MercuriusContext) => {
  await ctx.content.admin.setQuestionStatus(require(ctx, 'content:publish'), id, action, version ?? undefined);
  return ctx.content.admin.getQuestion(id);
};

export const mutationResolvers: IResolvers = {
  Mutation: {
    createRole: async (_r, { input }, ctx) => {
      const slug = await ctx.content.admin.createRole(require(ctx, 'content:write'), contentInput(input) as never);
      return ctx.content.admin.getRole(slug);
    },
    updateRole: async (_r, { slug, input, version }, ctx) => ctx.content.admin.getRole(await ctx.content.admin.updateRole(require(ctx, 'content:write'), slug, contentInput(input) as never, version ?? undefined)),
    publishRole: roleStatus('publish'),
    unpublishRole: roleStatus('unpublish'),
    archiveRole: roleStatus('archive'),
    deleteRole: async (_r, { slug, cascade }, ctx) => {
      await ctx.content.admin.deleteRole(require(ctx, 'content:write'), slug, cascade === true);
      return true;
    },
    createQuestion: async (_r, { role, input }, ctx) => ctx.content.admin.getQuestion(await ctx.content.admin.createQuestion(require(ctx, 'content:write'), role, contentInput(input))),
    updateQuestion: async (_r, { id, input, version }, ctx) => {
      await ctx.content.admin.updateQuestion(require(ctx, 'content:write'), id, contentInput(input), version ?? undefined);
      return ctx.content.admin.getQuestion(id);
    },
    publishQuestion: questionStatus('publish'),
    unpublishQuestion: questionStatus('unpublish'),
    archiveQuestion: questionStatus('archive'),
    deleteQuestion: async (_r, { id, version }, ctx) => {
      await ctx.content.admin.deleteQuestion(require(ctx, 'content:write'), id, version ?? undefined);
      return true;
    },
    restoreRoleRevision: async (_r, { slug, revision, version }, ctx) => {
      await ctx.content.admin.restoreRevision(require(ctx, 'content:write'), 'role', slug, revision, version ?? undefined);
      return ctx.content.admin.getRole(slug);
    },
    restoreQuestionRevision: async (_r, { id, revision, version }, ctx) => {
      await ctx.content.admin.restoreRevision(require(ctx, 'content:write'), 'question', id, revision, version ?? undefined);
      return ctx.content.admin.getQuestion(id);
    },
  },
  AdminRole: enumsOut,
  AdminQuestion: { difficulty: (q: { difficulty: string }) => toEnum(q.difficulty), status: (q: { status: string }) => toEnum(q.status) },
  AdminQuestionSummary: { status: (q: { status: string }) => toEnum(q.status) },
};
