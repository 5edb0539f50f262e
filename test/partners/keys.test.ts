import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { adminEnv, send } from '../helpers/admin.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/http.js';
import { createPartnerKey, getWith } from '../helpers/partners.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

type Usage = { data: { keyId: string; days: { date: string; requests: number; rejected: number }[] } };
const today = () => new Date().toISOString().slice(0, 10);

describe('partner keys', () => {
  it('carry origins, a rate limit and categories, shown to admins', async () => {
    const key = await createPartnerKey(t.app, {
      allowedOrigins: ['https://jobs.example.com'],
      rateLimitPerMinute: 120,
      categories: ['design'],
    });
    expect(key).toMatchObject({
      allowedOrigins: ['https://jobs.example.com'],
      rateLimitPerMinute: 120,
      categories: ['design'],
    });
    const listed = await send<{ data: { id: string; categories: string[] | null }[] }>(t.app, 'GET', '/v1/admin/keys');
    expect(listed.body.data.find((k) => k.id === key.id)?.categories).toEqual(['design']);
    // Without categories a key reads every category.
    expect((await createPartnerKey(t.app)).categories).toBeNull();
  });

  it('read public content but nothing of the admin API', async () => {
    const key = await createPartnerKey(t.app);
    expect((await getWith(t.app, '/v1/roles?limit=1', key.token)).status).toBe(200);
    expectProblem(await getWith(t.app, '/v1/admin/roles', key.token), 403);
    expectProblem(await getWith(t.app, '/v1/roles?preview=true', key.token), 403);
  });

  it.each([
    [{ categories: ['astronomy'] }, 'categories'],
    [{ categories: [] }, 'categories'],
    [{ categories: ['design'], scopes: ['content:preview'] }, 'categories'],
    [{ allowedOrigins: ['https://jobs.example.com/careers'] }, 'allowedOrigins.0'],
    [{ allowedOrigins: ['jobs.example.com'] }, 'allowedOrigins.0'],
    [{ rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
  ])('refuses %j with 400 naming %s, creating nothing', async (body, field) => {
    const before = (await send<{ data: unknown[] }>(t.app, 'GET', '/v1/admin/keys')).body.data.length;
    expectProblem(await send(t.app, 'POST', '/v1/admin/keys', { name: 'bad', scopes: [], ...body }), 400, field);
    expect((await send<{ data: unknown[] }>(t.app, 'GET', '/v1/admin/keys')).body.data.length).toBe(before);
  });

  it('take categories through GraphQL too', async () => {
    const res = await send<{
      data: { createApiKey: { key: { categories: string[]; allowedOrigins: string[]; rateLimitPerMinute: number } } };
    }>(t.app, 'POST', '/graphql', {
      query:
        'mutation { createApiKey(input: { name: "gql partner", scopes: [], categories: ["data"], allowedOrigins: ["https://jobs.example.com"], rateLimitPerMinute: 30 }) { key { categories allowedOrigins rateLimitPerMinute } } }',
    });
    expect(res.body.data.createApiKey.key).toEqual({
      categories: ['data'],
      allowedOrigins: ['https://jobs.example.com'],
      rateLimitPerMinute: 30,
    });
  });
});

describe('key usage', () => {
  it('counts requests and rejections per day for admins', async () => {
    const key = await createPartnerKey(t.app, { rateLimitPerMinute: 3, allowedOrigins: ['https://jobs.example.com'] });
    for (let i = 0; i < 2; i++) expect((await getWith(t.app, '/v1/roles?limit=1', key.token)).status).toBe(200);
    expect((await getWith(t.app, '/v1/roles?limit=1', key.token, { origin: 'https://elsewhere.example' })).status).toBe(
      403,
    );
    expect((await getWith(t.app, '/v1/roles?limit=1', key.token)).status).toBe(429);
    const usage = await send<Usage>(t.app, 'GET', `/v1/admin/keys/${key.id}/usage`);
    expect(usage.status).toBe(200);
    expect(usage.body.data).toEqual({ keyId: key.id, days: [{ date: today(), requests: 4, rejected: 2 }] });
    expect(usage.headers['cache-control']).toBe('private, no-store');
  });

  it('answers 404 for an unknown key and 400 for a bad range', async () => {
    expectProblem(await send(t.app, 'GET', '/v1/admin/keys/00000000-0000-4000-8000-000000000000/usage'), 404);
    expectProblem(
      await send(t.app, 'GET', `/v1/admin/keys/00000000-0000-4000-8000-000000000000/usage?days=0`),
      400,
      'days',
    );
  });

  it('keeps what an instance counted when it stops, adding instances together', async () => {
    const key = await createPartnerKey(t.app);
    const other = await buildApp({ config: testConfig(adminEnv), database: t.database, prepareDatabase: false });
    await getWith(t.app, '/v1/categories', key.token);
    await getWith(other, '/v1/categories', key.token);
    await getWith(other, '/v1/categories', key.token);
    // Closing writes the other instance's tally; this instance flushes its own when asked.
    await other.close();
    const usage = await send<Usage>(t.app, 'GET', `/v1/admin/keys/${key.id}/usage`);
    expect(usage.body.data.days).toEqual([{ date: today(), requests: 3, rejected: 0 }]);
  });
});
