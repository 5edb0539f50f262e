import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { problemResponses } from '../problem.js';

const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const healthRoutes: FastifyPluginAsyncZod<{ ping: () => Promise<void> }> = async (app, { ping }) => {
  app.get(
    '/healthz',
    { schema: { summary: 'The process is up', description: 'Liveness: answers as long as the process runs, without touching the database. Never rate limited.', tags: ['operations'], response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    { schema: { summary: 'The database answers', description: 'Readiness: 200 while the database answers a ping, 503 while it does not (take the instance out of the load balancer). Never rate limited.', tags: ['operations'], response: { 200: Health, ...problemResponses(503) } } },
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
