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

/** GraphQL sends null for an optional input field left empty; a partial update means "not sent". */
const withoutNulls = (input: Input): Input => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));

const scopeToEnum = (scope: string) => toEnum(scope.replace(':', '_'));
const scopeFromEnum = (value: string) => value.toLowerCase().replace('_', ':') as Scope;

/** GraphQL enum names back to content values; fields left out stay out (partial updates). */
function contentInput(input: Input): Input {
  const out: Input = { ...input };
  for (const key of ['seniority', 'track', 'difficulty'] as const)
    if (typeof out[key] === 'string') out[key] = fromEnum(out[key] as string);
  return out;
}

const enumsOut = {
  seniority: (o: { seniority: string }) => toEnum(o.seniority),
  track: (o: { track: string }) => toEnum(o.track),
  status: (o: { status: string }) => toEnum(o.status),
};

type StatusArgs<K extends string> = { [key in K]: string } & { version?: number | null };

const roleStatus =
  (action: StatusAction) =>
  (_r: unknown, { slug, version }: StatusArgs<'slug'>, ctx: MercuriusContext) =>
    ctx.content.admin.setRoleStatus(ctx.read.principal, slug, action, version ?? undefined);

const questionStatus =
  (action: StatusAction) =>
  (_r: unknown, { id, version }: StatusArgs<'id'>, ctx: MercuriusContext) =>
    ctx.content.admin.setQuestionStatus(ctx.read.principal, id, action, version ?? undefined);

export const mutationResolvers: IResolvers = {
  Mutation: {
    createRole: (_r, { input }, ctx) =>
      ctx.content.admin.createRole(ctx.read.principal, contentInput(withoutNulls(input)) as never),
    updateRole: (_r, { slug, input, version }, ctx) =>
      ctx.content.admin.updateRole(
        ctx.read.principal,
        slug,
        contentInput(withoutNulls(input)) as never,
        version ?? undefined,
      ),
    publishRole: roleStatus('publish'),
    unpublishRole: roleStatus('unpublish'),
    archiveRole: roleStatus('archive'),
    deleteRole: async (_r, { slug, cascade, version }, ctx) => {
      await ctx.content.admin.deleteRole(ctx.read.principal, slug, cascade === true, version ?? undefined);
      return true;
    },
    createQuestion: (_r, { role, input }, ctx) =>
      ctx.content.admin.createQuestion(ctx.read.principal, role, contentInput(withoutNulls(input))),
    updateQuestion: (_r, { id, input, version }, ctx) =>
      ctx.content.admin.updateQuestion(ctx.read.principal, id, contentInput(withoutNulls(input)), version ?? undefined),
    publishQuestion: questionStatus('publish'),
    unpublishQuestion: questionStatus('unpublish'),
    archiveQuestion: questionStatus('archive'),
    deleteQuestion: async (_r, { id, version }, ctx) => {
      await ctx.content.admin.deleteQuestion(ctx.read.principal, id, version ?? undefined);
      return true;
    },
    restoreRoleRevision: (_r, { slug, revision, version }, ctx) =>
      ctx.content.admin.restoreRoleRevision(ctx.read.principal, slug, revision, version ?? undefined),
    restoreQuestionRevision: (_r, { id, revision, version }, ctx) =>
      ctx.content.admin.restoreQuestionRevision(ctx.read.principal, id, revision, version ?? undefined),
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
  AdminRole: enumsOut,
  ApiKey: {
    scopes: (k: { scopes: string[] }) => k.scopes.map(scopeToEnum),
    type: (k: { type: string }) => toEnum(k.type),
  },
  AdminQuestion: {
    difficulty: (q: { difficulty: string }) => toEnum(q.difficulty),
    status: (q: { status: string }) => toEnum(q.status),
  },
  AdminQuestionSummary: { status: (q: { status: string }) => toEnum(q.status) },
};
