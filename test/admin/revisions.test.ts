import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminRole, AuditEntry, Revision, RevisionDiff } from '../../src/content/admin/schemas.js';
import { list, single } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-history'));
});
afterAll(() => t?.close());

const role = async () => single(AdminRole).parse((await send(t.app, 'GET', '/v1/admin/roles/qa-history')).body).data;

describe('revisions', () => {
  it('keeps a snapshot of every version, shows what changed, and rolls back a bad edit', async () => {
    const good = await role();
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-history', { title: 'Oops Wrong Title', tips: [] });

    const history = await send(t.app, 'GET', '/v1/admin/roles/qa-history/revisions');
    const versions = single(Revision.array()).parse(history.body).data;
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]!.actor).toBe(`key:${ADMIN_KEY.slice(0, 12)}`);

    const diff = single(RevisionDiff).parse(
      (await send(t.app, 'GET', '/v1/admin/roles/qa-history/revisions/diff?from=1&to=2')).body,
    ).data;
    expect([...diff.changes].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'tips.0', from: good.tips[0], to: null },
      { path: 'title', from: 'Quality Engineer', to: 'Oops Wrong Title' },
    ]);

    const restored = await send(t.app, 'POST', '/v1/admin/roles/qa-history/revisions/1/restore', undefined, {
      'if-match': '"2"',
    });
    expect(restored.body).toEqual({ data: { version: 3 } });
    const now = await role();
    expect({ ...now, version: good.version, updatedAt: good.updatedAt }).toEqual(good);
    expect(now.version).toBe(3);
    const after = single(Revision.array()).parse(
      (await send(t.app, 'GET', '/v1/admin/roles/qa-history/revisions')).body,
    ).data;
    expect(after.map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('restores a question the same way, and refuses a stale restore', async () => {
    const created = await send<{ data: { id: string } }>(
      t.app,
      'POST',
      '/v1/admin/roles/qa-history/questions',
      questionInput(),
    );
    const id = created.body.data.id;
    await send(t.app, 'PATCH', `/v1/admin/questions/${id}`, {
      prompt: 'A worse prompt that we will undo?',
      pitfalls: ['Only one now'],
    });
    expectProblem(
      await send(t.app, 'POST', `/v1/admin/questions/${id}/revisions/1/restore`, undefined, { 'if-match': '"1"' }),
      412,
    );
    expect((await send(t.app, 'POST', `/v1/admin/questions/${id}/revisions/1/restore`)).status).toBe(200);
    const question = await send<{ data: { prompt: string; pitfalls: string[]; version: number } }>(
      t.app,
      'GET',
      `/v1/admin/questions/${id}`,
    );
    expect(question.body.data).toMatchObject({
      prompt: questionInput().prompt,
      pitfalls: questionInput().pitfalls,
      version: 3,
    });
  });

  it('answers 404 for a version that does not exist', async () => {
    expectProblem(await send(t.app, 'GET', '/v1/admin/roles/qa-history/revisions/99'), 404);
    expectProblem(await send(t.app, 'POST', '/v1/admin/roles/qa-history/revisions/99/restore'), 404);
  });
});

describe('the audit view', () => {
  it('says which key did what to which item, newest first, filterable', async () => {
    const created = await send<{ data: { token: string; prefix: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: 'editor',
      scopes: ['content:write'],
    });
    const editor = created.body.data;
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-history', { title: 'Edited By The Editor' }, {}, editor.token);

    const all = list(AuditEntry).parse((await send(t.app, 'GET', '/v1/admin/audit?entityKey=qa-history')).body);
    expect(all.data.map((e) => e.action)).toEqual(['updated', 'restored', 'updated', 'created']);
    expect(all.data[0]).toMatchObject({ actor: `key:${editor.prefix}`, entityType: 'role', version: 4 });

    const byActor = list(AuditEntry).parse(
      (await send(t.app, 'GET', `/v1/admin/audit?actor=key:${editor.prefix}`)).body,
    );
    expect(byActor.data).toHaveLength(1);
    const seeded = list(AuditEntry).parse(
      (await send(t.app, 'GET', '/v1/admin/audit?actor=seed&entityType=role&limit=3')).body,
    );
    expect(seeded.data.every((e) => e.actor === 'seed' && e.entityType === 'role')).toBe(true);
    expect(seeded.page.nextCursor).not.toBeNull();
    expectProblem(await send(t.app, 'GET', '/v1/admin/audit?action=exploded'), 400, 'action');
  });
});
