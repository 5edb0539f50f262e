import type { Seniority } from '../vocabulary.js';
import type { Token } from './tokens.js';
import { MANAGER_IS_A_JOB_AFTER } from './words.js';

/*
 * The seniority a job title states. Ads say it with words (Intern, Junior, Associate, Mid,
 * Senior / Sr., Staff, Principal, Lead, Head of / Director / VP, Manager) or with a grade
 * (Engineer I to V, 1 to 5). A word wins over a grade ("Sr. Software Engineer II" is senior), and
 * the higher of two words wins ("Senior Staff Engineer" is staff). "Manager" is a level only where
 * it is not the name of the job: an engineering manager manages people, a product manager does not.
 */

export const TITLE_SENIORITIES = [
  'intern',
  'junior',
  'mid',
  'senior',
  'staff',
  'principal',
  'lead',
  'head',
  'manager',
] as const;
export type TitleSeniority = (typeof TITLE_SENIORITIES)[number];

/** Highest first. */
const RANK: readonly TitleSeniority[] = [
  'head',
  'manager',
  'principal',
  'staff',
  'lead',
  'senior',
  'mid',
  'junior',
  'intern',
];

const WORD_LEVELS: Readonly<Record<string, TitleSeniority>> = {
  intern: 'intern',
  junior: 'junior',
  mid: 'mid',
  senior: 'senior',
  staff: 'staff',
  principal: 'principal',
  distinguished: 'principal',
  lead: 'lead',
  head: 'head',
};

const GRADES: Readonly<Record<string, TitleSeniority>> = {
  i: 'junior',
  ii: 'mid',
  iii: 'senior',
  iv: 'staff',
  v: 'principal',
  '1': 'junior',
  '2': 'mid',
  '3': 'senior',
  '4': 'staff',
  '5': 'principal',
};

/** The seniority of a role (our closed list) each title seniority corresponds to. */
export const ROLE_SENIORITY_OF: Readonly<Record<TitleSeniority, Seniority>> = {
  intern: 'junior',
  junior: 'junior',
  mid: 'mid',
  senior: 'senior',
  staff: 'staff',
  principal: 'staff',
  lead: 'lead',
  head: 'manager',
  manager: 'manager',
};

export interface SeniorityReading {
  level: TitleSeniority;
  /** The words of the title that say it, as written ("Sr.", "Head of", "III"). */
  text: string;
}

/** The seniority a title states, or null when it states none. */
export function readSeniority(title: string, tokens: readonly Token[]): SeniorityReading | null {
  const found: { level: TitleSeniority; token: Token; grade: boolean }[] = [];
  tokens.forEach((token, i) => {
    const word = WORD_LEVELS[token.word];
    if (word) found.push({ level: word, token, grade: false });
    else if (token.word === 'manager') {
      const before = tokens
        .slice(0, i)
        .reverse()
        .find((t) => t.kind === 'word');
      if (!before || before.segment !== token.segment || !MANAGER_IS_A_JOB_AFTER.has(before.word))
        found.push({ level: 'manager', token, grade: false });
    } else if (GRADES[token.word] && i > 0) found.push({ level: GRADES[token.word]!, token, grade: true });
  });
  const words = found.filter((f) => !f.grade);
  const best = (words.length ? words : found).sort((a, b) => RANK.indexOf(a.level) - RANK.indexOf(b.level))[0];
  return best ? { level: best.level, text: title.slice(best.token.from, best.token.to) } : null;
}
