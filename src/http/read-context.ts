import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasScope } from '../access/principal.js';
import type { PageOut } from '../content/schemas.js';
import type { ReadContext } from '../content/visibility.js';
import { AppError } from '../errors.js';

/**
 * The caller and whether they asked to see drafts: `?preview=true` on REST, `X-Preview: true` on
 * GraphQL. Asking without a key holding content:preview is refused rather than quietly ignored.
 */
export function readContext(request: FastifyRequest): ReadContext {
  const query = request.query as { preview?: string } | undefined;
  const preview = query?.preview === 'true' || request.headers['x-preview'] === 'true';
  if (preview) {
    if (request.principal.kind === 'anonymous')
      throw new AppError('UNAUTHENTICATED', 'Preview needs an API key with content:preview');
    if (!hasScope(request.principal, 'content:preview'))
      throw new AppError('FORBIDDEN', 'Preview needs the content:preview scope');
  }
  return { principal: request.principal, preview };
}

/** RFC 8288 Link header for the next page, keeping every other query parameter. */
export function linkNext(request: FastifyRequest, reply: FastifyReply, page: PageOut) {
  if (!page.nextCursor) return;
  const url = new URL(request.url, 'http://placeholder');
  url.searchParams.set('cursor', page.nextCursor);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}
