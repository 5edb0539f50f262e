import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportReport } from '../../src/content/admin/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';
import { seedBundle } from '../helpers/seed-files.js';

let source: TestApp;
let target: TestApp;
beforeAll(async () => {
  source = await startTestApp({ env: adminEnv });
  target = await startTestApp({ env: adminEnv, seed: false });
});
afterAll(async () => {
  await source?.close();
  await target?.close();
});

type Bundle = { categories: unknown[]; roles: { slug: string; questions: unknown[] }[] };

describe('export and import', () => {
  it('exports everything in the seed format, drafts included', async () => {
    await send(source.app, 'POST', '/v1/admin/roles', roleInput('qa-export'));
    await send(source.app, 'POST', '/v1/admin/roles/qa-export/questions', questionInput());
    const res = await send<Bundle>(source.app, 'GET', '/v1/admin/export');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body.roles.map((r) => r.slug)).toContain('qa-export');
    expect(res.body.categories).toEqual(seedBundle.categories);
    const one = await send<Bundle>(source.app, 'GET', '/v1/admin/export?role=qa-export');
    expect(one.body.roles).toHaveLength(1);
    expectProblem(await send(source.app, 'GET', '/v1/admin/export?role=astronaut'), 404);
  });

  it('reproduces the content exactly when re-imported elsewhere', async () => {
    const exported = (await send<Bundle>(source.app, 'GET', '/v1/admin/export')).body;
    const dry = ImportReport.parse((await send(target.app, 'POST', '/v1/admin/import?dryRun=true', exported)).body);
    expect(dry.dryRun).toBe(true);
    expect(dry.created.filter((i) => i.type === 'role')).toHaveLength(exported.roles.length);
    // A dry run writes nothing.
    expect((await send<Bundle>(target.app, 'GET', '/v1/admin/export')).body.roles).toEqual([]);

    const applied = ImportReport.parse((await send(target.app, 'POST', '/v1/admin/import', exported)).body);
    expect(applied).toEqual({ ...dry, dryRun: false });
    expect((await send<Bundle>(target.app, 'GET', '/v1/admin/export')).body).toEqual(exported);

    const again = ImportReport.parse((await send(target.app, 'POST', '/v1/admin/import', exported)).body);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
  });

  it('reports what an import would change and remove', async () => {
    const [role] = (await send<Bundle>(target.app, 'GET', '/v1/admin/export?role=senior-backend-developer')).body.roles;
    const edited = { ...role!, title: 'Senior Backend Engineer', questions: role!.questions.slice(1) };
    const report = ImportReport.parse(
      (await send(target.app, 'POST', '/v1/admin/import?dryRun=true', { roles: [edited] })).body,
    );
    expect(report.updated).toContainEqual({ type: 'role', key: 'senior-backend-developer' });
    // The questions after the removed one move up a place, which is a change to each of them.
    expect(report.updated.filter((i) => i.type === 'question')).toHaveLength(role!.questions.length - 1);
    expect(report.removed).toEqual([{ type: 'question', key: (role!.questions[0] as { id: string }).id }]);
  });

  it('refuses a bundle with bad items, listing each with its path, and writes none of it', async () => {
    const before = (await send<Bundle>(target.app, 'GET', '/v1/admin/export')).body;
    const good = roleInput('qa-good-import', { status: 'draft', questions: [] });
    const bad = roleInput('qa-bad-import', {
      status: 'published',
      formatBreakdown: [{ label: 'Only', percent: 50 }],
      questions: [{ ...questionInput(), id: 'not-a-uuid', status: 'draft' }],
    });
    const res = await send<{ errors: { path: string }[] }>(target.app, 'POST', '/v1/admin/import', {
      roles: [good, bad],
    });
    expectProblem(res, 400);
    expect(res.body.errors.map((e) => e.path).sort()).toEqual(['roles.1.formatBreakdown', 'roles.1.questions.0.id']);
    expect((await send<Bundle>(target.app, 'GET', '/v1/admin/export')).body).toEqual(before);
  });
});
