import type { LanguageRange } from './accept-language.js';
import { primaryLanguage, truncations } from './tags.js';

/*
 * Which known locale answers a reader's ranges. RFC 4647 lookup (a range, then the range with
 * subtags dropped from its end: de-CH-1996, de-CH, de), then the first known locale of the same
 * language (a reader of `de` is better served `de-AT` than the default), then the default.
 */

export interface Negotiated {
  /** The known locale chosen, in its canonical spelling. */
  locale: string;
  /** False when no range matched and the default was chosen for want of anything better. */
  matched: boolean;
}

/**
 * @param ranges from parseAcceptLanguage: highest weight first, canonical tags or `*`.
 * @param known the known locales, canonical, in the order admins listed them.
 * @param defaultLocale one of `known`.
 */
export function negotiateLocale(
  ranges: readonly LanguageRange[],
  known: readonly string[],
  defaultLocale: string,
): Negotiated {
  const byLower = new Map(known.map((code) => [code.toLowerCase(), code]));
  const excluded = new Set<string>();
  for (const { range, q } of ranges) {
    if (q === 0 && range !== '*') for (const code of known) if (matchesRange(code, range)) excluded.add(code);
  }
  const allowed = (code: string | undefined): code is string => code !== undefined && !excluded.has(code);

  for (const { range, q } of ranges) {
    if (q === 0) continue;
    if (range === '*') {
      const any = allowed(defaultLocale) ? defaultLocale : known.find((code) => allowed(code));
      if (any !== undefined) return { locale: any, matched: true };
      continue;
    }
    const exact = truncations(range)
      .map((tag) => byLower.get(tag.toLowerCase()))
      .find(allowed);
    if (exact !== undefined) return { locale: exact, matched: true };
    const sameLanguage = known.find((code) => allowed(code) && primaryLanguage(code) === primaryLanguage(range));
    if (sameLanguage !== undefined) return { locale: sameLanguage, matched: true };
  }
  return { locale: defaultLocale, matched: false };
}

/** Basic filtering (RFC 4647 §3.3.1): `de` matches `de` and `de-CH`, not `den`. */
function matchesRange(code: string, range: string): boolean {
  const c = code.toLowerCase();
  const r = range.toLowerCase();
  return c === r || c.startsWith(`${r}-`);
}
