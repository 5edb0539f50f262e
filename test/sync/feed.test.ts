import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, get } from '../helpers/http.js';
import { keysOf, publicState, sorted, syncAll, syncOnce, type Mirror } from '../helpers/sync.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

async function publishedRole(slug: string, overrides: Record<string, unknown> = {}) {
  expect((await send(t.app, 'POST', '/v1/admin/roles', roleInput(slug, overrides))).status).toBe(201);
  const q = await send<{ data: { id: string } }>(t.app, 'POST', `/v1/admin/roles/${slug}/questions`, questionInput());
  const id = q.body.data.id;
  expect((await send(t.app, 'POST', `/v1/admin/questions/${id}/publish`)).status).toBe(200);
  expect((await send(t.app, 'POST', `/v1/admin/roles/${slug}/publish`)).status).toBe(200);
  return id;
}

describe('GET /v1/sync from scratch', () => {
  it('walks everything published in pages, in the public shapes, and hands over a cursor', async () => {
    const mirror: Mirror = new Map();
    const { pages, cursor } = await syncAll(t.app, mirror, null, 7);
    expect(sorted(mirror)).toEqual(sorted(await publicState(t.app)));
    expect(pages[0]!.data.items.every((i) => i.type === 'category')).toBe(true);
    expect(pages.flatMap((p) => p.data.tombstones)).toEqual([]);
    expect(pages.length).toBeGreaterThan(5);
    // Up to date: asking again with the stored cursor brings nothing.
    const again = await syncOnce(t.app, cursor);
    expect(again.data).toEqual({ items: [], tombstones: [] });
    expect(again.page).toMatchObject({ nextCursor: null, syncCursor: cursor });
  });

  it('never carries a draft role, nor a published question of a draft role', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('sync-draft-role'));
    const q = await send<{ data: { id: string } }>(
      t.app,
      'POST',
      '/v1/admin/roles/sync-draft-role/questions',
      questionInput(),
    );
    await send(t.app, 'POST', `/v1/admin/questions/${q.body.data.id}/publish`);
    const mirror: Mirror = new Map();
    await syncAll(t.app, mirror, null);
    expect([...mirror.keys()].filter((k) => k.includes('sync-draft-role') || k.endsWith(q.body.data.id))).toEqual([]);
    expect(JSON.stringify([...mirror.values()])).not.toContain('sync-draft-role');
  });
});

describe('GET /v1/sync with a cursor', () => {
  it('sends a role as it is published and edited, then a tombstone when it goes', async () => {
    const { cursor: start } = await syncAll(t.app, new Map(), null);
    const questionId = await publishedRole('sync-life');
    const published = await syncOnce(t.app, start);
    expect(keysOf(published).items).toEqual(
      expect.arrayContaining(['role:sync-life', `question:${questionId}`, 'category:engineering']),
    );
    const role = published.data.items.find((i) => i.type === 'role' && i.key === 'sync-life');
    expect(role).toMatchObject({
      role: {
        title: 'Quality Engineer',
        questionCount: 1,
        tips: [{ text: expect.any(String) }],
        relatedRoles: [{ slug: 'frontend-developer' }],
      },
    });

    await send(t.app, 'PATCH', '/v1/admin/roles/sync-life', { title: 'Quality Engineer II' });
    const edited = await syncOnce(t.app, published.page.syncCursor);
    expect(edited.data.items.find((i) => i.key === 'sync-life')).toMatchObject({
      role: { title: 'Quality Engineer II' },
    });
    // The question shows its role's title, so it comes again too.
    expect(edited.data.items.find((i) => i.key === questionId)).toMatchObject({
      question: { role: { slug: 'sync-life', title: 'Quality Engineer II' } },
    });

    await send(t.app, 'POST', '/v1/admin/roles/sync-life/unpublish');
    const unpublished = await syncOnce(t.app, edited.page.syncCursor);
    expect(keysOf(unpublished).tombstones).toEqual(
      expect.arrayContaining(['role:sync-life:unpublished', `question:${questionId}:unpublished`]),
    );
    expect(unpublished.data.tombstones.find((x) => x.key === 'sync-life')).toMatchObject({
      deletedAt: null,
      unpublishedAt: expect.any(String),
    });

    await send(t.app, 'DELETE', '/v1/admin/roles/sync-life?cascade=true');
    const deleted = await syncOnce(t.app, unpublished.page.syncCursor);
    expect(keysOf(deleted).tombstones).toEqual(
      expect.arrayContaining(['role:sync-life:deleted', `question:${questionId}:deleted`]),
    );
    expect(deleted.data.tombstones.find((x) => x.key === 'sync-life')).toMatchObject({
      deletedAt: expect.any(String),
      unpublishedAt: null,
    });
  });

  it('sends a renamed role under its new slug, a tombstone for the old one, and its questions and linking roles again', async () => {
    const questionId = await publishedRole('sync-old-name');
    await send(t.app, 'PATCH', '/v1/admin/roles/frontend-developer', { relatedRoles: ['sync-old-name'] });
    const { cursor } = await syncAll(t.app, new Map(), null);
    await send(t.app, 'PATCH', '/v1/admin/roles/sync-old-name', { slug: 'sync-new-name' });
    const page = await syncOnce(t.app, cursor);
    expect(keysOf(page).tombstones).toEqual(['role:sync-old-name:renamed']);
    expect(keysOf(page).items).toEqual(
      expect.arrayContaining(['role:sync-new-name', `question:${questionId}`, 'role:frontend-developer']),
    );
    expect(page.data.items.find((i) => i.key === 'frontend-developer')).toMatchObject({
      role: { relatedRoles: [{ slug: 'sync-new-name' }] },
    });
  });

  it('sends each key once per page, as it is now, however often it changed', async () => {
    const { cursor } = await syncAll(t.app, new Map(), null);
    for (const title of ['One', 'Two', 'Three'])
      await send(t.app, 'PATCH', '/v1/admin/roles/senior-backend-developer', { title: `Backend ${title}` });
    const page = await syncOnce(t.app, cursor);
    const keys = keysOf(page).items;
    expect(keys.filter((k) => k === 'role:senior-backend-developer')).toHaveLength(1);
    expect(new Set(keys).size).toBe(keys.length);
    expect(page.data.items.find((i) => i.key === 'senior-backend-developer')).toMatchObject({
      role: { title: 'Backend Three' },
    });
  });

  it('says nothing of drafts: editing and deleting a role never published sends no item and no tombstone', async () => {
    const { cursor } = await syncAll(t.app, new Map(), null);
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('sync-secret-plan'));
    await send(t.app, 'PATCH', '/v1/admin/roles/sync-secret-plan', { title: 'Still a secret' });
    await send(t.app, 'DELETE', '/v1/admin/roles/sync-secret-plan');
    const pages = (await syncAll(t.app, new Map(), cursor)).pages;
    expect(JSON.stringify(pages)).not.toContain('sync-secret-plan');
  });

  it('pages a long run of changes in change-log order, every page moving on', async () => {
    const { cursor } = await syncAll(t.app, new Map(), null);
    const mirror = await publicState(t.app);
    const slugs = [
      'junior-frontend',
      'frontend-developer',
      'senior-backend-developer',
      'product-manager',
      'data-analyst',
    ];
    const existing = new Set([...mirror.keys()].filter((k) => k.startsWith('role:')).map((k) => k.slice(5)));
    for (const [i, slug] of slugs.filter((s) => existing.has(s)).entries())
      await send(t.app, 'PATCH', `/v1/admin/roles/${slug}`, {
        summary: `A summary written for paging number ${i}, long enough to pass.`,
      });
    const { pages } = await syncAll(t.app, mirror, cursor, 2);
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages.slice(0, -1)) expect(p.page.nextCursor).toBe(p.page.syncCursor);
    expect(sorted(mirror)).toEqual(sorted(await publicState(t.app)));
  });
});

describe('GET /v1/sync refusals', () => {
  it('answers 410 problem+json, saying to start over, for a cursor older than the retained history', async () => {
    const { cursor } = await syncAll(t.app, new Map(), null);
    await send(t.app, 'PATCH', '/v1/admin/roles/senior-backend-developer', { title: 'Backend, changed long ago' });
    await t.database.db.execute(
      sql`update change_log set occurred_at = now() - interval '31 days' where seq = (select max(seq) from change_log)`,
    );
    const res = await get(t.app, `/v1/sync?cursor=${cursor}`);
    expectProblem(res, 410);
    expect((res.body as { detail: string }).detail).toMatch(/start over.*without a cursor/i);
    // Starting over works.
    expect((await get(t.app, '/v1/sync')).status).toBe(200);
  });

  it('answers 410 for a cursor beyond the history this database holds', async () => {
    const future = Buffer.from(JSON.stringify({ m: 'delta', s: 9_000_000 })).toString('base64url');
    expectProblem(await get(t.app, `/v1/sync?cursor=${future}`), 410);
  });

  it('answers 400 naming the field for a cursor it did not issue, a bad limit or preview', async () => {
    expectProblem(await get(t.app, '/v1/sync?cursor=bm90LWEtY3Vyc29y'), 400, 'cursor');
    expectProblem(
      await get(t.app, `/v1/sync?cursor=${Buffer.from(JSON.stringify({ m: 'delta', s: -1 })).toString('base64url')}`),
      400,
      'cursor',
    );
    expectProblem(await get(t.app, '/v1/sync?limit=0'), 400, 'limit');
    expectProblem(await get(t.app, '/v1/sync?since=1'), 400, 'since');
    const preview = await get(t.app, '/v1/sync?preview=true', {
      authorization: `Bearer ${adminEnv.BOOTSTRAP_ADMIN_KEY}`,
    });
    expectProblem(preview, 400, 'preview');
  });
});
