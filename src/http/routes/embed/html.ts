import type { QuestionOut, RoleOut } from '../../../content/schemas.js';
import { RESIZE_SCRIPT, STYLE } from './page-style.js';

/*
 * The iframe pages: plain HTML with one inline stylesheet and one inline script that only reports
 * the page's height (page-style.ts); everything works without it. Every piece of content goes
 * through escapeHtml (text and attributes alike); JSON-LD goes through jsonLd, which escapes "<"
 * so that no text can close its script element.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Who the pages, the widget and oEmbed name as the source of the questions. */
export const PROVIDER_NAME = 'Interview Content API';

export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** JSON for a <script type="application/ld+json"> block. */
const jsonLd = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export const THEMES = ['auto', 'light', 'dark'] as const;
/** auto follows the reader's system setting (prefers-color-scheme); light and dark pin one. */
export type Theme = (typeof THEMES)[number];

interface PageParts {
  title: string;
  /** Absolute URL of the oEmbed endpoint for this page. */
  oembed?: string;
  canonical?: string;
  structuredData?: unknown;
  noindex?: boolean;
  theme: Theme;
  body: string;
}

function page(parts: PageParts): string {
  return `<!doctype html>
<html lang="en"${parts.theme === 'auto' ? '' : ` class="${parts.theme}"`}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="${parts.theme === 'auto' ? 'light dark' : parts.theme}">${parts.noindex ? '\n<meta name="robots" content="noindex">' : ''}
<title>${escapeHtml(parts.title)}</title>
${parts.canonical ? `<link rel="canonical" href="${escapeHtml(parts.canonical)}">\n` : ''}${parts.oembed ? `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(parts.oembed)}" title="${escapeHtml(parts.title)}">\n` : ''}<style>${STYLE}</style>
${parts.structuredData ? `<script type="application/ld+json">${jsonLd(parts.structuredData)}</script>\n` : ''}<script>${RESIZE_SCRIPT}</script>
</head>
<body>
${parts.body}
</body>
</html>
`;
}

const factsOf = (q: QuestionOut) =>
  [q.round?.name, q.difficulty, q.competency].filter(Boolean).map(escapeHtml).join(' · ');

/** Why it is asked, how to answer, the STAR example (folded) and the pitfalls. */
function answerParts(q: QuestionOut): string {
  const star = q.starExamples[0];
  return `<p class="label">Why it is asked</p><p>${escapeHtml(q.whyAsked)}</p>
<p class="label">How to answer</p><p>${escapeHtml(q.howToAnswer)}</p>
${
  star
    ? `<details class="star"><summary>STAR example</summary><dl>
<dt>Situation</dt><dd>${escapeHtml(star.situation)}</dd>
<dt>Task</dt><dd>${escapeHtml(star.task)}</dd>
<dt>Action</dt><dd>${escapeHtml(star.action)}</dd>
<dt>Result</dt><dd>${escapeHtml(star.result)}</dd>
</dl></details>`
    : ''
}
${q.pitfalls.length ? `<p class="label">Pitfalls to avoid</p><ul>${q.pitfalls.map((p) => `<li>${escapeHtml(p.text)}</li>`).join('')}</ul>` : ''}`;
}

/** One question, folded to its prompt and facts; a reader opens it (no script needed). */
function foldedQuestion(q: QuestionOut): string {
  return `<details class="card" id="q-${escapeHtml(q.id)}">
<summary><h3>${escapeHtml(q.prompt)}</h3><span class="meta">${factsOf(q)}</span></summary>
${answerParts(q)}
</details>`;
}

/** Where the pages and their oEmbed live, from PUBLIC_BASE_URL or the request. */
export interface Urls {
  base: string;
  rolePage(slug: string): string;
  jobTitlePage(title: string): string;
  questionPage(id: string): string;
  oembed(pageUrl: string): string;
}

export function urlsFor(base: string): Urls {
  return {
    base,
    rolePage: (slug) => `${base}/embed/v1/roles/${encodeURIComponent(slug)}`,
    jobTitlePage: (title) => `${base}/embed/v1/roles?job-title=${encodeURIComponent(title)}`,
    questionPage: (id) => `${base}/embed/v1/questions/${encodeURIComponent(id)}`,
    oembed: (pageUrl) => `${base}/oembed?url=${encodeURIComponent(pageUrl)}&format=json`,
  };
}

/** A role's questions and FAQs, folded; its JSON-LD is a FAQPage of the FAQs. */
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
${questions.length ? `<h2>Questions</h2>\n${questions.map(foldedQuestion).join('\n')}` : ''}
${
  faqs.length
    ? `<h2>Frequently asked</h2>\n${faqs
        .map(
          (f) =>
            `<details class="card"><summary><h3>${escapeHtml(f.question)}</h3></summary><p>${escapeHtml(f.answer)}</p></details>`,
        )
        .join('\n')}`
    : ''
}
</main>
<footer>Interview questions by <a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(PROVIDER_NAME)}</a></footer>`;
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

/** One question, open; its JSON-LD is a Question whose accepted answer is how to answer it. */
export function questionPage(q: QuestionOut, urls: Urls, theme: Theme): string {
  const url = urls.questionPage(q.id);
  const star = q.starExamples[0];
  const answer = [q.howToAnswer, star ? `Example: ${star.situation} ${star.task} ${star.action} ${star.result}` : '']
    .filter(Boolean)
    .join('\n\n');
  const body = `<main>
<article class="card" id="q-${escapeHtml(q.id)}">
<h1>${escapeHtml(q.prompt)}</h1>
<p class="meta">${factsOf(q)}</p>
${answerParts(q)}
</article>
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

/** What a job-title page shows when no role matches: one neutral line for readers, kept out of search engines. */
export function noMatchPage(theme: Theme): string {
  return page({
    title: 'Interview questions',
    theme,
    noindex: true,
    body: `<main>
<h1>Interview questions</h1>
<p class="meta">There are no interview questions for this job yet.</p>
</main>`,
  });
}
