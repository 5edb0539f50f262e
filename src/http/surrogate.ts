import type { FastifyReply } from 'fastify';

declare module 'fastify' {
  interface FastifyReply {
    /** What this response shows, as surrogate keys (src/changes/surrogate-keys.ts). */
    surrogateKeys: string[] | null;
  }
}

/**
 * Names what a public response shows. The caching plugin sends the keys as Surrogate-Key (Fastly)
 * and Cache-Tag (Cloudflare) on shared responses, and the response cache purges by them when the
 * change log says one of them changed.
 */
export function tagResponse(reply: FastifyReply, keys: Iterable<string>): void {
  reply.surrogateKeys = [...new Set([...(reply.surrogateKeys ?? []), ...keys])];
}
