/*
 * A deterministic synthetic corpus for the benchmark, in the import format: the same seed gives
 * the same bytes, so runs compare. Shaped like the real content (rounds, questions with STAR
 * examples and pitfalls, tips, FAQs, related roles) and kept apart from seed/.
 */
import type { ImportBundle } from '../src/content/import-writer.js';

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'team service latency budget incident review design system scale queue cache database index query migration rollout ' +
  'customer metric experiment roadmap stakeholder priority tradeoff risk owner deadline release quality test coverage ' +
  'pipeline model feature signal dashboard alert outage capacity cost throughput partition replica consistency schema ' +
  'contract interface library refactor mentor hiring feedback conflict decision estimate scope milestone handover'
).split(' ');

const CATEGORIES = [
  { slug: 'engineering', name: 'Engineering' },
  { slug: 'product', name: 'Product' },
  { slug: 'data', name: 'Data' },
  { slug: 'design', name: 'Design' },
];
const SENIORITIES = ['junior', 'mid', 'senior', 'staff', 'lead', 'manager'] as const;
const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
const ROUNDS = ['Recruiter Screen', 'Technical Screen', 'System Design', 'Deep Dive', 'Behavioral', 'Hiring Manager'];

export interface CorpusOptions {
  roles: number;
  questionsPerRole: number;
  seed?: number;
}

export function buildCorpus({ roles, questionsPerRole, seed = 42 }: CorpusOptions): ImportBundle {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentence = (n: number) => {
    const text = words(n);
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const prose = (sentences: number, n = 14) => Array.from({ length: sentences }, () => sentence(n)).join(' ');
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };

  const slugs = Array.from({ length: roles }, (_, i) => `bench-role-${String(i + 1).padStart(4, '0')}`);
  return {
    categories: CATEGORIES,
    roles: slugs.map((slug, i) => {
      const rounds = ROUNDS.slice(0, 5).map((name) => ({
        name,
        focus: prose(2),
        durationMinutes: 30 + 15 * Math.floor(rand() * 4),
      }));
      return {
        slug,
        title: `Bench Role ${i + 1} ${pick(WORDS)} ${pick(WORDS)}`,
        category: CATEGORIES[i % CATEGORIES.length]!.slug,
        seniority: pick(SENIORITIES),
        track: i % 5 === 0 ? 'non-technical' : 'technical',
        status: 'published',
        summary: prose(3),
        formatBreakdown: [
          { label: 'Coding', percent: 40 },
          { label: 'System Design', percent: 35 },
          { label: 'Behavioral', percent: 25 },
        ],
        rounds,
        questions: Array.from({ length: questionsPerRole }, () => ({
          id: uuid(),
          prompt: `${sentence(10).slice(0, -1)}?`,
          round: pick(rounds).name,
          competency: `${pick(WORDS)} ${pick(WORDS)}`,
          whyAsked: prose(3),
          howToAnswer: prose(5),
          difficulty: pick(DIFFICULTIES),
          tags: [pick(WORDS), pick(WORDS)].filter((t, k, all) => all.indexOf(t) === k),
          status: 'published' as const,
          starExamples: [{ situation: prose(2), task: prose(1), action: prose(3), result: prose(2) }],
          pitfalls: Array.from({ length: 4 }, () => sentence(9)),
        })),
        tips: Array.from({ length: 6 }, () => prose(1, 18)),
        faqs: Array.from({ length: 8 }, () => ({ question: `${sentence(9).slice(0, -1)}?`, answer: prose(3) })),
        // Links only backwards, so every related role exists when the import checks references.
        relatedRoles: i === 0 ? [] : [...new Set([slugs[i - 1]!, slugs[Math.floor(rand() * i)]!])],
      };
    }),
  } as ImportBundle;
}
