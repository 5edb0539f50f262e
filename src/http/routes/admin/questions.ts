import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { questionUpdateInput } from '../../../content/admin/questions.js';
import { AdminQuestion } from '../../../content/admin/schemas.js';
import { single } from '../../../content/schemas.js';
import { BODY_LIMITS } from '../../body-limits.js';
import { problemResponses } from '../../problem.js';
import { ifMatch, versioned } from '../../versioning.js';

const tags = ['admin: content'];
const params = z.strictObject({ id: z.uuid() });
const question = single(AdminQuestion);

export const adminQuestionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/questions/:id',
    {
      config: { operation: 'getAdminQuestion' },
      schema: {
        summary: 'Get a question with its version (also the ETag)',
        tags,
        params,
        response: { 200: question, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      versioned(reply, await app.content.admin.getQuestion(request.principal, request.params.id)),
  );

  app.patch(
    '/questions/:id',
    {
      config: { operation: 'updateQuestion' },
      bodyLimit: BODY_LIMITS.question,
      schema: {
        summary: 'Update a question; send If-Match (or version) to refuse stale edits with 412',
        tags,
        params,
        body: questionUpdateInput,
        response: { 200: question, ...problemResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply,
        await app.content.admin.updateQuestion(request.principal, request.params.id, request.body, ifMatch(request)),
      ),
  );

  app.delete(
    '/questions/:id',
    {
      config: { operation: 'deleteQuestion' },
      schema: {
        summary: 'Delete a question',
        tags,
        params,
        response: { 204: z.undefined(), ...problemResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      await app.content.admin.deleteQuestion(request.principal, request.params.id, ifMatch(request));
      return reply.code(204).send();
    },
  );

  for (const action of ['publish', 'unpublish', 'archive'] as const) {
    app.post(
      `/questions/:id/${action}`,
      {
        config: { operation: `${action}Question` },
        schema: {
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a question`,
          tags,
          params,
          response: { 200: question, ...problemResponses(400, 401, 403, 404, 412) },
        },
      },
      async (request, reply) =>
        versioned(
          reply,
          await app.content.admin.setQuestionStatus(request.principal, request.params.id, action, ifMatch(request)),
        ),
    );
  }
};
