import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalTag,
  isContentLocaleTag,
  MAX_TAG_LENGTH,
  parseLanguageTag,
  truncations,
} from '../../../src/content/locales/tags.js';

const SEED = 18;

describe('language tags', () => {
  it('writes each subtag in its canonical case', () => {
    expect(canonicalTag('DE-ch')).toBe('de-CH');
    expect(canonicalTag('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(canonicalTag('ES-419')).toBe('es-419');
    expect(canonicalTag('sl-ROZAJ-BISKE')).toBe('sl-rozaj-biske');
    expect(canonicalTag('de-DE-1996')).toBe('de-DE-1996');
    expect(canonicalTag('en-US-U-CO-PHONEBK-x-Private')).toBe('en-US-u-co-phonebk-x-private');
    expect(canonicalTag('zh-YUE-hk')).toBe('zh-yue-HK');
  });

  it('refuses what is not a well-formed language tag', () => {
    for (const bad of [
      '',
      'd',
      'de_CH',
      'de-',
      '-de',
      'de--CH',
      'deutsch-de-x',
      'x-klingon',
      'de-CH-1996-1996',
      'en-u-co-phonebk-u-ca-buddhist',
      'de-a',
      'en-x',
      '123',
      'de CH',
      'de-CH\n',
      'i-klingon',
      `de-${'a'.repeat(MAX_TAG_LENGTH)}`,
    ]) {
      expect(parseLanguageTag(bad), bad).toBeNull();
    }
  });

  it('takes content locales without extensions or private use', () => {
    expect(isContentLocaleTag('de-CH')).toBe(true);
    expect(isContentLocaleTag('sr-Latn')).toBe(true);
    expect(isContentLocaleTag('en-u-ca-buddhist')).toBe(false);
    expect(isContentLocaleTag('de-x-formal')).toBe(false);
    expect(isContentLocaleTag('nonsense tag')).toBe(false);
  });

  it('truncates from the end, after dropping extensions and private use', () => {
    expect(truncations('de-CH-1996')).toEqual(['de-CH-1996', 'de-CH', 'de']);
    expect(truncations('zh-Hant-TW')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh']);
    expect(truncations('en-US-u-co-phonebk-x-mine')).toEqual(['en-US', 'en']);
    expect(truncations('zh-yue-HK')).toEqual(['zh-yue-HK', 'zh-yue', 'zh']);
    expect(truncations('en')).toEqual(['en']);
    expect(truncations('not a tag')).toEqual([]);
  });
});

const subtag = (min: number, max: number, chars: string) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** Tags as RFC 5646 builds them (language, script, region, variant), in random case. */
const wellFormedTag = fc
  .tuple(
    subtag(2, 3, LETTERS),
    fc.option(subtag(4, 4, LETTERS), { nil: undefined }),
    fc.option(fc.oneof(subtag(2, 2, LETTERS), subtag(3, 3, DIGITS)), { nil: undefined }),
    fc.option(subtag(5, 8, LETTERS + DIGITS), { nil: undefined }),
  )
  .map((parts) => parts.filter((p) => p !== undefined).join('-'));

describe('language tags, for any input', () => {
  it('canonical form is idempotent and ignores the case it was given', () => {
    fc.assert(
      fc.property(wellFormedTag, (tag) => {
        const canonical = canonicalTag(tag);
        expect(canonical).not.toBeNull();
        expect(canonicalTag(canonical!)).toBe(canonical);
        expect(canonicalTag(tag.toUpperCase())).toBe(canonical);
        expect(canonical!.toLowerCase()).toBe(tag.toLowerCase());
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('never throws, and what it accepts is short, ASCII and canonical', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...`${LETTERS}${DIGITS}-_ `) })), (input) => {
        const tag = canonicalTag(input);
        if (tag === null) return;
        expect(tag.length).toBeLessThanOrEqual(MAX_TAG_LENGTH);
        expect(tag).toMatch(/^[A-Za-z0-9-]+$/);
        expect(canonicalTag(tag)).toBe(tag);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('each truncation of a well-formed tag is itself well formed and a prefix of it', () => {
    fc.assert(
      fc.property(wellFormedTag, (tag) => {
        const canonical = canonicalTag(tag)!;
        for (const shorter of truncations(canonical)) {
          expect(canonicalTag(shorter)).toBe(shorter);
          expect(canonical.startsWith(shorter)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
