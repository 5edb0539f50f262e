import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { previewQuery, questionParams, slugParams } from '../../params.js';
import { problemResponses } from '../../problem.js';
import { publicOrigin } from '../../public-origin.js';
import { readContext } from '../../read-context.js';
import { tagResponse } from '../../surrogate.js';
import { noMatchPage, questionPage, rolePage, THEMES, urlsFor, type Urls } from './html.js';
import { PAGE_CSP } from './page-style.js';

const theme = z
  .enum(THEMES)
  .default('auto')
  .describe("Colours: auto follows the reader's system setting (prefers-color-scheme); light or dark pins one");
const pageQuery = previewQuery.extend({ theme });
const jobTitleQuery = previewQuery.extend({
  'job-title': z.string().trim().min(1).max(200).describe("A job ad's title, in place of the role's slug"),
  theme,
});
const html = { description: 'An HTML page for an iframe', content: { 'text/html': { schema: z.string() } } };

/** PUBLIC_BASE_URL, or the address this request came to once it is checked. */
export function urlsOf(request: FastifyRequest): Urls {
  return urlsFor(publicOrigin(request));
}

/**
 * Framable by any site, with nothing from elsewhere: the page's own CSP allows its one stylesheet
 * and no script. Set here rather than in a global security-headers plugin so these pages keep
 * their policy whatever the defaults for the rest of the API become.
 */
function sendPage(reply: FastifyReply, body: string) {
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin')
    .send(body);
}

export const pageRoutes: FastifyPluginAsyncZod = async (app) => {
  // Made to be framed by other sites: their own policy, no X-Frame-Options.
  const config = { cache: 'public', security: { contentSecurityPolicy: PAGE_CSP, frameOptions: null } } as const;
  const tags = ['embed'];

  app.get(
    '/embed/v1/roles/:slug',
    {
      config: { ...config, operation: 'getRoleEmbedPage' },
      schema: {
        summary: "A role's questions and FAQs as a page for an iframe",
        description: 'No script; schema.org FAQPage JSON-LD of the FAQs; an oEmbed discovery link.',
        tags,
        params: slugParams,
        querystring: pageQuery,
        response: { 200: html, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { data: role, keys } = await app.content.roleData(
        readContext(request),
        request.params.slug,
        new Set(['questions', 'faqs'] as const),
      );
      tagResponse(reply, keys);
      return sendPage(reply, rolePage(role, urlsOf(request), request.query.theme));
    },
  );

  app.get(
    '/embed/v1/roles',
    {
      config: { ...config, operation: 'getRoleEmbedPageByJobTitle' },
      schema: {
        summary: "The questions of the role a job ad's title names, as a page for an iframe",
        description:
          'The page of the best match of GET /v1/roles/match. When no role reaches its threshold, a short page with one neutral line for readers (still 200: it is what the iframe should show, and caches keep it like any page).',
        tags,
        querystring: jobTitleQuery,
        response: { 200: html, ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const ctx = readContext(request);
      const { data: match, keys } = await app.content.roleMatchData(ctx, request.query['job-title'], 1);
      tagResponse(reply, keys);
      const best = match.candidates[0];
      if (!best) return sendPage(reply, noMatchPage(request.query.theme));
      const { data: role, keys: roleKeys } = await app.content.roleData(
        ctx,
        best.role.slug,
        new Set(['questions', 'faqs'] as const),
      );
      tagResponse(reply, roleKeys);
      return sendPage(reply, rolePage(role, urlsOf(request), request.query.theme));
    },
  );

  app.get(
    '/embed/v1/questions/:id',
    {
      config: { ...config, operation: 'getQuestionEmbedPage' },
      schema: {
        summary: 'One question as a page for an iframe',
        description: 'No script; schema.org Question JSON-LD with its accepted answer; an oEmbed discovery link.',
        tags,
        params: questionParams,
        querystring: pageQuery,
        response: { 200: html, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { data: question, keys } = await app.content.questionData(readContext(request), request.params.id);
      tagResponse(reply, keys);
      return sendPage(reply, questionPage(question, urlsOf(request), request.query.theme));
    },
  );
};
