import { createHash } from 'node:crypto';
import type { QuestionOut, RoleOut } from '../../../content/schemas.js';

/*
 * The iframe pages: plain HTML with one inline stylesheet and no script at all. Every piece of
 * content goes through escapeHtml (text and attributes alike); JSON-LD goes through jsonLd, which
 * escapes "<" so that no text can close its script element.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** JSON for a <script type="application/ld+json"> block. */
const jsonLd = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #57606a; --bg: #ffffff; --card: #f6f8fa; --border: #d0d7de; --accent: #0b57d0; }
:root.dark { color-scheme: dark; --fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117; --card: #161b22; --border: #30363d; --accent: #7cacf8; }
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.4em; margin: 0 0 4px; line-height: 1.3; }
h2 { font-size: 1.15em; margin: 24px 0 8px; }
h3 { font-size: 1.05em; margin: 0 0 6px; line-height: 1.35; }
p { margin: 0 0 8px; }
.meta { color: var(--muted); font-size: .9em; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 14px; margin: 0 0 12px; }
.label { margin: 10px 0 2px; font-size: .8em; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
details { margin-top: 10px; }
summary { cursor: pointer; color: var(--accent); font-weight: 600; }
summary:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
dt { font-weight: 600; }
dd { margin: 0 0 6px; }
ul { margin: 4px 0 0; padding-left: 1.2em; }
a { color: var(--accent); }
footer { margin-top: 16px; font-size: .85em; color: var(--muted); }
`;

/**
 * The page's own policy: nothing may load or run but its one stylesheet, and any site may frame
 * it (that is what it is for).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ');

export type Theme = 'light' | 'dark';

interface PageParts {
  title: string;
  /** Absolute URL of the oEmbed endpoint for this page. */
  oembed: string;
  canonical: string;
  structuredData: unknown;
  theme: Theme;
  body: string;
}

function page(parts: PageParts): string {
  return `<!doctype html>
<html lang="en"${parts.theme === 'dark' ? ' class="dark"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<link rel="canonical" href="${escapeHtml(parts.canonical)}">
<link rel="alternate" type="application/json+oembed" href="${escapeHtml(parts.oembed)}" title="${escapeHtml(parts.title)}">
<style>${STYLE}</style>
<script type="application/ld+json">${jsonLd(parts.structuredData)}</script>
</head>
<body>
${parts.body}
</body>
</html>
`;
}

function questionCard(q: QuestionOut, headingLevel: 1 | 3): string {
  const star = q.starExamples[0];
  const facts = [q.round?.name, q.difficulty, q.competency].filter(Boolean).map(escapeHtml).join(' · ');
  return `<article class="card" id="q-${escapeHtml(q.id)}">
<h${headingLevel}>${escapeHtml(q.prompt)}</h${headingLevel}>
<p class="meta">${facts}</p>
<p class="label">Why it is asked</p><p>${escapeHtml(q.whyAsked)}</p>
<p class="label">How to answer</p><p>${escapeHtml(q.howToAnswer)}</p>
${
  star
    ? `<details><summary>STAR example</summary><dl>
<dt>Situation</dt><dd>${escapeHtml(star.situation)}</dd>
<dt>Task</dt><dd>${escapeHtml(star.task)}</dd>
<dt>Action</dt><dd>${escapeHtml(star.action)}</dd>
<dt>Result</dt><dd>${escapeHtml(star.result)}</dd>
</dl></details>`
    : ''
}
${q.pitfalls.length ? `<p class="label">Pitfalls to avoid</p><ul>${q.pitfalls.map((p) => `<li>${escapeHtml(p.text)}</li>`).join('')}</ul>` : ''}
</article>`;
}

/** Where the pages and their oEmbed live, from PUBLIC_BASE_URL or the request. */
export interface Urls {
  base: string;
  rolePage(slug: string): string;
  questionPage(id: string): string;
  oembed(pageUrl: string): string;
}

export function urlsFor(base: string): Urls {
  return {
    base,
    rolePage: (slug) => `${base}/embed/v1/roles/${encodeURIComponent(slug)}`,
    questionPage: (id) => `${base}/embed/v1/questions/${encodeURIComponent(id)}`,
    oembed: (pageUrl) => `${base}/oembed?url=${encodeURIComponent(pageUrl)}&format=json`,
  };
}

/** A role's questions and FAQs; its JSON-LD is a FAQPage of the FAQs. */
export function rolePage(role: RoleOut, urls: Urls, theme: Theme): string {
  const questions = role.questions ?? [];
  const faqs = role.faqs ?? [];
  const url = urls.rolePage(role.slug);
  const body = `<header>
<h1>${escapeHtml(role.title)} interview questions</h1>
<p class="meta">${escapeHtml(role.category.name)} · ${questions.length} questions · ${role.roundCount} rounds</p>
<p>${escapeHtml(role.summary)}</p>
</header>
<main>
${questions.map((q) => questionCard(q, 3)).join('\n')}
${faqs.length ? `<h2>Frequently asked</h2>\n${faqs.map((f) => `<div class="card"><h3>${escapeHtml(f.question)}</h3><p>${escapeHtml(f.answer)}</p></div>`).join('\n')}` : ''}
</main>
<footer><a href="${escapeHtml(url)}" target="_blank" rel="noopener">Open these questions in a new tab</a></footer>`;
  return page({
    title: `${role.title} interview questions`,
    canonical: url,
    oembed: urls.oembed(url),
    theme,
    structuredData: {
      '@context': 'https://schema.org',
      '@type': 'FAQPage',
      name: `${role.title} interview questions`,
      url,
      mainEntity: faqs.map((f) => ({
        '@type': 'Question',
        name: f.question,
        acceptedAnswer: { '@type': 'Answer', text: f.answer },
      })),
    },
    body,
  });
}

/** One question; its JSON-LD is a Question whose accepted answer is how to answer it. */
export function questionPage(q: QuestionOut, urls: Urls, theme: Theme): string {
  const url = urls.questionPage(q.id);
  const star = q.starExamples[0];
  const answer = [q.howToAnswer, star ? `Example: ${star.situation} ${star.task} ${star.action} ${star.result}` : '']
    .filter(Boolean)
    .join('\n\n');
  const body = `<main>
${questionCard(q, 1)}
</main>
<footer>A ${escapeHtml(q.role.title)} interview question · <a href="${escapeHtml(urls.rolePage(q.role.slug))}" target="_blank" rel="noopener">All ${escapeHtml(q.role.title)} questions</a></footer>`;
  return page({
    title: q.prompt,
    canonical: url,
    oembed: urls.oembed(url),
    theme,
    structuredData: {
      '@context': 'https://schema.org',
      '@type': 'Question',
      name: q.prompt,
      text: q.whyAsked,
      url,
      about: q.competency,
      answerCount: 1,
      acceptedAnswer: { '@type': 'Answer', text: answer, url },
    },
    body,
  });
}
