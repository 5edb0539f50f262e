import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { authorize, coverageProblems } from '../../access/operations.js';
import { ANONYMOUS } from '../../access/principal.js';
import { AppError, isAppError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Why the request's key was refused: answered once the rate limiter has counted the request. */
    authFailure: AppError | null;
  }
}

const API = /^\/(v1|graphql)(\/|$)/;

export interface AccessOptions {
  /** The root GraphQL fields (`Query.role`), read once everything is registered. */
  graphqlFields?: () => readonly string[];
}

/**
 * Who is calling and whether they may. A `Authorization: Bearer <key>` header is checked on every
 * request that carries one (a bad key is a 401 even on public routes, so a typo is never silent);
 * without one the caller is anonymous. Every API route names its operation in `config.operation`
 * and the scopes come from src/access/operations.ts; the services check the same entry again,
 * so a route and a command cannot disagree. Start-up fails while any route or GraphQL field and
 * the table disagree, listing each.
 */
export const accessPlugin = fp<AccessOptions>(async (app: FastifyInstance, options) => {
  const routes: { method: string; url: string; operation: unknown }[] = [];
  app.addHook('onRoute', (route) => {
    // An API route, or one in the OpenAPI document, is an operation. GraphQL's route is a
    // transport: its fields are the operations (graphql/operations.ts). HEAD follows GET.
    const documented = route.schema !== undefined && (route.schema as { hide?: boolean }).hide !== true;
    if (route.config?.transport === 'graphql' || route.method === 'HEAD' || !(API.test(route.url) || documented))
      return;
    for (const method of [route.method].flat())
      routes.push({ method, url: route.url, operation: route.config?.operation });
  });
  app.addHook('onReady', async () => {
    const problems = coverageProblems({ routes, fields: options.graphqlFields?.() ?? [] });
    if (problems.length)
      throw new Error(`The operations in src/access/operations.ts and the API disagree:\n- ${problems.join('\n- ')}`);
  });

  app.decorateRequest('principal', null as never);
  app.decorateRequest('authFailure', null);
  // Before the body is read, let alone parsed or validated: a caller without access costs us no
  // more than its headers, and learns nothing about what a valid request looks like.
  // A callback hook: an anonymous request (most of them) passes with no promise made.
  app.addHook('onRequest', (request, _reply, next) => {
    request.principal = ANONYMOUS;
    const operation = request.routeOptions.config?.operation;
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      if (operation) authorize(request.principal, operation);
      next();
      return;
    }
    // A failed authentication is answered after the rate limiter has counted it against the
    // address (as an anonymous request), so guessing keys is refused with 429 like any flood.
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      request.authFailure = new AppError('UNAUTHENTICATED', 'Send the API key as "Authorization: Bearer <key>"');
      next();
      return;
    }
    app.access
      .authenticate(match[1]!)
      .then(
        (principal) => {
          request.principal = principal;
          if (operation) authorize(principal, operation);
        },
        (err: unknown) => {
          if (!isAppError(err) || err.code !== 'UNAUTHENTICATED') throw err;
          request.authFailure = err;
        },
      )
      .then(() => next(), next);
  });
  // Every onRequest hook has run (the limiter's included): a refused key is a 401, before any body
  // is read and whatever route it asked for, never an anonymous request.
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.authFailure) throw request.authFailure;
    return payload;
  });
});
