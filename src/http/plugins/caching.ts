import compress from '@fastify/compress';
import etag from '@fastify/etag';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { COMPRESS_THRESHOLD, negotiate } from '../response-cache/encodings.js';
import { callerPart, graphqlPostKey, requestKey, scopedKey, sharedRead } from '../response-cache/request-key.js';
import { etagOf, type ResponseCache } from '../response-cache/store.js';
import '../surrogate.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on a shared read that missed the cache: how to store and release its answer. */
    cacheBuild: { key: string; generation: number; done: (stored: boolean) => void } | null;
  }
}

export interface CachingOptions {
  /** The published read model; absent when RESPONSE_CACHE=false. */
  cache?: ResponseCache | undefined;
}

// Sent again with cached bytes; everything else per request (request id, rate limits, CORS) is
// set afresh by its own hook.
const STORED_HEADERS = ['content-type', 'cache-control', 'vary', 'surrogate-key', 'cache-tag', 'link'];

function sendCached(request: FastifyRequest, reply: FastifyReply, cache: ResponseCache, key: string) {
  const entry = cache.get(key);
  if (!entry) return false;
  reply.headers(entry.headers).header('etag', entry.etag);
  const inm = request.headers['if-none-match'];
  if (inm !== undefined && inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag)) {
    reply.code(304).send();
    return true;
  }
  const encoding = negotiate(request.headers['accept-encoding'], entry.encoded);
  if (encoding === 'identity') reply.send(entry.identity);
  else reply.header('content-encoding', encoding).send(entry.encoded[encoding]);
  return true;
}

/**
 * Answers from the cache, or makes this request the one that builds the answer for its key
 * (waiting for another that is already building it), then calls next. A hit is answered at once,
 * with no promise in between: these hooks take a callback, and a hook that has sent the reply
 * simply never calls next (an async hook returning the reply would wait for the socket to finish).
 */
function serveOrBuild(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: ResponseCache,
  key: string,
  next: (err?: Error) => void,
): void {
  if (sendCached(request, reply, cache, key)) return;
  const turn = cache.lead(key);
  if ('done' in turn) {
    request.cacheBuild = { key, generation: cache.currentGeneration, done: turn.done };
    next();
    return;
  }
  // The leader stored its answer: read it. It could not: build our own, uncached.
  turn.wait.then((stored) => (stored ? serveOrBuild(request, reply, cache, key, next) : next()), next);
}

/**
 * How public reads are cached, here and downstream:
 * - Cache-Control a CDN can act on: shared for max-age and servable stale while revalidating;
 *   anything per caller is private, no-store.
 * - Surrogate-Key and Cache-Tag name what a response shows, so a CDN can purge exactly that.
 * - ETag on every response; If-None-Match answered with 304.
 * - br and gzip for bodies over 1 KB when the client accepts them.
 * - The response cache: shared reads are answered from stored bytes (and their precompressed
 *   forms) before any handler or SQL runs; a cold key is built once however many ask at once.
 */
export const cachingPlugin = fp<CachingOptions>(async (app: FastifyInstance, { cache }) => {
  const maxAge = app.appConfig.publicCacheMaxAge;
  const publicPolicy = `public, max-age=${maxAge}, stale-while-revalidate=${maxAge * 5}, stale-if-error=86400`;
  app.decorateReply('surrogateKeys', null);
  app.decorateRequest('cacheBuild', null);

  if (cache) {
    // While this instance applies a change another instance announced, reads wait for it.
    const lookUp = (request: FastifyRequest, reply: FastifyReply, key: string, next: (err?: Error) => void) => {
      const pending = app.changes.pending;
      if (pending) pending.then(() => serveOrBuild(request, reply, cache, key, next)).catch(next);
      else serveOrBuild(request, reply, cache, key, next);
    };
    app.addHook('onRequest', (request, reply, next) => {
      if (sharedRead(request)) lookUp(request, reply, scopedKey(callerPart(request)!, requestKey(request)), next);
      else next();
    });
    // A GraphQL query sent by POST: its key is in the body.
    app.addHook('preHandler', (request, reply, next) => {
      const key = request.cacheBuild ? undefined : graphqlPostKey(request);
      if (key !== undefined) lookUp(request, reply, key, next);
      else next();
    });
    // Whatever happened to the build (stored, failed, client gone), let the next one go.
    app.addHook('onResponse', (request, _reply, next) => {
      request.cacheBuild?.done(false);
      next();
    });
    app.addHook('onRequestAbort', (request, next) => {
      request.cacheBuild?.done(false);
      next();
    });
  }

  app.addHook('onSend', (request, reply, payload, next) => {
    next(null, finish(request, reply, payload));
  });

  /** Sets the caching headers and stores a miss that built a shareable answer; returns the payload to send. */
  function finish(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    if (reply.getHeader('cache-control')) return payload;
    const ok = reply.statusCode < 400;
    // Anything answered for a server key (previews above all) is for that caller only; answers
    // to a browser key are public within its categories.
    const caller = callerPart(request);
    if (
      request.routeOptions.config?.cache === 'public' &&
      caller !== null &&
      ok &&
      (request.method === 'GET' || request.method === 'HEAD')
    ) {
      reply.header('cache-control', publicPolicy);
      // A cache that stores this must not hand it to a request with another key or asking for
      // preview; a browser key's answer names the page's origin (CORS), so it varies by that too.
      reply.header('vary', `Authorization, X-Preview, Accept-Encoding${caller ? ', Origin' : ''}`);
      const keys = reply.surrogateKeys;
      if (keys?.length) reply.header('surrogate-key', keys.join(' ')).header('cache-tag', keys.join(','));
    } else {
      reply.header('cache-control', 'private, no-store');
    }
    const build = request.cacheBuild;
    if (cache && build && reply.statusCode === 200 && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      const identity = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
      const tag = etagOf(identity);
      reply.header('etag', tag);
      const headers: Record<string, string> = {};
      for (const name of STORED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      build.done(
        cache.store(
          { key: build.key, etag: tag, headers, identity, tags: reply.surrogateKeys ?? [] },
          build.generation,
        ),
      );
      return identity;
    }
    return payload;
  }

  await app.register(etag);
  await app.register(compress, { global: true, threshold: COMPRESS_THRESHOLD, encodings: ['br', 'gzip'] });
});
