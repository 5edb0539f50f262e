import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { published, seedBundle } from '../../helpers/seed-files.js';

/*
 * How well GET /v1/roles/match does on job-ad titles written for this test and labelled by hand
 * (job-titles.yaml, and job-titles-later.yaml, written after the matcher's parameters were chosen):
 * the right role first for at least 90% of the titles that have one, and no candidate at all for
 * at least 90% of those that have none. docs/partners.md reports the figures this prints.
 */

const SETS = ['job-titles.yaml', 'job-titles-later.yaml'] as const;
const REQUIRED = 0.9;

type Labelled = Record<string, string[]>;
const sets = Object.fromEntries(
  await Promise.all(
    SETS.map(
      async (file) => [file, parse(await readFile(new URL(file, import.meta.url), 'utf8')) as Labelled] as const,
    ),
  ),
) as Record<(typeof SETS)[number], Labelled>;

interface Match {
  data: { candidates: { role: { slug: string }; confidence: number }[]; threshold: number };
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

async function evaluate(set: Labelled) {
  const misses: string[] = [];
  const figures = { withRole: 0, right: 0, withNone: 0, abstained: 0 };
  for (const [label, titles] of Object.entries(set)) {
    for (const title of titles) {
      const res = await t.app.inject(`/v1/roles/match?title=${encodeURIComponent(title)}`);
      expect(res.statusCode, title).toBe(200);
      const { candidates, threshold } = (JSON.parse(res.body) as Match).data;
      expect(candidates.every((c) => c.confidence >= threshold && c.confidence <= 1)).toBe(true);
      const top = candidates[0]?.role.slug ?? 'none';
      if (label === 'none') {
        figures.withNone += 1;
        if (top === 'none') figures.abstained += 1;
      } else {
        figures.withRole += 1;
        if (top === label) figures.right += 1;
      }
      if (top !== label) misses.push(`${title}: expected ${label}, got ${top}`);
    }
  }
  return { ...figures, misses };
}

describe('matching job-ad titles to roles', () => {
  it('is measured on a labelled set of over 200 titles, kept apart from the alternative titles', () => {
    const all = Object.values(sets).flatMap((set) => Object.values(set).flat());
    expect(all.length).toBeGreaterThanOrEqual(200);
    for (const set of Object.values(sets)) {
      expect(Object.keys(set).sort()).toEqual([...published.map((r) => r.slug), 'none'].sort());
    }
    const known = new Set(
      seedBundle.roles.flatMap((r) => [r.title, ...r.alternativeTitles]).map((x) => x.toLowerCase()),
    );
    expect(all.filter((title) => known.has(title.toLowerCase()))).toEqual([]);
  });

  for (const file of SETS) {
    it(`finds the right role first for ${REQUIRED * 100}% and abstains on ${REQUIRED * 100}% of ${file}`, async () => {
      const result = await evaluate(sets[file]);
      const accuracy = result.right / result.withRole;
      const abstention = result.abstained / result.withNone;
      console.info(
        `${file}: top-1 ${result.right}/${result.withRole} (${(accuracy * 100).toFixed(1)}%), ` +
          `abstained ${result.abstained}/${result.withNone} (${(abstention * 100).toFixed(1)}%); misses: ${result.misses.join('; ') || 'none'}`,
      );
      expect(accuracy).toBeGreaterThanOrEqual(REQUIRED);
      expect(abstention).toBeGreaterThanOrEqual(REQUIRED);
    });
  }
});
