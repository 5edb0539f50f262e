import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv, roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, get } from '../helpers/http.js';
import { roleBySlug } from '../helpers/seed-files.js';

/* oEmbed 1.0 (https://oembed.com/#section2): what a CMS gets when an editor pastes one of our URLs. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { ...adminEnv, PUBLIC_BASE_URL: 'https://api.example.com' } });
});
afterAll(() => t?.close());

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

const oembed = (url: string, extra = '') => get<OEmbed>(t.app, `/oembed?url=${encodeURIComponent(url)}${extra}`);
const question = roleBySlug('senior-backend-developer').questions[0]!;

describe('oEmbed', () => {
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
      height: 800,
    });
    expect(res.body.html).toBe(
      '<iframe src="https://api.example.com/embed/v1/roles/senior-backend-developer" width="640" height="800" title="Senior Backend Developer interview questions" loading="lazy" sandbox="allow-popups allow-popups-to-escape-sandbox" style="border:0;max-width:100%"></iframe>',
    );
  });

  it('answers a question page, or the API address of either, within maxwidth and maxheight', async () => {
    for (const url of [`https://api.example.com/embed/v1/questions/${question.id}`, `https://api.example.com/v1/questions/${question.id}`]) {
      const res = await oembed(url, '&maxwidth=400&maxheight=300');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ title: question.prompt, width: 400, height: 300 });
      expect(res.body.html).toContain(`src="https://api.example.com/embed/v1/questions/${question.id}" width="400" height="300"`);
    }
    expect((await oembed('https://api.example.com/v1/roles/ux-designer')).body.html).toContain('/embed/v1/roles/ux-designer"');
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
    expectProblem(await get(t.app, '/oembed?format=json'), 400, 'url');
    expectProblem(await oembed('https://api.example.com/embed/v1/roles/ux-designer', '&maxwidth=wide'), 400, 'maxwidth');
  });

  it('uses PUBLIC_BASE_URL in the pages, whatever Host a request names', async () => {
    const res = await t.app.inject({ url: '/embed/v1/roles/ux-designer', headers: { host: 'attacker.example' } });
    expect(res.body).toContain('<link rel="canonical" href="https://api.example.com/embed/v1/roles/ux-designer">');
    expect(res.body).not.toContain('attacker.example');
  });
});
