import type { IResolvers } from 'mercurius';
import { z } from 'zod';
import { MAX_LIMIT } from '../content/pagination.js';
import type { ListOut, QuestionOut, RoleOut, SearchHitOut } from '../content/schemas.js';
import type { Difficulty, Seniority, Track } from '../content/vocabulary.js';
import { AppError } from '../errors.js';
import { fromEnum, toEnum } from './enums.js';
import './context.js';

const first = z.int().min(1).max(MAX_LIMIT);

function pageArgs(args: { first?: number | null; after?: string | null }) {
  const parsed = first.safeParse(args.first ?? 20);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `first: must be between 1 and ${MAX_LIMIT}`, { errors: [{ path: 'first', message: `must be between 1 and ${MAX_LIMIT}` }] });
  }
  return { limit: parsed.data, cursor: args.after ?? undefined };
}

function connection<T>(list: ListOut<T>) {
  return {
    edges: list.data.map((node, i) => ({ node, cursor: list.cursors[i] })),
    nodes: list.data,
    pageInfo: { hasNextPage: list.page.nextCursor !== null, endCursor: list.cursors[list.cursors.length - 1] ?? null },
  };
}

/** Resolvers call the content service and shape its answers; nothing else. */
export const resolvers: IResolvers = {
  Query: {
    categories: (_root, _args, ctx) => ctx.content.listCategories(ctx.read),
    roles: async (_root, args, ctx) =>
      connection(
        await ctx.content.listRoles(
          ctx.read,
          { category: args.category ?? undefined, seniority: fromEnum<Seniority>(args.seniority), track: fromEnum<Track>(args.track), q: args.q ?? undefined },
          pageArgs(args),
        ),
      ),
    role: (_root, args, ctx) => ctx.content.getRole(ctx.read, args.slug, new Set()),
    questions: async (_root, args, ctx) =>
      connection(
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
    question: (_root, args, ctx) => ctx.content.getQuestion(ctx.read, args.id),
    search: async (_root, args, ctx) =>
      connection(
        await ctx.content.search(
          ctx.read,
          {
            q: args.q,
            category: args.category ?? undefined,
            seniority: fromEnum<Seniority>(args.seniority),
            role: args.role ?? undefined,
            types: args.types ? (args.types as string[]).map((t) => fromEnum<SearchHitOut['type']>(t)!) : undefined,
          },
          pageArgs(args),
        ),
      ),
  },
  Role: {
    seniority: (role: RoleOut) => toEnum(role.seniority),
    track: (role: RoleOut) => toEnum(role.track),
  },
  Question: {
    difficulty: (question: QuestionOut) => toEnum(question.difficulty),
  },
  SearchHit: {
    type: (hit: SearchHitOut) => toEnum(hit.type),
  },
};
