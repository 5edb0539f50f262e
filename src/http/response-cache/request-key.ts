import type { FastifyRequest } from 'fastify';
import { sharedScope } from '../../access/key-types.js';
import { ANONYMOUS } from '../../access/principal.js';

/**
 * The key a public GET is cached under: the host it was asked of (embed pages and oEmbed write
 * absolute links from it, so one host's answer must never be served to another), its path, and
 * its query parameters in a fixed order, so `?limit=5&category=data` and `?category=data&limit=5`
 * share one entry. HEAD shares GET's. Tracking parameters (utm_*, fbclid, `_`) never get here:
 * they are dropped before routing (tracking-params.ts), so tagged links share the plain URL's entry.
 */
export function requestKey(request: FastifyRequest): string {
  const url = request.url;
  const host = request.host;
  const mark = url.indexOf('?');
  if (mark === -1) return `${host}${url}`;
  const params = [...new URLSearchParams(url.slice(mark + 1))].sort(([a, x], [b, y]) =>
    a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0,
  );
  return params.length ? `${host}${url.slice(0, mark)}?${new URLSearchParams(params)}` : `${host}${url.slice(0, mark)}`;
}

/**
 * Who may share this request's answer, as a part of its cache key: '' for readers without a key,
 * the categories of a browser key (key-types.ts), null when the answer is the caller's own (a
 * server key). Kept apart from the parts of the request so one can never pass for the other.
 */
export function callerPart(request: FastifyRequest): string | null {
  return sharedScope(request.principal ?? ANONYMOUS);
}

/** A request's key within the answers its caller may share. */
export const scopedKey = (caller: string, key: string) => (caller === '' ? key : `${caller}\n${key}`);

/**
 * Whether an answer to this request may come from, and go into, the shared cache: a public GET
 * by a caller whose answers are shared (no key, or a browser key) who did not ask for drafts.
 */
export function sharedRead(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.routeOptions.config?.cache !== 'public') return false;
  // A refused key is answered 401 (or 429) once the limiter has counted it, never from the cache.
  if (request.authFailure) return false;
  if (callerPart(request) === null || request.headers['x-preview'] !== undefined) return false;
  return !request.url.includes('preview=');
}

/**
 * The key of a GraphQL POST: its operation, variables and extensions as sent. Only answers to
 * queries are stored (the GraphQL layer withdraws mutations before they run).
 */
export function graphqlPostKey(request: FastifyRequest): string | undefined {
  if (request.method !== 'POST' || request.routeOptions.config?.cache !== 'public') return undefined;
  if (request.authFailure) return undefined;
  const caller = callerPart(request);
  if (caller === null || request.headers['x-preview'] !== undefined) return undefined;
  const body = request.body as
    { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown } | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return scopedKey(
    caller,
    `POST ${request.url} ${JSON.stringify([body.query, body.variables, body.operationName, body.extensions])}`,
  );
}
