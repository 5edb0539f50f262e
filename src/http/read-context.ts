import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageOut } from '../content/schemas.js';
import type { ReadContext } from '../content/visibility.js';

export function readContext(request: FastifyRequest): ReadContext {
  return { principal: request.principal, preview: false };
}

/** RFC 8288 Link header for the next page, keeping every other query parameter. */
export function linkNext(request: FastifyRequest, reply: FastifyReply, page: PageOut) {
  if (!page.nextCursor) return;
  const url = new URL(request.url, 'http://placeholder');
  url.searchParams.set('cursor', page.nextCursor);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}
