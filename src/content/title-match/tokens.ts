import { IGNORED_WORDS, LEAD_WORDS, LEVEL_WORDS, WORD_FORMS, WORD_RUNS } from './words.js';

/*
 * A title as the words the matcher compares, each remembering where it came from, so an answer can
 * show the words of the title that matched as they were written.
 *
 * Segments: ads qualify a title with commas, dashes between spaces, parentheses and slashes between
 * spaces ("Sr. Software Engineer II, Payments (Backend)"); each part is a segment. A hyphen or a
 * slash inside a word ("Front-End", "UX/UI") is not a boundary.
 */

type TokenKind = 'word' | 'level' | 'lead';

export interface Token {
  /** The word compared: lower case, abbreviations spelled out. */
  word: string;
  kind: TokenKind;
  /** Which part of the title, counted from 0. */
  segment: number;
  /** Where it was written in the title (one source word can give several tokens, and a run one). */
  from: number;
  to: number;
}

interface Raw {
  text: string;
  segment: number;
  from: number;
  to: number;
}

const WORD = /\.?[\p{L}\p{N}][\p{L}\p{N}+#.']*/gu;
const BOUNDARY = /[,;:|()[\]{}–—]|\s[-/+]\s|\s[-/]|[-/]\s/;

function rawWords(title: string): Raw[] {
  const out: Raw[] = [];
  let segment = 0;
  let last = 0;
  for (const match of title.matchAll(WORD)) {
    let text = match[0];
    const from = match.index;
    if (out.length && BOUNDARY.test(title.slice(last, from))) segment += 1;
    last = from + text.length;
    text = text.replace(/[.']+$/, '');
    // Node.js, Vue.js: the framework's name; other dotted words are their parts.
    const lower = text.toLowerCase().replace(/\.js$/, '');
    const parts = WORD_FORMS[lower] || !lower.slice(1).includes('.') ? [lower] : lower.split('.').filter(Boolean);
    for (const part of parts) out.push({ text: part, segment, from, to: from + match[0].length });
  }
  return out;
}

function applyRuns(words: Raw[]): Raw[] {
  const out: Raw[] = [];
  for (let i = 0; i < words.length;) {
    const run = WORD_RUNS.find(
      ([from]) =>
        i + from.length <= words.length &&
        from.every((w, k) => words[i + k]!.text === w && words[i + k]!.segment === words[i]!.segment),
    );
    if (!run) {
      out.push(words[i]!);
      i += 1;
      continue;
    }
    const [from, to] = run;
    const first = words[i]!;
    const end = words[i + from.length - 1]!.to;
    for (const text of to) out.push({ text, segment: first.segment, from: first.from, to: end });
    i += from.length;
  }
  return out;
}

/** A letter without its accents (é is e), or itself; never longer, so positions stay those of the title. */
function fold(char: string): string {
  const bare = char.normalize('NFKD').replace(/\p{M}/gu, '');
  return bare.length === char.length ? bare : char;
}

/** The words of a title to compare, in order. */
export function tokenize(title: string): Token[] {
  const folded = [...title].map(fold).join('');
  const tokens: Token[] = [];
  for (const raw of applyRuns(rawWords(folded))) {
    for (const word of WORD_FORMS[raw.text] ?? [raw.text]) {
      if (IGNORED_WORDS.has(word)) continue;
      // Single letters (m/f/d, w/m/x) say nothing, except the grades I and V.
      if (word.length === 1 && !LEVEL_WORDS.has(word)) continue;
      // Numbers are grades (Engineer 2) or noise (years, counts).
      if (/^\d+$/.test(word) && !LEVEL_WORDS.has(word)) continue;
      const kind: TokenKind = LEVEL_WORDS.has(word) ? 'level' : LEAD_WORDS.has(word) ? 'lead' : 'word';
      tokens.push({ word, kind, segment: raw.segment, from: raw.from, to: raw.to });
    }
  }
  return tokens;
}
