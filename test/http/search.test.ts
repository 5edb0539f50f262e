import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { list, SearchHit } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, get, getOk, walk } from '../helpers/http.js';
import { published, roleBySlug } from '../helpers/seed-files.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const sbd = 'senior-backend-developer';
const hits = list(SearchHit);

describe('GET /v1/search', () => {
  it('ranks roles, questions and FAQs together, each with a working link', async () => {
    const body = await getOk(t.app, '/v1/search?q=interview&limit=100', hits);
    const types = new Set(body.data.map((h) => h.type));
    expect(types).toEqual(new Set(['role', 'question', 'faq']));
    const scores = body.data.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const hit of body.data.slice(0, 5)) {
      expect((await get(t.app, hit.link)).status, hit.link).toBe(200);
    }
  });

  it('puts a match in a role title above matches in body text', async () => {
    const body = await getOk(t.app, '/v1/search?q=backend', hits);
    expect(body.data[0]).toMatchObject({ type: 'role', title: 'Senior Backend Developer', link: `/v1/roles/${sbd}` });
  });

  it('puts a match in a question prompt above the same words in answers', async () => {
    const target = roleBySlug(sbd).questions[0]!;
    const body = await getOk(
      t.app,
      `/v1/search?q=${encodeURIComponent(`"${target.prompt.slice(0, 60).replace(/\W+\w*$/, '')}"`)}&type=question`,
      hits,
    );
    expect(body.data[0]).toMatchObject({ type: 'question', id: target.id, link: `/v1/questions/${target.id}` });
  });

  it('highlights the matched words in a short snippet', async () => {
    const body = await getOk(t.app, '/v1/search?q=backend&limit=5', hits);
    for (const hit of body.data) {
      expect(hit.snippet).toMatch(/<mark>backend<\/mark>/i);
      expect(hit.snippet.split(/\s+/).length).toBeLessThan(80);
    }
  });

  it('filters by category, seniority, role and type', async () => {
    const byCategory = await walk(t.app, '/v1/search?q=team&category=data&limit=50', hits);
    const dataRoles = new Set(published.filter((r) => r.category === 'data').map((r) => r.slug));
    expect(byCategory.items.length).toBeGreaterThan(0);
    expect(byCategory.items.every((h) => dataRoles.has(h.role.slug))).toBe(true);

    const bySeniority = await walk(t.app, '/v1/search?q=team&seniority=senior&limit=50', hits);
    const senior = new Set(published.filter((r) => r.seniority === 'senior').map((r) => r.slug));
    expect(bySeniority.items.every((h) => senior.has(h.role.slug))).toBe(true);

    const byRole = await walk(t.app, `/v1/search?q=team&role=${sbd}&types=faq,question&limit=50`, hits);
    expect(byRole.items.length).toBeGreaterThan(0);
    expect(byRole.items.every((h) => h.role.slug === sbd && h.type !== 'role')).toBe(true);
  });

  it("filters kinds of hits with types= (GraphQL's name), and still with the deprecated type=", async () => {
    const byTypes = await getOk(t.app, '/v1/search?q=team&types=faq,question&limit=50', hits);
    expect(byTypes.data.length).toBeGreaterThan(0);
    expect(byTypes.data.every((h) => h.type !== 'role')).toBe(true);
    // Repeated, as some clients write lists.
    expect(await getOk(t.app, '/v1/search?q=team&types=faq&types=question&limit=50', hits)).toEqual(byTypes);
    expect(await getOk(t.app, '/v1/search?q=team&type=faq,question&limit=50', hits)).toEqual(byTypes);
    // Both at once could disagree: refused, naming the old one.
    expectProblem(await get(t.app, '/v1/search?q=team&types=faq&type=role'), 400, 'type');
  });

  it('pages through results without repeating a hit', async () => {
    const all = await getOk(t.app, '/v1/search?q=team&limit=100', hits);
    const { items } = await walk(t.app, '/v1/search?q=team&limit=4', hits);
    expect(items.map((h) => h.link + h.title)).toEqual(all.data.map((h) => h.link + h.title));
  });

  it('answers an empty list when nothing matches', async () => {
    expect((await getOk(t.app, '/v1/search?q=xylophonist', hits)).data).toEqual([]);
  });

  it.each([
    ['', 'q'],
    ['q=', 'q'],
    ['q=team&type=podcast', 'type'],
    ['q=team&types=podcast', 'types'],
    ['q=team&category=astronomy', 'category'],
    ['q=team&role=astronaut', 'role'],
    ['q=team&seniority=wizard', 'seniority'],
    ['q=team&limit=500', 'limit'],
  ])('answers 400 naming the parameter for "%s"', async (query, param) => {
    expectProblem(await get(t.app, `/v1/search?${query}`), 400, param);
  });
});
