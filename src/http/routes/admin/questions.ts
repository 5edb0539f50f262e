import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { questionUpdateInput } from '../../../content/admin/questions.js';
import { scheduleInput, statusActionInput } from '../../../content/admin/lifecycle.js';
import { AdminQuestion, AdminQuestionListItem } from '../../../content/admin/schemas.js';
import { list, single } from '../../../content/schemas.js';
import { BODY_LIMITS } from '../../body-limits.js';
import { adminQuestionListQuery } from '../../params.js';
import { optionalBody } from '../../openapi-conventions.js';
import { problemResponses } from '../../problem.js';
import { linkNext } from '../../read-context.js';
import { ifMatch, versioned } from '../../versioning.js';
import { scheduleOf, STATUS_DESCRIPTIONS } from './status-actions.js';

/** A question has no questions of its own to publish with it. */
const questionActionInput = {
  ...statusActionInput,
  publish: statusActionInput.publish.omit({ withQuestions: true }),
};

const tags = ['admin: content'];
const params = z.strictObject({ id: z.uuid() });
const question = single(AdminQuestion);

export const adminQuestionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/questions',
    {
      config: { operation: 'listAdminQuestions' },
      schema: {
        summary: 'List every question, drafts and archived included',
        description:
          'The public list\'s filters (role, round, competency, difficulty, tag, q) and paging, and status, category, updatedBy, updatedSince, scheduled, sort. q= searches drafts too. Cursor pagination with a Link rel="next" header.',
        tags,
        querystring: adminQuestionListQuery,
        response: { 200: list(AdminQuestionListItem), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { limit, cursor, updatedSince, scheduled, ...filters } = request.query;
      const result = await app.content.admin.listQuestions(
        request.principal,
        {
          ...filters,
          updatedSince: updatedSince ? new Date(updatedSince) : undefined,
          scheduled: scheduled === undefined ? undefined : scheduled === 'true',
        },
        { limit, cursor },
      );
      linkNext(request, reply, result.page);
      return { data: result.data, page: result.page };
    },
  );

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
          description: STATUS_DESCRIPTIONS[action],
          tags,
          params,
          body: optionalBody(questionActionInput[action]),
          response: { 200: question, ...problemResponses(400, 401, 403, 404, 412) },
        },
      },
      async (request, reply) =>
        versioned(
          reply,
          await app.content.admin.setQuestionStatus(
            request.principal,
            request.params.id,
            action,
            ifMatch(request),
            request.body,
          ),
        ),
    );
  }

  app.put(
    '/questions/:id/schedule',
    {
      config: { operation: 'scheduleQuestion' },
      schema: {
        summary: 'Schedule when a question is published or unpublished (null cancels)',
        tags,
        params,
        body: scheduleInput,
        response: { 200: question, ...problemResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply,
        await app.content.admin.scheduleQuestion(
          request.principal,
          request.params.id,
          scheduleOf(request.body),
          ifMatch(request),
        ),
      ),
  );
};
