import { AppError } from '../errors.js';
import type { KeyPrincipal } from './operations.js';
import type { Scope } from './principal.js';

/*
 * What one key may do to another. Managing keys is a way to hold other keys' secrets (create and
 * rotate hand one out) or to switch them off, so a key may act only on keys that can do no more
 * than it can itself: every scope of the other key is one it holds, and a secret it hands out
 * never outlives it. The caller has already passed its operation's check (keys:manage, in
 * operations.ts); service.ts runs both for REST, GraphQL and any other caller.
 */

export interface KeyShape {
  scopes: readonly Scope[];
  expiresAt: Date | null;
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
export function grantable(p: KeyPrincipal, wanted: KeyShape): KeyShape {
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
export function checkRotate(p: KeyPrincipal, target: KeyShape): void {
  checkReach(p, target);
  const limit = p.expiresAt;
  if (outlives(target.expiresAt, limit)) {
    throw new AppError(
      'FORBIDDEN',
      `This key expires at ${limit!.toISOString()} and cannot take a secret that works for longer`,
    );
  }
}
