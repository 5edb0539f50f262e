import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';

/*
 * With the response cache on, a write shows on the very next read through every path that shows
 * the item: the role page and its parts, another role's related roles, lists, search, the
 * categories' counts, a question's page and GraphQL. Every path is read (and so cached) before
 * each write, so a stale answer would be served if the write failed to purge it.
 */

const SLUG = 'vexillo-analyst';
const SBD = 'senior-backend-developer';
let t: TestApp;
let questionId = '';

const ok = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
  const res = await send(t.app, method, url, body);
  expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as { data: { id: string; version: number; relatedRoles: string[] } };
};

/** What an anonymous reader sees of the role and its question, through every path. */
async function view() {
  const read = async (url: string) => {
    const res = await t.app.inject(url);
    return { status: res.statusCode, body: res.body };
  };
  const gql = async (query: string) => (await t.app.inject(`/graphql?query=${encodeURIComponent(query)}`)).body;
  return {
    page: await read(`/v1/roles/${SLUG}?include=rounds,questions,tips,faqs,related`),
    rounds: await read(`/v1/roles/${SLUG}/rounds`),
    roleQuestions: await read(`/v1/roles/${SLUG}/questions`),
    related: (await read(`/v1/roles/${SBD}?include=related`)).body,
    roles: (await read('/v1/roles?limit=100')).body,
    questions: (await read('/v1/questions?limit=100')).body,
    question: await read(`/v1/questions/${questionId}`),
    search: (await read('/v1/search?q=vexillology')).body,
    categories: (await read('/v1/categories')).body,
    graphql: await gql(
      `{ roles(first: 100) { nodes { slug title questionCount } } role(slug: "${SLUG}") { title questions { prompt } } }`,
    ),
  };
}

beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  await ok(
    'POST',
    '/v1/admin/roles',
    roleInput(SLUG, {
      title: 'Vexillo Analyst',
      summary: 'Vexillology analysts study flags, their history and their design rules.',
    }),
  );
  questionId = (
    await ok(
      'POST',
      `/v1/admin/roles/${SLUG}/questions`,
      questionInput({ prompt: 'How would you explain vexillology to a new colleague?' }),
    )
  ).data.id;
  const sbd = (await send<{ data: { relatedRoles: string[] } }>(t.app, 'GET', `/v1/admin/roles/${SBD}`)).body.data;
  await ok('PATCH', `/v1/admin/roles/${SBD}`, { relatedRoles: [...sbd.relatedRoles, SLUG] });
});
afterAll(() => t?.close());

describe('a write is visible on the next read, with the cache on', () => {
  it('shows nothing of a draft, then everything once published', async () => {
    const hidden = await view();
    expect(hidden.page.status).toBe(404);
    expect(hidden.question.status).toBe(404);
    for (const text of [hidden.related, hidden.roles, hidden.questions, hidden.search, hidden.graphql])
      expect(text).not.toContain('Vexillo');
    const engineering = (body: string) =>
      (JSON.parse(body) as { data: { slug: string; roleCount: number }[] }).data.find((c) => c.slug === 'engineering')!
        .roleCount;
    const before = engineering(hidden.categories);

    await ok('POST', `/v1/admin/roles/${SLUG}/publish`);
    await ok('POST', `/v1/admin/questions/${questionId}/publish`);
    const shown = await view();
    expect(shown.page.status).toBe(200);
    expect(JSON.parse(shown.page.body).data.questionCount).toBe(1);
    expect(shown.roleQuestions.body).toContain('vexillology to a new colleague');
    expect(shown.question.status).toBe(200);
    for (const text of [shown.related, shown.roles, shown.questions, shown.search, shown.graphql])
      expect(text).toContain('Vexillo');
    expect(engineering(shown.categories)).toBe(before + 1);
  });

  it('shows an edit of the role and of its question everywhere they appear', async () => {
    await view();
    await ok('PATCH', `/v1/admin/roles/${SLUG}`, { title: 'Vexillo Flag Analyst' });
    await ok('PATCH', `/v1/admin/questions/${questionId}`, {
      prompt: 'How would you explain vexillology to a curious newcomer?',
    });
    const edited = await view();
    for (const text of [
      edited.page.body,
      edited.related,
      edited.roles,
      edited.questions,
      edited.question.body,
      edited.graphql,
    ]) {
      expect(text).toContain('Vexillo Flag Analyst');
    }
    for (const text of [
      edited.page.body,
      edited.roleQuestions.body,
      edited.questions,
      edited.question.body,
      edited.search,
      edited.graphql,
    ]) {
      expect(text).toContain('curious newcomer');
      expect(text).not.toContain('to a new colleague');
    }
  });

  it('shows a renamed round on the role page, its rounds and its question', async () => {
    await view();
    await ok('PATCH', `/v1/admin/roles/${SLUG}/rounds/1`, { name: 'Flag Screen' });
    const renamed = await view();
    for (const text of [renamed.page.body, renamed.rounds.body, renamed.question.body])
      expect(text).toContain('Flag Screen');
  });

  it('hides the role and its question again after unpublish', async () => {
    await view();
    await ok('POST', `/v1/admin/roles/${SLUG}/unpublish`);
    const gone = await view();
    expect(gone.page.status).toBe(404);
    expect(gone.question.status).toBe(404);
    for (const text of [gone.related, gone.roles, gone.questions, gone.search, gone.graphql])
      expect(text).not.toContain('Vexillo');
  });

  it('forgets a deleted question and role', async () => {
    await ok('POST', `/v1/admin/roles/${SLUG}/publish`);
    const back = await view();
    expect(back.question.status).toBe(200);
    await ok('DELETE', `/v1/admin/questions/${questionId}`);
    const noQuestion = await view();
    expect(noQuestion.question.status).toBe(404);
    expect(JSON.parse(noQuestion.page.body).data.questionCount).toBe(0);
    expect(noQuestion.questions).not.toContain('curious newcomer');
    await ok('DELETE', `/v1/admin/roles/${SLUG}?cascade=true`);
    const deleted = await view();
    expect(deleted.page.status).toBe(404);
    for (const text of [deleted.related, deleted.roles, deleted.search, deleted.graphql])
      expect(text).not.toContain('Vexillo');
  });
});
