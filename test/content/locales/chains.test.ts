import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fallbackChains,
  localeListIssues,
  MAX_CHAIN_LENGTH,
  type LocaleDefinition,
} from '../../../src/content/locales/chains.js';

const LIST: LocaleDefinition[] = [
  { code: 'en', fallbacks: [] },
  { code: 'de', fallbacks: [] },
  { code: 'de-CH', fallbacks: ['de'] },
  { code: 'fr', fallbacks: [] },
  { code: 'lb', fallbacks: ['de', 'fr'] },
  { code: 'gsw', fallbacks: ['de-CH'] },
];

describe('fallback chains', () => {
  it('follow each locale’s fallbacks depth first and end with the default', () => {
    const chains = fallbackChains(LIST, 'en');
    expect(chains.get('en')).toEqual(['en']);
    expect(chains.get('de')).toEqual(['de', 'en']);
    expect(chains.get('de-CH')).toEqual(['de-CH', 'de', 'en']);
    expect(chains.get('lb')).toEqual(['lb', 'de', 'fr', 'en']);
    expect(chains.get('gsw')).toEqual(['gsw', 'de-CH', 'de', 'en']);
  });

  it('count a locale reached twice where it is first reached', () => {
    const chains = fallbackChains([...LIST, { code: 'rm', fallbacks: ['de-CH', 'de', 'fr'] }], 'en');
    expect(chains.get('rm')).toEqual(['rm', 'de-CH', 'de', 'fr', 'en']);
  });

  it('refuse a cycle, naming it', () => {
    const issues = localeListIssues(
      [
        { code: 'en', fallbacks: [] },
        { code: 'de', fallbacks: ['de-AT'] },
        { code: 'de-AT', fallbacks: ['de-CH'] },
        { code: 'de-CH', fallbacks: ['de'] },
      ],
      'en',
    );
    expect(issues).toContainEqual({
      path: [1, 'fallbacks'],
      message: 'fallbacks go round in a circle: de -> de-AT -> de-CH -> de',
    });
    expect(() =>
      fallbackChains(
        [
          { code: 'en', fallbacks: [] },
          { code: 'a', fallbacks: ['a'] },
        ],
        'en',
      ),
    ).toThrow(/fall back to itself/);
  });

  it('refuse a list that does not hold together, with the path of each problem', () => {
    expect(
      localeListIssues(
        [
          { code: 'en', fallbacks: ['de'] },
          { code: 'DE', fallbacks: [] },
          { code: 'es', fallbacks: ['pt', 'en', 'es'] },
          { code: 'es', fallbacks: [] },
          { code: 'fr-u-co-x', fallbacks: [] },
        ],
        'en',
      ),
    ).toEqual([
      { path: [1, 'code'], message: expect.stringContaining('canonical form') },
      { path: [3, 'code'], message: '"es" is listed twice' },
      { path: [4, 'code'], message: expect.stringContaining('canonical form') },
      { path: [0, 'fallbacks'], message: 'the default locale falls back to nothing' },
      { path: [0, 'fallbacks', 0], message: 'no locale "de"' },
      { path: [2, 'fallbacks', 0], message: 'no locale "pt"' },
      { path: [2, 'fallbacks', 1], message: '"en" is the default locale, which ends every chain by itself' },
      { path: [2, 'fallbacks', 2], message: 'a locale cannot fall back to itself' },
    ]);
    expect(localeListIssues([{ code: 'de', fallbacks: [] }], 'en')).toEqual([
      { path: [], message: 'the default locale "en" is not in the list' },
    ]);
  });

  it(`refuse a chain longer than ${MAX_CHAIN_LENGTH} locales`, () => {
    const codes = ['en', 'aa', 'bb', 'cc', 'dd', 'ee', 'ff'];
    const list = codes.map((code, i) => ({ code, fallbacks: i > 1 ? [codes[i - 1]!] : [] }));
    expect(localeListIssues(list, 'en')).toEqual([
      { path: [6, 'fallbacks'], message: expect.stringContaining('ff -> ee -> dd -> cc -> bb -> aa -> en') },
    ]);
  });
});

describe('fallback chains, for any list', () => {
  const CODES = ['en', 'de', 'de-CH', 'de-AT', 'es', 'es-419', 'fr', 'lb'];
  // Mostly fallbacks to other listed locales, sometimes to the default or an unknown one.
  const anyList = fc.subarray(CODES.slice(1)).chain((codes) => {
    const fallback = fc.oneof(
      { arbitrary: fc.constantFrom(...codes, 'pt'), weight: 9 },
      { arbitrary: fc.constantFrom('en', 'pt'), weight: 1 },
    );
    return fc
      .tuple(
        fc.oneof(
          { arbitrary: fc.constant([]), weight: 9 },
          { arbitrary: fc.array(fallback, { maxLength: 1 }), weight: 1 },
        ),
        fc.array(fc.array(fallback, { maxLength: 2 }), { minLength: codes.length, maxLength: codes.length }),
      )
      .map(([first, rest]) => [
        { code: 'en', fallbacks: first },
        ...codes.map((code, i) => ({ code, fallbacks: rest[i]! })),
      ]);
  });

  it('either refuse the list or give every locale a chain that starts with it, ends with the default and repeats nothing', () => {
    let valid = 0;
    fc.assert(
      fc.property(anyList, (list) => {
        if (localeListIssues(list, 'en').length > 0) {
          expect(() => fallbackChains(list, 'en')).toThrow();
          return;
        }
        valid++;
        const chains = fallbackChains(list, 'en');
        for (const { code } of list) {
          const chain = chains.get(code)!;
          expect(chain[0]).toBe(code);
          expect(chain.at(-1)).toBe('en');
          expect(new Set(chain).size).toBe(chain.length);
          expect(chain.length).toBeLessThanOrEqual(MAX_CHAIN_LENGTH);
          // Whatever a locale falls back to, its chain holds that locale's chain too.
          for (const next of chain) for (const c of chains.get(next)!) expect(chain).toContain(c);
        }
      }),
      { seed: 18, numRuns: 500 },
    );
    // The property said something about chains, not only about refusals.
    expect(valid).toBeGreaterThan(50);
  });
});
