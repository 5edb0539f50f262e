import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { list, SearchHit } from '../../../content/schemas.js';
import { badParameter } from '../../../errors.js';
import { searchQuery } from '../../params.js';
import { problemResponses } from '../../problem.js';
import { linkNext, readContext } from '../../read-context.js';
import { tagResponse } from '../../surrogate.js';

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/search',
    {
      config: { operation: 'search', cache: 'public' },
      schema: {
        summary: 'Search roles, questions and FAQs together',
        description:
          'Ranked by relevance; a match in a role title or question prompt weighs more than one in body text. Each hit has its type, an API link and a highlighted snippet.',
        tags: ['content'],
        querystring: searchQuery,
        response: { 200: list(SearchHit), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { limit, cursor, type, types, preview: _preview, ...filters } = request.query;
      // types= is the name GraphQL uses too; type= is its older name, read while clients move.
      if (type && types) throw badParameter('type', 'send types= alone (type= is its deprecated name)');
      const result = await app.content.search(
        readContext(request),
        { ...filters, types: types ?? type },
        { limit, cursor },
      );
      linkNext(request, reply, result.page);
      tagResponse(reply, result.keys);
      return result;
    },
  );
};
