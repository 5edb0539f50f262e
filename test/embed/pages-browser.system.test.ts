import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv } from '../helpers/admin.js';
import { roleBySlug } from '../helpers/seed-files.js';
import { startHarness, type Harness } from './browser-harness.js';

/*
 * The iframe pages in Chromium: they tell the page that frames them how tall they are (and again
 * when a reader opens a question), follow the reader's colour scheme, and oEmbed's height holds
 * the page as it opens without much empty space below.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const getComputedStyle: (el: any) => Record<string, string>;
/* eslint-enable @typescript-eslint/no-explicit-any */

let h: Harness;
beforeAll(async () => {
  h = await startHarness(adminEnv);
}, 120_000);
afterAll(() => h?.close());

const question = roleBySlug('senior-backend-developer').questions[0]!;

/** The few lines docs/partners.md gives host pages, as a host page runs them. */
const HOST_SCRIPT = `<script>
addEventListener('message', (event) => {
  const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === event.source);
  if (!frame || !frame.src.startsWith(API + '/embed/')) return;
  let data;
  try { data = JSON.parse(event.data); } catch { return; }
  if (data.context === 'iframe.resize' && data.height > 0) frame.style.height = data.height + 'px';
});
</script>`;

describe('an iframe page on a host page that listens', () => {
  it('sizes its frame to its content, and again when a reader opens a question', async () => {
    const url = h.servePage(
      '/frames',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<script>const API = ${JSON.stringify(h.api)};</script>${HOST_SCRIPT}</head><body><main>
<iframe id="role" src="${h.api}/embed/v1/roles/ux-designer" width="640" height="150" title="Questions" style="border:0"></iframe>
<iframe id="oembed" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" src="${h.api}/embed/v1/questions/${question.id}" width="640" height="150" title="A question" style="border:0"></iframe>
</main></body></html>`,
    );
    const page = await h.newPage();
    await page.goto(url);
    const frameHeight = (id: string) =>
      page.locator(`#${id}`).evaluate((f) => Math.round(f.getBoundingClientRect().height));
    const contentHeight = (id: string) =>
      page
        .frameLocator(`#${id}`)
        .locator('html')
        .evaluate((el) => Math.ceil(el.getBoundingClientRect().height));
    // Sandboxed as oEmbed hands it out (an opaque origin), the page still reports its height.
    for (const id of ['role', 'oembed']) {
      await expect.poll(() => frameHeight(id), { timeout: 20_000 }).toBeGreaterThan(300);
      expect(await frameHeight(id)).toBe(await contentHeight(id));
    }
    const before = await frameHeight('role');
    await page.frameLocator('#role').locator('details.card summary').first().click();
    await expect.poll(() => frameHeight('role'), { timeout: 20_000 }).toBeGreaterThan(before + 100);
    expect(await frameHeight('role')).toBe(await contentHeight('role'));
    await page.screenshot({ path: join(h.shots, 'iframes-sized.png'), fullPage: true });
    await page.close();
  });
});

describe('the pages', () => {
  it("follow the reader's colour scheme unless the embed pins a theme", async () => {
    const background = async (scheme: 'light' | 'dark', theme: string) => {
      const page = await h.newPage({ colorScheme: scheme });
      await page.goto(`${h.api}/embed/v1/roles/ux-designer${theme}`);
      const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      if (theme === '') await page.screenshot({ path: join(h.shots, `role-page-${scheme}.png`), fullPage: true });
      await page.close();
      return colour;
    };
    const white = 'rgb(255, 255, 255)';
    const dark = 'rgb(13, 17, 23)';
    expect(await background('light', '')).toBe(white);
    expect(await background('dark', '')).toBe(dark);
    expect(await background('dark', '?theme=light')).toBe(white);
    expect(await background('light', '?theme=dark')).toBe(dark);
  });

  it("get an oEmbed height that holds them as they open, at the embed's width", async () => {
    const pages = [
      '/embed/v1/roles/senior-backend-developer',
      '/embed/v1/roles/ux-designer',
      `/embed/v1/questions/${question.id}`,
      `/embed/v1/roles?job-title=${encodeURIComponent('Senior Data Scientist')}`,
    ];
    const rows: string[] = [];
    for (const path of pages) {
      for (const width of [640, 400]) {
        // Asked at the API's listening address, oEmbed takes that address's pages as its own.
        const res = await fetch(`${h.api}/oembed?url=${encodeURIComponent(`${h.api}${path}`)}&maxwidth=${width}`);
        expect(res.status, path).toBe(200);
        const oembed = (await res.json()) as { width: number; height: number };
        const page = await h.newPage({ width, height: 600 });
        await page.goto(`${h.api}${path}`);
        const actual = await page.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        await page.close();
        rows.push(`${path} at ${width}: oEmbed ${oembed.height}, page ${actual}`);
        expect(oembed.width, path).toBe(width);
        expect(oembed.height, `${path} at ${width}`).toBeGreaterThanOrEqual(actual);
        expect(oembed.height, `${path} at ${width}`).toBeLessThanOrEqual(Math.ceil(actual * 1.2) + 24);
      }
    }
    console.info(rows.join('\n'));
  });
});

describe('the widget script and a host that never listens', () => {
  it('leaves the page working: no errors from the height script in a page of its own', async () => {
    const page = await h.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.api}/embed/v1/questions/${question.id}`);
    expect(await page.evaluate(() => window.parent === window)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
