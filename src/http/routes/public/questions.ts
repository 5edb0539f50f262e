import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { list, Question, single } from '../../../content/schemas.js';
import { previewQuery, questionListQuery, questionParams } from '../../params.js';
import { problemResponses } from '../../problem.js';
import { readContext } from '../../read-context.js';
import { sendDocument, sendList } from '../../json-reply.js';

export const questionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/questions',
    {
      config: { operation: 'listQuestions', cache: 'public' },
      schema: {
        summary: 'List published questions',
        description:
          'Sorted by role slug then interview order; with q= by relevance. Cursor pagination with a Link rel="next" header.',
        tags: ['content'],
        querystring: questionListQuery,
        response: { 200: list(Question), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { limit, cursor, preview: _preview, ...filters } = request.query;
      return sendList(
        request,
        reply,
        await app.content.listQuestions(readContext(request), filters, { limit, cursor }),
      );
    },
  );

  app.get(
    '/questions/:id',
    {
      config: { operation: 'getQuestion', cache: 'public' },
      schema: {
        summary: 'Get one question',
        description:
          'A published question with its role, round, STAR examples and pitfalls. Ids come from lists and search hits.',
        tags: ['content'],
        params: questionParams,
        querystring: previewQuery,
        response: { 200: single(Question), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) =>
      sendDocument(reply, await app.content.getQuestion(readContext(request), request.params.id)),
  );
};
