import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
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
  it("show a role's questions and FAQs, framable anywhere, with no script and a strict policy", async () => {
    const res = await t.app.inject('/embed/v1/roles/senior-backend-developer');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-frame-options']).toBeUndefined();
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('frame-ancestors *');
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(String(res.headers['surrogate-key']).split(' ')).toEqual(expect.arrayContaining(['role:senior-backend-developer', `question:${hostileId}`]));
    // Only the JSON-LD data block; nothing that runs.
    expect([...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script type="application/ld+json">']);
    expect(res.body).toContain(`<h1>${role.title} interview questions</h1>`);
    const asHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
    for (const q of role.questions.filter((q) => q.status === 'published')) {
      expect(res.body).toContain(`<h3>${asHtml(q.prompt)}</h3>`);
      expect(res.body).toContain(asHtml(q.starExamples[0]!.situation));
    }
  });

  it('carry a FAQPage of the role FAQs in JSON-LD and an oEmbed discovery link that answers', async () => {
    const { body } = await t.app.inject('/embed/v1/roles/senior-backend-developer');
    const [ld] = jsonLdOf(body);
    expect(ld).toMatchObject({ '@context': 'https://schema.org', '@type': 'FAQPage' });
    expect(ld!.mainEntity).toEqual(role.faqs.map((f) => ({ '@type': 'Question', name: f.question, acceptedAnswer: { '@type': 'Answer', text: f.answer } })));
    const href = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(body)?.[1]?.replaceAll('&amp;', '&');
    expect(href).toBe(`http://localhost:80/oembed?url=${encodeURIComponent('http://localhost:80/embed/v1/roles/senior-backend-developer')}&format=json`);
    const oembed = await get<{ type: string; html: string }>(t.app, href!.replace('http://localhost:80', ''));
    expect(oembed.body.type).toBe('rich');
    expect(oembed.body.html).toContain('src="http://localhost:80/embed/v1/roles/senior-backend-developer"');
  });

  it('show text with markup in it as text, and keep it inside the JSON-LD', async () => {
    const res = await t.app.inject(`/embed/v1/questions/${hostileId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<img');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('Why does &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quoting&quot; break a page?');
    expect(res.body).toContain('\\u003c/script\\u003e');
    const [ld] = jsonLdOf(res.body);
    expect(ld).toMatchObject({ '@type': 'Question', name: HOSTILE.prompt, text: HOSTILE.whyAsked, acceptedAnswer: { '@type': 'Answer' } });
    expect((ld!.acceptedAnswer as { text: string }).text).toContain('Explain how you weigh risk');
    const onRolePage = await t.app.inject('/embed/v1/roles/senior-backend-developer');
    expect(onRolePage.body).not.toContain('<img');
  });

  it('take a dark theme, and refuse what they do not know', async () => {
    expect((await t.app.inject('/embed/v1/roles/ux-designer?theme=dark')).body).toContain('<html lang="en" class="dark">');
    expectProblem(await get(t.app, '/embed/v1/roles/ux-designer?theme=pink'), 400, 'theme');
    expectProblem(await get(t.app, '/embed/v1/roles/no-such-role'), 404);
    expectProblem(await get(t.app, '/embed/v1/questions/not-an-id'), 404);
  });
});
