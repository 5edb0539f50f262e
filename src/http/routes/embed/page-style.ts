import { createHash } from 'node:crypto';

/*
 * The iframe pages' one stylesheet and one script, each allowed by its hash in the pages' own
 * Content-Security-Policy (nothing else may load or run), and the sizes page-height.ts estimates
 * heights from. Change a size here and both follow.
 */

export const SIZES = {
  /** Body text: font size and line height (px). */
  font: 15,
  line: 1.5,
  /** Padding of the page, all around. */
  page: 16,
  /** Cards: padding (vertical, horizontal), border, space below. */
  cardY: 12,
  cardX: 14,
  cardBorder: 1,
  cardGap: 10,
  /** Headings: font size as a share of body text, line height. */
  h1: 1.4,
  h1Line: 1.3,
  h2: 1.15,
  h2Line: 1.3,
  h3Line: 1.4,
  /** The meta line and labels: font size as a share of body text. */
  small: 0.85,
} as const;

const px = (n: number) => `${Math.round(n * 100) / 100}px`;

const LIGHT = '--fg: #1f2328; --muted: #57606a; --bg: #ffffff; --card: #f6f8fa; --border: #d0d7de; --accent: #0b57d0;';
const DARK = '--fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117; --card: #161b22; --border: #30363d; --accent: #7cacf8;';

// theme=auto (no class) follows the reader's system setting; light and dark pin one.
export const STYLE = `
:root { color-scheme: light; ${LIGHT} }
:root.dark { color-scheme: dark; ${DARK} }
@media (prefers-color-scheme: dark) { :root:not(.light) { color-scheme: dark; ${DARK} } }
* { box-sizing: border-box; }
body { margin: 0; padding: ${px(SIZES.page)}; font: ${px(SIZES.font)}/${SIZES.line} system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: ${SIZES.h1}em; margin: 0 0 4px; line-height: ${SIZES.h1Line}; }
h2 { font-size: ${SIZES.h2}em; margin: 20px 0 8px; line-height: ${SIZES.h2Line}; }
h3 { font-size: 1em; margin: 0; line-height: ${SIZES.h3Line}; }
p { margin: 0 0 8px; }
.meta { display: block; color: var(--muted); font-size: ${SIZES.small}em; margin: 2px 0 0; }
.card { background: var(--card); border: ${px(SIZES.cardBorder)} solid var(--border); border-radius: 8px; padding: ${px(SIZES.cardY)} ${px(SIZES.cardX)}; margin: 0 0 ${px(SIZES.cardGap)}; }
.card > summary { cursor: pointer; list-style: none; }
.card > summary::-webkit-details-marker { display: none; }
.card > summary h3, .card > summary .meta { padding-left: 1.1em; }
.card > summary h3::before { content: "+"; display: inline-block; width: 1.1em; margin-left: -1.1em; color: var(--accent); }
.card[open] > summary h3::before { content: "\\2212"; }
.card[open] > summary { margin-bottom: 8px; }
.label { margin: 10px 0 2px; font-size: ${SIZES.small}em; font-weight: 600; color: var(--muted); }
details.star { margin-top: 10px; }
details.star > summary { cursor: pointer; color: var(--accent); font-weight: 600; }
summary:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
dt { font-weight: 600; }
dd { margin: 0 0 6px; }
ul { margin: 4px 0 0; padding-left: 1.2em; }
a { color: var(--accent); }
footer { margin-top: 16px; font-size: ${SIZES.small}em; color: var(--muted); }
`;

/**
 * Tells the page that frames this one how tall it is, whenever that changes (a reader opens a
 * question, the frame gets narrower): the "iframe.resize" message that embed hosts such as
 * Iframely and Embedly already listen for, as a JSON string. The height is no secret, so it goes
 * to any parent; docs/partners.md has the few lines a host page needs to apply it.
 */
export const RESIZE_SCRIPT = `(() => {
  if (window.parent === window) return;
  let sent = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    window.parent.postMessage(JSON.stringify({ context: 'iframe.resize', src: location.href, height }), '*');
  };
  new ResizeObserver(send).observe(document.documentElement);
  // Frames the browser does not render yet (off screen, throttled) get no resize callback.
  addEventListener('load', send);
  addEventListener('toggle', send, true);
  addEventListener('message', (event) => {
    if (event.source === window.parent && event.data === 'iframe.resize?') {
      sent = 0;
      send();
    }
  });
})();`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The page's own policy: nothing may load or run but its one stylesheet and its one script, and
 * any site may frame it (that is what it is for).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${hash(STYLE)}`,
  `script-src ${hash(RESIZE_SCRIPT)}`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ');
