import { badParameter } from '../errors.js';

/** PostgreSQL refuses NUL in text, and no filter or key has a use for control characters. */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 32 || code === 127) return true;
  }
  return false;
}

/**
 * Checks free-text filter values before they reach SQL, for every surface alike (REST validates
 * its query string too, GraphQL arguments arrive here as typed).
 */
export function checkTextFilters(filters: object): void {
  for (const [name, value] of Object.entries(filters)) {
    if (typeof value !== 'string') continue;
    if (hasControlCharacters(value)) throw badParameter(name, 'must not contain control characters');
    if (value.length > 200) throw badParameter(name, 'must be at most 200 characters');
  }
}
