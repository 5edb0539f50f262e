import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { problemResponses } from '../problem.js';

const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export interface HealthOptions {
  ping: () => Promise<void>;
  /** How long the database has to answer before /readyz says not ready. */
  readyTimeoutMs: number;
  /** True while the process sheds load (plugins/overload.ts). */
  overloaded?: () => boolean;
}

/** Resolves when ping does; rejects when it fails or takes longer than ms. */
function within(ping: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([ping(), late]).finally(() => clearTimeout(timer));
}

export const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, { ping, readyTimeoutMs, overloaded }) => {
  app.get(
    '/healthz',
    {
      config: { operation: 'getHealth' },
      schema: {
        summary: 'The process is up',
        description:
          'Liveness: answers as long as the process runs, without touching the database. Never rate limited.',
        tags: ['operations'],
        response: { 200: Health },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { operation: 'getReadiness' },
      schema: {
        summary: 'The database answers',
        description:
          'Readiness: 200 while the database answers a ping, 503 while it does not (take the instance out of the load balancer). Never rate limited.',
        tags: ['operations'],
        response: { 200: Health, ...problemResponses(503) },
      },
    },
    async () => {
      // A load balancer sends traffic elsewhere while this instance sheds load.
      if (overloaded?.()) throw new AppError('UNAVAILABLE', 'The server is overloaded');
      try {
        await within(ping, readyTimeoutMs);
      } catch (cause) {
        throw new AppError('UNAVAILABLE', 'The database does not answer', { cause });
      }
      return { status: 'ok' as const };
    },
  );
};
