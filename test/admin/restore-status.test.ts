import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Rolling back a bad edit must not take a page down: restoring a revision brings back its content,
 * never its publication status. References in the revision (related roles, a question's round)
 * follow renames made since; one that is gone is a 409 saying which and how to go on.
 */

let t: TestApp;
let writer = '';
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  const key = await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
    name: 'writer',
    scopes: ['content:write', 'content:preview'],
  });
  writer = key.body.data.token;
});
afterAll(() => t?.close());

const publicRole = (slug: string) =>
  send<{ data: { title: string; relatedRoles: { slug: string }[] } }>(
    t.app,
    'GET',
    `/v1/roles/${slug}?include=related`,
    undefined,
    {},
    null,
  );
const admin = async (url: string) =>
  (await send<{ data: { status: string; version: number; title: string; round: string | null } }>(t.app, 'GET', url))
    .body.data;

describe('restoring a revision', () => {
  it('rolls back a bad edit of a published role and keeps the page live, for a writer too', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-live'));
    await send(t.app, 'POST', '/v1/admin/roles/qa-live/publish');
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-live', { title: 'Oops A Bad Title' });
    expect((await publicRole('qa-live')).body.data.title).toBe('Oops A Bad Title');

    // Version 1 was a draft; restoring it brings back its content, not its status.
    const restored = await send(
      t.app,
      'POST',
      '/v1/admin/roles/qa-live/revisions/1/restore',
      { note: 'undo' },
      {},
      writer,
    );
    expect(restored.status).toBe(200);
    expect(await admin('/v1/admin/roles/qa-live')).toMatchObject({
      status: 'published',
      version: 4,
      title: 'Quality Engineer',
    });
    const page = await publicRole('qa-live');
    expect(page.status).toBe(200);
    expect(page.body.data.title).toBe('Quality Engineer');
    const history = (
      await send<{ data: { version: number; note: string | null }[] }>(
        t.app,
        'GET',
        '/v1/admin/roles/qa-live/revisions',
      )
    ).body.data;
    expect(history.at(-1)).toMatchObject({ version: 4, note: 'undo' });
  });

  it('keeps a draft a draft and an archived question archived', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-kept'));
    await send(t.app, 'POST', '/v1/admin/roles/qa-kept/publish');
    await send(t.app, 'POST', '/v1/admin/roles/qa-kept/unpublish');
    expect(
      (await send(t.app, 'POST', '/v1/admin/roles/qa-kept/revisions/2/restore', undefined, {}, writer)).status,
    ).toBe(200);
    expect((await admin('/v1/admin/roles/qa-kept')).status).toBe('draft');
    expect((await publicRole('qa-kept')).status).toBe(404);

    const id = (
      await send<{ data: { id: string } }>(t.app, 'POST', '/v1/admin/roles/qa-kept/questions', questionInput())
    ).body.data.id;
    await send(t.app, 'PATCH', `/v1/admin/questions/${id}`, { prompt: 'A worse prompt we will undo here?' });
    await send(t.app, 'POST', `/v1/admin/questions/${id}/archive`);
    expect(
      (await send(t.app, 'POST', `/v1/admin/questions/${id}/revisions/1/restore`, undefined, {}, writer)).status,
    ).toBe(200);
    expect(await admin(`/v1/admin/questions/${id}`)).toMatchObject({ status: 'archived', version: 4 });
  });

  it('follows a related role that was renamed since, and names one that was deleted', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-target', { relatedRoles: [] }));
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-linker', { relatedRoles: ['qa-target'] }));
    await send(t.app, 'POST', '/v1/admin/roles/qa-target/publish');
    await send(t.app, 'POST', '/v1/admin/roles/qa-linker/publish');
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-linker', { title: 'Linker Bad Edit', relatedRoles: [] });
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-target', { slug: 'qa-target-renamed' });

    expect((await send(t.app, 'POST', '/v1/admin/roles/qa-linker/revisions/1/restore')).status).toBe(200);
    expect((await publicRole('qa-linker')).body.data.relatedRoles.map((r) => r.slug)).toEqual(['qa-target-renamed']);

    await send(t.app, 'PATCH', '/v1/admin/roles/qa-linker', { title: 'Another Bad Edit' });
    expect((await send(t.app, 'DELETE', '/v1/admin/roles/qa-target-renamed?cascade=true')).status).toBe(204);
    const refused = await send<{ detail: string }>(t.app, 'POST', '/v1/admin/roles/qa-linker/revisions/1/restore');
    expectProblem(refused, 409, 'relatedRoles.0');
    expect(refused.body.detail).toMatch(/qa-target.*dropMissingReferences/s);
    expect((await admin('/v1/admin/roles/qa-linker')).title).toBe('Another Bad Edit');

    const dropped = await send(t.app, 'POST', '/v1/admin/roles/qa-linker/revisions/1/restore', {
      dropMissingReferences: true,
    });
    expect(dropped.status).toBe(200);
    const page = (await publicRole('qa-linker')).body.data;
    expect(page).toMatchObject({ title: 'Quality Engineer', relatedRoles: [] });
  });

  it("follows a question's round that was renamed since, and names one that was removed", async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-rounds'));
    const id = (
      await send<{ data: { id: string } }>(t.app, 'POST', '/v1/admin/roles/qa-rounds/questions', questionInput())
    ).body.data.id;
    await send(t.app, 'PATCH', `/v1/admin/questions/${id}`, {
      prompt: 'An edit to undo, moved out of its round?',
      round: null,
    });
    await send(t.app, 'PATCH', '/v1/admin/roles/qa-rounds/rounds/1', { name: 'Phone Screen' });
    expect((await send(t.app, 'POST', `/v1/admin/questions/${id}/revisions/1/restore`)).status).toBe(200);
    expect((await admin(`/v1/admin/questions/${id}`)).round).toBe('Phone Screen');

    await send(t.app, 'PATCH', `/v1/admin/questions/${id}`, { round: 'Practical' });
    expect((await send(t.app, 'DELETE', '/v1/admin/roles/qa-rounds/rounds/1')).status).toBe(200);
    expectProblem(await send(t.app, 'POST', `/v1/admin/questions/${id}/revisions/1/restore`), 409, 'round');
    expect(
      (await send(t.app, 'POST', `/v1/admin/questions/${id}/revisions/1/restore`, { dropMissingReferences: true }))
        .status,
    ).toBe(200);
    expect((await admin(`/v1/admin/questions/${id}`)).round).toBeNull();
  });

  it('refuses unknown fields in a restore, and restoring what is current writes nothing', async () => {
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles/qa-live/revisions/1/restore', { status: 'draft' }),
      400,
      'status',
    );
    const before = await admin('/v1/admin/roles/qa-live');
    expect((await send(t.app, 'POST', '/v1/admin/roles/qa-live/revisions/1/restore')).status).toBe(200);
    expect((await admin('/v1/admin/roles/qa-live')).version).toBe(before.version);
  });
});
