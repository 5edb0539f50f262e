import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminQuestionListItem, AdminRoleSummary } from '../../src/content/admin/schemas.js';
import { list } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Content tools find any draft: admin lists of roles and questions over every status, with the
 * public lists' filters, cursors and refusals, and status, who changed it, since when, full text
 * over drafts and sorting; the same on GraphQL.
 */

let t: TestApp;
let editor = { token: '', prefix: '' };
let draftQuestion = '';
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  editor = (
    await send<{ data: { token: string; prefix: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: 'editor',
      scopes: ['content:write', 'content:preview'],
    })
  ).body.data;
  await send(
    t.app,
    'POST',
    '/v1/admin/roles',
    roleInput('qa-zeppelin', {
      title: 'Zeppelin Reliability Engineer',
      summary: 'Airship maintenance interviews probe hydrogen safety and mooring procedures.',
    }),
  );
  draftQuestion = (
    await send<{ data: { id: string } }>(
      t.app,
      'POST',
      '/v1/admin/roles/qa-zeppelin/questions',
      questionInput({ prompt: 'How would you inspect a gasbag for leaks?', tags: ['airships'], difficulty: 'hard' }),
    )
  ).body.data.id;
});
afterAll(() => t?.close());

const roles = async (query: string, key = ADMIN_KEY) => {
  const res = await send(t.app, 'GET', `/v1/admin/roles${query}`, undefined, {}, key);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return list(AdminRoleSummary).parse(res.body);
};
const questions = async (query: string) => {
  const res = await send(t.app, 'GET', `/v1/admin/questions${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return list(AdminQuestionListItem).parse(res.body);
};
/** Every item of a list, following its cursors. */
async function walkAll<T>(page: (cursor?: string) => Promise<{ data: T[]; page: { nextCursor: string | null } }>) {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const body = await page(cursor);
    items.push(...body.data);
    if (!body.page.nextCursor) return items;
    cursor = body.page.nextCursor;
  }
  throw new Error('the list never ends');
}

describe('GET /v1/admin/roles', () => {
  it('lists drafts with the published, by title, a page at a time with a Link to the next', async () => {
    const all = await walkAll((cursor) => roles(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`));
    expect(all.map((r) => r.slug)).toContain('qa-zeppelin');
    expect(all.map((r) => r.title)).toEqual([...all.map((r) => r.title)].sort());
    const first = await send(t.app, 'GET', '/v1/admin/roles?limit=3');
    expect(first.headers.link).toMatch(/rel="next"/);
    expect((await roles('?status=draft')).data.map((r) => r.slug)).toEqual(['qa-zeppelin']);
    expect((await roles('?status=draft')).data[0]).toMatchObject({ questionCount: 1, category: 'engineering' });
  });

  it('finds drafts by full text, by who changed them and since when, sorted as asked', async () => {
    expect((await roles('?q=hydrogen%20mooring')).data.map((r) => r.slug)).toEqual(['qa-zeppelin']);
    const since = new Date().toISOString();
    await send(
      t.app,
      'PATCH',
      '/v1/admin/roles/qa-zeppelin',
      { title: 'Airship Reliability Engineer' },
      {},
      editor.token,
    );
    expect((await roles(`?updatedBy=key:${editor.prefix}`)).data.map((r) => r.slug)).toEqual(['qa-zeppelin']);
    expect((await roles(`?updatedSince=${encodeURIComponent(since)}`)).data.map((r) => r.slug)).toEqual([
      'qa-zeppelin',
    ]);
    const newest = await walkAll((cursor) => roles(`?sort=-updatedAt&limit=2${cursor ? `&cursor=${cursor}` : ''}`));
    expect(newest[0]!.slug).toBe('qa-zeppelin');
    const times = newest.map((r) => r.updatedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(newest).toHaveLength(
      (await walkAll((cursor) => roles(`?limit=50${cursor ? `&cursor=${cursor}` : ''}`))).length,
    );
  });

  it('refuses what the public lists refuse: unknown parameters, categories, cursors and limits', async () => {
    expectProblem(await send(t.app, 'GET', '/v1/admin/roles?categroy=engineering'), 400, 'categroy');
    expectProblem(await send(t.app, 'GET', '/v1/admin/roles?category=astronauts'), 400, 'category');
    expectProblem(await send(t.app, 'GET', '/v1/admin/roles?limit=101'), 400, 'limit');
    expectProblem(await send(t.app, 'GET', '/v1/admin/roles?cursor=bm90LWEtY3Vyc29y'), 400, 'cursor');
    expectProblem(await send(t.app, 'GET', '/v1/admin/roles?status=hidden'), 400, 'status');
    expectProblem(await send(t.app, 'GET', '/v1/admin/roles?sort=popularity'), 400, 'sort');
    // A cursor of one sort is not one of another.
    const paged = await roles('?limit=1&sort=slug');
    expectProblem(await send(t.app, 'GET', `/v1/admin/roles?limit=1&cursor=${paged.page.nextCursor}`), 400, 'cursor');
  });
});

describe('GET /v1/admin/questions', () => {
  it('finds draft questions by role, status, difficulty, tag and text', async () => {
    expect((await questions('?status=draft')).data.map((q) => q.id)).toEqual([draftQuestion]);
    expect((await questions('?role=qa-zeppelin&difficulty=hard&tag=airships')).data.map((q) => q.id)).toEqual([
      draftQuestion,
    ]);
    expect((await questions('?q=gasbag')).data.map((q) => q.id)).toEqual([draftQuestion]);
    expect((await questions('?role=qa-zeppelin&round=1')).data[0]).toMatchObject({ round: 'Screen', status: 'draft' });
    const sbd = await walkAll((cursor) =>
      questions(`?role=senior-backend-developer&limit=4${cursor ? `&cursor=${cursor}` : ''}`),
    );
    expect(sbd.map((q) => q.position)).toEqual(sbd.map((_, i) => i + 1));
  });

  it('refuses unknown roles and rounds, and a round position without a role', async () => {
    expectProblem(await send(t.app, 'GET', '/v1/admin/questions?role=astronaut'), 400, 'role');
    expectProblem(await send(t.app, 'GET', '/v1/admin/questions?role=qa-zeppelin&round=Moonwalk'), 400, 'round');
    expectProblem(await send(t.app, 'GET', '/v1/admin/questions?round=2'), 400, 'round');
    expectProblem(await send(t.app, 'GET', '/v1/admin/questions?preview=true'), 400, 'preview');
  });
});

describe('the same on GraphQL', () => {
  const gql = async <T>(query: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { query },
    });
    const body = JSON.parse(res.body) as { data: T; errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  };

  it('lists drafts with their status, version and who changed them', async () => {
    const data = await gql<{
      adminRoles: { nodes: { slug: string; status: string; version: number; updatedBy: string }[] };
    }>(
      '{ adminRoles(status: DRAFT, q: "airship") { nodes { slug status version updatedBy } pageInfo { hasNextPage } } }',
    );
    expect(data.adminRoles.nodes).toEqual([
      { slug: 'qa-zeppelin', status: 'DRAFT', version: 2, updatedBy: `key:${editor.prefix}` },
    ]);
    const qs = await gql<{ adminQuestions: { nodes: { id: string; status: string }[] } }>(
      '{ adminQuestions(role: "qa-zeppelin", sort: UPDATED_AT_DESC) { nodes { id status } } }',
    );
    expect(qs.adminQuestions.nodes).toEqual([{ id: draftQuestion, status: 'DRAFT' }]);
  });

  it('reads revisions and what changed between two of them', async () => {
    const data = await gql<{
      adminRole: {
        status: string;
        revisions: { version: number; actor: string; changedFields: string[] }[];
        revisionDiff: { changes: { path: string; from: unknown; to: unknown }[] };
        revision: { snapshot: { title: string } };
      };
    }>(
      '{ adminRole(slug: "qa-zeppelin") { status revisions { version actor changedFields } revisionDiff(from: 1, to: 2) { changes { path from to } } revision(version: 1) { snapshot } } }',
    );
    expect(data.adminRole.revisions.map((r) => r.version)).toEqual([1, 2]);
    expect(data.adminRole.revisions[1]).toMatchObject({ actor: `key:${editor.prefix}`, changedFields: ['title'] });
    expect(data.adminRole.revisionDiff.changes).toEqual([
      { path: 'title', from: 'Zeppelin Reliability Engineer', to: 'Airship Reliability Engineer' },
    ]);
    expect(data.adminRole.revision.snapshot.title).toBe('Zeppelin Reliability Engineer');
  });
});
