import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bulkInput } from '../../../content/admin/bulk.js';
import { BulkReport } from '../../../content/admin/schemas.js';
import { single } from '../../../content/schemas.js';
import { BODY_LIMITS } from '../../body-limits.js';
import { problemResponses } from '../../problem.js';

export const bulkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/bulk',
    {
      config: { operation: 'bulkContent' },
      bodyLimit: BODY_LIMITS.role,
      schema: {
        summary: 'Publish, unpublish or archive many roles and questions at once',
        description:
          "Items named (roles: slugs, questions: ids) or selected by the admin lists' filters (where), all in one transaction: one revision and one change-log entry per item that changes; an item already so is left alone. withQuestions publishes the roles' draft questions too. dryRun reports what would change. A refused item (a role whose breakdown does not add up to 100) stops all of it, naming the item.",
        tags: ['admin: content'],
        body: bulkInput,
        response: { 200: single(BulkReport), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request) => ({ data: await app.content.admin.bulk(request.principal, request.body) }),
  );
};
