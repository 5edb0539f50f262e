import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { problemResponses } from '../problem.js';

const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const healthRoutes: FastifyPluginAsyncZod<{ ping: () => Promise<void> }> = async (app, { ping }) => {
  app.get(
    '/healthz',
    { config: { operation: 'getHealth' }, schema: { summary: 'The process is up', tags: ['operations'], response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    { config: { operation: 'getReadiness' }, schema: { summary: 'The database answers', tags: ['operations'], response: { 200: Health, ...problemResponses(503) } } },
    async () => {
      try {
        await ping();
      } catch (cause) {
        throw new AppError('UNAVAILABLE', 'The database does not answer', { cause });
      }
      return { status: 'ok' as const };
    },
  );
};
