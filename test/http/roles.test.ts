import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Category, Faq, list, Question, Role, RolePage, Round, single, Tip } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, get, getOk, walk } from '../helpers/http.js';
import { published, roleBySlug, seedBundle } from '../helpers/seed-files.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const sbd = 'senior-backend-developer';

describe('GET /v1/categories', () => {
  it('lists categories in seed order with counts of published roles', async () => {
    const body = await getOk(t.app, '/v1/categories', list(Category));
    expect(body.data.map((c) => c.slug)).toEqual(seedBundle.categories.map((c) => c.slug));
    for (const c of body.data) {
      expect(c.roleCount).toBe(published.filter((r) => r.category === c.slug).length);
    }
  });
});

describe('GET /v1/roles', () => {
  it('lists every published role once, sorted by title, walking the cursor to the end', async () => {
    const { items, pages } = await walk(t.app, '/v1/roles?limit=3', list(Role));
    expect(pages).toBe(Math.ceil(published.length / 3));
    expect(items.map((r) => r.slug).sort()).toEqual(published.map((r) => r.slug).sort());
    const titles = items.map((r) => r.title);
    expect(titles).toEqual([...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('sends a Link rel="next" header that keeps the filters', async () => {
    const res = await get(t.app, '/v1/roles?limit=2&category=engineering');
    const body = list(Role).parse(res.body);
    expect(res.headers.link).toBe(
      `</v1/roles?limit=2&category=engineering&cursor=${body.page.nextCursor}>; rel="next"`,
    );
    const last = await get(t.app, '/v1/roles?limit=100');
    expect(last.headers.link).toBeUndefined();
    expect(list(Role).parse(last.body).page).toEqual({ limit: 100, nextCursor: null });
  });

  it('defaults to 20 per page', async () => {
    expect((await getOk(t.app, '/v1/roles', list(Role))).page.limit).toBe(20);
  });

  it.each([
    ['category', 'engineering', (r: { category: { slug: string } }) => r.category.slug === 'engineering'],
    ['seniority', 'senior', (r: { seniority: string }) => r.seniority === 'senior'],
    ['track', 'non-technical', (r: { track: string }) => r.track === 'non-technical'],
  ] as const)('filters by %s', async (param, value, predicate) => {
    const body = await getOk(t.app, `/v1/roles?${param}=${value}&limit=100`, list(Role));
    const expected = published.filter((r) =>
      param === 'category' ? r.category === value : param === 'seniority' ? r.seniority === value : r.track === value,
    );
    expect(body.data.length).toBe(expected.length);
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((r) => (predicate as (x: typeof r) => boolean)(r))).toBe(true);
  });

  it('finds roles by full-text search, best match first', async () => {
    const body = await getOk(t.app, '/v1/roles?q=backend', list(Role));
    expect(body.data[0]?.slug).toBe(sbd);
    expect((await getOk(t.app, '/v1/roles?q=xylophonist', list(Role))).data).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['limit=abc', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['seniority=wizard', 'seniority'],
    ['track=both', 'track'],
    ['category=astronomy', 'category'],
    ['colour=blue', 'colour'],
  ])('answers 400 naming the parameter for %s', async (query, param) => {
    expectProblem(await get(t.app, `/v1/roles?${query}`), 400, param);
  });

  it('refuses forged cursors and control characters with 400, not a database error', async () => {
    const forge = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    for (const cursor of [
      forge({ l: 'roles', k: ['A', 'b\u0000c'] }),
      forge({ l: 'roles', k: [1, 2] }),
      forge({ l: 'roles:q', o: 1e300 }),
    ]) {
      expectProblem(await get(t.app, `/v1/roles?cursor=${cursor}`), 400, 'cursor');
    }
    const questions = forge({ l: 'questions', k: ['a', 1, 'not-a-uuid'] });
    expectProblem(await get(t.app, `/v1/questions?cursor=${questions}`), 400, 'cursor');
    expectProblem(await get(t.app, '/v1/search?q=%00team'), 400, 'q');
    expectProblem(await get(t.app, '/v1/questions?competency=a%00b'), 400, 'competency');
  });

  it('refuses a cursor issued for another list', async () => {
    const questions = await get<{ page: { nextCursor: string } }>(t.app, '/v1/questions?limit=1');
    expectProblem(await get(t.app, `/v1/roles?cursor=${questions.body.page.nextCursor}`), 400, 'cursor');
  });
});

describe('GET /v1/roles/{slug}', () => {
  it('answers the role with derived counts and its format breakdown', async () => {
    const { data } = await getOk(t.app, `/v1/roles/${sbd}`, single(RolePage));
    const seedRole = roleBySlug(sbd);
    expect(data).toMatchObject({
      slug: sbd,
      title: 'Senior Backend Developer',
      category: { slug: 'engineering', name: 'Engineering' },
      seniority: 'senior',
      track: 'technical',
      summary: seedRole.summary,
      questionCount: 12,
      roundCount: 5,
      formatBreakdown: [
        { label: 'System Design', percent: 40 },
        { label: 'Coding', percent: 35 },
        { label: 'Behavioral', percent: 25 },
      ],
    });
    expect(data.rounds).toBeUndefined();
    expect(data.questions).toBeUndefined();
    expect(Date.parse(data.publishedAt!)).not.toBeNaN();
  });

  it('includes everything a role page shows in one response', async () => {
    const { data } = await getOk(
      t.app,
      `/v1/roles/${sbd}?include=rounds,questions,tips,faqs,related`,
      single(RolePage),
    );
    const seedRole = roleBySlug(sbd);
    expect(data.rounds!.map((r) => r.name)).toEqual(seedRole.rounds.map((r) => r.name));
    expect(data.rounds!.map((r) => r.position)).toEqual(seedRole.rounds.map((_, i) => i + 1));
    expect(data.rounds!.reduce((n, r) => n + r.questionCount, 0)).toBe(
      seedRole.questions.filter((q) => q.round).length,
    );
    expect(data.questions!.map((q) => q.id)).toEqual(seedRole.questions.map((q) => q.id));
    expect(data.questions![0]!.starExamples).toEqual(seedRole.questions[0]!.starExamples);
    expect(data.questions![0]!.pitfalls.map((p) => p.text)).toEqual(seedRole.questions[0]!.pitfalls);
    expect(data.tips!.map((tip) => tip.text)).toEqual(seedRole.tips);
    expect(data.faqs!.map((f) => f.question)).toEqual(seedRole.faqs.map((f) => f.question));
    expect(data.relatedRoles!.map((r) => r.slug)).toEqual(seedRole.relatedRoles);
  });

  it('answers 404 for an unknown slug and 400 for an unknown include', async () => {
    expectProblem(await get(t.app, '/v1/roles/astronaut'), 404);
    expectProblem(await get(t.app, `/v1/roles/${sbd}?include=rounds,salary`), 400, 'include');
    expectProblem(await get(t.app, '/v1/roles/Not_A_Slug'), 400, 'slug');
  });
});

describe('role sub-resources', () => {
  it('lists rounds, tips and FAQs of a role as complete lists', async () => {
    const seedRole = roleBySlug(sbd);
    const rounds = await getOk(t.app, `/v1/roles/${sbd}/rounds`, list(Round));
    expect(rounds.data.map((r) => [r.name, r.focus, r.durationMinutes])).toEqual(
      seedRole.rounds.map((r) => [r.name, r.focus, r.durationMinutes]),
    );
    expect(rounds.page.nextCursor).toBeNull();
    const tips = await getOk(t.app, `/v1/roles/${sbd}/tips`, list(Tip));
    expect(tips.data.map((x) => x.text)).toEqual(seedRole.tips);
    const faqs = await getOk(t.app, `/v1/roles/${sbd}/faqs`, list(Faq));
    expect(faqs.data.map((f) => ({ question: f.question, answer: f.answer }))).toEqual(seedRole.faqs);
  });

  it("pages through a role's questions in interview order", async () => {
    const { items } = await walk(t.app, `/v1/roles/${sbd}/questions?limit=5`, list(Question));
    expect(items.map((q) => q.id)).toEqual(roleBySlug(sbd).questions.map((q) => q.id));
  });

  it.each(['questions', 'rounds', 'tips', 'faqs'])('answers 404 for /v1/roles/{unknown}/%s', async (part) => {
    expectProblem(await get(t.app, `/v1/roles/astronaut/${part}`), 404);
  });
});
