import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeyUsage } from '../../../content/admin/schemas.js';
import { single } from '../../../content/schemas.js';
import { problemResponses } from '../../problem.js';

export const keyUsageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/keys/:id/usage',
    {
      config: { operation: 'getApiKeyUsage' },
      schema: {
        summary: "A key's requests and rejections per UTC day",
        description:
          'Days without use are left out. Each instance adds its tally every KEY_USAGE_FLUSH_SECONDS, so the newest counts of other instances may lag by that much.',
        tags: ['admin: keys'],
        params: z.strictObject({ id: z.uuid() }),
        querystring: z.strictObject({
          days: z.coerce.number().int().min(1).max(366).default(30).describe('How many days back, today included'),
        }),
        response: { 200: single(KeyUsage), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await app.access.keyUsage(request.principal, request.params.id, request.query.days) }),
  );
};
