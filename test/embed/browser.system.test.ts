import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminEnv } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { PATIENCE_MS } from '../helpers/process.js';
import { HOSTILE, publishHostileQuestion } from '../helpers/embed.js';
import { createPartnerKey } from '../helpers/partners.js';

/*
 * A job board on another origin, in a real headless Chromium (Debian's, driven by
 * playwright-core): two lines of HTML show live questions; its scripts can read public answers and
 * nothing of the admin API. Both servers listen on 127.0.0.1 only; the browser is ours and closed
 * at the end. A screenshot is saved under test-results/ (not committed).
 */

// What the page functions below use in the browser; declared here, not as the DOM library, so
// that the Node code of the project never type-checks against browser globals.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const getComputedStyle: (el: any) => Record<string, string>;
type ShadowRoot = { activeElement: unknown };
/* eslint-enable @typescript-eslint/no-explicit-any */

const SHOTS = new URL('../../test-results/', import.meta.url).pathname;
let t: TestApp;
let api: string;
let board: Server;
let boardOrigin: string;
let profile: string;
let browser: BrowserContext;
let page: Page;
let hostileId: string;
const consoleErrors: string[] = [];

function boardPage(partnerKey: string) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ACME careers</title>
<script src="${api}/embed/v1/widget.js" type="module" async></script>
<style>
  body { font-family: sans-serif; max-width: 760px; margin: 24px auto; }
  #themed { --iq-accent: rgb(200, 0, 0); }
  #themed::part(card) { border-width: 3px; }
</style></head>
<body>
<h1>Senior Backend Developer at ACME</h1>
<interview-questions id="main" role="senior-backend-developer" limit="5"></interview-questions>
<interview-questions id="all" role="senior-backend-developer" limit="20" round="Recruiter Screen"></interview-questions>
<interview-questions id="themed" role="ux-designer" limit="1" key="${partnerKey}"></interview-questions>
<interview-questions id="outside" role="senior-backend-developer" limit="1" key="${partnerKey}"></interview-questions>
<interview-questions id="broken" role="no-such-role"></interview-questions>
<iframe id="frame" src="${api}/embed/v1/questions/${hostileId}" width="640" height="400"></iframe>
<p id="footer">Apply now</p>
</body></html>`;
}

beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  hostileId = await publishHostileQuestion(t.app);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  api = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  // Another port is another origin.
  board = createServer();
  await new Promise<void>((resolve) => board.listen(0, '127.0.0.1', resolve));
  boardOrigin = `http://127.0.0.1:${(board.address() as { port: number }).port}`;
  const partner = await createPartnerKey(t.app, { allowedOrigins: [boardOrigin], categories: ['design'] });
  const html = boardPage(partner.token);
  board.on('request', (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));

  profile = await mkdtemp(join(tmpdir(), 'embed-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: PATIENCE_MS,
  });
  // Every wait in the page, for a loaded machine: navigation, selectors, responses.
  browser.setDefaultTimeout(PATIENCE_MS);
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.addInitScript(() => {
    (window as unknown as { alert: () => void }).alert = () => ((window as unknown as { xss: boolean }).xss = true);
  });
  await page.goto(`${boardOrigin}/`);
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('interview-questions')].every((w: { getAttribute(name: string): string | null }) =>
        ['ready', 'error'].includes(w.getAttribute('state') ?? ''),
      ),
    undefined,
    { timeout: PATIENCE_MS },
  );
});

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await new Promise((resolve) => (board ? board.close(resolve) : resolve(undefined)));
  await t?.close();
});

const texts = (selector: string) => page.locator(selector).allTextContents();

describe('the widget on a job board of another origin', () => {
  it('shows the first five live questions of the role, as the API has them', async () => {
    const res = await t.app.inject('/v1/roles/senior-backend-developer/questions?limit=5');
    const questions = (
      JSON.parse(res.body) as {
        data: { prompt: string; whyAsked: string; howToAnswer: string; pitfalls: { text: string }[] }[];
      }
    ).data;
    expect(await page.getAttribute('#main', 'state')).toBe('ready');
    expect(await texts('#main [part~="prompt"]')).toEqual(questions.map((q) => q.prompt));
    const first = page.locator('#main [part~="card"]').first();
    await expect
      .poll(() => first.locator('[part~="text"]').allTextContents())
      .toEqual([questions[0]!.whyAsked, questions[0]!.howToAnswer]);
    expect(await first.locator('[part~="pitfalls"] li').allTextContents()).toEqual(
      questions[0]!.pitfalls.map((p) => p.text),
    );
    expect(await page.getAttribute('#main [part~="link"]', 'href')).toBe(
      `${api}/embed/v1/roles/senior-backend-developer`,
    );
  });

  it('opens and closes a STAR example with the keyboard, with focus visible', async () => {
    await page.keyboard.press('Tab');
    const toggle = page.locator('#main [part~="toggle"]').first();
    const panel = page.locator('#main [part~="star"]').first();
    expect(await toggle.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await toggle.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await panel.isVisible()).toBe(false);
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await panel.isVisible()).toBe(true);
    expect(await panel.locator('dt').allTextContents()).toEqual(['Situation', 'Task', 'Action', 'Result']);
    expect(await toggle.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await panel.isVisible()).toBe(false);
  });

  it('shows a question whose text contains HTML as text', async () => {
    expect(await texts('#all [part~="prompt"]')).toContain(HOSTILE.prompt);
    expect(await page.locator('#all img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { xss?: boolean }).xss)).toBeUndefined();
  });

  it('takes a partner key from an allowed origin, within its categories, and theming from the page', async () => {
    expect(await page.getAttribute('#themed', 'state')).toBe('ready');
    expect(await page.locator('#themed [part~="toggle"]').evaluate((el) => getComputedStyle(el).color)).toBe(
      'rgb(200, 0, 0)',
    );
    expect(await page.locator('#themed [part~="card"]').evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe(
      '3px',
    );
    // The same key cannot show a role outside its categories.
    expect(await page.getAttribute('#outside', 'state')).toBe('error');
  });

  it('shows an error in place for a role it cannot load, leaving the page intact', async () => {
    expect(await page.getAttribute('#broken', 'state')).toBe('error');
    expect(await page.locator('#broken [role="alert"]').textContent()).toBe('Interview questions could not be loaded.');
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
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await mkdir(SHOTS, { recursive: true });
    await page.locator('#frame').screenshot({ path: join(SHOTS, 'embed-iframe.png') });
    await page.screenshot({ path: join(SHOTS, 'embed-widget.png'), fullPage: true });
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
    }, api);
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
      { base: api, key: ADMIN_KEY },
    );
    expect(outcome).toEqual(['blocked: TypeError', 'blocked: TypeError', 'blocked: TypeError']);
    const keys = await t.app.inject({ url: '/v1/admin/keys', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect((JSON.parse(keys.body) as { data: { name: string }[] }).data.some((k) => k.name === 'x')).toBe(false);
  });
});
