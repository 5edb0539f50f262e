import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Runs the webhook dispatcher for as long as the app runs: it starts once the app is ready and
 * stops before the database closes, handing back anything it had not finished.
 */
export const webhookDispatcherPlugin = fp(async (app: FastifyInstance) => {
  const dispatcher = app.webhooks.dispatcher;
  if (!dispatcher) return;
  app.addHook('onReady', async () => dispatcher.start());
  app.addHook('preClose', () => dispatcher.stop());
});
