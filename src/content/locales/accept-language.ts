import { canonicalTag } from './tags.js';

/*
 * Accept-Language (RFC 9110 §12.5.4): language ranges with optional weights. Any client sends it,
 * so parsing is bounded and forgiving: a malformed entry is skipped, never an error, as browsers and
 * proxies send odd things and the header is only a preference.
 */

/** Longest header read; the rest is ignored (browsers send well under 200 characters). */
export const MAX_ACCEPT_LANGUAGE_LENGTH = 1024;
/** Most ranges considered, in the order given. */
export const MAX_LANGUAGE_RANGES = 32;

export interface LanguageRange {
  /** A canonical tag (`de-CH`), or `*` for any language. */
  range: string;
  /** 0 to 1, three decimals at most; 0 means "not this one". */
  q: number;
}

const QVALUE = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The ranges of an Accept-Language value, highest weight first (equal weights keep the order the
 * client gave). Ranges with q=0 are kept, with q 0: they exclude a language. The same range given
 * twice counts once, at its first weight.
 */
export function parseAcceptLanguage(header: string | undefined): LanguageRange[] {
  if (!header) return [];
  const out: LanguageRange[] = [];
  const seen = new Set<string>();
  for (const entry of header.slice(0, MAX_ACCEPT_LANGUAGE_LENGTH).split(',').slice(0, MAX_LANGUAGE_RANGES)) {
    const [rawRange, ...params] = entry.split(';').map((part) => part.trim());
    if (!rawRange) continue;
    const range = rawRange === '*' ? '*' : canonicalTag(rawRange);
    if (range === null) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const [name, value] = param.split('=').map((part) => part.trim());
      if (name?.toLowerCase() !== 'q') continue;
      if (value === undefined || !QVALUE.test(value)) valid = false;
      else q = Number(value);
    }
    if (!valid || seen.has(range)) continue;
    seen.add(range);
    out.push({ range, q });
  }
  // Array.prototype.sort is stable: equal weights keep the client's order.
  return out.sort((a, b) => b.q - a.q);
}
