import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkReport } from '../../src/content/admin/schemas.js';
import { single } from '../../src/content/schemas.js';
import { changeLog, revisions } from '../../src/db/schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Bulk status changes: a set of items by name or by the admin lists' filters, in one transaction,
 * one revision and one change-log entry per item that changes.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

async function draftRole(slug: string, questions = 2, overrides: Record<string, unknown> = {}) {
  await send(t.app, 'POST', '/v1/admin/roles', roleInput(slug, overrides));
  const ids: string[] = [];
  for (let i = 0; i < questions; i++)
    ids.push(
      (
        await send<{ data: { id: string } }>(
          t.app,
          'POST',
          `/v1/admin/roles/${slug}/questions`,
          questionInput({ prompt: `Question ${i + 1} about ${slug}?` }),
        )
      ).body.data.id,
    );
  return ids;
}

const bulk = async (body: unknown) => {
  const res = await send(t.app, 'POST', '/v1/admin/bulk', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return single(BulkReport).parse(res.body).data;
};
const anonymous = (url: string) => send<{ data: { questionCount: number } }>(t.app, 'GET', url, undefined, {}, null);

describe('POST /v1/admin/bulk', () => {
  it('publishes roles with their draft questions in one action, one revision and one log entry each', async () => {
    const ids = [...(await draftRole('qa-bulk-a')), ...(await draftRole('qa-bulk-b'))];
    const report = await bulk({
      action: 'publish',
      roles: ['qa-bulk-a', 'qa-bulk-b'],
      withQuestions: true,
      note: 'go',
    });
    expect(report.changed.map((i) => `${i.type}:${i.from}->${i.to}`).sort()).toEqual([
      ...ids.map(() => 'question:draft->published'),
      'role:draft->published',
      'role:draft->published',
    ]);
    expect((await anonymous('/v1/roles/qa-bulk-a')).body.data.questionCount).toBe(2);
    const logged = await t.database.db
      .select({ n: count() })
      .from(changeLog)
      .where(and(inArray(changeLog.entityKey, ['qa-bulk-a', 'qa-bulk-b', ...ids]), eq(changeLog.action, 'published')));
    expect(logged[0]!.n).toBe(6);
    const notes = await t.database.db
      .select({ n: count() })
      .from(revisions)
      .where(and(inArray(revisions.entityId, ids), eq(revisions.note, 'go')));
    expect(notes[0]!.n).toBe(4);

    // Published already: nothing changes, nothing is written.
    const again = await bulk({ action: 'publish', roles: ['qa-bulk-a'], withQuestions: true });
    expect(again.changed).toEqual([]);
    expect(again.unchanged.map((i) => i.key)).toEqual(['qa-bulk-a']);
  });

  it('selects by the admin lists filters, and a dry run changes nothing', async () => {
    const ids = await draftRole('qa-bulk-filter', 3);
    await send(t.app, 'POST', '/v1/admin/roles/qa-bulk-filter/publish');
    const before = await fingerprint(t.database);
    const dry = await bulk({
      action: 'publish',
      where: { type: 'question', role: 'qa-bulk-filter', status: 'draft' },
      dryRun: true,
    });
    expect(dry).toMatchObject({ dryRun: true });
    expect(dry.changed.map((i) => i.key).sort()).toEqual([...ids].sort());
    expect(await fingerprint(t.database)).toEqual(before);
    const done = await bulk({ action: 'archive', where: { type: 'question', role: 'qa-bulk-filter' } });
    expect(done.changed).toHaveLength(3);
    expect(done.changed.every((i) => i.to === 'archived')).toBe(true);
  });

  it('stops at an item that cannot change, naming it, and writes none of the set', async () => {
    await draftRole('qa-bulk-good', 0);
    await draftRole('qa-bulk-bad', 0, { formatBreakdown: [{ label: 'Only', percent: 40 }] });
    const before = await fingerprint(t.database);
    const res = await send<{ detail: string }>(t.app, 'POST', '/v1/admin/bulk', {
      action: 'publish',
      roles: ['qa-bulk-good', 'qa-bulk-bad'],
    });
    expectProblem(res, 400, 'roles.qa-bulk-bad.formatBreakdown');
    expect(res.body.detail).toMatch(/qa-bulk-bad/);
    expect(await fingerprint(t.database)).toEqual(before);
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/bulk', { action: 'publish', roles: ['no-such-role'] }),
      400,
      'roles.0',
    );
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/bulk', { action: 'delete', roles: ['qa-bulk-good'] }),
      400,
      'action',
    );
    expectProblem(await send(t.app, 'POST', '/v1/admin/bulk', { action: 'publish' }), 400);
  });

  it('publishes a role with its questions from the role itself, and over GraphQL', async () => {
    await draftRole('qa-with-questions');
    const res = await send(t.app, 'POST', '/v1/admin/roles/qa-with-questions/publish', { withQuestions: true });
    expect(res.status).toBe(200);
    expect((await anonymous('/v1/roles/qa-with-questions')).body.data.questionCount).toBe(2);

    await draftRole('qa-bulk-graphql', 1);
    const gql = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: {
        query:
          'mutation { bulk(input: { action: PUBLISH, roles: ["qa-bulk-graphql"], withQuestions: true }) { action changed { type key from to } } }',
      },
    });
    const body = JSON.parse(gql.body) as {
      data: { bulk: { action: string; changed: { type: string; to: string }[] } };
    };
    expect(body.data.bulk.action).toBe('PUBLISH');
    expect(body.data.bulk.changed.map((i) => `${i.type}:${i.to}`).sort()).toEqual([
      'QUESTION:PUBLISHED',
      'ROLE:PUBLISHED',
    ]);
  });
});
