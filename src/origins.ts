/** What isCrossOrigin needs of a request (a FastifyRequest has it). */
interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  host: string;
}

/**
 * Whether a browser sent this request from a page of another origin. Same-origin pages (the
 * /docs reference) are not cross-origin, so they keep working; requests without an Origin (curl,
 * servers) are not either.
 */
export function isCrossOrigin(request: RequestLike): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    const page = new URL(origin);
    // Read the Host header in the page's scheme, so a default port written out still matches.
    return new URL(`${page.protocol}//${request.host}`).host !== page.host;
  } catch {
    // "null" (sandboxed frames, file://) and anything unparsable.
    return true;
  }
}
