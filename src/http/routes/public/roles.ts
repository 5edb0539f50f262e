import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Faq, list, Question, Role, Round, single, Tip } from '../../../content/schemas.js';
import { previewQuery, roleListQuery, roleQuery, roleQuestionsQuery, slugParams } from '../../params.js';
import { problemResponses } from '../../problem.js';
import { linkNext, readContext } from '../../read-context.js';

const access = { access: 'public', cache: 'public' } as const;
const tags = ['content'];

/** A complete list (rounds, tips, FAQs are short and bounded): one page, no next cursor. */
const whole = <T>(data: T[]) => ({ data, page: { limit: data.length, nextCursor: null } });

export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/roles',
    {
      config: access,
      schema: {
        summary: 'List published roles',
        description: 'Sorted by title; with q= sorted by relevance. Cursor pagination with a Link rel="next" header.',
        tags,
        querystring: roleListQuery,
        response: { 200: list(Role), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { limit, cursor, preview: _preview, ...filters } = request.query;
      const result = await app.content.listRoles(readContext(request), filters, { limit, cursor });
      linkNext(request, reply, result.page);
      return result;
    },
  );

  app.get(
    '/roles/:slug',
    {
      config: access,
      schema: {
        summary: 'Get one role',
        description: 'include= adds rounds, questions (with STAR examples and pitfalls), tips, faqs and related roles in one response.',
        tags,
        params: slugParams,
        querystring: roleQuery,
        response: { 200: single(Role), ...problemResponses(400, 404) },
      },
    },
    async (request) => ({
      data: await app.content.getRole(readContext(request), request.params.slug, new Set(request.query.include ?? [])),
    }),
  );

  app.get(
    '/roles/:slug/questions',
    {
      config: access,
      schema: {
        summary: "List a role's questions",
        description: 'In interview order, with the same filters and pagination as /v1/questions.',
        tags,
        params: slugParams,
        querystring: roleQuestionsQuery,
        response: { 200: list(Question), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const ctx = readContext(request);
      // Resolves the role first so an unknown slug is a 404 here, not a 400 as on /v1/questions.
      await app.content.getRole(ctx, request.params.slug, new Set());
      const { limit, cursor, preview: _preview, ...filters } = request.query;
      const result = await app.content.listQuestions(ctx, { ...filters, role: request.params.slug }, { limit, cursor });
      linkNext(request, reply, result.page);
      return result;
    },
  );

  app.get(
    '/roles/:slug/rounds',
    {
      config: access,
      schema: { summary: "List a role's rounds", tags, params: slugParams, querystring: previewQuery, response: { 200: list(Round), ...problemResponses(400, 404) } },
    },
    async (request) => whole(await app.content.getRoleRounds(readContext(request), request.params.slug)),
  );

  app.get(
    '/roles/:slug/tips',
    {
      config: access,
      schema: { summary: "List a role's preparation tips", tags, params: slugParams, querystring: previewQuery, response: { 200: list(Tip), ...problemResponses(400, 404) } },
    },
    async (request) => whole(await app.content.getRoleTips(readContext(request), request.params.slug)),
  );

  app.get(
    '/roles/:slug/faqs',
    {
      config: access,
      schema: { summary: "List a role's FAQs", tags, params: slugParams, querystring: previewQuery, response: { 200: list(Faq), ...problemResponses(400, 404) } },
    },
    async (request) => whole(await app.content.getRoleFaqs(readContext(request), request.params.slug)),
  );
};
