import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Refused for the key's own rate limit or origins: a rejection in the key's usage. */
    keyRejected: boolean;
  }
}

/**
 * Counts every request made with a key, and its rejections, for GET /v1/admin/keys/{id}/usage.
 * The count is kept in memory and written in batches (see src/access/usage.ts), never per request.
 */
export const keyUsagePlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('keyRejected', false);
  app.addHook('onResponse', (request, _reply, next) => {
    if (request.principal?.kind === 'key') app.access.recordUsage(request.principal.keyId, request.keyRejected);
    next();
  });
  app.addHook('onClose', async () => {
    try {
      await app.access.flushUsage();
    } catch (err) {
      app.log.error({ err }, 'could not write the last key usage counts');
    }
  });
});
