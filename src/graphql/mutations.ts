import type { IResolvers, MercuriusContext } from 'mercurius';
import { hasScope, type Scope } from '../access/principal.js';
import type { StatusAction } from '../content/admin/lifecycle.js';
import { keyCreateInput } from '../content/admin/schemas.js';
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

/** GraphQL sends null for an optional input field left empty; a partial update means "not sent". */
const withoutNulls = (input: Input): Input => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));

const scopeToEnum = (scope: string) => toEnum(scope.replace(':', '_'));
const scopeFromEnum = (value: string) => value.toLowerCase().replace('_', ':') as Scope;

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
      const slug = await ctx.content.admin.createRole(require(ctx, 'content:write'), contentInput(withoutNulls(input)) as never);
      return ctx.content.admin.getRole(slug);
    },
    updateRole: async (_r, { slug, input, version }, ctx) => ctx.content.admin.getRole(await ctx.content.admin.updateRole(require(ctx, 'content:write'), slug, contentInput(withoutNulls(input)) as never, version ?? undefined)),
    publishRole: roleStatus('publish'),
    unpublishRole: roleStatus('unpublish'),
    archiveRole: roleStatus('archive'),
    deleteRole: async (_r, { slug, cascade, version }, ctx) => {
      await ctx.content.admin.deleteRole(require(ctx, 'content:write'), slug, cascade === true, version ?? undefined);
      return true;
    },
    createQuestion: async (_r, { role, input }, ctx) => ctx.content.admin.getQuestion(await ctx.content.admin.createQuestion(require(ctx, 'content:write'), role, contentInput(withoutNulls(input)))),
    updateQuestion: async (_r, { id, input, version }, ctx) => {
      await ctx.content.admin.updateQuestion(require(ctx, 'content:write'), id, contentInput(withoutNulls(input)), version ?? undefined);
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
    createCategory: async (_r, { input }, ctx) => {
      await ctx.content.admin.createCategory(require(ctx, 'content:write'), input);
      return ctx.content.admin.listCategories();
    },
    updateCategory: async (_r, { slug, input }, ctx) => {
      await ctx.content.admin.updateCategory(require(ctx, 'content:write'), slug, withoutNulls(input));
      return ctx.content.admin.listCategories();
    },
    deleteCategory: async (_r, { slug, cascade }, ctx) => {
      await ctx.content.admin.deleteCategory(require(ctx, 'content:write'), slug, cascade === true);
      return true;
    },
    addRound: async (_r, { role, input, version }, ctx) => {
      await ctx.content.admin.addRound(require(ctx, 'content:write'), role, input, version ?? undefined);
      return ctx.content.admin.getRole(role);
    },
    updateRound: async (_r, { role, position, input, version }, ctx) => {
      await ctx.content.admin.updateRound(require(ctx, 'content:write'), role, position, withoutNulls(input), version ?? undefined);
      return ctx.content.admin.getRole(role);
    },
    deleteRound: async (_r, { role, position, cascade, version }, ctx) => {
      await ctx.content.admin.deleteRound(require(ctx, 'content:write'), role, position, cascade === true, version ?? undefined);
      return ctx.content.admin.getRole(role);
    },
    reorderRounds: async (_r, { role, names, version }, ctx) => {
      await ctx.content.admin.reorderRounds(require(ctx, 'content:write'), role, names, version ?? undefined);
      return ctx.content.admin.getRole(role);
    },
    reorderQuestions: async (_r, { role, ids, version }, ctx) => {
      await ctx.content.admin.reorderQuestions(require(ctx, 'content:write'), role, ids, version ?? undefined);
      return ctx.content.admin.getRole(role);
    },
    createApiKey: async (_r, { input }, ctx) => {
      require(ctx, 'keys:manage');
      const parsed = keyCreateInput.safeParse({ ...withoutNulls(input), scopes: (input.scopes as string[]).map(scopeFromEnum) });
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', 'The key is not valid', { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      }
      return ctx.access.createKey(ctx.read.principal, { ...parsed.data, expiresAt: parsed.data.expiresAt ? new Date(parsed.data.expiresAt) : null });
    },
    revokeApiKey: (_r, { id }, ctx) => ctx.access.revokeKey(require(ctx, 'keys:manage'), id),
    rotateApiKey: (_r, { id, overlapSeconds }, ctx) => {
      require(ctx, 'keys:manage');
      if (!(overlapSeconds >= 0 && overlapSeconds <= 30 * 86_400)) {
        throw new AppError('VALIDATION_FAILED', 'overlapSeconds: must be between 0 and 30 days', { errors: [{ path: 'overlapSeconds', message: 'must be between 0 and 2592000' }] });
      }
      return ctx.access.rotateKey(ctx.read.principal, id, overlapSeconds);
    },
    importContent: (_r, { bundle, dryRun }, ctx) => {
      require(ctx, 'content:write');
      const principal = require(ctx, 'content:publish');
      let parsed: unknown;
      try {
        parsed = JSON.parse(bundle);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'bundle: is not JSON', { errors: [{ path: 'bundle', message: 'is not JSON' }] });
      }
      return ctx.content.admin.importContent(principal, parsed, dryRun === true, ctx.shutdownSignal);
    },
    restoreQuestionRevision: async (_r, { id, revision, version }, ctx) => {
      await ctx.content.admin.restoreRevision(require(ctx, 'content:write'), 'question', id, revision, version ?? undefined);
      return ctx.content.admin.getQuestion(id);
    },
  },
  AdminRole: enumsOut,
  ApiKey: { scopes: (k: { scopes: string[] }) => k.scopes.map(scopeToEnum) },
  AdminQuestion: { difficulty: (q: { difficulty: string }) => toEnum(q.difficulty), status: (q: { status: string }) => toEnum(q.status) },
  AdminQuestionSummary: { status: (q: { status: string }) => toEnum(q.status) },
};
