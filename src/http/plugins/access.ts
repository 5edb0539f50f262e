import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ANONYMOUS } from '../../access/principal.js';

const GUARDED = /^\/(v1|graphql)(\/|$)/;

/**
 * Every API route states its access in `config.access`; one that forgets fails at start-up, not in
 * production. The caller's principal is anonymous until an authentication plugin says otherwise.
 */
export const accessPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRoute', (route) => {
    if (GUARDED.test(route.url) && route.method !== 'HEAD' && !route.config?.access) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
    }
  });
  app.decorateRequest('principal', null as never);
  app.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
  });
});
