import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ANONYMOUS, hasScope } from '../../access/principal.js';
import { AppError } from '../../errors.js';

const GUARDED = /^\/(v1|graphql)(\/|$)/;

/**
 * Who is calling and whether they may. A `Authorization: Bearer <key>` header is checked on every
 * request that carries one (a bad key is a 401 even on public routes, so a typo is never silent);
 * without one the caller is anonymous. Every API route states its access in `config.access`:
 * 'public', or the scopes it needs. A route that forgets fails at start-up, not in production.
 */
export const accessPlugin = fp(async (app: FastifyInstance) => {
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    if (GUARDED.test(route.url) && route.method !== 'HEAD' && !route.config?.access) routes.push(`${String(route.method)} ${route.url}`);
  });
  app.addHook('onReady', async () => {
    if (routes.length) throw new Error(`Routes without config.access: ${routes.join(', ')}`);
  });

  app.decorateRequest('principal', null as never);
  // Before the body is read, let alone parsed or validated: a caller without access costs us no
  // more than its headers, and learns nothing about what a valid request looks like.
  app.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
    const header = request.headers.authorization;
    if (header !== undefined && header.trim() !== '') {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new AppError('UNAUTHENTICATED', 'Send the API key as "Authorization: Bearer <key>"');
      request.principal = await app.access.authenticate(match[1]!);
    }
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;
    const needed = typeof access === 'string' ? [access] : access;
    if (request.principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', `This endpoint needs an API key with ${needed.join(' and ')}`);
    const missing = needed.filter((scope) => !hasScope(request.principal, scope));
    if (missing.length) throw new AppError('FORBIDDEN', `This API key lacks the scope ${missing.join(' and ')}`);
  });
});
