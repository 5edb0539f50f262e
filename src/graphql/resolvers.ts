import type { GraphQLResolveInfo } from 'graphql';
import type { IResolvers, MercuriusContext } from 'mercurius';
import { z } from 'zod';
import { MAX_LIMIT } from '../content/pagination.js';
import type { JsonList } from '../content/read-model.js';
import type { RoleInclude } from '../content/roles.js';
import type {
  PageOut,
  QuestionOut,
  RoleMatchOut,
  RoleOut,
  RoleRefOut,
  RoundOut,
  SearchHitOut,
} from '../content/schemas.js';
import type { Difficulty, Seniority, Track } from '../content/vocabulary.js';
import { AppError, notFound } from '../errors.js';
import { fromEnum, toEnum } from './enums.js';
import { onlyAsksFor, selectedFields } from './selection.js';
import './context.js';

const first = z.int().min(1).max(MAX_LIMIT);

export function pageArgs(args: { first?: number | null; after?: string | null }) {
  const parsed = first.safeParse(args.first ?? 20);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `first: must be between 1 and ${MAX_LIMIT}`, {
      errors: [{ path: 'first', message: `must be between 1 and ${MAX_LIMIT}` }],
    });
  }
  return { limit: parsed.data, cursor: args.after ?? undefined };
}

export function connection<T>(nodes: T[], page: PageOut, cursors: string[]) {
  return {
    edges: nodes.map((node, i) => ({ node, cursor: cursors[i] })),
    nodes,
    pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: cursors[cursors.length - 1] ?? null },
  };
}

const parsed = <T>(list: JsonList) =>
  connection(
    list.items.map((item) => JSON.parse(item) as T),
    list.page,
    list.cursors,
  );

/** A round knows its role, so its questions can be fetched. */
const ROLE = Symbol('role');
type RoundNode = RoundOut & { [ROLE]: string };
const roundsOf = (slug: string, rounds: RoundOut[]): RoundNode[] => rounds.map((r) => ({ ...r, [ROLE]: slug }));

/** The role parts a query asks for inside a Role field, so the role page statement brings them along. */
const PARTS: Record<string, RoleInclude> = {
  rounds: 'rounds',
  questions: 'questions',
  tips: 'tips',
  faqs: 'faqs',
  relatedRoles: 'related',
};
const partsAsked = (info: GraphQLResolveInfo): RoleInclude[] =>
  [...selectedFields(info)].flatMap((f) => (PARTS[f] ? [PARTS[f]] : []));

/** A role part already fetched with the role, or fetched now for every role of the level at once. */
async function part<K extends 'rounds' | 'questions' | 'tips' | 'faqs' | 'relatedRoles'>(
  role: RoleOut,
  key: K,
  ctx: MercuriusContext,
): Promise<NonNullable<RoleOut[K]>> {
  const held = role[key];
  if (held !== undefined) return held as NonNullable<RoleOut[K]>;
  const page = await ctx.batch.rolePage.load({ slug: role.slug, include: [PARTS[key]!] });
  return (page?.[key] ?? []) as NonNullable<RoleOut[K]>;
}

/** A role reference (slug and title) as a full Role when the query asks for more than those. */
async function fullRole(
  ref: RoleRefOut,
  ctx: MercuriusContext,
  info: GraphQLResolveInfo,
): Promise<RoleRefOut | RoleOut | null> {
  if (onlyAsksFor(info, ['slug', 'title'])) return ref;
  return ctx.batch.rolePage.load({ slug: ref.slug, include: partsAsked(info) });
}

/** Resolvers call the content service (through per-request batches) and shape its answers; nothing else. */
export const resolvers: IResolvers = {
  Query: {
    categories: (_root, _args, ctx) => ctx.batch.categories(),
    roles: async (_root, args, ctx) =>
      parsed<RoleOut>(
        await ctx.content.listRoles(
          ctx.read,
          {
            category: args.category ?? undefined,
            seniority: fromEnum<Seniority>(args.seniority),
            track: fromEnum<Track>(args.track),
            q: args.q ?? undefined,
          },
          pageArgs(args),
        ),
      ),
    role: async (_root, args, ctx, info) => {
      const role = await ctx.batch.rolePage.load({ slug: args.slug, include: partsAsked(info) });
      if (!role) throw notFound(`Role "${args.slug}"`);
      return role;
    },
    roleMatches: async (_root, args, ctx) =>
      (await ctx.content.roleMatchData(ctx.read, args.title, args.limit ?? 3)).data,
    questions: async (_root, args, ctx) =>
      parsed<QuestionOut>(
        await ctx.content.listQuestions(
          ctx.read,
          {
            role: args.role ?? undefined,
            round: args.round ?? undefined,
            competency: args.competency ?? undefined,
            difficulty: fromEnum<Difficulty>(args.difficulty),
            tag: args.tag ?? undefined,
            q: args.q ?? undefined,
          },
          pageArgs(args),
        ),
      ),
    question: async (_root, args, ctx) =>
      JSON.parse((await ctx.content.getQuestion(ctx.read, args.id)).json) as QuestionOut,
    search: async (_root, args, ctx) => {
      const result = await ctx.content.search(
        ctx.read,
        {
          q: args.q,
          category: args.category ?? undefined,
          seniority: fromEnum<Seniority>(args.seniority),
          role: args.role ?? undefined,
          types: args.types ? (args.types as string[]).map((t) => fromEnum<SearchHitOut['type']>(t)!) : undefined,
        },
        pageArgs(args),
      );
      return connection(result.data, result.page, result.cursors);
    },
  },
  Role: {
    seniority: (role: RoleOut) => toEnum(role.seniority),
    track: (role: RoleOut) => toEnum(role.track),
    category: async (role: RoleOut, _args, ctx, info) => {
      if (onlyAsksFor(info, ['slug', 'name'])) return role.category;
      return (await ctx.batch.categories()).find((c) => c.slug === role.category.slug) ?? null;
    },
    rounds: async (role: RoleOut, _args, ctx) => roundsOf(role.slug, await part(role, 'rounds', ctx)),
    questions: (role: RoleOut, _args, ctx) => part(role, 'questions', ctx),
    tips: (role: RoleOut, _args, ctx) => part(role, 'tips', ctx),
    faqs: (role: RoleOut, _args, ctx) => part(role, 'faqs', ctx),
    relatedRoles: async (role: RoleOut, _args, ctx, info) => {
      const refs = await part(role, 'relatedRoles', ctx);
      return (await Promise.all(refs.map((ref) => fullRole(ref, ctx, info)))).filter((r) => r !== null);
    },
  },
  Round: {
    questions: (round: RoundNode, _args, ctx) =>
      ctx.batch.roundQuestions.load({ role: round[ROLE], position: round.position }),
  },
  Question: {
    difficulty: (question: QuestionOut) => toEnum(question.difficulty),
    role: (question: QuestionOut, _args, ctx, info) => fullRole(question.role, ctx, info),
    round: async (question: QuestionOut, _args, ctx, info) => {
      const ref = question.round;
      if (!ref) return null;
      if (onlyAsksFor(info, ['name', 'position'])) return ref;
      const page = await ctx.batch.rolePage.load({ slug: question.role.slug, include: ['rounds'] });
      const round = page?.rounds?.find((r) => r.position === ref.position);
      return round ? roundsOf(question.role.slug, [round])[0] : null;
    },
  },
  TitleSeniority: {
    level: (seniority: NonNullable<RoleMatchOut['seniority']>) => toEnum(seniority.level),
  },
  RoleCandidate: {
    role: (candidate: RoleMatchOut['candidates'][number], _args, ctx, info) => fullRole(candidate.role, ctx, info),
  },
  SearchHit: {
    type: (hit: SearchHitOut) => toEnum(hit.type),
    role: (hit: SearchHitOut, _args, ctx, info) => fullRole(hit.role, ctx, info),
    question: (hit: SearchHitOut, _args, ctx) => (hit.id ? ctx.batch.question.load(hit.id) : null),
  },
};
