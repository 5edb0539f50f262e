import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { single } from '../../src/content/schemas.js';
import { AdminQuestion, AdminRole } from '../../src/content/admin/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

const getRole = async (slug: string) =>
  single(AdminRole).parse((await send(t.app, 'GET', `/v1/admin/roles/${slug}`)).body).data;

describe('creating content', () => {
  it('creates a role as a draft with its breakdown, rounds, tips, FAQs and links', async () => {
    const res = await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-one'));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/v1/admin/roles/qa-one');
    expect(res.headers.etag).toMatch(/^"1-[0-9a-f]{16}"$/);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const role = single(AdminRole).parse(res.body).data;
    expect(role).toMatchObject({
      status: 'draft',
      version: 1,
      rounds: roleInput('x').rounds,
      relatedRoles: ['frontend-developer'],
      questions: [],
    });
  });

  it('adds questions at the end of the role, as drafts', async () => {
    const first = await send(t.app, 'POST', '/v1/admin/roles/qa-one/questions', questionInput());
    const second = await send(
      t.app,
      'POST',
      '/v1/admin/roles/qa-one/questions',
      questionInput({ prompt: 'Tell me about a flaky test you fixed.', round: 'Practical' }),
    );
    expect(first.status).toBe(201);
    const q = single(AdminQuestion).parse(second.body).data;
    expect(q).toMatchObject({ status: 'draft', position: 2, round: 'Practical', role: 'qa-one', version: 1 });
    expect((await getRole('qa-one')).questions.map((x) => x.position)).toEqual([1, 2]);
  });

  it('answers 409 for a slug that is taken', async () => {
    expectProblem(await send(t.app, 'POST', '/v1/admin/roles', roleInput('senior-backend-developer')), 409);
  });

  it('lets exactly one of two simultaneous creates of a slug win; the other gets 409', async () => {
    const results = await Promise.all([1, 2].map(() => send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-race'))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(String(results.find((r) => r.status === 409)!.headers['content-type'])).toMatch(
      /^application\/problem\+json/,
    );
  });
});

describe('validation lists every bad field with its path', () => {
  it('refuses a role with several bad fields at once, writing nothing', async () => {
    const res = await send<{ errors: { path: string }[] }>(
      t.app,
      'POST',
      '/v1/admin/roles',
      roleInput('Bad Slug', { title: '', seniority: 'emperor', formatBreakdown: [{ label: 'Coding', percent: 140 }] }),
    );
    expectProblem(res, 400);
    expect(res.body.errors.map((e) => e.path).sort()).toEqual([
      'formatBreakdown.0.percent',
      'seniority',
      'slug',
      'title',
    ]);
    expect((await send(t.app, 'GET', '/v1/admin/roles/bad-slug')).status).toBe(404);
  });

  it('refuses unknown fields, unknown categories and related roles', async () => {
    expectProblem(await send(t.app, 'POST', '/v1/admin/roles', { ...roleInput('qa-two'), salary: 1 }), 400, 'salary');
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-two', { category: 'astronomy' })),
      400,
      'category',
    );
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-two', { relatedRoles: ['astronaut'] })),
      400,
      'relatedRoles.0',
    );
  });

  it("refuses a question whose round is not one of its role's rounds", async () => {
    const other = (await getRole('senior-backend-developer')).rounds[1]!.name;
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles/qa-one/questions', questionInput({ round: other })),
      400,
      'round',
    );
    expectProblem(
      await send(t.app, 'POST', '/v1/admin/roles/qa-one/questions', questionInput({ starExamples: [] })),
      400,
      'starExamples',
    );
  });

  it('refuses to publish a role whose breakdown does not add up to 100', async () => {
    await send(
      t.app,
      'POST',
      '/v1/admin/roles',
      roleInput('qa-three', { formatBreakdown: [{ label: 'Only', percent: 70 }] }),
    );
    const res = await send(t.app, 'POST', '/v1/admin/roles/qa-three/publish');
    expectProblem(res, 400, 'formatBreakdown');
    expect((await getRole('qa-three')).status).toBe('draft');
  });
});

describe('updates', () => {
  it('changes only the fields sent and bumps the version', async () => {
    const before = await getRole('qa-one');
    const res = await send(
      t.app,
      'PATCH',
      '/v1/admin/roles/qa-one',
      { title: 'Quality Engineer II' },
      { 'if-match': `"${before.version}"` },
    );
    expect(res.status).toBe(200);
    const after = single(AdminRole).parse(res.body).data;
    expect(after.title).toBe('Quality Engineer II');
    expect(after.version).toBe(before.version + 1);
    expect(res.headers.etag).toMatch(new RegExp(`^"${after.version}-[0-9a-f]{16}"$`));
    expect({ ...after, title: before.title, version: before.version, updatedAt: before.updatedAt }).toEqual(before);
  });

  it('answers 412 to a stale If-Match or version and writes nothing', async () => {
    const current = await getRole('qa-one');
    const stale = await send(
      t.app,
      'PATCH',
      '/v1/admin/roles/qa-one',
      { title: 'Lost update' },
      { 'if-match': `"${current.version - 1}"` },
    );
    expectProblem(stale, 412);
    expectProblem(await send(t.app, 'PATCH', '/v1/admin/roles/qa-one', { title: 'Lost update', version: 1 }), 412);
    expect(await getRole('qa-one')).toEqual(current);
    const q = current.questions[0]!;
    expectProblem(
      await send(
        t.app,
        'PATCH',
        `/v1/admin/questions/${q.id}`,
        { prompt: 'A stale edit to this question?' },
        { 'if-match': '"99"' },
      ),
      412,
    );
  });

  it('answers 412 to a round edit that names a stale version in its body', async () => {
    const current = await getRole('qa-one');
    expectProblem(
      await send(t.app, 'PATCH', '/v1/admin/roles/qa-one/rounds/1', {
        focus: 'A stale edit to this round.',
        version: current.version - 1,
      }),
      412,
    );
    expect(await getRole('qa-one')).toEqual(current);
  });

  it('renames a round in place, keeping its questions', async () => {
    const res = await send(t.app, 'PATCH', '/v1/admin/roles/qa-one/rounds/1', { name: 'Phone Screen' });
    expect(res.status).toBe(200);
    const role = await getRole('qa-one');
    expect(role.rounds[0]!.name).toBe('Phone Screen');
    expect(role.questions[0]!.round).toBe('Phone Screen');
  });

  it('reorders rounds and questions', async () => {
    await send(t.app, 'PUT', '/v1/admin/roles/qa-one/rounds/order', { names: ['Practical', 'Phone Screen'] });
    const role = await getRole('qa-one');
    expect(role.rounds.map((r) => r.name)).toEqual(['Practical', 'Phone Screen']);
    const ids = role.questions.map((q) => q.id);
    expect(
      (await send(t.app, 'PUT', '/v1/admin/roles/qa-one/questions/order', { ids: [...ids].reverse() })).status,
    ).toBe(200);
    expect((await getRole('qa-one')).questions.map((q) => q.id)).toEqual([...ids].reverse());
    expectProblem(
      await send(t.app, 'PUT', '/v1/admin/roles/qa-one/questions/order', { ids: ids.slice(1) }),
      400,
      'ids',
    );
  });
});

describe('deletes are explicit', () => {
  it('refuses to orphan questions or links, saying what refers to the item, unless cascade', async () => {
    const round = await send<{ detail: string }>(t.app, 'DELETE', '/v1/admin/roles/qa-one/rounds/2');
    expectProblem(round, 409);
    expect(round.body.detail).toMatch(/1 question/);
    const role = await send<{ detail: string }>(t.app, 'DELETE', '/v1/admin/roles/qa-one');
    expectProblem(role, 409);
    expect(role.body.detail).toMatch(/2 question\(s\)/);
    const category = await send<{ detail: string }>(t.app, 'DELETE', '/v1/admin/categories/engineering');
    expectProblem(category, 409);
    expect(category.body.detail).toMatch(/senior-backend-developer/);

    const ids = (await getRole('qa-one')).questions.map((q) => q.id);
    expect((await send(t.app, 'DELETE', '/v1/admin/roles/qa-one?cascade=true')).status).toBe(204);
    expect((await send(t.app, 'GET', '/v1/admin/roles/qa-one')).status).toBe(404);
    for (const id of ids) expect((await send(t.app, 'GET', `/v1/admin/questions/${id}`)).status).toBe(404);
  });

  it('deletes a question', async () => {
    await send(t.app, 'POST', '/v1/admin/roles/qa-three/questions', questionInput());
    const [q] = (await getRole('qa-three')).questions;
    expect((await send(t.app, 'DELETE', `/v1/admin/questions/${q!.id}`)).status).toBe(204);
    expect((await getRole('qa-three')).questions).toEqual([]);
  });
});
