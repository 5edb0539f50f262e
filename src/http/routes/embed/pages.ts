import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { previewQuery, questionParams, slugParams } from '../../params.js';
import { problemResponses } from '../../problem.js';
import { publicOrigin } from '../../public-origin.js';
import { readContext } from '../../read-context.js';
import { tagResponse } from '../../surrogate.js';
import { PAGE_CSP, questionPage, rolePage, urlsFor, type Urls } from './html.js';

const pageQuery = previewQuery.extend({
  theme: z.enum(['light', 'dark']).default('light').describe('Colours of the page'),
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
