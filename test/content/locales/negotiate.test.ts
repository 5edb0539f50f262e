import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_ACCEPT_LANGUAGE_LENGTH,
  MAX_LANGUAGE_RANGES,
  parseAcceptLanguage,
} from '../../../src/content/locales/accept-language.js';
import { negotiateLocale } from '../../../src/content/locales/negotiate.js';

const KNOWN = ['en', 'de', 'de-CH', 'es', 'es-419', 'fr-CA'];
const negotiate = (header: string | undefined) => negotiateLocale(parseAcceptLanguage(header), KNOWN, 'en');

describe('Accept-Language', () => {
  it('reads ranges with weights, highest first, in the order given when equal', () => {
    expect(parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual([
      { range: 'fr-CH', q: 1 },
      { range: 'fr', q: 0.9 },
      { range: 'en', q: 0.8 },
      { range: 'de', q: 0.7 },
      { range: '*', q: 0.5 },
    ]);
    expect(parseAcceptLanguage('es;q=0.5,DE-ch;q=0.5 , en-gb')).toEqual([
      { range: 'en-GB', q: 1 },
      { range: 'es', q: 0.5 },
      { range: 'de-CH', q: 0.5 },
    ]);
  });

  it('skips entries it cannot read instead of failing', () => {
    expect(parseAcceptLanguage('de;q=2, es;q=abc, fr;q=0.1234, en_US, ,;q=1, it;q=1.000, pt;Q=0.3')).toEqual([
      { range: 'it', q: 1 },
      { range: 'pt', q: 0.3 },
    ]);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('')).toEqual([]);
  });

  it('keeps q=0 as an exclusion and counts a repeated range once', () => {
    expect(parseAcceptLanguage('de;q=0, de;q=1, en')).toEqual([
      { range: 'en', q: 1 },
      { range: 'de', q: 0 },
    ]);
  });

  it('reads a bounded number of ranges from a bounded length', () => {
    const letter = (n: number) => String.fromCharCode(97 + n);
    const many = Array.from({ length: 100 }, (_, i) => letter(Math.floor(i / 26)) + letter(i % 26));
    expect(parseAcceptLanguage(many.join(',')).map((r) => r.range)).toEqual(many.slice(0, MAX_LANGUAGE_RANGES));
    const long = `${'de-CH,'.repeat(1000)}es`;
    expect(parseAcceptLanguage(long).map((r) => r.range)).toEqual(['de-CH']);
    expect(parseAcceptLanguage(`${' '.repeat(MAX_ACCEPT_LANGUAGE_LENGTH)},es`)).toEqual([]);
  });
});

describe('negotiating a locale', () => {
  it('picks the exact locale, honouring weights', () => {
    expect(negotiate('de-CH')).toEqual({ locale: 'de-CH', matched: true });
    expect(negotiate('es;q=0.4, de;q=0.8')).toEqual({ locale: 'de', matched: true });
    expect(negotiate('ES-419')).toEqual({ locale: 'es-419', matched: true });
  });

  it('serves a regional variant from its language (de-AT -> de)', () => {
    expect(negotiate('de-AT')).toEqual({ locale: 'de', matched: true });
    expect(negotiate('de-CH-1996')).toEqual({ locale: 'de-CH', matched: true });
    expect(negotiate('es-MX, en;q=0.5')).toEqual({ locale: 'es', matched: true });
    expect(negotiate('en-US-u-co-phonebk')).toEqual({ locale: 'en', matched: true });
  });

  it('serves a language from a regional locale when that is all there is (fr -> fr-CA)', () => {
    expect(negotiate('fr')).toEqual({ locale: 'fr-CA', matched: true });
    expect(negotiate('fr-BE')).toEqual({ locale: 'fr-CA', matched: true });
  });

  it('takes the next range when the first matches nothing', () => {
    expect(negotiate('ja, ko;q=0.9, es;q=0.1')).toEqual({ locale: 'es', matched: true });
  });

  it('answers the default when nothing matches', () => {
    expect(negotiate('ja, ko')).toEqual({ locale: 'en', matched: false });
    expect(negotiate(undefined)).toEqual({ locale: 'en', matched: false });
    expect(negotiate('garbage;;;')).toEqual({ locale: 'en', matched: false });
  });

  it('reads * as any language: the default, unless that is excluded', () => {
    expect(negotiate('ja, *;q=0.1')).toEqual({ locale: 'en', matched: true });
    expect(negotiate('en;q=0, *')).toEqual({ locale: 'de', matched: true });
  });

  it('never serves a language excluded with q=0', () => {
    expect(negotiate('de;q=0, de-CH')).toEqual({ locale: 'en', matched: false });
    expect(negotiate('es;q=0, es-MX, de;q=0.5')).toEqual({ locale: 'de', matched: true });
  });
});

describe('negotiating, for any header', () => {
  const anyHeader = fc.oneof(
    fc.string(),
    fc
      .array(
        fc.tuple(
          fc.constantFrom('de', 'DE-ch', 'es-419', 'es-MX', 'fr', 'ja', '*', 'en-GB', 'x-y', 'de_AT'),
          fc.option(fc.constantFrom('0', '0.5', '1', '0.001', '1.0', '2', 'x'), { nil: undefined }),
        ),
      )
      .map((entries) => entries.map(([r, q]) => (q === undefined ? r : `${r};q=${q}`)).join(', ')),
  );

  it('always answers a known locale, never one the header excluded (unless falling back to the default)', () => {
    fc.assert(
      fc.property(anyHeader, (header) => {
        const ranges = parseAcceptLanguage(header);
        const { locale, matched } = negotiateLocale(ranges, KNOWN, 'en');
        expect(KNOWN).toContain(locale);
        if (!matched) expect(locale).toBe('en');
        const excluded = ranges.filter((r) => r.q === 0 && r.range !== '*').map((r) => r.range.toLowerCase());
        if (matched)
          for (const range of excluded)
            expect(locale === range || locale.toLowerCase().startsWith(`${range}-`)).toBe(false);
        for (let i = 1; i < ranges.length; i++) expect(ranges[i - 1]!.q).toBeGreaterThanOrEqual(ranges[i]!.q);
      }),
      { seed: 18, numRuns: 500 },
    );
  });
});
