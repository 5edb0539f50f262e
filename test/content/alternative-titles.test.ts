import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv, roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';
import { seedBundle } from '../helpers/seed-files.js';

/*
 * Alternative titles are content: content tools write them with the role, they travel in exports
 * and imports and revisions, and every shipped role has enough of them for job ads to find it.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

interface AdminRole {
  alternativeTitles: string[];
  version: number;
}
interface Bundle {
  roles: { slug: string; alternativeTitles: string[] }[];
}

describe('alternative titles', () => {
  it('ship with every seeded role, at least 15 each, none twice', () => {
    for (const role of seedBundle.roles) {
      expect(role.alternativeTitles.length, role.slug).toBeGreaterThanOrEqual(15);
      expect(new Set(role.alternativeTitles.map((x) => x.toLowerCase())).size, role.slug).toBe(
        role.alternativeTitles.length,
      );
    }
  });

  it('are written with a role, replaced by an update, and kept in order', async () => {
    const created = await send<{ data: AdminRole }>(
      t.app,
      'POST',
      '/v1/admin/roles',
      roleInput('alt-titles-role', { alternativeTitles: ['QA Engineer', 'Test Automation Engineer'] }),
    );
    expect(created.status).toBe(201);
    expect(created.body.data.alternativeTitles).toEqual(['QA Engineer', 'Test Automation Engineer']);

    const updated = await send<{ data: AdminRole }>(t.app, 'PATCH', '/v1/admin/roles/alt-titles-role', {
      alternativeTitles: ['SDET', 'QA Engineer'],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data.alternativeTitles).toEqual(['SDET', 'QA Engineer']);
    const read = await send<{ data: AdminRole }>(t.app, 'GET', '/v1/admin/roles/alt-titles-role');
    expect(read.body.data.alternativeTitles).toEqual(['SDET', 'QA Engineer']);

    // The revision before the edit still has the old list, and its diff names the field.
    const diff = await send<{ data: { changes: { path: string }[] } }>(
      t.app,
      'GET',
      '/v1/admin/roles/alt-titles-role/revisions/diff?from=1&to=2',
    );
    expect(diff.status).toBe(200);
    expect(JSON.stringify(diff.body)).toContain('alternativeTitles');
  });

  it('refuse a title listed twice (any case) or out of bounds, naming it, and write nothing', async () => {
    const twice = await send(t.app, 'PATCH', '/v1/admin/roles/alt-titles-role', {
      alternativeTitles: ['QA Lead', 'qa lead'],
    });
    expectProblem(twice, 400, 'alternativeTitles.1');
    const empty = await send(t.app, 'PATCH', '/v1/admin/roles/alt-titles-role', { alternativeTitles: [' '] });
    expectProblem(empty, 400, 'alternativeTitles.0');
    const read = await send<{ data: AdminRole }>(t.app, 'GET', '/v1/admin/roles/alt-titles-role');
    expect(read.body.data.alternativeTitles).toEqual(['SDET', 'QA Engineer']);
  });

  it('travel in exports and come back unchanged through an import', async () => {
    const exported = await send<Bundle>(t.app, 'GET', '/v1/admin/export?role=senior-backend-developer');
    const [role] = exported.body.roles;
    expect(role!.alternativeTitles).toEqual(
      seedBundle.roles.find((r) => r.slug === 'senior-backend-developer')!.alternativeTitles,
    );

    const edited = { ...exported.body, roles: [{ ...role!, alternativeTitles: ['Backend Engineer', 'API Engineer'] }] };
    const imported = await send<{ updated: { key: string }[] }>(t.app, 'POST', '/v1/admin/import', edited);
    expect(imported.status).toBe(200);
    expect(imported.body.updated.map((u) => u.key)).toContain('senior-backend-developer');
    const again = await send<Bundle>(t.app, 'GET', '/v1/admin/export?role=senior-backend-developer');
    expect(again.body.roles[0]!.alternativeTitles).toEqual(['Backend Engineer', 'API Engineer']);
  });
});
