/*
 * BCP 47 language tags (RFC 5646) as this API uses them: the well-formed syntax, checked by hand
 * rather than with Intl.getCanonicalLocales, which also rewrites aliases (iw -> he, sh -> sr-Latn)
 * by the ICU data of the running Node.js; a stored locale code must not change when the runtime does.
 */

/** Longest tag taken at all: RFC 5646 asks for 35 characters at least; a header cannot make us work harder. */
export const MAX_TAG_LENGTH = 64;

const ALNUM = '[a-z0-9]';
const LANGUAGE = '(?<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})';
const SCRIPT = '(?:-(?<script>[a-z]{4}))?';
const REGION = '(?:-(?<region>[a-z]{2}|[0-9]{3}))?';
const VARIANTS = `(?<variants>(?:-(?:${ALNUM}{5,8}|[0-9]${ALNUM}{3}))*)`;
const EXTENSIONS = `(?<extensions>(?:-[0-9a-wyz](?:-${ALNUM}{2,8})+)*)`;
const PRIVATE_USE = `(?:-(?<privateUse>x(?:-${ALNUM}{1,8})+))?`;
const LANGTAG = new RegExp(`^${LANGUAGE}${SCRIPT}${REGION}${VARIANTS}${EXTENSIONS}${PRIVATE_USE}$`);

/** The subtags of a well-formed tag, each in its canonical case. */
export interface LanguageTag {
  /** Primary language with any extended language subtags: `de`, `zh-yue`. */
  language: string;
  /** `Latn`, `Hant`, or null. */
  script: string | null;
  /** `CH`, `419`, or null. */
  region: string | null;
  variants: string[];
  /** Extension sequences as written: `u-co-phonebk`. */
  extensions: string[];
  /** `x-...`, or null. */
  privateUse: string | null;
  /** The whole tag in canonical case: `zh-Hant-TW`, `de-CH-1996`. */
  tag: string;
}

/**
 * Parses a tag (any case) into its subtags, or null when it is not a well-formed, valid language
 * tag: wrong syntax, a variant or an extension singleton given twice, or longer than MAX_TAG_LENGTH.
 * Tags of private use only (`x-klingon`) and RFC 5646's grandfathered tags are refused: a locale of
 * this API always names a language.
 */
export function parseLanguageTag(input: string): LanguageTag | null {
  if (input.length === 0 || input.length > MAX_TAG_LENGTH) return null;
  const match = LANGTAG.exec(input.toLowerCase());
  const groups = match?.groups;
  if (!groups) return null;
  const language = groups.language!;
  const script = groups.script ? groups.script[0]!.toUpperCase() + groups.script.slice(1) : null;
  const region = groups.region ? groups.region.toUpperCase() : null;
  const variants = groups.variants ? groups.variants.slice(1).split('-') : [];
  if (new Set(variants).size !== variants.length) return null;
  const extensions = splitExtensions(groups.extensions ?? '');
  if (new Set(extensions.map((e) => e[0])).size !== extensions.length) return null;
  const privateUse = groups.privateUse ?? null;
  const tag = [language, script, region, ...variants, ...extensions, privateUse].filter((s) => s !== null).join('-');
  return { language, script, region, variants, extensions, privateUse, tag };
}

function splitExtensions(text: string): string[] {
  const out: string[] = [];
  for (const subtag of text.split('-').slice(1)) {
    if (subtag.length === 1) out.push(subtag);
    else out[out.length - 1] += `-${subtag}`;
  }
  return out;
}

/** The canonical spelling of a tag (`DE-ch` -> `de-CH`), or null when it is not well formed. */
export function canonicalTag(input: string): string | null {
  return parseLanguageTag(input)?.tag ?? null;
}

/**
 * Whether a tag may name a content locale: language, optional script, region and variants. Extensions
 * (`-u-co-phonebk`) and private use describe preferences of a reader, not a body of content.
 */
export function isContentLocaleTag(input: string): boolean {
  const parsed = parseLanguageTag(input);
  return parsed !== null && parsed.extensions.length === 0 && parsed.privateUse === null;
}

/**
 * The locales a tag may be served from, longest first (RFC 4647 lookup): its language, script,
 * region and variants, then each shorter tag made by dropping subtags from the end. Extensions and
 * private use are a reader's preferences, never a body of content, so they are dropped first:
 * `de-CH-1996` -> `de-CH-1996`, `de-CH`, `de`; `en-US-u-co-phonebk` -> `en-US`, `en`. Empty for a
 * tag that is not well formed.
 */
export function truncations(tag: string): string[] {
  const parsed = parseLanguageTag(tag);
  if (!parsed) return [];
  const subtags = [...parsed.language.split('-'), parsed.script, parsed.region, ...parsed.variants].filter(
    (s) => s !== null,
  );
  const out: string[] = [];
  for (let n = subtags.length; n >= 1; n--) out.push(subtags.slice(0, n).join('-'));
  return out;
}

/** The primary language subtag (`de` of `de-CH`), which picks the text-search configuration. */
export function primaryLanguage(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}
