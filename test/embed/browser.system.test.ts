import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminEnv } from '../helpers/admin.js';
import { HOSTILE, publishHostileQuestion } from '../helpers/embed.js';
import { createPartnerKey } from '../helpers/partners.js';
import { boardPage, startHarness, widgetsSettled, type Harness } from './browser-harness.js';

/*
 * A job board on another origin, in a real headless Chromium (Debian's, driven by
 * playwright-core): two lines of HTML show live questions; its scripts can read public answers and
 * nothing of the admin API. Both servers listen on 127.0.0.1 only; the browser is ours and closed
 * at the end.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const getComputedStyle: (el: any) => Record<string, string>;
type ShadowRoot = { activeElement: unknown };
/* eslint-enable @typescript-eslint/no-explicit-any */

let h: Harness;
let page: Page;
let hostileId: string;

beforeAll(async () => {
  h = await startHarness(adminEnv);
  hostileId = await publishHostileQuestion(h.t.app);
  const partner = await createPartnerKey(h.t.app, {
    type: 'browser',
    allowedOrigins: [h.board],
    categories: ['design'],
  });
  const url = h.servePage(
    '/',
    boardPage(
      h.api,
      `<h1>Senior Backend Developer at ACME</h1>
<interview-questions id="main" role="senior-backend-developer" limit="5"></interview-questions>
<interview-questions id="all" role="senior-backend-developer" limit="20" round="Recruiter Screen"></interview-questions>
<interview-questions id="themed" role="ux-designer" limit="1" key="${partner.token}"></interview-questions>
<interview-questions id="outside" role="senior-backend-developer" limit="1" key="${partner.token}"></interview-questions>
<interview-questions id="broken" role="no-such-role"></interview-questions>
<iframe id="frame" src="${h.api}/embed/v1/questions/${hostileId}" width="640" height="400" title="A question"></iframe>
<p id="footer">Apply now</p>`,
      `<style>#themed { --iq-accent: rgb(200, 0, 0); } #themed::part(card) { border-width: 3px; }</style>`,
    ),
  );
  page = await h.newPage();
  await page.addInitScript(() => {
    (window as unknown as { alert: () => void }).alert = () => ((window as unknown as { xss: boolean }).xss = true);
  });
  await page.goto(url);
  await widgetsSettled(page);
}, 120_000);

afterAll(() => h?.close());

const texts = (selector: string) => page.locator(selector).allTextContents();

describe('the widget on a job board of another origin', () => {
  it('shows the first five live questions of the role, folded to the question and its facts', async () => {
    const res = await h.t.app.inject('/v1/roles/senior-backend-developer/questions?limit=5');
    const questions = (
      JSON.parse(res.body) as {
        data: { prompt: string; round: { name: string }; difficulty: string; competency: string }[];
      }
    ).data;
    expect(await page.getAttribute('#main', 'state')).toBe('ready');
    expect(await texts('#main [part~="prompt"]')).toEqual(questions.map((q) => q.prompt));
    expect(await texts('#main [part~="meta"]')).toEqual(
      questions.map((q) => `${q.round.name} · ${q.difficulty} · ${q.competency}`),
    );
    expect(await page.locator('#main [part~="panel"]').evaluateAll((panels) => panels.map((p) => p.hidden))).toEqual(
      Array(5).fill(true),
    );
    expect(await page.getAttribute('#main [part~="link"]', 'href')).toBe(
      `${h.api}/embed/v1/roles/senior-backend-developer`,
    );
    expect(await page.locator('#main [part~="attribution"]').textContent()).toBe('Interview Content API');
  });

  it('opens a question, then its STAR example, with the keyboard, focus visible on each control', async () => {
    await page.locator('#footer').click();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Home');
    await page.locator('#main [part~="disclosure"]').first().focus();
    const disclosure = page.locator('#main [part~="disclosure"]').first();
    const panel = page.locator('#main [part~="panel"]').first();
    expect(await disclosure.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await disclosure.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    expect(await disclosure.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
    await page.keyboard.press('Enter');
    expect(await disclosure.getAttribute('aria-expanded')).toBe('true');
    expect(await panel.isVisible()).toBe(true);
    expect(await panel.locator('[part~="label"]').allTextContents()).toEqual([
      'Why it is asked',
      'How to answer',
      'Pitfalls to avoid',
    ]);

    await page.keyboard.press('Tab');
    const toggle = panel.locator('[part~="toggle"]');
    const star = panel.locator('[part~="star"]');
    expect(await toggle.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await star.isVisible()).toBe(false);
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await star.locator('dt').allTextContents()).toEqual(['Situation', 'Task', 'Action', 'Result']);
    await page.keyboard.press('Space');
    expect(await star.isVisible()).toBe(false);

    await disclosure.focus();
    await page.keyboard.press('Enter');
    expect(await panel.isVisible()).toBe(false);
  });

  it('shows a question whose text contains HTML as text', async () => {
    expect(await texts('#all [part~="prompt"]')).toContain(HOSTILE.prompt);
    expect(await page.locator('#all img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { xss?: boolean }).xss)).toBeUndefined();
  });

  it('takes a browser key from an allowed origin, within its categories, and theming from the page', async () => {
    expect(await page.getAttribute('#themed', 'state')).toBe('ready');
    expect(await page.locator('#themed [part~="link"]').evaluate((el) => getComputedStyle(el).color)).toBe(
      'rgb(200, 0, 0)',
    );
    expect(await page.locator('#themed [part~="card"]').evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe(
      '3px',
    );
    // The same key cannot show a role outside its categories, and says why in the console.
    expect(await page.getAttribute('#outside', 'state')).toBe('error');
    expect(h.logs.join('\n')).toMatch(/roles\/senior-backend-developer.* answered 404: NOT_FOUND/);
  });

  it('shows a neutral line in place of a role it cannot load, leaving the page intact', async () => {
    expect(await page.getAttribute('#broken', 'state')).toBe('error');
    expect(await page.locator('#broken [role="alert"]').textContent()).toBe(
      'Interview questions are not available right now.',
    );
    expect(await page.textContent('#footer')).toBe('Apply now');
  });
});

describe('the iframe page', () => {
  it('carries JSON-LD naming its question, and loads nothing its policy refuses', async () => {
    const frame = page.frames().find((f) => f.url().includes('/embed/v1/questions/'))!;
    const ld = await frame.evaluate(() =>
      JSON.parse(document.querySelector('script[type="application/ld+json"]')!.textContent!),
    );
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Question',
      name: HOSTILE.prompt,
      acceptedAnswer: { '@type': 'Answer' },
    });
    expect(await frame.textContent('h1')).toBe(HOSTILE.prompt);
    expect(await frame.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('system-ui');
    expect(h.logs.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await page.screenshot({ path: join(h.shots, 'board-widgets.png'), fullPage: true });
  });
});

describe("the job board's own scripts", () => {
  it('can read public answers, ETag and rate-limit headers included, from REST and GraphQL', async () => {
    const result = await page.evaluate(async (base) => {
      const rest = await fetch(`${base}/v1/roles/senior-backend-developer/questions?limit=2`);
      const gql = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ categories { slug } }' }),
      });
      const restBody = (await rest.json()) as { data: unknown[] };
      const gqlBody = (await gql.json()) as { data: { categories: unknown[] } };
      return {
        status: rest.status,
        count: restBody.data.length,
        etag: rest.headers.get('etag'),
        limit: rest.headers.get('ratelimit-limit'),
        gql: gqlBody.data.categories.length,
      };
    }, h.api);
    expect(result).toMatchObject({ status: 200, count: 2, limit: '1200', gql: 4 });
    expect(result.etag).toMatch(/^(W\/)?"/);
  });

  it('are refused by the admin API and GraphQL mutations, even holding an admin key', async () => {
    const outcome = await page.evaluate(
      async ({ base, key }) => {
        const attempt = (url: string, init: Parameters<typeof fetch>[1]) =>
          fetch(url, init).then(
            (r) => `answered ${r.status}`,
            (e: Error) => `blocked: ${e.name}`,
          );
        const auth = { authorization: `Bearer ${key}` };
        return [
          await attempt(`${base}/v1/admin/roles`, { headers: auth }),
          await attempt(`${base}/v1/admin/keys`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: '{"name":"x","scopes":[]}',
          }),
          await attempt(`${base}/graphql`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'mutation { createApiKey(input: { name: "x", scopes: [] }) { token } }' }),
          }),
        ];
      },
      { base: h.api, key: ADMIN_KEY },
    );
    // The admin API answers no other origin at all; GraphQL refuses the key for its origin with a
    // reason the page may read (and nothing else).
    expect(outcome).toEqual(['blocked: TypeError', 'blocked: TypeError', 'answered 403']);
    const keys = await h.t.app.inject({ url: '/v1/admin/keys', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect((JSON.parse(keys.body) as { data: { name: string }[] }).data.some((k) => k.name === 'x')).toBe(false);
  });
});
