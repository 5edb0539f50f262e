import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { adminEnv } from '../helpers/admin.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { expectProblem, get } from '../helpers/http.js';
import { createPartnerKey } from '../helpers/partners.js';

/* Iframe pages and oEmbed take a job ad's title in place of a role's slug. */

let t: TestApp;
let api: FastifyInstance;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  api = await buildApp({
    config: testConfig({ ...adminEnv, PUBLIC_BASE_URL: 'https://api.example.com' }),
    database: t.database,
    prepareDatabase: false,
  });
});
afterAll(async () => {
  await api?.close();
  await t?.close();
});

const page = (title: string, extra = '') => `/embed/v1/roles?job-title=${encodeURIComponent(title)}${extra}`;

describe('the job-title page', () => {
  it("shows the questions of the role the title names, pointing at that role's own page", async () => {
    const res = await api.inject(page('Senior Data Engineer - Streaming (Kafka)', '&theme=dark'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/^public/);
    expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(res.body).toContain('<h1>Data Engineer interview questions</h1>');
    expect(res.body).toContain('<html lang="en" class="dark">');
    expect(res.body).toContain('<link rel="canonical" href="https://api.example.com/embed/v1/roles/data-engineer">');
  });

  it('shows one neutral line for readers when no role matches, kept out of search engines', async () => {
    const res = await api.inject(page('Registered Nurse'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    // Cached like any page, and purged with the roles: a new role may match it.
    expect(res.headers['cache-control']).toMatch(/^public/);
    expect(String(res.headers['surrogate-key']).split(' ')).toContain('roles');
    expect(res.body).toContain('There are no interview questions for this job yet.');
    expect(res.body).toContain('<meta name="robots" content="noindex">');
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
  });

  it("matches within a partner key's categories", async () => {
    const key = await createPartnerKey(t.app, { categories: ['design'] });
    const auth = { authorization: `Bearer ${key.token}` };
    expect((await api.inject({ url: page('Senior Data Engineer'), headers: auth })).body).toContain(
      'There are no interview questions for this job yet.',
    );
    expect((await api.inject({ url: page('Lead Product Designer'), headers: auth })).body).toContain(
      '<h1>UX Designer interview questions</h1>',
    );
  });

  it('refuses a missing or empty title, naming it', async () => {
    expectProblem(await get(api, '/embed/v1/roles'), 400, 'job-title');
    expectProblem(await get(api, page(' ')), 400, 'job-title');
  });
});

describe('oEmbed of a job-title page', () => {
  const oembed = (url: string) =>
    get<{ title: string; html: string; height: number }>(api, `/oembed?url=${encodeURIComponent(url)}`);

  it('embeds the page by its job title, sized for the role it shows', async () => {
    const url = `https://api.example.com${page('Sr. Product Designer, Growth')}`;
    const res = await oembed(url);
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('UX Designer interview questions');
    expect(res.body.html).toContain(`src="${url.replaceAll('&', '&amp;')}"`);
    const byRole = await oembed('https://api.example.com/embed/v1/roles/ux-designer');
    expect(res.body.height).toBe(byRole.body.height);
  });

  it('answers 404 when the title names no role', async () => {
    expectProblem(await oembed(`https://api.example.com${page('Barista')}`), 404);
    expectProblem(await oembed('https://api.example.com/embed/v1/roles'), 404);
  });
});
