import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv } from '../helpers/admin.js';
import { roleBySlug } from '../helpers/seed-files.js';
import {
  axeViolations,
  boardPage,
  describeViolations,
  startHarness,
  widgetsSettled,
  type Harness,
} from './browser-harness.js';

/*
 * axe-core (every rule it runs by default, WCAG 2.x A and AA and best practices) in Chromium finds
 * nothing on the widget, folded, opened and failed, nor on the iframe pages, in light and dark.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness(adminEnv);
}, 120_000);
afterAll(() => h?.close());

const SCHEMES = ['light', 'dark'] as const;

async function expectNoViolations(target: Page, what: string) {
  const violations = await axeViolations(target);
  expect(describeViolations(violations), what).toEqual([]);
}

describe('axe on the widget', () => {
  for (const scheme of SCHEMES) {
    it(`finds nothing folded, opened or failed, with ${scheme} colours`, async () => {
      const theme = scheme === 'dark' ? 'auto' : 'light';
      const url = h.servePage(
        `/a11y-${scheme}`,
        boardPage(
          h.api,
          `<h1>Sr. Software Engineer II, Payments (Backend)</h1>
<interview-questions id="w" job-title="Sr. Software Engineer II, Payments (Backend)" filters="round difficulty" heading-level="2" theme="${theme}"></interview-questions>
<h2>Also hiring</h2>
<interview-questions id="broken" role="no-such-role" theme="${theme}"><a href="https://jobs.example/interview">Interview questions</a></interview-questions>`,
          scheme === 'dark' ? '<style>body { background: #0d1117; color: #e6edf3; } a { color: #7cacf8; }</style>' : '',
        ),
      );
      const page = await h.newPage({ colorScheme: scheme });
      await page.goto(url);
      await widgetsSettled(page);
      expect(await page.getAttribute('#broken', 'state')).toBe('error');
      // role= (the first attribute for the slug) is ARIA's: the widget moves it to role-slug.
      expect(await page.getAttribute('#broken', 'role')).toBeNull();
      expect(await page.getAttribute('#broken', 'role-slug')).toBe('no-such-role');
      await expectNoViolations(page, `folded, ${scheme}`);

      await page.locator('#w [part~="disclosure"]').first().click();
      await page.locator('#w [part~="toggle"]').first().click();
      await page.locator('#w [part~="disclosure"]').nth(2).click();
      await expectNoViolations(page, `opened, ${scheme}`);
      await page.screenshot({ path: join(h.shots, `widget-open-${scheme}.png`), fullPage: true });
      await page.close();
    });
  }
});

describe('axe on the iframe pages', () => {
  const question = roleBySlug('senior-backend-developer').questions[0]!;
  const pages = [
    ['role page', '/embed/v1/roles/senior-backend-developer'],
    ['question page', `/embed/v1/questions/${question.id}`],
    ['job-title page', `/embed/v1/roles?job-title=${encodeURIComponent('Lead Product Designer')}`],
    ['job-title page without a match', '/embed/v1/roles?job-title=Barista'],
  ] as const;

  for (const scheme of SCHEMES) {
    it(`finds nothing on each page, opened too, as the reader's ${scheme} scheme shows it`, async () => {
      for (const [what, path] of pages) {
        const page = await h.newPage({ colorScheme: scheme, width: 640 });
        await page.goto(`${h.api}${path}`);
        await expectNoViolations(page, `${what}, ${scheme}`);
        const folded = page.locator('details');
        for (let i = 0; i < Math.min(await folded.count(), 3); i++)
          await folded.nth(i).locator('summary').first().click();
        await expectNoViolations(page, `${what} opened, ${scheme}`);
        await page.close();
      }
    });
  }

  it('finds nothing with a pinned dark theme on a light system', async () => {
    const page = await h.newPage({ colorScheme: 'light', width: 640 });
    await page.goto(`${h.api}/embed/v1/roles/ux-designer?theme=dark`);
    await expectNoViolations(page, 'theme=dark');
    await page.close();
  });
});
