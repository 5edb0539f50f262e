import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/graphql.js';
import { published } from '../helpers/seed-files.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const DEEP = `query($first: Int!) { roles(first: $first) { nodes {
  slug rounds { name questions { id } }
  questions { id prompt role { slug } round { name } starExamples { situation task action result } pitfalls { text } }
  relatedRoles { slug tips { text } }
} } }`;

async function statementsFor(first: number) {
  t.database.statements.length = 0;
  const res = await gql<{ roles: { nodes: { questions: unknown[] }[] } }>(t.app, DEEP, { first });
  expect(res.errors).toBeUndefined();
  return { statements: t.database.statements.length, roles: res.data!.roles.nodes };
}

describe('nested fields are batched', () => {
  it('runs as many statements for every role as for two', async () => {
    const two = await statementsFor(2);
    const all = await statementsFor(published.length);
    expect(two.roles).toHaveLength(2);
    expect(all.roles).toHaveLength(published.length);
    const questionTotal = all.roles.reduce((n, r) => n + r.questions.length, 0);
    expect(questionTotal).toBeGreaterThan(50);
    expect(all.statements).toBe(two.statements);
    // One or a few statements per level of the query, never one per row.
    expect(all.statements).toBeLessThan(25);
  });

  it('fetches a complete role page in one request with a bounded number of statements', async () => {
    t.database.statements.length = 0;
    const res = await gql<{
      role: {
        questions: { starExamples: unknown[]; pitfalls: unknown[] }[];
        rounds: unknown[];
        tips: unknown[];
        faqs: unknown[];
        relatedRoles: unknown[];
      };
    }>(
      t.app,
      `{ role(slug: "senior-backend-developer") { title formatBreakdown { label percent }
        rounds { name position focus durationMinutes } questions { prompt whyAsked howToAnswer round { name }
        starExamples { situation task action result } pitfalls { text } } tips { text } faqs { question answer } relatedRoles { slug title } } }`,
    );
    const role = res.data!.role;
    expect(role.rounds).toHaveLength(5);
    expect(role.questions).toHaveLength(12);
    expect(role.questions.every((q) => q.starExamples.length > 0 && q.pitfalls.length >= 2)).toBe(true);
    expect(role.tips.length).toBeGreaterThanOrEqual(5);
    expect(role.faqs.length).toBeGreaterThanOrEqual(5);
    expect(role.relatedRoles.length).toBeGreaterThan(0);
    expect(t.database.statements.length).toBeLessThanOrEqual(15);
  });
});
