import { AppError } from '../errors.js';
import type { KeyPrincipal } from './operations.js';
import type { Scope } from './principal.js';

/*
 * What one key may do to another. Managing keys is a way to hold other keys' secrets (create and
 * rotate hand one out) or to switch them off, so a key may act only on keys that can do no more
 * than it can itself: every scope of the other key is one it holds, and a secret it hands out
 * never outlives it. A secret it hands out also carries no more than it has: no higher rate limit
 * (its own, or the default for keys), no browser origin it does not list (when it lists any: a key
 * without origins is used from servers and may make keys for browser pages), no category outside
 * its own (when it has some). A key made without one of these takes its maker's, as it takes its
 * maker's expiry. The caller has already passed its operation's check (keys:manage, in
 * operations.ts); service.ts runs both for REST, GraphQL and any other caller.
 */

export interface KeyShape {
  scopes: readonly Scope[];
  expiresAt: Date | null;
}

/** What a key may do besides its scopes and expiry: what a key it makes may not exceed. */
export interface KeyReach extends KeyShape {
  /** null: the default for keys. */
  rateLimitPerMinute: number | null;
  allowedOrigins: readonly string[];
  /** null: every category. */
  categories: readonly string[] | null;
}

export interface KeyDefaults {
  /** The limit of a key without one of its own (RATE_LIMIT_KEY_PER_MINUTE). */
  keyRateLimitPerMinute: number;
}

const forbidden = (path: string, message: string, detail: string) =>
  new AppError('FORBIDDEN', detail, { errors: [{ path, message }] });

/** The first way the target can do more than the principal, or undefined. */
function exceeds(p: KeyPrincipal, target: KeyReach, defaults: KeyDefaults): AppError | undefined {
  const limit = p.rateLimitPerMinute ?? defaults.keyRateLimitPerMinute;
  const targetLimit = target.rateLimitPerMinute ?? defaults.keyRateLimitPerMinute;
  if (targetLimit > limit)
    return forbidden(
      'rateLimitPerMinute',
      `must not be more than ${limit}, this key's own limit`,
      `A key cannot hand out a higher rate limit than its own (${limit} requests per minute)`,
    );
  const origins = p.allowedOrigins.length ? target.allowedOrigins.filter((o) => !p.allowedOrigins.includes(o)) : [];
  if (origins.length)
    return forbidden(
      'allowedOrigins',
      `not listed on this key: ${origins.join(', ')}`,
      `A key cannot hand out origins it may not be used from: ${origins.join(', ')}`,
    );
  const scope = p.categories;
  const categories =
    scope === null
      ? []
      : target.categories === null
        ? ['every category']
        : target.categories.filter((c) => !scope.includes(c));
  if (categories.length)
    return forbidden(
      'categories',
      `outside this key's categories: ${categories.join(', ')}`,
      `A key cannot hand out categories outside its own: ${categories.join(', ')}`,
    );
  return undefined;
}

const beyond = (principal: KeyPrincipal, scopes: readonly Scope[]) =>
  scopes.filter((s) => !principal.scopes.includes(s));

/** Whether a later expiry (null: never) ends after an earlier one. */
const outlives = (expiresAt: Date | null, limit: Date | null) =>
  limit !== null && (expiresAt === null || expiresAt > limit);

/** Whether the principal may see and act on the key at all. */
export function mayActOn(principal: KeyPrincipal, target: KeyShape): boolean {
  return beyond(principal, target.scopes).length === 0;
}

/**
 * The key a principal may create. A key without an expiry made by an expiring key takes its
 * maker's expiry; asking for a later one is refused.
 */
export function grantable(p: KeyPrincipal, wanted: KeyReach, defaults: KeyDefaults): KeyReach {
  const inherited: KeyReach = {
    ...wanted,
    rateLimitPerMinute: wanted.rateLimitPerMinute ?? p.rateLimitPerMinute,
    allowedOrigins: wanted.allowedOrigins.length ? wanted.allowedOrigins : p.allowedOrigins,
    categories: wanted.categories ?? p.categories,
  };
  const more = exceeds(p, inherited, defaults);
  if (more) throw more;
  return { ...inherited, ...grantableShape(p, inherited) };
}

function grantableShape(p: KeyPrincipal, wanted: KeyShape): KeyShape {
  const extra = beyond(p, wanted.scopes);
  if (extra.length) {
    throw new AppError('FORBIDDEN', `This key cannot grant scopes it does not hold: ${extra.join(', ')}`, {
      errors: [{ path: 'scopes', message: `not held by this key: ${extra.join(', ')}` }],
    });
  }
  const limit = p.expiresAt;
  if (wanted.expiresAt === null) return { scopes: wanted.scopes, expiresAt: limit };
  if (outlives(wanted.expiresAt, limit)) {
    throw new AppError(
      'FORBIDDEN',
      `A key cannot outlive the key that makes it: this key expires at ${limit!.toISOString()}`,
      {
        errors: [{ path: 'expiresAt', message: `must not be later than ${limit!.toISOString()}` }],
      },
    );
  }
  return wanted;
}

/**
 * Revoking switches a key off, and its usage shows who uses it how much: allowed on any key the
 * principal could act on, and on no other, as if it were not listed (it is not, see mayActOn).
 */
export function checkReach(p: KeyPrincipal, target: KeyShape): void {
  const extra = beyond(p, target.scopes);
  if (extra.length)
    throw new AppError('FORBIDDEN', `This key cannot act on a key with scopes it does not hold: ${extra.join(', ')}`);
}

/** Rotating hands out a working secret of the target: the same rule as creating that key. */
export function checkRotate(p: KeyPrincipal, target: KeyReach, defaults: KeyDefaults): void {
  checkReach(p, target);
  const more = exceeds(p, target, defaults);
  if (more)
    throw new AppError('FORBIDDEN', `This key cannot take the secret of a key that can do more: ${more.message}`);
  const limit = p.expiresAt;
  if (outlives(target.expiresAt, limit)) {
    throw new AppError(
      'FORBIDDEN',
      `This key expires at ${limit!.toISOString()} and cannot take a secret that works for longer`,
    );
  }
}
