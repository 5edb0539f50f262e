import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import type { Metrics } from '../metrics.js';
import { sendProblem } from './errors.js';

export interface MetricsPluginOptions {
  metrics: Metrics;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string | undefined;
}

const PATH = '/metrics';

/** /metrics, with or without a trailing slash (the router ignores it) and a query. */
function isMetricsPath(url: string): boolean {
  if (!url.startsWith(PATH)) return false;
  const rest = url.length === PATH.length ? '' : url.slice(PATH.length);
  return rest === '' || rest[0] === '?' || rest === '/' || rest.startsWith('/?');
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const sent = Buffer.from(/^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return sent.length === wanted.length && timingSafeEqual(sent, wanted);
}

/**
 * GET /metrics in Prometheus text format, and a count and a duration of every answered request
 * by route pattern. Registered before the other request hooks: a scrape is answered before
 * authentication (its token is not an API key), the rate limit, load shedding and the response
 * cache; and the recording hook sees every answer, cache hits included.
 */
export const metricsPlugin = fp<MetricsPluginOptions>(async (app: FastifyInstance, { metrics, token }) => {
  // Callback style, and no `done` once answered: the hook chain stops here for a scrape.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (!isMetricsPath(request.url)) return done();
    if (request.method !== 'GET' && request.method !== 'HEAD') return done();
    scrape(request, reply);
  });

  function scrape(request: FastifyRequest, reply: FastifyReply) {
    if (token && !tokenMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer');
      void sendProblem(
        request,
        reply,
        new AppError('UNAUTHENTICATED', 'Send the metrics token as "Authorization: Bearer <token>"'),
      );
      return;
    }
    metrics.text().then(
      (text) => reply.header('cache-control', 'no-store').type(metrics.contentType).send(text),
      (err: Error) => reply.send(err),
    );
  }

  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.request(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // The route exists so the router knows the path (405 for other methods, no 404); the hook
  // above answers it, and so does this handler, token and all, for any spelling of the path the
  // router matches and the hook did not recognise. Not part of the content contract, so not in
  // openapi.yaml.
  app.get(PATH, { schema: { hide: true } }, (request, reply) => {
    scrape(request, reply);
    return reply;
  });
});
