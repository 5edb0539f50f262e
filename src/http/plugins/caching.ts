import etag from '@fastify/etag';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import '../surrogate.js';

/**
 * ETag on every response (a hash of the body) with If-None-Match answered by 304, and a
 * Cache-Control that a CDN can act on: public reads are shared for max-age and may be served stale
 * while revalidating; anything per-caller is private, no-store.
 */
export const cachingPlugin = fp(async (app: FastifyInstance) => {
  await app.register(etag);
  const maxAge = app.appConfig.publicCacheMaxAge;
  const publicPolicy = `public, max-age=${maxAge}, stale-while-revalidate=${maxAge * 5}, stale-if-error=86400`;
  app.decorateReply('surrogateKeys', null);
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.getHeader('cache-control')) return payload;
    const cache = request.routeOptions.config?.cache;
    const ok = reply.statusCode < 400;
    // Anything answered for a key (previews above all) is for that caller only.
    const shared = request.principal?.kind !== 'key';
    if (cache === 'public' && shared && ok && (request.method === 'GET' || request.method === 'HEAD')) {
      reply.header('cache-control', publicPolicy);
      // A cache that stores this must not hand it to a request with a key or asking for preview.
      reply.header('vary', 'Authorization, X-Preview');
      const keys = reply.surrogateKeys;
      if (keys?.length) reply.header('surrogate-key', keys.join(' ')).header('cache-tag', keys.join(','));
    } else {
      reply.header('cache-control', 'private, no-store');
    }
    return payload;
  });
});
