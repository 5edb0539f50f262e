import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { list, Question, single } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, get, getOk, walk } from '../helpers/http.js';
import { published, roleBySlug } from '../helpers/seed-files.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const allQuestions = published.flatMap((r) =>
  r.questions.filter((q) => q.status === 'published').map((q) => ({ ...q, role: r.slug, roleDoc: r })),
);
const sbd = 'senior-backend-developer';

describe('GET /v1/questions', () => {
  it('walks every published question exactly once, without gaps', async () => {
    const { items, pages } = await walk(t.app, '/v1/questions?limit=7', list(Question));
    const ids = items.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(allQuestions.map((q) => q.id).sort());
    expect(pages).toBe(Math.ceil(allQuestions.length / 7));
  });

  it('carries STAR examples, pitfalls, role and round on every question', async () => {
    const body = await getOk(t.app, `/v1/questions?role=${sbd}&limit=100`, list(Question));
    const seedRole = roleBySlug(sbd);
    expect(body.data).toHaveLength(12);
    for (const [i, q] of body.data.entries()) {
      const source = seedRole.questions[i]!;
      expect(q.role).toEqual({ slug: sbd, title: seedRole.title });
      expect(q.round?.name ?? null).toBe(source.round);
      expect(q.starExamples).toEqual(source.starExamples);
      expect(q.pitfalls.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('filters by difficulty, tag and competency', async () => {
    const sample = allQuestions[0]!;
    const byDifficulty = await walk(t.app, `/v1/questions?difficulty=${sample.difficulty}&limit=50`, list(Question));
    expect(byDifficulty.items.length).toBe(allQuestions.filter((q) => q.difficulty === sample.difficulty).length);

    const tag = sample.tags[0]!;
    const byTag = await walk(t.app, `/v1/questions?tag=${tag}&limit=50`, list(Question));
    expect(byTag.items.length).toBe(allQuestions.filter((q) => q.tags.includes(tag)).length);
    expect(byTag.items.every((q) => q.tags.includes(tag))).toBe(true);

    const competency = sample.competency.toUpperCase();
    const byCompetency = await walk(
      t.app,
      `/v1/questions?competency=${encodeURIComponent(competency)}&limit=50`,
      list(Question),
    );
    expect(byCompetency.items.length).toBe(
      allQuestions.filter((q) => q.competency.toLowerCase() === sample.competency.toLowerCase()).length,
    );
  });

  it('filters by round, by name across roles or by position within a role', async () => {
    const seedRole = roleBySlug(sbd);
    const second = seedRole.rounds[1]!;
    const expected = seedRole.questions.filter((q) => q.round === second.name).map((q) => q.id);
    const byPosition = await getOk(t.app, `/v1/questions?role=${sbd}&round=2`, list(Question));
    expect(byPosition.data.map((q) => q.id)).toEqual(expected);
    const byName = await getOk(
      t.app,
      `/v1/questions?role=${sbd}&round=${encodeURIComponent(second.name.toLowerCase())}`,
      list(Question),
    );
    expect(byName.data.map((q) => q.id)).toEqual(expected);
  });

  it('finds questions by full-text search', async () => {
    const target = roleBySlug(sbd).questions[0]!;
    // The longest word that is not an English stop word (those are not indexed).
    const stop = new Set([
      'through',
      'because',
      'before',
      'should',
      'would',
      'about',
      'which',
      'while',
      'where',
      'their',
    ]);
    const word = target.prompt
      .split(/\W+/)
      .filter((w) => !stop.has(w.toLowerCase()))
      .sort((a, b) => b.length - a.length)[0]!;
    const body = await getOk(t.app, `/v1/questions?q=${encodeURIComponent(word)}&limit=100`, list(Question));
    expect(body.data.map((q) => q.id)).toContain(target.id);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['cursor=%%%', 'cursor'],
    ['difficulty=impossible', 'difficulty'],
    ['role=astronaut', 'role'],
    ['round=3', 'round'],
    [`role=${sbd}&round=99`, 'round'],
    ['round=Underwater Basket Weaving', 'round'],
    ['tag=Not A Tag', 'tag'],
  ])('answers 400 naming the parameter for %s', async (query, param) => {
    expectProblem(await get(t.app, `/v1/questions?${query}`), 400, param);
  });
});

describe('GET /v1/questions/{id}', () => {
  it('answers the question with its STAR examples and pitfalls', async () => {
    const source = roleBySlug(sbd).questions[3]!;
    const { data } = await getOk(t.app, `/v1/questions/${source.id}`, single(Question));
    expect(data).toMatchObject({
      id: source.id,
      prompt: source.prompt,
      competency: source.competency,
      whyAsked: source.whyAsked,
      howToAnswer: source.howToAnswer,
      difficulty: source.difficulty,
      tags: source.tags,
      starExamples: source.starExamples,
      pitfalls: source.pitfalls.map((text) => ({ text })),
    });
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expectProblem(await get(t.app, '/v1/questions/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await get(t.app, '/v1/questions/not-a-uuid'), 404);
  });
});
