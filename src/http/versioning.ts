import type { FastifyReply, FastifyRequest } from 'fastify';
import { adminEtag, type Expected } from '../content/admin/validation.js';
import { AppError, badParameter } from '../errors.js';

/** One entity tag of If-Match: an admin ETag (`"3-9f86d081884c7d65"`), or a bare version (`"3"`). */
function parseTag(tag: string): number | { etag: string } {
  const version = /^"?(\d+)"?$/.exec(tag);
  if (version) return Number(version[1]);
  const etag = /^"(\d+-[0-9a-f]{16})"$/.exec(tag);
  if (etag) return { etag: etag[1]! };
  throw badParameter('if-match', 'must be the ETag of the version you read, like "3-9f86d081884c7d65"');
}

/**
 * What an update expects, from If-Match, compared as RFC 9110 says: strongly. A weak tag
 * (`W/"3"`) never matches, so a request naming only weak tags answers 412 and writes nothing.
 * Several tags (`"3-…", "4-…"`) match when any one does; `*` or none: whatever is current.
 */
export function ifMatch(request: FastifyRequest): Expected | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const tags = header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const strong = tags.filter((t) => !t.startsWith('W/'));
  if (strong.length === 0)
    throw new AppError(
      'PRECONDITION_FAILED',
      'If-Match compares entity tags strongly (RFC 9110), so a weak one (W/"…") never matches: send the ETag exactly as you read it',
    );
  const parsed = strong.map(parseTag);
  return parsed.length === 1 ? parsed[0] : { anyOf: parsed };
}

/** Admin resources carry an ETag that changes with anything they show; send it back as If-Match. */
export function versioned<T extends { version: number }>(reply: FastifyReply, data: T): { data: T } {
  reply.header('etag', `"${adminEtag(data)}"`);
  return { data };
}
