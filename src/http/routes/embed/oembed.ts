import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../errors.js';
import { previewQuery } from '../../params.js';
import { problemResponses } from '../../problem.js';
import { readContext } from '../../read-context.js';
import { tagResponse } from '../../surrogate.js';
import { escapeHtml, PROVIDER_NAME } from './html.js';
import { questionPageHeight, rolePageHeight } from './page-height.js';
import { urlsOf } from './pages.js';

const size = z.coerce.number().int().min(50).max(10_000);

const oembedQuery = previewQuery.extend({
  url: z
    .string()
    .min(1)
    .max(2048)
    .describe(
      'A role or question page: /embed/v1/roles/{slug}, /embed/v1/roles?job-title=…, /embed/v1/questions/{id} (or the /v1/ address of a role or question)',
    ),
  // oEmbed defines json and xml; a provider that does not serve one answers 501 (spec, section 2.3.4).
  format: z.enum(['json', 'xml']).default('json').describe('json; xml answers 501 (not implemented)'),
  maxwidth: size.optional(),
  maxheight: size.optional(),
});

const OEmbed = z
  .object({
    version: z.literal('1.0'),
    type: z.literal('rich'),
    title: z.string(),
    provider_name: z.string(),
    provider_url: z.string(),
    cache_age: z.int().min(0).max(31_536_000).describe('Seconds a consumer may cache this answer'),
    html: z.string().describe('The iframe to insert'),
    width: z.int().min(50).max(10_000),
    height: z.int().min(50).max(10_000),
  })
  .meta({ id: 'OEmbed' });

const PAGE = /^\/(?:embed\/)?v1\/(roles|questions)\/([^/?#]+)\/?$/;
const JOB_TITLE_PAGE = /^\/embed\/v1\/roles\/?$/;
const WIDTH = 640;

/** What the pages show, so the height can be worked out from the same content. */
const PAGE_PARTS = new Set(['questions', 'faqs'] as const);

/** oEmbed 1.0 (https://oembed.com): the iframe snippet for one of our role or question pages. */
export const oembedRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/oembed',
    {
      config: { operation: 'getOEmbed', cache: 'public' },
      schema: {
        summary: 'oEmbed for a role or question page',
        description:
          'oEmbed 1.0, type rich: an iframe of the page. 404 for a URL that is not one of ours; 501 for format=xml.',
        tags: ['embed'],
        querystring: oembedQuery,
        response: { 200: OEmbed, ...problemResponses(404, 501) },
      },
    },
    async (request, reply) => {
      const { url, format, maxwidth, maxheight } = request.query;
      if (format !== 'json') throw new AppError('NOT_IMPLEMENTED', `format ${format} is not supported; use json`);
      const urls = urlsOf(request);
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      const ours = parsed && parsed.origin === new URL(urls.base).origin ? parsed : undefined;
      const match = ours ? PAGE.exec(ours.pathname) : null;
      const jobTitle =
        ours && JOB_TITLE_PAGE.test(ours.pathname) ? ours.searchParams.get('job-title')?.trim() : undefined;
      if (!match && !jobTitle) throw new AppError('NOT_FOUND', `${url} is not a role or question page of this API`);
      const ctx = readContext(request);
      const width = Math.min(WIDTH, maxwidth ?? Infinity);

      let title: string;
      let src: string;
      let height: number;
      if (jobTitle) {
        const { data: matched, keys } = await app.content.roleMatchData(ctx, jobTitle, 1);
        tagResponse(reply, keys);
        const best = matched.candidates[0];
        if (!best) throw new AppError('NOT_FOUND', `No role matches the job title "${jobTitle}"`);
        const { data: role, keys: roleKeys } = await app.content.roleData(ctx, best.role.slug, PAGE_PARTS);
        tagResponse(reply, roleKeys);
        title = `${role.title} interview questions`;
        src = urls.jobTitlePage(jobTitle);
        height = rolePageHeight(role, width);
      } else {
        const [, kind, rawKey] = match as unknown as [string, 'roles' | 'questions', string];
        const key = decodeURIComponent(rawKey);
        if (kind === 'roles') {
          const { data: role, keys } = await app.content.roleData(ctx, key, PAGE_PARTS);
          tagResponse(reply, keys);
          title = `${role.title} interview questions`;
          src = urls.rolePage(role.slug);
          height = rolePageHeight(role, width);
        } else {
          const { data: question, keys } = await app.content.questionData(ctx, key);
          tagResponse(reply, keys);
          title = question.prompt;
          src = urls.questionPage(question.id);
          height = questionPageHeight(question, width);
        }
      }
      height = Math.max(50, Math.min(height, maxheight ?? Infinity));
      return {
        version: '1.0' as const,
        type: 'rich' as const,
        title,
        provider_name: PROVIDER_NAME,
        provider_url: `${urls.base}/`,
        cache_age: 3600,
        // The page's one script reports its height (allow-scripts, in an opaque origin: no
        // allow-same-origin); its links open in a new tab.
        html: `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" title="${escapeHtml(title)}" loading="lazy" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" style="border:0;max-width:100%"></iframe>`,
        width,
        height,
      };
    },
  );
};
