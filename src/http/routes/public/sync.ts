import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SyncPage } from '../../../content/sync-schemas.js';
import { badParameter } from '../../../errors.js';
import { problemResponses } from '../../problem.js';
import { linkNext, readContext } from '../../read-context.js';

const DAY_MS = 86_400_000;

const syncQuery = z.strictObject({
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .describe('page.nextCursor to go on, or the page.syncCursor you stored last time; none to start from scratch'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .describe('About this many items and tombstones per page, 1 to 500'),
  preview: z.enum(['true', 'false']).optional().describe('Not supported: the feed serves published content only'),
});

export const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/sync',
    {
      config: { operation: 'syncContent' },
      schema: {
        summary: 'Delta sync: everything published, then only what changed',
        description: [
          'Without a cursor: every published category, role (with rounds, tips, faqs and related roles) and question, in pages.',
          'With the syncCursor you stored: only what changed since, as current items and tombstones, in change-log order, a key at most once per page.',
          'Follow page.nextCursor until it is null, then store page.syncCursor. A cursor older than the retained change history answers 410: start over without one.',
          'A key limited to some categories receives only those, and tombstones for items that left them.',
        ].join('\n\n'),
        tags: ['sync'],
        querystring: syncQuery,
        response: { 200: SyncPage, ...problemResponses(400, 410) },
      },
    },
    async (request, reply) => {
      const ctx = readContext(request);
      if (ctx.preview) throw badParameter('preview', 'does not apply: the sync feed serves published content only');
      const { cursor, limit } = request.query;
      const result = await app.content.sync(ctx, {
        cursor,
        limit,
        retentionMs: app.appConfig.sync.retentionDays * DAY_MS,
      });
      linkNext(request, reply, result.page);
      return result;
    },
  );
};
