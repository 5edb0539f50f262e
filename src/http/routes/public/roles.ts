import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Faq, list, Question, Role, RoleMatchResult, RolePage, Round, single, Tip } from '../../../content/schemas.js';
import { sendBody, sendDocument, sendList } from '../../json-reply.js';
import {
  previewQuery,
  roleListQuery,
  roleMatchQuery,
  roleQuery,
  roleQuestionsQuery,
  slugParams,
} from '../../params.js';
import { problemResponses } from '../../problem.js';
import { readContext } from '../../read-context.js';

const tags = ['content'];

export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/roles',
    {
      config: { operation: 'listRoles', cache: 'public' },
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
      return sendList(request, reply, await app.content.listRoles(readContext(request), filters, { limit, cursor }));
    },
  );

  app.get(
    '/roles/match',
    {
      config: { operation: 'matchRoles', cache: 'public' },
      schema: {
        summary: "Find the roles a job ad's title names",
        description:
          'Ranked candidates with a confidence from 0 to 1, the title or alternative title that matched and the words of the job title that did, and the seniority the title states. No candidates when none reaches `threshold` (the match abstains). A key limited to categories is matched among their roles only.',
        tags,
        querystring: roleMatchQuery,
        response: { 200: single(RoleMatchResult), ...problemResponses(400) },
      },
    },
    async (request, reply) =>
      sendDocument(reply, await app.content.matchRoles(readContext(request), request.query.title, request.query.limit)),
  );

  app.get(
    '/roles/:slug',
    {
      config: { operation: 'getRole', cache: 'public' },
      schema: {
        summary: 'Get one role',
        description:
          'include= adds rounds, questions (with STAR examples and pitfalls), tips, faqs and related roles in one response.',
        tags,
        params: slugParams,
        querystring: roleQuery,
        response: { 200: single(RolePage), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await app.content.getRole(readContext(request), request.params.slug, new Set(request.query.include ?? [])),
      ),
  );

  app.get(
    '/roles/:slug/questions',
    {
      config: { operation: 'listRoleQuestions', cache: 'public' },
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
      const { limit, cursor, preview: _preview, ...filters } = request.query;
      const result = await app.content.listQuestions(
        readContext(request),
        { ...filters, role: request.params.slug },
        { limit, cursor },
        { roleFromPath: true },
      );
      return sendList(request, reply, result);
    },
  );

  for (const [part, operation, schema, summary, description] of [
    [
      'rounds',
      'listRoleRounds',
      Round,
      "List a role's rounds",
      'Every round in the order a candidate meets them, each with its focus, duration and number of questions. Returned whole: page.nextCursor is null.',
    ],
    [
      'tips',
      'listRoleTips',
      Tip,
      "List a role's preparation tips",
      'Every preparation tip of the role, in order. Returned whole: page.nextCursor is null.',
    ],
    [
      'faqs',
      'listRoleFaqs',
      Faq,
      "List a role's FAQs",
      'Every frequently asked question of the role with its answer, in order. Returned whole: page.nextCursor is null.',
    ],
  ] as const) {
    app.get(
      `/roles/:slug/${part}`,
      {
        config: { operation, cache: 'public' },
        schema: {
          summary,
          description,
          tags,
          params: slugParams,
          querystring: previewQuery,
          response: { 200: list(schema), ...problemResponses(400, 404) },
        },
      },
      async (request, reply) =>
        sendBody(reply, await app.content.getRolePart(readContext(request), request.params.slug, part)),
    );
  }
};
