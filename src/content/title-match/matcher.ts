import type { Seniority } from '../vocabulary.js';
import { readSeniority, ROLE_SENIORITY_OF, type SeniorityReading } from './seniority.js';
import { tokenize, type Token } from './tokens.js';
import { LEAD_WORDS } from './words.js';

/*
 * From a job ad's title to the roles it names, with a confidence from 0 to 1.
 *
 * Each role is known by its title and its alternative titles (content, seed/*.yaml). A job title
 * is compared with every one of them as words (tokens.ts), leaving out words that only state a
 * level (Senior, II), which seniority.ts reads separately. For one alternative title:
 *
 * - coverage: how much of the alternative title's words the job title has, each word weighed by
 *   how few roles use it (inverse document frequency over the roles compared): "backend" says
 *   more than "engineer". A lead word (Lead, Head of) an alternative title has counts as a fair
 *   share of it: "Engineering Lead" is not any job with "engineering" in it.
 * - extra words: words of the job title the alternative title lacks, in the first part of the
 *   title that matched (later parts, after a comma, a dash or in parentheses, are qualifiers such
 *   as teams, stacks and places). Each lowers the confidence by its own weight, a word we know
 *   nothing of counting as much as the rarest: the unknown word in "Engineering Technician" or
 *   "Product Marketing Manager" is the job. A word before all matched words ("Azure Data
 *   Engineer") usually qualifies the job and costs less than one between or after them.
 *
 * confidence = coverage² × Π 1 / (1 + k × weight of each extra word). A role's confidence is that
 * of its best title; below MATCH_THRESHOLD the matcher abstains. The figures, on a labelled set of
 * job-ad titles kept apart from the alternative titles, are in test/content/title-match/.
 */

/** Candidates below this confidence are not offered; with none above it the answer is "no role". */
export const MATCH_THRESHOLD = 0.6;

const LEADING_EXTRA = 0.2;
const OTHER_EXTRA = 0.5;
/** The weight of a lead word of an alternative title, as a share of the rarest word's. */
const LEAD_SHARE = 0.7;

export interface MatchableRole {
  slug: string;
  title: string;
  seniority: Seniority;
  alternativeTitles: readonly string[];
}

interface Phrase {
  text: string;
  words: ReadonlySet<string>;
}

export interface RoleIndex<R extends MatchableRole = MatchableRole> {
  roles: readonly { role: R; phrases: readonly Phrase[] }[];
  /** Inverse document frequency of each word, over roles. */
  weights: ReadonlyMap<string, number>;
  /** The weight of a word no role uses. */
  unknownWeight: number;
}

interface Candidate<R extends MatchableRole = MatchableRole> {
  role: R;
  confidence: number;
  /** The title or alternative title of the role that matched best, as content writes it. */
  matchedTitle: string;
  /** The words of the job title that matched it, as written there. */
  matchedWords: string[];
}

export interface TitleMatch<R extends MatchableRole = MatchableRole> {
  seniority: SeniorityReading | null;
  candidates: Candidate<R>[];
}

const comparable = (tokens: readonly Token[]) => tokens.filter((t) => t.kind !== 'level');

export function buildIndex<R extends MatchableRole>(roles: readonly R[]): RoleIndex<R> {
  const indexed = roles.map((role) => ({
    role,
    phrases: [role.title, ...role.alternativeTitles].map((text) => ({
      text,
      words: new Set(comparable(tokenize(text)).map((t) => t.word)),
    })),
  }));
  const roleCount = new Map<string, number>();
  for (const { phrases } of indexed)
    for (const word of new Set(phrases.flatMap((p) => [...p.words])))
      roleCount.set(word, (roleCount.get(word) ?? 0) + 1);
  const weights = new Map([...roleCount].map(([word, n]) => [word, Math.log((roles.length + 1) / n)]));
  return { roles: indexed, weights, unknownWeight: Math.log(roles.length + 1) };
}

/** A word as the index knows it: a plural it does not know is read as its singular. */
function known(index: RoleIndex, word: string): string {
  if (index.weights.has(word) || !word.endsWith('s')) return word;
  const singular = word.slice(0, -1);
  return index.weights.has(singular) ? singular : word;
}

function score(index: RoleIndex, phrase: Phrase, tokens: readonly Token[], words: readonly string[]) {
  const weightOf = (word: string) => index.weights.get(word) ?? index.unknownWeight;
  const leadWeight = index.unknownWeight * LEAD_SHARE;
  let total = 0;
  let found = 0;
  for (const word of phrase.words) {
    const w = LEAD_WORDS.has(word) ? leadWeight : weightOf(word);
    total += w;
    if (words.includes(word)) found += w;
  }
  if (found === 0 || total === 0) return null;
  const coverage = found / total;

  const hits = tokens.map((t, i) => (phrase.words.has(words[i]!) ? i : -1)).filter((i) => i >= 0);
  const segment = tokens[hits[0]!]!.segment;
  const inSegment = hits.filter((i) => tokens[i]!.segment === segment);
  const first = inSegment[0]!;
  let extra = 1;
  tokens.forEach((t, i) => {
    if (t.segment !== segment || t.kind !== 'word' || phrase.words.has(words[i]!)) return;
    extra *= 1 / (1 + (i < first ? LEADING_EXTRA : OTHER_EXTRA) * weightOf(words[i]!));
  });
  return { confidence: coverage * coverage * extra, hits };
}

/**
 * The roles a job title names, best first: those at or above MATCH_THRESHOLD, at most `limit`.
 * Equal confidences go to the role whose seniority the title states, then by slug.
 */
export function matchTitle<R extends MatchableRole>(
  index: RoleIndex<R>,
  title: string,
  limit: number,
  threshold = MATCH_THRESHOLD,
): TitleMatch<R> {
  const all = tokenize(title);
  const seniority = readSeniority(title, all);
  const tokens = comparable(all);
  const words = tokens.map((t) => known(index, t.word));
  const wanted = seniority ? ROLE_SENIORITY_OF[seniority.level] : undefined;

  const candidates: Candidate<R>[] = [];
  for (const { role, phrases } of index.roles) {
    let best: { phrase: Phrase; confidence: number; hits: number[] } | undefined;
    for (const phrase of phrases) {
      const s = score(index, phrase, tokens, words);
      if (s && (!best || s.confidence > best.confidence)) best = { phrase, ...s };
    }
    if (!best || best.confidence < threshold) continue;
    const matchedWords = [...new Set(best.hits.map((i) => title.slice(tokens[i]!.from, tokens[i]!.to)))];
    candidates.push({
      role,
      confidence: Math.round(Math.min(1, best.confidence) * 1000) / 1000,
      matchedTitle: best.phrase.text,
      matchedWords,
    });
  }
  candidates.sort(
    (a, b) =>
      b.confidence - a.confidence ||
      Number(b.role.seniority === wanted) - Number(a.role.seniority === wanted) ||
      (a.role.slug < b.role.slug ? -1 : 1),
  );
  return { seniority, candidates: candidates.slice(0, limit) };
}
