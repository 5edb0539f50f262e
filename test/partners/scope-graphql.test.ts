import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPartnerKey } from '../helpers/partners.js';
import { published, roleBySlug } from '../helpers/seed-files.js';

/* The same category scope over GraphQL: every field a query can reach respects it. */

let t: TestApp;
let token: string;
const SCOPE = ['data', 'design'];
const inScope = published.filter((r) => SCOPE.includes(r.category)).map((r) => r.slug).sort();

beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  token = (await createPartnerKey(t.app, { categories: SCOPE })).token;
});
afterAll(() => t?.close());

async function query<T>(app: FastifyInstance, q: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query: q, variables } });
  return JSON.parse(res.body) as { data: T; errors?: { extensions: { code: string } }[] };
}

describe('a key limited to categories, over GraphQL', () => {
  it('lists only its categories and roles, with counts of what it can see', async () => {
    const { data } = await query<{ categories: { slug: string; roleCount: number }[]; roles: { nodes: { slug: string; category: { slug: string; roleCount: number } }[] } }>(
      t.app,
      '{ categories { slug roleCount } roles(first: 100) { nodes { slug category { slug roleCount } } } }',
    );
    expect(data.categories).toEqual([{ slug: 'data', roleCount: 2 }, { slug: 'design', roleCount: 1 }]);
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
      role: { relatedRoles: { slug: string; relatedRoles: { slug: string }[] }[]; questions: { role: { slug: string } }[] };
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
    expect(data.search.nodes.every((h) => inScope.includes(h.role.slug) && (!h.question || inScope.includes(h.question.role.slug)))).toBe(true);
  });
});
