import type { FastifyReply, FastifyRequest } from 'fastify';
import { adminEtag, type Expected } from '../content/admin/validation.js';
import { badParameter } from '../errors.js';

/**
 * What an update expects, from If-Match: the admin ETag a tool read (`"3-9f86d081884c7d65"`), or
 * a bare version (`"3"`, weak tags too) for tools that know only the version. `*` or none: any.
 */
export function ifMatch(request: FastifyRequest): Expected | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const version = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (version) return Number(version[1]);
  const tag = /^\s*"(\d+-[0-9a-f]{16})"\s*$/.exec(header);
  if (tag) return { etag: tag[1]! };
  throw badParameter('if-match', 'must be the ETag of the version you read, like "3-9f86d081884c7d65"');
}

/** Admin resources carry an ETag that changes with anything they show; send it back as If-Match. */
export function versioned<T extends { version: number }>(reply: FastifyReply, data: T): { data: T } {
  reply.header('etag', `"${adminEtag(data)}"`);
  return { data };
}
