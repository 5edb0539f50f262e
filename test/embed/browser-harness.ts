import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';

/*
 * What the browser tests share: the API listening on 127.0.0.1, a job board's server on another
 * port (so another origin) serving the pages a test gives it, Debian's headless Chromium driven by
 * playwright-core with a fresh profile, axe-core injected into pages, and a folder for screenshots.
 * Everything is started by the test file that asks and stopped by it.
 */

// What page functions use in the browser; declared here, not as the DOM library, so that the Node
// code of the project never type-checks against browser globals.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface Harness {
  t: TestApp;
  /** The API's origin, http://127.0.0.1:<port>. */
  api: string;
  /** The job board's origin. */
  board: string;
  /** Serves HTML at a path of the job board. */
  servePage(path: string, html: string): string;
  browser: BrowserContext;
  /** A new tab; console messages of every page land in `logs`. */
  newPage(options?: { width?: number; height?: number; colorScheme?: 'light' | 'dark' }): Promise<Page>;
  logs: string[];
  /** Where screenshots go: a temporary folder, kept after the run, named in the log. */
  shots: string;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const t = await startTestApp({ env });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const api = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!);
    if (html === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const board = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const profile = await mkdtemp(join(tmpdir(), 'embed-chromium-'));
  const shots = process.env.EMBED_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), 'embed-shots-')));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const logs: string[] = [];
  return {
    t,
    api,
    board,
    servePage(path, html) {
      pages.set(path, html);
      return `${board}${path}`;
    },
    browser,
    async newPage({ width = 1280, height = 800, colorScheme = 'light' } = {}) {
      const page = await browser.newPage();
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      return page;
    },
    logs,
    shots,
    async close() {
      await browser?.close();
      await rm(profile, { recursive: true, force: true });
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

/** A job board's page: its own styles, the widget script, and the body given. */
export function boardPage(api: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ACME careers</title>
<script src="${api}/embed/v1/widget.js" type="module" async></script>
<style>body { font-family: sans-serif; max-width: 760px; margin: 24px auto; padding: 0 12px; }</style>
${head}</head>
<body><main>
${body}
</main></body></html>`;
}

/** Waits until every widget on the page has finished loading, one way or another. */
export async function widgetsSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('interview-questions')].every((w: { getAttribute(n: string): string | null }) =>
        ['ready', 'error', 'no-match'].includes(w.getAttribute('state') ?? ''),
      ),
    undefined,
    { timeout: 30_000 },
  );
}

const resolveFrom = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's violations on a page or frame (shadow roots included), every rule axe runs by
 * default. The source is evaluated through the DevTools protocol, which the pages' own
 * Content-Security-Policy does not govern.
 */
export async function axeViolations(target: Page | Frame, context?: string): Promise<AxeViolation[]> {
  axeSource ??= await readFile(resolveFrom.resolve('axe-core/axe.min.js'), 'utf8');
  await target.evaluate(axeSource);
  const result = (await target.evaluate(async (selector: string | null) => {
    const axe = window.axe;
    const run = await axe.run(selector ? { include: [[selector]] } : document, { resultTypes: ['violations'] });
    return run.violations.map((v: AxeViolation) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  }, context ?? null)) as AxeViolation[];
  return result;
}

/** A readable line per violation, for a failing assertion's message. */
export const describeViolations = (violations: AxeViolation[]) =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
