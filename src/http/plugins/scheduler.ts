import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Runs the scheduler for as long as the app runs: from ready until close, before the database closes. */
export const schedulerPlugin = fp(async (app: FastifyInstance) => {
  const scheduler = app.scheduler;
  if (!scheduler) return;
  app.addHook('onReady', async () => scheduler.start());
  app.addHook('preClose', () => scheduler.stop());
});
