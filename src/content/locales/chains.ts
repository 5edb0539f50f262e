import { canonicalTag, isContentLocaleTag } from './tags.js';

/*
 * The locales admins manage and the fallback chain each one resolves to. A locale lists the
 * locales to try after itself, in order; each of those brings its own list, depth first, and the
 * default locale always ends the chain: `de-CH: [de]`, `de: []` give de-CH -> de -> en, and
 * `lb: [de, fr]` gives lb -> de -> fr -> en. A locale seen twice counts where it is first seen.
 */

/** Longest chain a locale may resolve to, the default included: each step is a join in every read. */
export const MAX_CHAIN_LENGTH = 6;

export interface LocaleDefinition {
  /** A BCP 47 tag of a content locale, canonical: `de-CH`. */
  code: string;
  /** The locales to try after this one, in order, without the default (which is always last). */
  fallbacks: readonly string[];
}

export interface LocaleIssue {
  /** Where in the list: `[2, 'fallbacks', 0]` is the first fallback of the third locale. */
  path: (string | number)[];
  message: string;
}

/**
 * What is wrong with a list of locales, as issues with paths (empty when it is fine): codes that are
 * not canonical content-locale tags or are listed twice, a default that is missing or has fallbacks
 * of its own, fallbacks that are unknown, name the locale itself or the default, cycles, and chains
 * longer than MAX_CHAIN_LENGTH.
 */
export function localeListIssues(locales: readonly LocaleDefinition[], defaultLocale: string): LocaleIssue[] {
  const issues: LocaleIssue[] = [];
  const index = new Map<string, number>();
  locales.forEach((locale, i) => {
    if (!isContentLocaleTag(locale.code) || canonicalTag(locale.code) !== locale.code) {
      issues.push({
        path: [i, 'code'],
        message: `"${locale.code}" is not a language tag in canonical form (language[-Script][-REGION][-variant])`,
      });
    }
    const lower = locale.code.toLowerCase();
    if (index.has(lower)) issues.push({ path: [i, 'code'], message: `"${locale.code}" is listed twice` });
    else index.set(lower, i);
  });
  const defaultAt = index.get(defaultLocale.toLowerCase());
  if (defaultAt === undefined) {
    issues.push({ path: [], message: `the default locale "${defaultLocale}" is not in the list` });
  } else if (locales[defaultAt]!.fallbacks.length > 0) {
    issues.push({ path: [defaultAt, 'fallbacks'], message: 'the default locale falls back to nothing' });
  }
  locales.forEach((locale, i) => {
    const seen = new Set<string>();
    locale.fallbacks.forEach((code, j) => {
      const path = [i, 'fallbacks', j];
      if (code === locale.code) issues.push({ path, message: 'a locale cannot fall back to itself' });
      else if (code === defaultLocale)
        issues.push({ path, message: `"${code}" is the default locale, which ends every chain by itself` });
      else if (!index.has(code.toLowerCase()) || locales[index.get(code.toLowerCase())!]!.code !== code)
        issues.push({ path, message: `no locale "${code}"` });
      else if (seen.has(code)) issues.push({ path, message: `"${code}" is listed twice` });
      seen.add(code);
    });
  });
  if (issues.length > 0) return issues;

  const byCode = new Map(locales.map((l) => [l.code, l]));
  locales.forEach((locale, i) => {
    const cycle = findCycle(locale.code, byCode);
    if (cycle) {
      issues.push({ path: [i, 'fallbacks'], message: `fallbacks go round in a circle: ${cycle.join(' -> ')}` });
      return;
    }
    const chain = expand(locale.code, byCode, defaultLocale);
    if (chain.length > MAX_CHAIN_LENGTH) {
      issues.push({
        path: [i, 'fallbacks'],
        message: `the chain ${chain.join(' -> ')} is longer than ${MAX_CHAIN_LENGTH} locales`,
      });
    }
  });
  return issues;
}

/** The first cycle reachable from `start`, as the codes along it with the first repeated at the end. */
function findCycle(start: string, byCode: ReadonlyMap<string, LocaleDefinition>): string[] | null {
  const path: string[] = [];
  const done = new Set<string>();
  const visit = (code: string): string[] | null => {
    const at = path.indexOf(code);
    if (at >= 0) return [...path.slice(at), code];
    if (done.has(code)) return null;
    path.push(code);
    for (const next of byCode.get(code)?.fallbacks ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(code);
    return null;
  };
  return visit(start);
}

function expand(code: string, byCode: ReadonlyMap<string, LocaleDefinition>, defaultLocale: string): string[] {
  const out: string[] = [];
  const walk = (c: string) => {
    if (out.includes(c) || c === defaultLocale) return;
    out.push(c);
    for (const next of byCode.get(c)?.fallbacks ?? []) walk(next);
  };
  walk(code);
  return [...out, defaultLocale];
}

/**
 * The fallback chains of a valid list (localeListIssues found nothing), by code: each starts with the
 * locale itself and ends with the default. Throws on an invalid list, so a bad one never half-works.
 */
export function fallbackChains(
  locales: readonly LocaleDefinition[],
  defaultLocale: string,
): ReadonlyMap<string, readonly string[]> {
  const issues = localeListIssues(locales, defaultLocale);
  if (issues.length > 0) {
    throw new Error(`invalid locale list: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const byCode = new Map(locales.map((l) => [l.code, l]));
  return new Map(locales.map((l) => [l.code, expand(l.code, byCode, defaultLocale)]));
}
