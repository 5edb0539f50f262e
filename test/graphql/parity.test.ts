import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Category, list, Question, Role, RolePage, SearchHit, single } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/graphql.js';
import { getOk, walk } from '../helpers/http.js';
import { published } from '../helpers/seed-files.js';

/* GraphQL and REST answer the same values for the same content, field by field. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const QUESTION_FIELDS = `id prompt competency whyAsked howToAnswer difficulty tags position updatedAt
  role { slug title } round { name position } starExamples { situation task action result } pitfalls { text }`;
const ROLE_FIELDS = `slug title seniority track summary questionCount roundCount publishedAt updatedAt
  category { slug name } formatBreakdown { label percent }`;

const lower = (v: string) => v.toLowerCase().replaceAll('_', '-');
const restQuestion = (q: Record<string, unknown>) => ({ ...q, difficulty: lower(q.difficulty as string) });
const restRole = (r: Record<string, unknown>) => ({
  ...r,
  seniority: lower(r.seniority as string),
  track: lower(r.track as string),
});

describe('GraphQL and REST agree', () => {
  it('on a complete role page, fetched in one GraphQL request', async () => {
    for (const role of published) {
      const rest = await getOk(
        t.app,
        `/v1/roles/${role.slug}?include=rounds,questions,tips,faqs,related`,
        single(RolePage),
      );
      const res = await gql<{ role: Record<string, unknown> }>(
        t.app,
        `query($slug: String!) { role(slug: $slug) { ${ROLE_FIELDS}
          rounds { name position focus durationMinutes questionCount }
          questions { ${QUESTION_FIELDS} } tips { text } faqs { question answer position } relatedRoles { slug title } } }`,
        { slug: role.slug },
      );
      expect(res.errors).toBeUndefined();
      const g = res.data!.role as Record<string, unknown> & { questions: Record<string, unknown>[] };
      expect(restRole({ ...g, questions: g.questions.map(restQuestion) })).toEqual(rest.data);
    }
  });

  it('on the roles list with filters and pages', async () => {
    const rest = await walk(t.app, '/v1/roles?category=engineering&limit=2', list(Role));
    const nodes: Record<string, unknown>[] = [];
    let after: string | null = null;
    do {
      const res: Awaited<
        ReturnType<
          typeof gql<{
            roles: { nodes: Record<string, unknown>[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
          }>
        >
      > = await gql(
        t.app,
        `query($after: String) { roles(first: 2, after: $after, category: "engineering") { nodes { ${ROLE_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      nodes.push(...res.data!.roles.nodes);
      after = res.data!.roles.pageInfo.hasNextPage ? res.data!.roles.pageInfo.endCursor : null;
    } while (after);
    expect(nodes.map(restRole)).toEqual(rest.items);
  });

  it('on questions with filters, and one question by id', async () => {
    const rest = await getOk(t.app, '/v1/questions?difficulty=hard&limit=50', list(Question));
    const res = await gql<{ questions: { edges: { node: Record<string, unknown>; cursor: string }[] } }>(
      t.app,
      `{ questions(first: 50, difficulty: HARD) { edges { cursor node { ${QUESTION_FIELDS} } } } }`,
    );
    expect(res.data!.questions.edges.map((e) => restQuestion(e.node))).toEqual(rest.data);
    const one = rest.data[0]!;
    const single1 = await gql<{ question: Record<string, unknown> }>(
      t.app,
      `query($id: ID!) { question(id: $id) { ${QUESTION_FIELDS} } }`,
      { id: one.id },
    );
    expect(restQuestion(single1.data!.question)).toEqual(one);
  });

  it("on a role's full category", async () => {
    const restCategories = await getOk(t.app, '/v1/categories', list(Category));
    const res = await gql<{ roles: { nodes: { category: { slug: string } }[] } }>(
      t.app,
      '{ roles(first: 100) { nodes { category { slug name position roleCount } } } }',
    );
    expect(res.errors).toBeUndefined();
    for (const node of res.data!.roles.nodes) expect(restCategories.data).toContainEqual(node.category);
  });

  it('on categories and search', async () => {
    const restCategories = await getOk(t.app, '/v1/categories', list(Category));
    const categories = await gql<{ categories: unknown[] }>(t.app, '{ categories { slug name position roleCount } }');
    expect(categories.data!.categories).toEqual(restCategories.data);

    const restHits = await getOk(t.app, '/v1/search?q=incident&limit=10', list(SearchHit));
    const hits = await gql<{ search: { nodes: Record<string, unknown>[] } }>(
      t.app,
      '{ search(q: "incident", first: 10) { nodes { type title snippet link score role { slug title } question { id } } } }',
    );
    expect(
      hits.data!.search.nodes.map((h) => {
        const { question, ...rest } = h as { question: { id: string } | null; type: string };
        return { ...rest, type: lower(rest.type), ...(question ? { id: question.id } : {}) };
      }),
    ).toEqual(restHits.data);
  });
});
