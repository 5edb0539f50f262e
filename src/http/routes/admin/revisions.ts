import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { restoreInput } from '../../../content/admin/revisions.js';
import { QuestionRevision, Revision, RevisionDiff, RoleRevision } from '../../../content/admin/schemas.js';
import { single } from '../../../content/schemas.js';
import { INT32_MAX, slug } from '../../../content/vocabulary.js';
import { optionalBody } from '../../openapi-conventions.js';
import { problemResponses } from '../../problem.js';
import { ifMatch } from '../../versioning.js';

const tags = ['admin: revisions'];
const version = z.coerce.number().int().min(1).max(INT32_MAX);

/** The same revision endpoints for roles (by slug) and questions (by id). */
export const revisionRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const [type, Type, base, key, RevisionSnapshot] of [
    ['role', 'Role', '/roles/:key', slug, RoleRevision],
    ['question', 'Question', '/questions/:key', z.uuid(), QuestionRevision],
  ] as const) {
    const params = z.strictObject({ key });
    const versionParams = z.strictObject({ key, version });

    app.get(
      `${base}/revisions`,
      {
        config: { operation: `list${Type}Revisions` },
        schema: {
          summary: `List a ${type}'s revisions`,
          tags,
          params,
          response: { 200: z.object({ data: z.array(Revision) }), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({ data: await app.content.admin.listRevisions(request.principal, type, request.params.key) }),
    );

    app.get(
      `${base}/revisions/diff`,
      {
        config: { operation: `diff${Type}Revisions` },
        schema: {
          summary: `What changed between two versions of a ${type}`,
          tags,
          params,
          querystring: z.strictObject({ from: version, to: version }),
          response: { 200: single(RevisionDiff), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        data: await app.content.admin.diffRevisions(
          request.principal,
          type,
          request.params.key,
          request.query.from,
          request.query.to,
        ),
      }),
    );

    app.get(
      `${base}/revisions/:version`,
      {
        config: { operation: `get${Type}Revision` },
        schema: {
          summary: `One revision of a ${type}, as stored`,
          tags,
          params: versionParams,
          response: { 200: single(RevisionSnapshot), ...problemResponses(400, 401, 403, 404) },
        },
      },
      // TypeScript cannot tie this loop's type to its schema; getRevision reads the snapshot of that type.
      async (request) =>
        ({
          data: await app.content.admin.getRevision(
            request.principal,
            type,
            request.params.key,
            request.params.version,
          ),
        }) as never,
    );

    app.post(
      `${base}/revisions/:version/restore`,
      {
        config: { operation: `restore${Type}Revision` },
        schema: {
          summary: `Restore a ${type}'s content to a revision, as a new version`,
          description:
            'Brings back the content, never the status: a published page stays published. Related roles and rounds are found again after a rename; one that is gone is a 409 naming it, unless dropMissingReferences is true. Restoring what is already current writes nothing.',
          tags,
          params: versionParams,
          body: optionalBody(restoreInput),
          response: {
            200: single(Revision.pick({ version: true })),
            ...problemResponses(400, 401, 403, 404, 409, 412),
          },
        },
      },
      async (request) => {
        const { principal, params } = request;
        const restore =
          type === 'role' ? app.content.admin.restoreRoleRevision : app.content.admin.restoreQuestionRevision;
        const restored = await restore(principal, params.key, params.version, ifMatch(request), request.body);
        return { data: { version: restored.version } };
      },
    );
  }
};
