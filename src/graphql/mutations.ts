import type { IResolvers, MercuriusContext } from 'mercurius';
import type { Scope } from '../access/principal.js';
import type { StatusAction } from '../content/admin/lifecycle.js';
import { keyCreateInput } from '../content/admin/schemas.js';
import { AppError, fieldErrors } from '../errors.js';
import { fromEnum, toEnum } from './enums.js';
import './context.js';

/*
 * Who may run each mutation is its entry in src/access/operations.ts, checked before the resolver
 * runs (operations.ts here) and again by the service it calls; resolvers only translate.
 */

type Input = Record<string, unknown>;

/**
 * For inputs other than content (keys, categories, rounds), GraphQL's null for an optional field
 * means "not sent". Content inputs pass null on: it clears the field, as on REST (the content
 * service decides what null means, once for both surfaces).
 */
const withoutNulls = (input: Input): Input => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));

/** Arguments a client gave, null included (null cancels a schedule); those left out stay out. */
const given = (args: Input, names: string[]): Input =>
  Object.fromEntries(names.filter((n) => n in args).map((n) => [n, args[n]]));

const scopeToEnum = (scope: string) => toEnum(scope.replace(':', '_'));
const scopeFromEnum = (value: string) => value.toLowerCase().replace('_', ':') as Scope;

/** GraphQL enum names back to content values; fields left out stay out (partial updates). */
function contentInput(input: Input): Input {
  const out: Input = { ...input };
  for (const key of ['seniority', 'track', 'difficulty'] as const)
    if (typeof out[key] === 'string') out[key] = fromEnum(out[key] as string);
  return out;
}

type StatusArgs<K extends string> = { [key in K]: string } & { version?: number | null } & Input;
const STATUS_OPTIONS = ['note', 'publishAt', 'unpublishAt', 'withQuestions'];

const roleStatus = (action: StatusAction) => (_r: unknown, args: StatusArgs<'slug'>, ctx: MercuriusContext) =>
  ctx.content.admin.setRoleStatus(
    ctx.read.principal,
    args.slug,
    action,
    args.version ?? undefined,
    withoutNulls(given(args, action === 'publish' ? STATUS_OPTIONS : ['note', 'unpublishAt'])),
  );

const questionStatus = (action: StatusAction) => (_r: unknown, args: StatusArgs<'id'>, ctx: MercuriusContext) =>
  ctx.content.admin.setQuestionStatus(
    ctx.read.principal,
    args.id,
    action,
    args.version ?? undefined,
    withoutNulls(given(args, ['note', 'publishAt', 'unpublishAt'])),
  );

/** null cancels, a time sets, an argument left out leaves it. */
const scheduleOf = (args: Input) => {
  const at = (v: unknown) => (v === null ? null : new Date(v as string));
  return {
    ...('publishAt' in args ? { publishAt: at(args.publishAt) } : {}),
    ...('unpublishAt' in args ? { unpublishAt: at(args.unpublishAt) } : {}),
  };
};

const restoreOptions = (args: Input) => withoutNulls(given(args, ['note', 'dropMissingReferences']));

/** The bulk input as the content service takes it (REST's body). */
function bulkOf(input: Input): Input {
  const where = input.where as Input | null | undefined;
  return {
    ...withoutNulls({ ...input, where: undefined }),
    action: fromEnum(input.action as string),
    ...(where
      ? {
          where: {
            ...contentInput(withoutNulls(where)),
            type: fromEnum(where.type as string),
            ...(typeof where.status === 'string' ? { status: fromEnum(where.status) } : {}),
          },
        }
      : {}),
  };
}

export const mutationResolvers: IResolvers = {
  Mutation: {
    createRole: (_r, { input }, ctx) => ctx.content.admin.createRole(ctx.read.principal, contentInput(input) as never),
    updateRole: (_r, { slug, input, version, note }, ctx) =>
      ctx.content.admin.updateRole(
        ctx.read.principal,
        slug,
        { ...contentInput(input), ...(note != null ? { note } : {}) } as never,
        version ?? undefined,
      ),
    publishRole: roleStatus('publish'),
    unpublishRole: roleStatus('unpublish'),
    archiveRole: roleStatus('archive'),
    scheduleRole: (_r, args, ctx) =>
      ctx.content.admin.scheduleRole(ctx.read.principal, args.slug, scheduleOf(args), args.version ?? undefined),
    deleteRole: async (_r, { slug, cascade, version }, ctx) => {
      await ctx.content.admin.deleteRole(ctx.read.principal, slug, cascade === true, version ?? undefined);
      return true;
    },
    createQuestion: (_r, { role, input }, ctx) =>
      ctx.content.admin.createQuestion(ctx.read.principal, role, contentInput(input)),
    updateQuestion: (_r, { id, input, version, note }, ctx) =>
      ctx.content.admin.updateQuestion(
        ctx.read.principal,
        id,
        { ...contentInput(input), ...(note != null ? { note } : {}) },
        version ?? undefined,
      ),
    publishQuestion: questionStatus('publish'),
    unpublishQuestion: questionStatus('unpublish'),
    archiveQuestion: questionStatus('archive'),
    scheduleQuestion: (_r, args, ctx) =>
      ctx.content.admin.scheduleQuestion(ctx.read.principal, args.id, scheduleOf(args), args.version ?? undefined),
    deleteQuestion: async (_r, { id, version }, ctx) => {
      await ctx.content.admin.deleteQuestion(ctx.read.principal, id, version ?? undefined);
      return true;
    },
    restoreRoleRevision: (_r, args, ctx) =>
      ctx.content.admin.restoreRoleRevision(
        ctx.read.principal,
        args.slug,
        args.revision,
        args.version ?? undefined,
        restoreOptions(args),
      ),
    restoreQuestionRevision: (_r, args, ctx) =>
      ctx.content.admin.restoreQuestionRevision(
        ctx.read.principal,
        args.id,
        args.revision,
        args.version ?? undefined,
        restoreOptions(args),
      ),
    bulk: (_r, { input }, ctx) => ctx.content.admin.bulk(ctx.read.principal, bulkOf(input) as never),
    createRelease: (_r, { input }, ctx) => ctx.content.admin.createRelease(ctx.read.principal, withoutNulls(input)),
    updateRelease: (_r, { id, input }, ctx) =>
      ctx.content.admin.updateRelease(ctx.read.principal, id, given(input, ['name', 'description', 'publishAt'])),
    addReleaseItems: (_r, { id, items }, ctx) =>
      ctx.content.admin.addReleaseItems(ctx.read.principal, id, {
        items: (items as Input[]).map((item) => ({ ...withoutNulls(item), type: fromEnum(item.type as string) })),
      }),
    removeReleaseItem: (_r, { id, type, key }, ctx) =>
      ctx.content.admin.removeReleaseItem(ctx.read.principal, id, fromEnum(type)!, key),
    publishRelease: (_r, { id, dryRun }, ctx) =>
      ctx.content.admin.publishRelease(ctx.read.principal, id, dryRun === true),
    cancelRelease: (_r, { id }, ctx) => ctx.content.admin.cancelRelease(ctx.read.principal, id),
    createCategory: (_r, { input }, ctx) => ctx.content.admin.createCategory(ctx.read.principal, input),
    updateCategory: (_r, { slug, input }, ctx) =>
      ctx.content.admin.updateCategory(ctx.read.principal, slug, withoutNulls(input)),
    deleteCategory: async (_r, { slug, cascade }, ctx) => {
      await ctx.content.admin.deleteCategory(ctx.read.principal, slug, cascade === true);
      return true;
    },
    addRound: (_r, { role, input, version }, ctx) =>
      ctx.content.admin.addRound(ctx.read.principal, role, input, version ?? undefined),
    updateRound: (_r, { role, position, input, version }, ctx) =>
      ctx.content.admin.updateRound(ctx.read.principal, role, position, withoutNulls(input), version ?? undefined),
    deleteRound: (_r, { role, position, cascade, version }, ctx) =>
      ctx.content.admin.deleteRound(ctx.read.principal, role, position, cascade === true, version ?? undefined),
    reorderRounds: (_r, { role, names, version }, ctx) =>
      ctx.content.admin.reorderRounds(ctx.read.principal, role, names, version ?? undefined),
    reorderQuestions: (_r, { role, ids, version }, ctx) =>
      ctx.content.admin.reorderQuestions(ctx.read.principal, role, ids, version ?? undefined),
    createApiKey: (_r, { input }, ctx) => {
      const parsed = keyCreateInput.safeParse({
        ...withoutNulls(input),
        ...(input.type ? { type: fromEnum(input.type) } : {}),
        scopes: (input.scopes as string[]).map(scopeFromEnum),
      });
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', 'The key is not valid', { errors: fieldErrors(parsed.error.issues) });
      }
      return ctx.access.createKey(ctx.read.principal, {
        ...parsed.data,
        expiresAt: parsed.data.expiresAt ? new Date(parsed.data.expiresAt) : null,
      });
    },
    revokeApiKey: (_r, { id }, ctx) => ctx.access.revokeKey(ctx.read.principal, id),
    rotateApiKey: (_r, { id, overlapSeconds }, ctx) => {
      if (!(overlapSeconds >= 0 && overlapSeconds <= 30 * 86_400)) {
        throw new AppError('VALIDATION_FAILED', 'overlapSeconds: must be between 0 and 30 days', {
          errors: [{ path: 'overlapSeconds', message: 'must be between 0 and 2592000' }],
        });
      }
      return ctx.access.rotateKey(ctx.read.principal, id, overlapSeconds);
    },
    importContent: (_r, { bundle, dryRun }, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(bundle);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'bundle: is not JSON', {
          errors: [{ path: 'bundle', message: 'is not JSON' }],
        });
      }
      return ctx.content.admin.importContent(ctx.read.principal, parsed, dryRun === true, ctx.shutdownSignal);
    },
  },
  ApiKey: {
    scopes: (k: { scopes: string[] }) => k.scopes.map(scopeToEnum),
    type: (k: { type: string }) => toEnum(k.type),
  },
};
