import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, roleInput, send } from '../helpers/admin.js';
import { HOUR, ManualClock } from '../helpers/clock.js';

/*
 * The content workflow over GraphQL: scheduling, releases and restores take the same arguments
 * and mean the same as on REST.
 */

const clock = new ManualClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv, clock });
});
afterAll(() => t?.close());

async function gql<T>(query: string, variables: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
    payload: { query, variables },
  });
  const body = JSON.parse(res.body) as { data: T; errors?: { message: string; extensions: { code: string } }[] };
  return body;
}

describe('the workflow over GraphQL', () => {
  it('schedules a publish, and cancels it with null', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-gql-scheduled'));
    const at = clock.in(HOUR);
    const scheduled = await gql<{ publishRole: { status: string; publishAt: string } }>(
      'mutation($at: DateTime) { publishRole(slug: "qa-gql-scheduled", publishAt: $at, note: "later") { status publishAt } }',
      { at },
    );
    expect(scheduled.data.publishRole).toEqual({ status: 'DRAFT', publishAt: at });
    const cancelled = await gql<{ scheduleRole: { publishAt: string | null } }>(
      'mutation { scheduleRole(slug: "qa-gql-scheduled", publishAt: null) { publishAt } }',
    );
    expect(cancelled.data.scheduleRole.publishAt).toBeNull();
    clock.advance(2 * HOUR);
    await t.app.content.runDueSchedules();
    expect((await send(t.app, 'GET', '/v1/roles/qa-gql-scheduled', undefined, {}, null)).status).toBe(404);
  });

  it('builds and publishes a release, and restores a revision keeping the page live', async () => {
    await send(t.app, 'POST', '/v1/admin/roles', roleInput('qa-gql-release'));
    const created = await gql<{ createRelease: { id: string; status: string } }>(
      'mutation { createRelease(input: { name: "Over GraphQL" }) { id status } }',
    );
    const id = created.data.createRelease.id;
    const items = await gql<{ addReleaseItems: { items: { key: string; status: string; changes: unknown }[] } }>(
      'mutation($id: ID!) { addReleaseItems(id: $id, items: [{ type: ROLE, key: "qa-gql-release" }, { type: ROLE, key: "product-manager", changes: { title: "Product Manager (GraphQL)" } }]) { items { key status changes } } }',
      { id },
    );
    expect(items.errors).toBeUndefined();
    expect(items.data.addReleaseItems.items).toEqual([
      { key: 'qa-gql-release', status: 'DRAFT', changes: null },
      { key: 'product-manager', status: 'PUBLISHED', changes: { title: 'Product Manager (GraphQL)' } },
    ]);
    const published = await gql<{ publishRelease: { status: string } }>(
      'mutation($id: ID!) { publishRelease(id: $id) { status } }',
      { id },
    );
    expect(published.data.publishRelease.status).toBe('PUBLISHED');
    const page = await send<{ data: { title: string } }>(
      t.app,
      'GET',
      '/v1/roles/product-manager',
      undefined,
      {},
      null,
    );
    expect(page.body.data.title).toBe('Product Manager (GraphQL)');

    const history = await gql<{ adminRole: { version: number; revisions: { version: number; note: string }[] } }>(
      '{ adminRole(slug: "product-manager") { version revisions { version note } } }',
    );
    const last = history.data.adminRole.revisions.at(-1)!;
    expect(last.note).toBe('Release "Over GraphQL"');
    const restored = await gql<{ restoreRoleRevision: { status: string; title: string } }>(
      'mutation($v: Int!) { restoreRoleRevision(slug: "product-manager", revision: $v, note: "undo") { status title } }',
      { v: last.version - 1 },
    );
    expect(restored.data.restoreRoleRevision).toEqual({ status: 'PUBLISHED', title: 'Product Manager' });
  });

  it('refuses a weak request the same way: unknown release, bad time', async () => {
    const missing = await gql('mutation { publishRelease(id: "00000000-0000-4000-8000-000000000000") { status } }');
    expect(missing.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const bad = await gql('mutation { publishRole(slug: "qa-gql-release", publishAt: "tomorrow") { status } }');
    expect(bad.errors?.[0]?.extensions.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });
});
