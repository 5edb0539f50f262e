import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Category, list } from '../../../content/schemas.js';
import { previewQuery } from '../../params.js';
import { problemResponses } from '../../problem.js';
import { readContext } from '../../read-context.js';
import { tagResponse } from '../../surrogate.js';
import { COLLECTION } from '../../../changes/surrogate-keys.js';

export const categoryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/categories',
    {
      config: { operation: 'listCategories', cache: 'public' },
      schema: {
        summary: 'List categories',
        description: 'Every category in display order, with the number of published roles in each.',
        tags: ['content'],
        querystring: previewQuery,
        response: { 200: list(Category), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const data = await app.content.listCategories(readContext(request));
      tagResponse(reply, [COLLECTION.categories]);
      return { data, page: { limit: data.length, nextCursor: null } };
    },
  );
};
