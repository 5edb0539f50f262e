import type { MercuriusLoaders } from 'mercurius';
import { nodeOf } from '../content/nodes.js';
import type { RoleOut, SearchHitOut } from '../content/schemas.js';
import './context.js';

type Query = { obj: object };

/**
 * Nested fields resolve through per-request batch loaders: all parents of one level are collected
 * and answered by one content call, so statements grow with a query's depth, not its rows.
 */
export const loaders: MercuriusLoaders = {
  Role: {
    // The role row carries only slug and name; the full category (position, roleCount) is one
    // statement for every role of the level.
    category: async (queries: Query[], ctx) => {
      const all = new Map((await ctx.content.listCategories(ctx.read)).map((c) => [c.slug, c]));
      return queries.map((q) => all.get((q.obj as RoleOut).category.slug) ?? null);
    },
    rounds: (queries: Query[], ctx) => ctx.content.graph.roundsOfRoles(ctx.read, queries.map((q) => nodeOf(q.obj).id)),
    questions: (queries: Query[], ctx) => ctx.content.graph.questionsOfRoles(ctx.read, queries.map((q) => nodeOf(q.obj).id)),
    tips: (queries: Query[], ctx) => ctx.content.graph.tipsOfRoles(ctx.read, queries.map((q) => nodeOf(q.obj).id)),
    faqs: (queries: Query[], ctx) => ctx.content.graph.faqsOfRoles(ctx.read, queries.map((q) => nodeOf(q.obj).id)),
    relatedRoles: (queries: Query[], ctx) => ctx.content.graph.relatedOfRoles(ctx.read, queries.map((q) => nodeOf(q.obj).id)),
  },
  Round: {
    questions: (queries: Query[], ctx) => ctx.content.graph.questionsOfRounds(ctx.read, queries.map((q) => nodeOf(q.obj).id)),
  },
  Question: {
    role: (queries: Query[], ctx) => ctx.content.graph.rolesByIds(ctx.read, queries.map((q) => nodeOf(q.obj).roleId!)),
    round: async (queries: Query[], ctx) => {
      const ids = queries.map((q) => nodeOf(q.obj).roundId ?? null);
      const found = await ctx.content.graph.roundsByIds(ctx.read, ids.filter((id): id is string => id !== null));
      const byId = new Map(found.map((r) => (r ? [nodeOf(r).id, r] : ['', null])));
      return ids.map((id) => (id ? (byId.get(id) ?? null) : null));
    },
  },
  SearchHit: {
    role: (queries: Query[], ctx) => ctx.content.graph.rolesBySlugs(ctx.read, queries.map((q) => (q.obj as SearchHitOut).role.slug)),
    question: async (queries: Query[], ctx) => {
      const ids = queries.map((q) => (q.obj as SearchHitOut).id ?? null);
      const found = await ctx.content.graph.questionsByIds(ctx.read, ids.filter((id): id is string => id !== null));
      const byId = new Map(found.filter((q) => q !== null).map((q) => [q.id, q]));
      return ids.map((id) => (id ? (byId.get(id) ?? null) : null));
    },
  },
};
