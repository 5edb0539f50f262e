import { AppError, type FieldError } from '../errors.js';
import type { Principal } from './principal.js';

/*
 * Two types of API key.
 *
 * - server: a secret, kept on the partner's servers or in a content tool. It may hold scopes;
 *   answers to it are its own (private, no-store) and its rate limit is one budget for the key.
 * - browser: published in a web page (the widget's key= attribute), so anyone can read it. It
 *   says who the partner is (which origins may use it, which categories it shows, whose usage it
 *   is) and grants nothing an anonymous reader lacks: no scopes, ever. Its answers are public
 *   within its categories (shared caches may keep them), and its rate limit applies to each
 *   visitor's address on its own, since every visitor of the partner's pages sends the same key.
 */

export const KEY_TYPES = ['server', 'browser'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** What a browser key may not be: refused when it is created. */
export function checkBrowserKey(input: { scopes: readonly string[]; allowedOrigins?: readonly string[] | undefined }) {
  const errors: FieldError[] = [];
  if (input.scopes.length)
    errors.push({ path: 'scopes', message: 'a browser key is published in pages and can hold no scopes' });
  if (!input.allowedOrigins?.length)
    errors.push({
      path: 'allowedOrigins',
      message: 'a browser key needs the origins of the pages it is used on (https://jobs.example.com)',
    });
  if (errors.length)
    throw new AppError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

/**
 * Whom an answer to this caller may be shared with, or null when it is the caller's own: '' for
 * readers without a key, and for a browser key the categories it reads (every user of a browser
 * key limited to the same categories sees the same content).
 */
export function sharedScope(principal: Principal): string | null {
  if (principal.kind === 'anonymous') return '';
  if (principal.type !== 'browser') return null;
  return `browser:${principal.categories ? [...principal.categories].sort().join(',') : '*'}`;
}
