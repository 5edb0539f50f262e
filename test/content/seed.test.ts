import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCategories, exportRoles } from '../../src/content/export-reader.js';
import { seed, seedIfEmpty } from '../../src/content/seed.js';
import { rowsOf } from '../../src/db/client.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { roleBySlug, seedBundle } from '../helpers/seed-files.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

const TABLES = [
  'categories',
  'roles',
  'role_format_segments',
  'rounds',
  'role_tips',
  'role_faqs',
  'role_related_roles',
  'questions',
  'question_star_examples',
  'question_pitfalls',
  'revisions',
  'change_log',
];

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = rowsOf<{ n: number | string }>(
      await database.db.execute(sql.raw(`select count(*) as n from ${table}`)),
    );
    out[table] = Number(row!.n);
  }
  return out;
}

describe('seeding', () => {
  it('fills an empty database with every role in seed/, once when instances start together', async () => {
    // Replicas starting at once: one seeds, the others wait for it and then find content.
    const reports = await Promise.all([seedIfEmpty(database.db), seedIfEmpty(database.db), seedIfEmpty(database.db)]);
    expect(reports.filter((r) => r === null)).toHaveLength(2);
    const report = reports.find((r) => r !== null);
    expect(report?.created.filter((i) => i.type === 'role')).toHaveLength(seedBundle.roles.length);
    const questionTotal = seedBundle.roles.reduce((n, r) => n + r.questions.length, 0);
    expect(report?.created.filter((i) => i.type === 'question')).toHaveLength(questionTotal);
    const c = await counts();
    expect(c.roles).toBe(seedBundle.roles.length);
    expect(c.questions).toBe(questionTotal);
    // One change-log entry and one revision per created role and question.
    expect(c.change_log).toBe(report!.created.length);
    expect(c.revisions).toBe(seedBundle.roles.length + questionTotal);
  });

  it('stores exactly what the files say', async () => {
    expect(await exportCategories(database.db)).toEqual(seedBundle.categories);
    const exported = await exportRoles(database.db);
    const bySlug = (a: { slug: string }, b: { slug: string }) => (a.slug < b.slug ? -1 : 1);
    expect(exported.sort(bySlug)).toEqual([...seedBundle.roles].sort(bySlug));
  });

  it('changes and duplicates nothing when run again', async () => {
    const before = await counts();
    expect(await seedIfEmpty(database.db)).toBeNull();
    const report = await seed(database.db);
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.removed).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});

describe('the seed content', () => {
  it('has the Senior Backend Developer page complete', () => {
    const role = roleBySlug('senior-backend-developer');
    expect(role.formatBreakdown).toEqual([
      { label: 'System Design', percent: 40 },
      { label: 'Coding', percent: 35 },
      { label: 'Behavioral', percent: 25 },
    ]);
    expect(role.rounds).toHaveLength(5);
    expect(role.questions).toHaveLength(12);
    expect(role.tips.length).toBeGreaterThanOrEqual(5);
    expect(role.faqs.length).toBeGreaterThanOrEqual(5);
    expect(role.relatedRoles.length).toBeGreaterThan(0);
    for (const q of role.questions) expect(q.pitfalls.length).toBeGreaterThanOrEqual(2);
  });

  it('has at least 7 more roles across at least 3 categories, each in the same depth', () => {
    const others = seedBundle.roles.filter((r) => r.slug !== 'senior-backend-developer');
    expect(others.length).toBeGreaterThanOrEqual(7);
    expect(new Set(seedBundle.roles.map((r) => r.category)).size).toBeGreaterThanOrEqual(3);
    for (const role of others) {
      expect(role.rounds.length, role.slug).toBeGreaterThanOrEqual(3);
      expect(role.questions.length, role.slug).toBeGreaterThanOrEqual(6);
      expect(role.tips.length, role.slug).toBeGreaterThanOrEqual(5);
      expect(role.faqs.length, role.slug).toBeGreaterThanOrEqual(5);
      expect(role.relatedRoles.length, role.slug).toBeGreaterThan(0);
      for (const q of role.questions) {
        expect(q.starExamples.length).toBeGreaterThanOrEqual(1);
        expect(q.pitfalls.length, q.prompt).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('writes every answer fresh: no paragraph is reused between questions', () => {
    const paragraphs = seedBundle.roles.flatMap((r) =>
      r.questions.flatMap((q) => [
        q.whyAsked,
        q.howToAnswer,
        ...q.starExamples.flatMap((s) => [s.situation, s.task, s.action, s.result]),
      ]),
    );
    expect(new Set(paragraphs).size).toBe(paragraphs.length);
  });
});
