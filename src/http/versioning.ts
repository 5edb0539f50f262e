import type { FastifyReply, FastifyRequest } from 'fastify';
import { badParameter } from '../errors.js';

/** The version an update expects, from `If-Match: "3"` (weak tags too); `*` or none means any. */
export function ifMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!match) throw badParameter('if-match', 'must be the ETag of the version you read, like "3"');
  return Number(match[1]);
}

/** Admin resources carry their version as ETag, so a tool can send it back as If-Match. */
export function versioned<T extends { version: number }>(reply: FastifyReply, data: T): { data: T } {
  reply.header('etag', `"${data.version}"`);
  return { data };
}
