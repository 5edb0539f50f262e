import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { PATIENCE_MS } from '../helpers/process.js';

/*
 * GraphiQL with no internet: the page and every file it names come from the API, and in a real
 * headless Chromium (Debian's) whose requests to any other host are refused, it renders and runs
 * a query.
 */

// What the page function below uses in the browser (not the DOM library; see embed/browser.system.test.ts).
declare const document: { querySelector(selector: string): unknown };

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({ env: { GRAPHIQL: 'true' } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
afterAll(() => t?.close());

const referenced = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);

describe('GraphiQL', () => {
  it('is a page whose every script and stylesheet the API serves itself', async () => {
    const page = await t.app.inject('/graphiql');
    expect(page.statusCode).toBe(200);
    const urls = referenced(page.body);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) {
      // Paths on this host only: nothing absolute, nothing protocol-relative.
      expect(url, url).toMatch(/^\/[^/]/);
      const asset = await t.app.inject(url);
      expect(asset.statusCode, url).toBe(200);
      expect(asset.headers['content-type'], url).toMatch(/^text\/(javascript|css)/);
    }
    expect((await t.app.inject('/graphiql/assets/nothing.js')).statusCode).toBe(404);
  });

  it('renders in a browser that can reach nothing else, and runs a query', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'graphiql-chromium-'));
    let browser: BrowserContext | undefined;
    try {
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: PATIENCE_MS,
      });
      // Every wait in the page, for a loaded machine: navigation, selectors, responses.
      browser.setDefaultTimeout(PATIENCE_MS);
      const elsewhere: string[] = [];
      const errors: string[] = [];
      await browser.route('**/*', (route) => {
        if (route.request().url().startsWith(`${base}/`)) return route.continue();
        elsewhere.push(route.request().url());
        return route.abort();
      });
      const page = browser.pages()[0] ?? (await browser.newPage());
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/graphiql`);
      await page.waitForSelector('.graphiql-container .graphiql-execute-button', { timeout: PATIENCE_MS });
      // The schema arrives by introspection over /graphql, so the documentation explorer can fill.
      const asked = page.waitForResponse((res) => res.url() === `${base}/graphql` && res.request().method() === 'POST');
      await page.locator('.graphiql-query-editor .CodeMirror').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('{ categories { slug } }');
      await page.locator('.graphiql-execute-button').click();
      await asked;
      await expect
        .poll(() => page.locator('.graphiql-response').textContent(), { timeout: PATIENCE_MS })
        .toContain('"engineering"');
      expect(await page.evaluate(() => document.querySelector('.graphiql-container') !== null)).toBe(true);
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
