import type { KeyType } from './key-types.js';

/*
 * Who is calling. Every content function takes one, so visibility is decided once for REST,
 * GraphQL, search and (later) sync alike.
 */

export const SCOPES = [
  'content:preview',
  'content:write',
  'content:publish',
  'keys:manage',
  'webhooks:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'key';
      keyId: string;
      name: string;
      prefix: string;
      /** A secret server key, or a browser key published in pages (key-types.ts). */
      type: KeyType;
      scopes: readonly Scope[];
      /** A partner key may be limited to some categories (slugs); null means every category. */
      categories: readonly string[] | null;
      /** Browser origins (scheme://host[:port]) this key may be used from; empty: none. */
      allowedOrigins: readonly string[];
      /** Requests per minute (per visitor address for a browser key); null: the default. */
      rateLimitPerMinute: number | null;
      /** When the key stops working; null: never. Keys it creates may not outlive it. */
      expiresAt: Date | null;
    };

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.kind === 'key' && principal.scopes.includes(scope);
}

/** The label a write is attributed to in revisions and the change log. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'key' ? `key:${principal.prefix}` : 'anonymous';
}
