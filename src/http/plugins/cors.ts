import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import { isCrossOrigin } from '../../origins.js';
import './key-usage.js';

/** What a browser script may read from a response besides the basic headers. */
const EXPOSED_HEADERS = [
  'ETag',
  'Link',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'X-Request-Id',
];
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-None-Match', 'X-Preview', 'X-Request-Id'];

const ADMIN = /^\/v1\/admin(?:[/?]|$)/;

/**
 * CORS headers and preflights, registered before authentication so that refusals (a bad key, a
 * rate limit) reach the calling script as readable problem+json. Anonymous reads are the same for
 * every origin, so they answer `*`, which keeps them shareable by caches. A request with a key
 * gets its own origin back, once the origin guard below has found the origin on the key. The
 * admin API answers no CORS at all: its preflights fail and browsers never send the request.
 */
export const corsPlugin = fp(async (app: FastifyInstance) => {
  await app.register(cors, {
    hook: 'onRequest',
    delegator: (request, callback) => {
      if (ADMIN.test(request.url)) {
        callback(null, { origin: false });
        return;
      }
      callback(null, {
        origin: request.headers.authorization ? true : '*',
        methods: ['GET', 'HEAD', 'POST'],
        allowedHeaders: ALLOWED_HEADERS,
        exposedHeaders: EXPOSED_HEADERS,
        maxAge: 600,
      });
    },
  });
});

/**
 * After authentication: a keyed request from a browser page is allowed only from the origins
 * listed on its key, and the admin API refuses every cross-origin browser request. The admin
 * refusal answers 403 without Access-Control-Allow-Origin, so the page cannot read anything. A key
 * refused for its origin answers 403 with it: the refusal holds nothing but its reason, and the
 * partner's page (the widget logs it) can then say why instead of "could not be loaded".
 */
export const originGuardPlugin = fp(async (app: FastifyInstance) => {
  // A callback hook (a throw becomes the error answer): no promise per request.
  app.addHook('onRequest', (request, reply, next) => {
    if (!isCrossOrigin(request)) return next();
    if (ADMIN.test(request.url)) {
      reply.removeHeader('access-control-allow-origin');
      throw new AppError('FORBIDDEN', 'The admin API does not answer cross-origin browser requests');
    }
    const { principal } = request;
    const origin = request.headers.origin ?? 'another site';
    if (principal.kind === 'key' && !principal.allowedOrigins.includes(origin)) {
      request.keyRejected = true;
      throw new AppError(
        'FORBIDDEN',
        `This API key may not be used from ${origin}; an admin can add the origin to the key's allowedOrigins`,
      );
    }
    next();
  });
});
