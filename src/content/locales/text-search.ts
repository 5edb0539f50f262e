import { primaryLanguage } from './tags.js';

/*
 * The PostgreSQL text-search configuration each language's texts are indexed and searched with.
 * Only snowball configurations that both engines ship are named (`select cfgname from pg_ts_config`):
 * PostgreSQL 15 and PGlite (PostgreSQL 18) share these; `estonian` came with PostgreSQL 16 and is
 * left out while servers older than that are supported. Any other language uses `simple`
 * (lower-cased words, no stemming, no stop words), which finds exact words in every script.
 */
const CONFIG_BY_LANGUAGE = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  nb: 'norwegian',
  ne: 'nepali',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
} as const satisfies Record<string, string>;

export type TextSearchConfig = (typeof CONFIG_BY_LANGUAGE)[keyof typeof CONFIG_BY_LANGUAGE] | 'simple';

/** Every configuration textSearchConfig may answer; a test checks each exists on the engine. */
export const TEXT_SEARCH_CONFIGS: readonly TextSearchConfig[] = [
  ...new Set<TextSearchConfig>([...Object.values(CONFIG_BY_LANGUAGE), 'simple']),
];

/** The configuration for a locale's texts: by its primary language, so `de-CH` searches as `german`. */
export function textSearchConfig(locale: string): TextSearchConfig {
  const language = primaryLanguage(locale);
  return Object.hasOwn(CONFIG_BY_LANGUAGE, language)
    ? CONFIG_BY_LANGUAGE[language as keyof typeof CONFIG_BY_LANGUAGE]
    : 'simple';
}
