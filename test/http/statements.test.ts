import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { list, Question, Role, RolePage, single } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { gql } from '../helpers/graphql.js';
import { getOk } from '../helpers/http.js';
import { published, roleBySlug } from '../helpers/seed-files.js';

// The miss path: what a read costs when no cached answer exists.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { RESPONSE_CACHE: 'false' } });
});
afterAll(() => t?.close());

const sbd = 'senior-backend-developer';
const smallest = [...published].sort((a, b) => a.questions.length - b.questions.length)[0]!;
const EVERYTHING = 'include=rounds,questions,tips,faqs,related';

async function statementsOf(read: () => Promise<unknown>): Promise<number> {
  t.database.statements.length = 0;
  await read();
  return t.database.statements.length;
}

const ROLE_PAGE = `query($slug: String!) { role(slug: $slug) { slug title summary questionCount roundCount category { slug name }
  formatBreakdown { label percent } rounds { position name focus durationMinutes }
  questions { id prompt whyAsked howToAnswer round { name position } starExamples { situation task action result } pitfalls { text } }
  tips { text } faqs { question answer } relatedRoles { slug title } } }`;

describe('SQL statements per read, without the response cache', () => {
  it('builds a whole role page in one statement, for a large role as for a small one', async () => {
    expect(smallest.questions.length).toBeLessThan(roleBySlug(sbd).questions.length);
    for (const slug of [sbd, smallest.slug]) {
      const n = await statementsOf(() => getOk(t.app, `/v1/roles/${slug}?${EVERYTHING}`, single(RolePage)));
      expect(n).toBe(1);
    }
  });

  it('answers the GraphQL role page in one statement too', async () => {
    for (const slug of [sbd, smallest.slug]) {
      let role: { questions: unknown[] } | undefined;
      const n = await statementsOf(async () => {
        const res = await gql<{ role: { questions: unknown[] } }>(t.app, ROLE_PAGE, { slug });
        expect(res.errors).toBeUndefined();
        role = res.data!.role;
      });
      expect(role!.questions).toHaveLength(roleBySlug(slug).questions.filter((q) => q.status === 'published').length);
      expect(n).toBe(1);
    }
  });

  it('lists questions by role, and reads one question, in one statement each', async () => {
    let id = '';
    expect(
      await statementsOf(async () => {
        const body = await getOk(t.app, `/v1/roles/${sbd}/questions?limit=20`, list(Question));
        id = body.data[3]!.id;
      }),
    ).toBe(1);
    expect(await statementsOf(() => getOk(t.app, `/v1/questions/${id}`, single(Question)))).toBe(1);
    expect(await statementsOf(() => getOk(t.app, '/v1/roles?limit=20', list(Role)))).toBe(1);
  });

  it('runs every read again when the cache is off', async () => {
    const url = `/v1/roles/${sbd}?${EVERYTHING}`;
    expect(await statementsOf(() => getOk(t.app, url, single(RolePage)))).toBe(1);
    expect(await statementsOf(() => getOk(t.app, url, single(RolePage)))).toBe(1);
  });
});
