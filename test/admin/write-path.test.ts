import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog, revisions } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Every write goes through one aggregate write: it reads and locks only what it changes, writes
 * nothing when nothing changes, compares If-Match strongly, and gives a field the same meaning on
 * REST and GraphQL.
 */

let t: TestApp;
let id = '';
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-path'));
  id = (await send<{ data: { id: string } }>(t.app, 'POST', '/v1/admin/roles/qa-path/questions', questionInput())).body
    .data.id;
});
afterAll(() => t?.close());

/** Statements one request runs, the key's lookup included. */
async function statementsOf(run: () => Promise<{ status: number }>): Promise<number> {
  // The key's last use is written at most once a minute: have that happen before counting.
  await send(t.app, 'GET', '/v1/admin/roles/qa-path');
  t.database.statements.length = 0;
  const res = await run();
  expect(res.status).toBe(200);
  return t.database.statements.length;
}

const logEntries = async () =>
  (await t.database.db.select({ n: count() }).from(changeLog).where(eq(changeLog.entityKey, 'qa-path')))[0]!.n;
const revisionsOf = async (entityId: string) =>
  (await t.database.db.select({ n: count() }).from(revisions).where(eq(revisions.entityId, entityId)))[0]!.n;

describe('a question PATCH', () => {
  it('runs at most 10 statements, with If-Match too, without reading its whole role', async () => {
    const plain = await statementsOf(() =>
      send(t.app, 'PATCH', `/v1/admin/questions/${id}`, { prompt: 'How do you choose what to automate first?' }),
    );
    const etag = (await send(t.app, 'GET', `/v1/admin/questions/${id}`)).headers.etag as string;
    const withIfMatch = await statementsOf(() =>
      send(t.app, 'PATCH', `/v1/admin/questions/${id}`, { round: 'Practical' }, { 'if-match': etag }),
    );
    const lists = await statementsOf(() =>
      send(t.app, 'PATCH', `/v1/admin/questions/${id}`, {
        pitfalls: ['Automating everything'],
        tags: ['flaky'],
        starExamples: [
          { ...questionInput().starExamples[0]!, result: 'Regression now takes four hours, not three days.' },
        ],
      }),
    );
    expect({ plain, withIfMatch, lists }).toEqual({
      plain: expect.toBeOneOf([6, 7, 8, 9, 10]),
      withIfMatch: expect.toBeOneOf([6, 7, 8, 9, 10]),
      lists: expect.toBeOneOf([6, 7, 8, 9, 10]),
    });
    // Nothing of the role's other questions or children was read.
    t.database.statements.length = 0;
    await send(t.app, 'PATCH', `/v1/admin/questions/${id}`, { competency: 'test automation' });
    expect(t.database.statements.join('\n')).not.toMatch(/role_faqs|role_tips|role_format_segments/);
  });
});

describe('a write that changes nothing', () => {
  it('publishing what is published writes no version, revision or change-log entry', async () => {
    await send(t.app, 'POST', '/v1/admin/roles/qa-path/publish');
    const before = {
      version: (await send<{ data: { version: number } }>(t.app, 'GET', '/v1/admin/roles/qa-path')).body.data.version,
      log: await logEntries(),
    };
    const again = await send<{ data: { version: number; status: string } }>(
      t.app,
      'POST',
      '/v1/admin/roles/qa-path/publish',
    );
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ status: 'published', version: before.version });
    expect(await logEntries()).toBe(before.log);
    const q = (await send<{ data: { version: number } }>(t.app, 'POST', `/v1/admin/questions/${id}/publish`)).body.data;
    const revisionCount = await revisionsOf(id);
    expect(
      (await send<{ data: { version: number } }>(t.app, 'POST', `/v1/admin/questions/${id}/publish`)).body.data.version,
    ).toBe(q.version);
    expect(await revisionsOf(id)).toBe(revisionCount);
  });

  it('a PATCH that sends what is stored writes nothing either', async () => {
    const now = (await send<{ data: { title: string; version: number } }>(t.app, 'GET', '/v1/admin/roles/qa-path')).body
      .data;
    const log = await logEntries();
    const same = await send<{ data: { version: number } }>(t.app, 'PATCH', '/v1/admin/roles/qa-path', {
      title: now.title,
    });
    expect(same.body.data.version).toBe(now.version);
    expect(await logEntries()).toBe(log);
  });
});

describe('If-Match', () => {
  it('compares strongly: a weak ETag or a weak version gets 412 and writes nothing', async () => {
    const read = await send<{ data: { version: number } }>(t.app, 'GET', '/v1/admin/roles/qa-path');
    const etag = read.headers.etag as string;
    for (const weak of [`W/${etag}`, `W/"${read.body.data.version}"`]) {
      expectProblem(
        await send(t.app, 'PATCH', '/v1/admin/roles/qa-path', { title: 'Weakly Matched' }, { 'if-match': weak }),
        412,
      );
    }
    expect((await send<{ data: { title: string } }>(t.app, 'GET', '/v1/admin/roles/qa-path')).body.data.title).not.toBe(
      'Weakly Matched',
    );
    // Any one of several tags may match.
    const listed = await send(
      t.app,
      'PATCH',
      '/v1/admin/roles/qa-path',
      { title: 'Matched From A List' },
      { 'if-match': `"1-0000000000000000", ${etag}` },
    );
    expect(listed.status).toBe(200);
  });
});

describe('revisions', () => {
  it('carry the note the writer gave and the fields that changed', async () => {
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-path', {
      summary: 'A new summary for quality engineering loops and their judgement.',
      tips: [],
      note: 'shorter page',
    });
    const history = (
      await send<{ data: { note: string | null; changedFields: string[] }[] }>(
        t.app,
        'GET',
        '/v1/admin/roles/qa-path/revisions',
      )
    ).body.data;
    expect(history.at(-1)).toMatchObject({ note: 'shorter page', changedFields: ['summary', 'tips'] });
    expect(history[0]!.changedFields).toContain('title');
  });
});

describe('one meaning for a field on REST and GraphQL', () => {
  const mutate = async (query: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { query },
    });
    return JSON.parse(res.body) as {
      data: Record<string, { round: string | null; version: number }> | null;
      errors?: { extensions: { code: string; errors?: { path: string }[] } }[];
    };
  };

  it('null clears a question round over GraphQL as over REST', async () => {
    await send(t.app, 'PATCH', `/v1/admin/questions/${id}`, { round: 'Screen' });
    const res = await mutate(`mutation { updateQuestion(id: "${id}", input: { round: null }) { round version } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateQuestion!.round).toBeNull();
    expect(
      (await send<{ data: { round: string | null } }>(t.app, 'GET', `/v1/admin/questions/${id}`)).body.data.round,
    ).toBeNull();
    // A list cleared with null is empty, on both surfaces.
    const rest = await send<{ data: { tags: string[] } }>(t.app, 'PATCH', `/v1/admin/questions/${id}`, { tags: null });
    expect(rest.body.data.tags).toEqual([]);
  });

  it('null for a field that cannot be empty is refused naming it, on both surfaces, writing nothing', async () => {
    expectProblem(await send(t.app, 'PATCH', '/v1/admin/roles/qa-path', { title: null }), 400, 'title');
    const res = await mutate('mutation { updateRole(slug: "qa-path", input: { title: null }) { version } }');
    expect(res.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions.errors?.map((e) => e.path)).toContain('title');
  });

  it('refuses unknown fields in a status change instead of ignoring them', async () => {
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles/qa-path/unpublish', { publishAtt: '2030-01-01T00:00:00Z' }),
      400,
      'publishAtt',
    );
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/questions/${id}/archive`, { withQuestions: true }),
      400,
      'withQuestions',
    );
  });
});
