import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, get } from '../helpers/http.js';
import { createPartnerKey, getWith } from '../helpers/partners.js';
import { published, roleBySlug } from '../helpers/seed-files.js';

/*
 * A partner key limited to the Data and Design categories sees only their roles, questions,
 * FAQs, search hits, related roles and counts, on every read (REST, GraphQL, embed pages,
 * oEmbed); anonymous readers are unaffected. These tests define the behaviour any rewrite of the
 * read path must keep.
 */

let t: TestApp;
let token: string;
const SCOPE = ['data', 'design'];
const inScope = published
  .filter((r) => SCOPE.includes(r.category))
  .map((r) => r.slug)
  .sort();
const outside = published.filter((r) => !SCOPE.includes(r.category)).map((r) => r.slug);

beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  token = (await createPartnerKey(t.app, { categories: SCOPE })).token;
});
afterAll(() => t?.close());

type List<T> = { data: T[]; page: { nextCursor: string | null } };
type Role = {
  slug: string;
  category: { slug: string };
  questionCount: number;
  relatedRoles?: { slug: string }[];
  faqs?: unknown[];
};
type Question = { id: string; role: { slug: string } };

describe('a key limited to categories, over REST', () => {
  it('lists only its categories, each counting only its roles', async () => {
    const res = await getWith<{ data: { slug: string; roleCount: number }[] }>(t.app, '/v1/categories', token);
    expect(res.status).toBe(200);
    expect(res.body.data.map((c) => c.slug)).toEqual(['data', 'design']);
    expect(res.body.data.map((c) => c.roleCount)).toEqual([2, 1]);
    const anonymous = await get<{ data: { slug: string }[] }>(t.app, '/v1/categories');
    expect(anonymous.body.data.map((c) => c.slug)).toEqual(['engineering', 'product', 'data', 'design']);
  });

  it('lists only roles of its categories, and refuses a category filter outside them as unknown', async () => {
    const res = await getWith<List<Role>>(t.app, '/v1/roles?limit=100', token);
    expect(res.body.data.map((r) => r.slug).sort()).toEqual(inScope);
    expect(
      (await getWith<List<Role>>(t.app, '/v1/roles?category=data', token)).body.data.map((r) => r.slug).sort(),
    ).toEqual(['data-engineer', 'data-scientist']);
    expectProblem(await getWith(t.app, '/v1/roles?category=engineering', token), 400, 'category');
    expect(
      (await getWith<List<Role>>(t.app, '/v1/roles?q=engineer', token)).body.data.every((r) =>
        SCOPE.includes(r.category.slug),
      ),
    ).toBe(true);
  });

  it('answers 404 for any role outside its categories and for its parts', async () => {
    for (const slug of outside) {
      for (const path of ['', '/questions', '/rounds', '/tips', '/faqs']) {
        expectProblem(await getWith(t.app, `/v1/roles/${slug}${path}`, token), 404);
      }
    }
    const own = await getWith<{ data: Role }>(t.app, '/v1/roles/data-engineer?include=faqs', token);
    expect(own.status).toBe(200);
    expect(own.body.data.faqs?.length).toBe(roleBySlug('data-engineer').faqs.length);
  });

  it('shows related roles only within its categories, with whole counts', async () => {
    const res = await getWith<{ data: Role }>(t.app, '/v1/roles/data-engineer?include=related,questions', token);
    // data-engineer links to data-scientist, senior-backend-developer and site-reliability-engineer.
    expect(res.body.data.relatedRoles?.map((r) => r.slug)).toEqual(['data-scientist']);
    expect(res.body.data.questionCount).toBe(
      roleBySlug('data-engineer').questions.filter((q) => q.status === 'published').length,
    );
    const ux = await getWith<{ data: Role }>(t.app, '/v1/roles/ux-designer?include=related', token);
    expect(ux.body.data.relatedRoles).toEqual([]);
    const anonymous = await get<{ data: Role }>(t.app, '/v1/roles/data-engineer?include=related');
    expect(anonymous.body.data.relatedRoles?.map((r) => r.slug)).toEqual([
      'data-scientist',
      'senior-backend-developer',
      'site-reliability-engineer',
    ]);
  });

  it('lists and finds only questions of its categories', async () => {
    const all: Question[] = [];
    let url: string | null = '/v1/questions?limit=100';
    while (url) {
      const res: { body: List<Question> } = await getWith<List<Question>>(t.app, url, token);
      all.push(...res.body.data);
      url = res.body.page.nextCursor
        ? `/v1/questions?limit=100&cursor=${encodeURIComponent(res.body.page.nextCursor)}`
        : null;
    }
    expect(new Set(all.map((q) => q.role.slug))).toEqual(new Set(inScope));
    expectProblem(await getWith(t.app, '/v1/questions?role=senior-backend-developer', token), 400, 'role');
    const foreign = roleBySlug('senior-backend-developer').questions[0]!.id;
    expectProblem(await getWith(t.app, `/v1/questions/${foreign}`, token), 404);
    expect((await get(t.app, `/v1/questions/${foreign}`)).status).toBe(200);
    const own = roleBySlug('data-scientist').questions[0]!.id;
    expect((await getWith(t.app, `/v1/questions/${own}`, token)).status).toBe(200);
  });

  it('searches only its categories: roles, questions and FAQs', async () => {
    const hits = await getWith<List<{ type: string; role: { slug: string } }>>(
      t.app,
      '/v1/search?q=team&limit=100',
      token,
    );
    expect(hits.body.data.length).toBeGreaterThan(0);
    expect(hits.body.data.every((h) => inScope.includes(h.role.slug))).toBe(true);
    const anonymous = await get<List<{ role: { slug: string } }>>(t.app, '/v1/search?q=team&limit=100');
    expect(anonymous.body.data.some((h) => !inScope.includes(h.role.slug))).toBe(true);
    expectProblem(await getWith(t.app, '/v1/search?q=team&category=engineering', token), 400, 'category');
    expectProblem(await getWith(t.app, '/v1/search?q=team&role=senior-backend-developer', token), 400, 'role');
  });

  it('sees nothing outside its categories through the embed pages and oEmbed either', async () => {
    expectProblem(await getWith(t.app, '/embed/v1/roles/senior-backend-developer', token), 404);
    const foreign = roleBySlug('senior-backend-developer').questions[0]!.id;
    expectProblem(await getWith(t.app, `/embed/v1/questions/${foreign}`, token), 404);
    const page = encodeURIComponent('http://localhost:80/embed/v1/roles/senior-backend-developer');
    expectProblem(await getWith(t.app, `/oembed?url=${page}`, token), 404);
    expect((await getWith(t.app, '/embed/v1/roles/ux-designer', token)).status).toBe(200);
    expect((await get(t.app, `/oembed?url=${page}`)).status).toBe(200);
  });
});

async function query<T>(app: FastifyInstance, q: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${token}` },
    payload: { query: q, variables },
  });
  return JSON.parse(res.body) as { data: T; errors?: { extensions: { code: string } }[] };
}

describe('a key limited to categories, over GraphQL', () => {
  it('lists only its categories and roles, with counts of what it can see', async () => {
    const { data } = await query<{
      categories: { slug: string; roleCount: number }[];
      roles: { nodes: { slug: string; category: { slug: string; roleCount: number } }[] };
    }>(t.app, '{ categories { slug roleCount } roles(first: 100) { nodes { slug category { slug roleCount } } } }');
    expect(data.categories).toEqual([
      { slug: 'data', roleCount: 2 },
      { slug: 'design', roleCount: 1 },
    ]);
    expect(data.roles.nodes.map((r) => r.slug).sort()).toEqual(inScope);
    expect(data.roles.nodes.find((r) => r.slug === 'ux-designer')?.category).toEqual({ slug: 'design', roleCount: 1 });
  });

  it('answers NOT_FOUND for a role or question outside them', async () => {
    const role = await query<{ role: null }>(t.app, '{ role(slug: "senior-backend-developer") { title } }');
    expect(role.data.role).toBeNull();
    expect(role.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const id = roleBySlug('senior-backend-developer').questions[0]!.id;
    const question = await query<{ question: null }>(t.app, 'query($id: ID!) { question(id: $id) { prompt } }', { id });
    expect(question.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });

  it('follows related roles, questions and search hits only into its categories', async () => {
    const { data } = await query<{
      role: {
        relatedRoles: { slug: string; relatedRoles: { slug: string }[] }[];
        questions: { role: { slug: string } }[];
      };
      questions: { nodes: { role: { slug: string } }[] };
      search: { nodes: { role: { slug: string }; question: { role: { slug: string } } | null }[] };
    }>(
      t.app,
      `{ role(slug: "data-engineer") { relatedRoles { slug relatedRoles { slug } } questions { role { slug } } }
         questions(first: 100) { nodes { role { slug } } }
         search(q: "team", first: 100) { nodes { role { slug } question { role { slug } } } } }`,
    );
    expect(data.role.relatedRoles).toEqual([{ slug: 'data-scientist', relatedRoles: [{ slug: 'data-engineer' }] }]);
    expect(new Set(data.questions.nodes.map((q) => q.role.slug))).toEqual(new Set(inScope));
    expect(data.search.nodes.length).toBeGreaterThan(0);
    expect(
      data.search.nodes.every(
        (h) => inScope.includes(h.role.slug) && (!h.question || inScope.includes(h.question.role.slug)),
      ),
    ).toBe(true);
  });
});
