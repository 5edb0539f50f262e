import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { adminEnv, roleInput, send } from '../helpers/admin.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { HOSTILE, jsonLdOf, publishHostileQuestion } from '../helpers/embed.js';
import { expectProblem, get } from '../helpers/http.js';
import { roleBySlug } from '../helpers/seed-files.js';

let t: TestApp;
let hostileId: string;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  hostileId = await publishHostileQuestion(t.app);
});
afterAll(() => t?.close());

const role = roleBySlug('senior-backend-developer');

describe('the widget script', () => {
  it('is a stable address importing a content-hashed build that is cached for a year', async () => {
    const loader = await t.app.inject('/embed/v1/widget.js');
    expect(loader.statusCode).toBe(200);
    expect(loader.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(loader.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    // A module script from another origin loads only with CORS.
    expect(loader.headers['access-control-allow-origin']).toBe('*');
    const file = /^import '\.\/(widget\.[0-9a-f]{12}\.js)';\n$/.exec(loader.body)?.[1];
    expect(file).toBeDefined();

    const build = await t.app.inject(`/embed/v1/${file}`);
    expect(build.statusCode).toBe(200);
    expect(build.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(build.headers['access-control-allow-origin']).toBe('*');
    expect(build.body).toBe(await readFile(new URL('../../embed/widget.js', import.meta.url), 'utf8'));
    expect(gzipSync(build.body).length).toBeLessThan(15 * 1024);
    expect((await t.app.inject('/embed/v1/widget.000000000000.js')).statusCode).toBe(404);
  });
});

describe('the iframe pages', () => {
  it("show a role's questions and FAQs, framable anywhere, running only their height script under a strict policy", async () => {
    const res = await t.app.inject('/embed/v1/roles/senior-backend-developer');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-frame-options']).toBeUndefined();
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('frame-ancestors *');
    // One script, allowed by its hash, and nothing inline otherwise.
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    // A change to any of its questions names the role too (changes/surrogate-keys.ts), so the role's key covers them.
    expect(String(res.headers['surrogate-key']).split(' ')).toEqual(
      expect.arrayContaining(['role:senior-backend-developer', 'category:engineering']),
    );
    // The JSON-LD data block and the script that reports the page's height; nothing loaded.
    expect([...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script type="application/ld+json">',
      '<script>',
    ]);
    expect(res.body).not.toMatch(/<script[^>]+src=/);
    expect(res.body).toContain(`<h1>${role.title} interview questions</h1>`);
    const asHtml = (text: string) =>
      text
        .replaceAll('&', '&amp;')
        .replaceAll('<', '&lt;')
        .replaceAll('>', '&gt;')
        .replaceAll('"', '&quot;')
        .replaceAll("'", '&#39;');
    for (const q of role.questions.filter((q) => q.status === 'published')) {
      expect(res.body).toContain(`<h3>${asHtml(q.prompt)}</h3>`);
      expect(res.body).toContain(asHtml(q.starExamples[0]!.situation));
    }
  });

  it('carry a FAQPage of the role FAQs in JSON-LD and an oEmbed discovery link that answers', async () => {
    const { body } = await t.app.inject('/embed/v1/roles/senior-backend-developer');
    const [ld] = jsonLdOf(body);
    expect(ld).toMatchObject({ '@context': 'https://schema.org', '@type': 'FAQPage' });
    expect(ld!.mainEntity).toEqual(
      role.faqs.map((f) => ({
        '@type': 'Question',
        name: f.question,
        acceptedAnswer: { '@type': 'Answer', text: f.answer },
      })),
    );
    const href = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/
      .exec(body)?.[1]
      ?.replaceAll('&amp;', '&');
    expect(href).toBe(
      `http://localhost:80/oembed?url=${encodeURIComponent('http://localhost:80/embed/v1/roles/senior-backend-developer')}&format=json`,
    );
    const oembed = await get<{ type: string; html: string }>(t.app, href!.replace('http://localhost:80', ''));
    expect(oembed.body.type).toBe('rich');
    expect(oembed.body.html).toContain('src="http://localhost:80/embed/v1/roles/senior-backend-developer"');
  });

  it('show text with markup in it as text, and keep it inside the JSON-LD', async () => {
    const res = await t.app.inject(`/embed/v1/questions/${hostileId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<img');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain(
      'Why does &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quoting&quot; break a page?',
    );
    expect(res.body).toContain('\\u003c/script\\u003e');
    const [ld] = jsonLdOf(res.body);
    expect(ld).toMatchObject({
      '@type': 'Question',
      name: HOSTILE.prompt,
      text: HOSTILE.whyAsked,
      acceptedAnswer: { '@type': 'Answer' },
    });
    expect((ld!.acceptedAnswer as { text: string }).text).toContain('Explain how you weigh risk');
    const onRolePage = await t.app.inject('/embed/v1/roles/senior-backend-developer');
    expect(onRolePage.body).not.toContain('<img');
  });

  it("follow the reader's colour scheme unless a theme is pinned, and refuse what they do not know", async () => {
    const auto = (await t.app.inject('/embed/v1/roles/ux-designer')).body;
    expect(auto).toContain('<html lang="en">');
    expect(auto).toContain('<meta name="color-scheme" content="light dark">');
    expect(auto).toContain('@media (prefers-color-scheme: dark)');
    expect((await t.app.inject('/embed/v1/roles/ux-designer?theme=dark')).body).toContain(
      '<html lang="en" class="dark">',
    );
    expect((await t.app.inject('/embed/v1/roles/ux-designer?theme=light')).body).toContain(
      '<html lang="en" class="light">',
    );
    expectProblem(await get(t.app, '/embed/v1/roles/ux-designer?theme=pink'), 400, 'theme');
    expectProblem(await get(t.app, '/embed/v1/roles/no-such-role'), 404);
    expectProblem(await get(t.app, '/embed/v1/questions/not-an-id'), 404);
  });
});

// An instance that knows its public address, over the same database.
let api: FastifyInstance;

interface OEmbed {
  version: string;
  type: string;
  title: string;
  provider_name: string;
  provider_url: string;
  html: string;
  width: number;
  height: number;
  cache_age: number;
}

const oembed = (url: string, extra = '') => get<OEmbed>(api, `/oembed?url=${encodeURIComponent(url)}${extra}`);
const question = role.questions[0]!;

/* oEmbed 1.0 (https://oembed.com/#section2): what a CMS gets when an editor pastes one of our URLs. */
describe('oEmbed', () => {
  beforeAll(async () => {
    api = await buildApp({
      config: testConfig({ ...adminEnv, PUBLIC_BASE_URL: 'https://api.example.com' }),
      database: t.database,
      prepareDatabase: false,
    });
  });
  afterAll(() => api?.close());

  it('answers a role page with a rich iframe snippet', async () => {
    const res = await oembed('https://api.example.com/embed/v1/roles/senior-backend-developer', '&format=json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      version: '1.0',
      type: 'rich',
      title: 'Senior Backend Developer interview questions',
      provider_name: 'Interview Content API',
      provider_url: 'https://api.example.com/',
      width: 640,
    });
    // The page's height at that width (checked against Chromium's layout in pages-browser.system.test.ts).
    expect(res.body.height).toBeGreaterThan(1000);
    expect(res.body.html).toBe(
      `<iframe src="https://api.example.com/embed/v1/roles/senior-backend-developer" width="640" height="${res.body.height}" title="Senior Backend Developer interview questions" loading="lazy" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" style="border:0;max-width:100%"></iframe>`,
    );
    // A role with fewer questions makes a shorter page.
    expect((await oembed('https://api.example.com/embed/v1/roles/ux-designer')).body.height).toBeLessThan(
      res.body.height,
    );
  });

  it('answers a question page, or the API address of either, within maxwidth and maxheight', async () => {
    for (const url of [
      `https://api.example.com/embed/v1/questions/${question.id}`,
      `https://api.example.com/v1/questions/${question.id}`,
    ]) {
      const res = await oembed(url, '&maxwidth=400&maxheight=300');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ title: question.prompt, width: 400, height: 300 });
      expect(res.body.html).toContain(
        `src="https://api.example.com/embed/v1/questions/${question.id}" width="400" height="300"`,
      );
    }
    expect((await oembed('https://api.example.com/v1/roles/ux-designer')).body.html).toContain(
      '/embed/v1/roles/ux-designer"',
    );
  });

  it('answers 404 for URLs it does not know, drafts included', async () => {
    const created = await send(t.app, 'POST', '/v1/admin/roles', roleInput('draft-role'));
    expect(created.status).toBe(201);
    for (const url of [
      'https://api.example.com/embed/v1/roles/no-such-role',
      'https://api.example.com/embed/v1/roles/draft-role',
      'https://api.example.com/embed/v1/questions/00000000-0000-4000-8000-000000000000',
      'https://elsewhere.example/embed/v1/roles/senior-backend-developer',
      'https://api.example.com/v1/categories',
      'not a url',
    ]) {
      expectProblem(await oembed(url), 404);
    }
  });

  it('answers 501 for XML, and 400 naming what is wrong', async () => {
    expectProblem(await oembed('https://api.example.com/embed/v1/roles/ux-designer', '&format=xml'), 501);
    expectProblem(await get(api, '/oembed?format=json'), 400, 'url');
    expectProblem(
      await oembed('https://api.example.com/embed/v1/roles/ux-designer', '&maxwidth=wide'),
      400,
      'maxwidth',
    );
    // Not a format oEmbed knows: the caller's mistake, not a gap of ours.
    expectProblem(await oembed('https://api.example.com/embed/v1/roles/ux-designer', '&format=yaml'), 400, 'format');
  });

  it('uses PUBLIC_BASE_URL in the pages, whatever Host a request names', async () => {
    const res = await api.inject({ url: '/embed/v1/roles/ux-designer', headers: { host: 'attacker.example' } });
    expect(res.body).toContain('<link rel="canonical" href="https://api.example.com/embed/v1/roles/ux-designer">');
    expect(res.body).not.toContain('attacker.example');
  });
});
