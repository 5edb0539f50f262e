import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEntry, ImportReport } from '../../../content/admin/schemas.js';
import { categoryDocument, exportedRoleDocument } from '../../../content/import-format.js';
import { list } from '../../../content/schemas.js';
import { slug, timestamp } from '../../../content/vocabulary.js';
import { flagOff, pageQuery } from '../../params.js';
import { BODY_LIMITS } from '../../body-limits.js';
import { documentBodyAs } from '../../openapi-conventions.js';
import { problemResponses } from '../../problem.js';
import { linkNext } from '../../read-context.js';

const Bundle = z
  .strictObject({ categories: z.array(categoryDocument).default([]), roles: z.array(exportedRoleDocument).default([]) })
  .meta({
    id: 'ContentBundle',
    description:
      'All content or one role in the seed format, with when each role and question was first published and last changed: what export answers and import takes. Importing it brings back what was exported, deleted items included (with their ids).',
  });

export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/export',
    {
      config: { operation: 'exportContent' },
      schema: {
        summary: 'Export all content, or one role, in the seed/import format',
        tags: ['admin: import and export'],
        querystring: z.strictObject({ role: slug.optional() }),
        response: { 200: Bundle, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => app.content.admin.exportContent(request.principal, request.query.role),
  );

  app.post(
    '/import',
    {
      config: { operation: 'importContent' },
      bodyLimit: BODY_LIMITS.import,
      schema: {
        summary: 'Import content in the export format: all or nothing; dryRun=true reports without writing',
        tags: ['admin: import and export'],
        querystring: z.strictObject({
          dryRun: flagOff('true: check and report what the import would do, write nothing'),
        }),
        // Each role is checked by the import itself, one at a time with every error listed.
        body: documentBodyAs(
          z.strictObject({ categories: z.array(z.unknown()).optional(), roles: z.array(z.unknown()).optional() }),
          Bundle,
        ),
        response: { 200: ImportReport, ...problemResponses(400, 401, 403, 409, 503) },
      },
    },
    async (request) =>
      app.content.admin.importContent(
        request.principal,
        request.body,
        request.query.dryRun === 'true',
        app.shutdownSignal,
      ),
  );

  app.get(
    '/audit',
    {
      config: { operation: 'listAuditEntries' },
      schema: {
        summary: 'Who did what to which item, newest first',
        tags: ['admin: audit'],
        querystring: z.strictObject({
          limit: pageQuery.limit,
          cursor: pageQuery.cursor,
          actor: z.string().max(100).optional().describe('key:<prefix>, or seed'),
          entityType: z.enum(['category', 'role', 'question']).optional(),
          entityKey: z.string().max(100).optional().describe('A slug, or a question id'),
          action: z
            .enum(['created', 'updated', 'deleted', 'published', 'unpublished', 'archived', 'restored'])
            .optional(),
          since: timestamp.optional(),
        }),
        response: { 200: list(AuditEntry), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { limit, cursor, since, ...filters } = request.query;
      const result = await app.content.admin.audit(
        request.principal,
        { ...filters, since: since ? new Date(since) : undefined },
        { limit, cursor },
      );
      linkNext(request, reply, result.page);
      return result;
    },
  );
};
