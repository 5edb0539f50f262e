import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_CODES, AppError, type ErrorCode } from '../../errors.js';
import { PROBLEM_DOCS } from '../problem-docs.js';
import { codeOfProblemType, problemResponses, problemType } from '../problem.js';
import { escapeHtml } from './embed/html.js';

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

const ProblemType = z
  .object({
    type: z.string().describe('The URI reference problems of this kind carry'),
    code: z.enum(CODES),
    status: z.int().min(400).max(599),
    title: z.string(),
    description: z.string().describe('When it happens and what to do'),
  })
  .meta({ id: 'ProblemType' });

const describe = (code: ErrorCode) => ({
  type: problemType(code),
  code,
  status: ERROR_CODES[code].status,
  title: ERROR_CODES[code].title,
  description: PROBLEM_DOCS[code],
});

// A page to read, not to run: no script, nothing from elsewhere, its one inline style.
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}.status{color:#666}';
const security = {
  contentSecurityPolicy:
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  frameOptions: 'DENY',
} as const;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Interview Content API</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function typePage(code: ErrorCode): string {
  const d = describe(code);
  return page(
    d.title,
    `<p class="status">HTTP ${d.status} · <code>${d.code}</code></p>
<h1>${escapeHtml(d.title)}</h1>
<p>${escapeHtml(d.description)}</p>
<p>An <code>application/problem+json</code> answer (RFC 9457) of this kind has <code>"type": "${escapeHtml(d.type)}"</code>, <code>"code": "${d.code}"</code>, a <code>detail</code> about this case and the <code>requestId</code> that finds it in our logs.</p>
<p><a href="/problems">Every problem type</a></p>`,
  );
}

function indexPage(): string {
  const rows = CODES.map(
    (code) =>
      `<li><a href="${problemType(code)}">${escapeHtml(ERROR_CODES[code].title)}</a> (${ERROR_CODES[code].status}, <code>${code}</code>)</li>`,
  ).join('\n');
  return page(
    'Problem types',
    `<h1>Problem types</h1>\n<p>Every error this API answers is <code>application/problem+json</code> whose <code>type</code> is one of these.</p>\n<ul>\n${rows}\n</ul>`,
  );
}

/** JSON for clients that ask for it first; the page for browsers and anyone else. */
const wantsJson = (request: FastifyRequest) =>
  /^\s*application\/(problem\+)?json\b/i.test(request.headers.accept ?? '');

// The same URL answers HTML or JSON by Accept, so the answer says so (Vary) and stays out of the
// response cache, whose key has no Accept in it.
function sendNegotiated(reply: FastifyReply, json: boolean, html: string, data: unknown) {
  reply.header('cache-control', 'public, max-age=86400').header('vary', 'Accept');
  return json
    ? reply.type('application/json; charset=utf-8').send(JSON.stringify(data))
    : reply.type('text/html; charset=utf-8').send(html);
}

const htmlOr = (schema: z.ZodType) => ({
  description: 'A short page, or JSON with Accept: application/json',
  content: { 'text/html': { schema: z.string() }, 'application/json': { schema } },
});

/** GET /problems/{type}: what the `type` URI of a problem points at, for people and for clients. */
export const problemRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['problems'];

  app.get(
    '/problems',
    {
      config: { operation: 'listProblemTypes', security },
      schema: {
        summary: 'Every problem type',
        description:
          'Each stable error code with its status, title and type URI, as a page or as JSON (Accept: application/json).',
        tags,
        querystring: z.strictObject({}),
        response: { 200: htmlOr(z.object({ data: z.array(ProblemType) })) },
      },
    },
    async (request, reply) => sendNegotiated(reply, wantsJson(request), indexPage(), { data: CODES.map(describe) }),
  );

  app.get(
    '/problems/:type',
    {
      config: { operation: 'getProblemType', security },
      schema: {
        summary: 'What a problem type means and what to do about it',
        description: "The page a problem's `type` points to, e.g. /problems/validation-failed.",
        tags,
        params: z.strictObject({
          type: z
            .string()
            .min(1)
            .max(64)
            .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
            .describe('A problem type in kebab case, as in the type of a problem'),
        }),
        querystring: z.strictObject({}),
        response: { 200: htmlOr(z.object({ data: ProblemType })), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const code = codeOfProblemType(request.params.type);
      if (!code) throw new AppError('NOT_FOUND', `No problem type "${request.params.type}"; GET /problems lists them`);
      return sendNegotiated(reply, wantsJson(request), typePage(code), { data: describe(code) });
    },
  );
};
