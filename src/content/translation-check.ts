import type { TextField } from './translation-format.js';

/*
 * Finds texts a translation left in English: the same text as the source, or a text whose words
 * are English function words. Technical terms (Rate Limiting, Deploy, On-Call) are what German and
 * Spanish engineers write too and are not counted; "the", "and", "with", "you" are never German or
 * Spanish. Words that are also German or Spanish ("was", "will", "an", "has", "no", "me", "a", "in")
 * are left out of the list, so a correct translation is never flagged for them.
 */
const ENGLISH_FUNCTION_WORDS = new Set(
  (
    'the and of to with you your that for what how when which this these they we our from are were have ' +
    'would should could about than their there be been by or it its at on is who while without because them ' +
    'after before into did does do my i'
  ).split(' '),
);

/** Share of function words past which a text reads as English (a German or Spanish text scores 0). */
const ENGLISH_SHARE = 0.08;

export interface Untranslated {
  path: (string | number)[];
  reason: string;
}

const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

/**
 * The texts of `translated` that look untranslated next to `source` (same paths). `sameAllowed`
 * lists the paths (joined with dots) whose text is rightly the same in both languages, such as a
 * category called Design.
 */
export function untranslatedTexts(
  source: readonly TextField[],
  translated: readonly TextField[],
  sameAllowed: ReadonlySet<string> = new Set(),
): Untranslated[] {
  const bySource = new Map(source.map((f) => [f.path.join('.'), f.text]));
  const out: Untranslated[] = [];
  for (const field of translated) {
    const key = field.path.join('.');
    const original = bySource.get(key);
    if (original !== undefined && normalize(original) === normalize(field.text)) {
      if (!sameAllowed.has(key)) out.push({ path: field.path, reason: 'the same as the source' });
      continue;
    }
    const words = field.text.toLowerCase().match(WORD) ?? [];
    const english = words.filter((w) => ENGLISH_FUNCTION_WORDS.has(w));
    if (english.length > 0 && english.length / words.length >= ENGLISH_SHARE) {
      out.push({
        path: field.path,
        reason: `reads as English (${english.length} of ${words.length} words: ${[...new Set(english)].join(', ')})`,
      });
    }
  }
  return out;
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
