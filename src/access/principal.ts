/*
 * Who is calling. Every content function takes one, so visibility is decided once for REST,
 * GraphQL, search and (later) sync alike.
 */

export const SCOPES = ['content:preview', 'content:write', 'content:publish', 'keys:manage', 'webhooks:manage'] as const;
export type Scope = (typeof SCOPES)[number];

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'key'; keyId: string; name: string; prefix: string; scopes: readonly Scope[]; expiresAt: Date | null };

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.kind === 'key' && principal.scopes.includes(scope);
}

/** The label a write is attributed to in revisions and the change log. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'key' ? `key:${principal.prefix}` : 'anonymous';
}
