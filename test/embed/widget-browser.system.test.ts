import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv } from '../helpers/admin.js';
import { createPartnerKey } from '../helpers/partners.js';
import { boardPage, startHarness, widgetsSettled, type Harness } from './browser-harness.js';

/*
 * The widget as a job board ships it next to an ad, in Chromium: from the ad's title to the role,
 * compact cards, more questions on request, filters for readers, the page's own content when the
 * script or the API is not there, and reasons in the console for the partner's developer.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
type ShadowRoot = { activeElement: { textContent: string } | null };
/* eslint-enable @typescript-eslint/no-explicit-any */

let h: Harness;
beforeAll(async () => {
  h = await startHarness(adminEnv);
}, 120_000);
afterAll(() => h?.close());

const AD = 'Sr. Software Engineer II, Payments (Backend)';

describe('the widget next to a job ad', () => {
  it("finds the role from the ad's title; five folded cards fit in one desktop screen", async () => {
    const url = h.servePage(
      '/ad',
      boardPage(h.api, `<h1>${AD}</h1><interview-questions id="w" job-title="${AD}"></interview-questions>`),
    );
    const heights: Record<string, number> = {};
    for (const [width, height] of [
      [1280, 800],
      [375, 740],
    ] as const) {
      const page = await h.newPage({ width, height });
      await page.goto(url);
      await widgetsSettled(page);
      expect(await page.getAttribute('#w', 'state')).toBe('ready');
      expect(await page.locator('#w [part~="card"]').count()).toBe(5);
      expect(await page.locator('#w [part~="link"]').textContent()).toBe('All 12 Senior Backend Developer questions');
      heights[width] = (await page.locator('#w').boundingBox())!.height;
      await page.screenshot({ path: join(h.shots, `widget-folded-${width}.png`), fullPage: true });
      await page.close();
    }
    console.info(`widget with five folded cards: ${heights[1280]} px at 1280 wide, ${heights[375]} px at 375`);
    // One desktop screen is 800 px; the ad's own heading and margins take some of it.
    expect(heights[1280]).toBeLessThanOrEqual(700);
  });

  it('loads the next questions on "show more", moving focus to the first new one', async () => {
    const url = h.servePage(
      '/more',
      boardPage(h.api, '<interview-questions id="w" role="senior-backend-developer" limit="5"></interview-questions>'),
    );
    const page = await h.newPage();
    await page.goto(url);
    await widgetsSettled(page);
    const more = page.locator('#w [part~="more"]');
    await more.click();
    await page.waitForFunction(() => document.querySelector('#w').shadowRoot.querySelectorAll('.card').length === 10);
    const focused = await page.locator('#w').evaluate((el) => (el.shadowRoot as ShadowRoot).activeElement?.textContent);
    expect(focused).toBe(await page.locator('#w [part~="prompt"]').nth(5).textContent());
    expect(await page.locator('#w [part~="announce"]').textContent()).toBe('5 more questions shown, 10 in all.');
    await more.click();
    await page.waitForFunction(() => document.querySelector('#w').shadowRoot.querySelectorAll('.card').length === 12);
    expect(await more.isVisible()).toBe(false);
    const prompts = await page.locator('#w [part~="prompt"]').allTextContents();
    const all = JSON.parse((await h.t.app.inject('/v1/roles/senior-backend-developer/questions?limit=20')).body) as {
      data: { prompt: string }[];
    };
    expect(prompts).toEqual(all.data.map((q) => q.prompt));
    await page.close();
  });

  it('lets readers filter by round and difficulty when the page offers it', async () => {
    const url = h.servePage(
      '/filters',
      boardPage(
        h.api,
        '<interview-questions id="w" role="senior-backend-developer" filters="round difficulty"></interview-questions>',
      ),
    );
    const page = await h.newPage();
    await page.goto(url);
    await widgetsSettled(page);
    const round = page.locator('#w select').first();
    const difficulty = page.locator('#w select').nth(1);
    expect(await page.locator('#w [part~="filter"]').allTextContents()).toEqual([
      expect.stringMatching(/^Round/),
      expect.stringMatching(/^Difficulty/),
    ]);
    await round.selectOption('System Design');
    await page.waitForFunction(() =>
      [...document.querySelector('#w').shadowRoot.querySelectorAll('.meta')].every((m: { textContent: string }) =>
        m.textContent.startsWith('System Design'),
      ),
    );
    await difficulty.selectOption('hard');
    await page.waitForFunction(
      () =>
        [...document.querySelector('#w').shadowRoot.querySelectorAll('.meta')].map(
          (m: { textContent: string }) => m.textContent,
        ).length === 2,
    );
    expect(await page.locator('#w [part~="meta"]').allTextContents()).toEqual([
      'System Design · hard · scalable architecture',
      'System Design · hard · data modeling',
    ]);
    await page.screenshot({ path: join(h.shots, 'widget-filtered.png'), fullPage: true });
    await page.close();
  });

  it("keeps the page's own content when the script cannot load, and when the API refuses", async () => {
    const fallback = '<a id="fallback" href="https://jobs.example/interview">Interview questions for this job</a>';
    const dead = h.servePage(
      '/no-script',
      boardPage(
        'http://127.0.0.1:9',
        `<interview-questions id="w" role="senior-backend-developer">${fallback}</interview-questions>`,
      ),
    );
    const page = await h.newPage();
    await page.goto(dead);
    expect(await page.locator('#fallback').isVisible()).toBe(true);

    // A browser key used on a page it was not made for: readers see a neutral line and the
    // page's link; the console says why.
    const key = await createPartnerKey(h.t.app, { type: 'browser', allowedOrigins: ['https://jobs.acme.example'] });
    const refused = h.servePage(
      '/refused',
      boardPage(
        h.api,
        `<interview-questions id="w" role="senior-backend-developer" key="${key.token}">${fallback}</interview-questions>`,
      ),
    );
    await page.goto(refused);
    await widgetsSettled(page);
    expect(await page.getAttribute('#w', 'state')).toBe('error');
    expect(await page.locator('#w [role="alert"]').textContent()).toBe(
      'Interview questions are not available right now.',
    );
    expect(await page.locator('#fallback').isVisible()).toBe(true);
    expect(h.logs.join('\n')).toContain(`answered 403: FORBIDDEN This API key may not be used from ${h.board}`);
    await page.screenshot({ path: join(h.shots, 'widget-error.png'), fullPage: true });
    await page.close();
  });

  it("shows only the page's content when no role matches the title, and says so in the console", async () => {
    const url = h.servePage(
      '/nurse',
      boardPage(
        h.api,
        '<interview-questions id="w" job-title="Registered Nurse"><span id="own">More about this job</span></interview-questions>',
      ),
    );
    const page = await h.newPage();
    await page.goto(url);
    await widgetsSettled(page);
    expect(await page.getAttribute('#w', 'state')).toBe('no-match');
    expect(await page.locator('#w [part~="card"]').count()).toBe(0);
    expect(await page.locator('#own').isVisible()).toBe(true);
    expect(h.logs.join('\n')).toContain('no role matches the job title "Registered Nurse"');
    await page.close();
  });
});
