import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { questionCreateInput } from '../../../content/admin/questions.js';
import { roleCreateInput, roleUpdateInput, roundInput, roundUpdateInput } from '../../../content/admin/roles.js';
import { acceptingNull } from '../../../content/admin/validation.js';
import { scheduleInput, statusActionInput } from '../../../content/admin/lifecycle.js';
import { AdminQuestion, AdminRole, AdminRoleSummary } from '../../../content/admin/schemas.js';
import { list, single } from '../../../content/schemas.js';
import { INT32_MAX, slug } from '../../../content/vocabulary.js';
import { BODY_LIMITS } from '../../body-limits.js';
import { adminRoleListQuery, flagOff } from '../../params.js';
import { optionalBody } from '../../openapi-conventions.js';
import { problemResponses } from '../../problem.js';
import { linkNext } from '../../read-context.js';
import { ifMatch, versioned } from '../../versioning.js';
import { scheduleOf, STATUS_DESCRIPTIONS } from './status-actions.js';

const tags = ['admin: content'];
const params = z.strictObject({ slug });
const roundParams = z.strictObject({ slug, position: z.coerce.number().int().min(1).max(INT32_MAX) });
const cascade = z.strictObject({
  cascade: flagOff("true: delete the role's questions with it (a round's questions stay, without a round)"),
});
const role = single(AdminRole);

export const adminRoleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/roles',
    {
      config: { operation: 'listAdminRoles' },
      schema: {
        summary: 'List every role, drafts and archived included',
        description:
          'The public list\'s filters and paging, and status, updatedBy, updatedSince, scheduled, sort. q= searches drafts too. Cursor pagination with a Link rel="next" header.',
        tags,
        querystring: adminRoleListQuery,
        response: { 200: list(AdminRoleSummary), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { limit, cursor, updatedSince, scheduled, ...filters } = request.query;
      const result = await app.content.admin.listRoles(
        request.principal,
        {
          ...filters,
          updatedSince: updatedSince ? new Date(updatedSince) : undefined,
          scheduled: scheduled === undefined ? undefined : scheduled === 'true',
        },
        { limit, cursor },
      );
      linkNext(request, reply, result.page);
      return { data: result.data, page: result.page };
    },
  );

  app.get(
    '/roles/:slug',
    {
      config: { operation: 'getAdminRole' },
      schema: {
        summary: 'Get a role with its version (also the ETag)',
        tags,
        params,
        response: { 200: role, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => versioned(reply, await app.content.admin.getRole(request.principal, request.params.slug)),
  );

  app.post(
    '/roles',
    {
      config: { operation: 'createRole' },
      bodyLimit: BODY_LIMITS.role,
      schema: {
        summary: 'Create a role as a draft',
        tags,
        body: acceptingNull(roleCreateInput),
        response: { 201: role, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await app.content.admin.createRole(request.principal, request.body);
      reply.code(201).header('location', `/v1/admin/roles/${created.slug}`);
      return versioned(reply, created);
    },
  );

  app.patch(
    '/roles/:slug',
    {
      config: { operation: 'updateRole' },
      bodyLimit: BODY_LIMITS.role,
      schema: {
        summary: 'Update a role; send If-Match (or version) to refuse stale edits with 412',
        tags,
        params,
        body: roleUpdateInput,
        response: { 200: role, ...problemResponses(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply,
        await app.content.admin.updateRole(request.principal, request.params.slug, request.body, ifMatch(request)),
      ),
  );

  app.delete(
    '/roles/:slug',
    {
      config: { operation: 'deleteRole' },
      schema: {
        summary: 'Delete a role; 409 while questions or links refer to it unless cascade=true',
        tags,
        params,
        querystring: cascade,
        response: { 204: z.undefined(), ...problemResponses(401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      await app.content.admin.deleteRole(
        request.principal,
        request.params.slug,
        request.query.cascade === 'true',
        ifMatch(request),
      );
      return reply.code(204).send();
    },
  );

  for (const action of ['publish', 'unpublish', 'archive'] as const) {
    app.post(
      `/roles/:slug/${action}`,
      {
        config: { operation: `${action}Role` },
        schema: {
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a role`,
          description: STATUS_DESCRIPTIONS[action],
          tags,
          params,
          body: optionalBody(statusActionInput[action]),
          response: { 200: role, ...problemResponses(400, 401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) =>
        versioned(
          reply,
          await app.content.admin.setRoleStatus(
            request.principal,
            request.params.slug,
            action,
            ifMatch(request),
            request.body,
          ),
        ),
    );
  }

  app.put(
    '/roles/:slug/schedule',
    {
      config: { operation: 'scheduleRole' },
      schema: {
        summary: 'Schedule when a role is published or unpublished (null cancels)',
        description:
          'The scheduler makes the change at that time, as a publish or unpublish by the key that scheduled it. Publishing it by hand before then cancels the scheduled publish.',
        tags,
        params,
        body: scheduleInput,
        response: { 200: role, ...problemResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply,
        await app.content.admin.scheduleRole(
          request.principal,
          request.params.slug,
          scheduleOf(request.body),
          ifMatch(request),
        ),
      ),
  );

  app.post(
    '/roles/:slug/rounds',
    {
      config: { operation: 'addRound' },
      schema: {
        summary: 'Add a round at the end',
        tags,
        params,
        body: roundInput,
        response: { 201: role, ...problemResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply.code(201),
        await app.content.admin.addRound(request.principal, request.params.slug, request.body, ifMatch(request)),
      ),
  );

  app.patch(
    '/roles/:slug/rounds/:position',
    {
      config: { operation: 'updateRound' },
      schema: {
        summary: 'Update a round; renaming keeps its questions',
        tags,
        params: roundParams,
        body: roundUpdateInput,
        response: { 200: role, ...problemResponses(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply,
        await app.content.admin.updateRound(
          request.principal,
          request.params.slug,
          request.params.position,
          request.body,
          ifMatch(request),
        ),
      ),
  );

  app.delete(
    '/roles/:slug/rounds/:position',
    {
      config: { operation: 'deleteRound' },
      schema: {
        summary: 'Delete a round; 409 while it has questions unless cascade=true',
        tags,
        params: roundParams,
        querystring: cascade,
        response: { 200: role, ...problemResponses(401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply,
        await app.content.admin.deleteRound(
          request.principal,
          request.params.slug,
          request.params.position,
          request.query.cascade === 'true',
          ifMatch(request),
        ),
      ),
  );

  app.put(
    '/roles/:slug/rounds/order',
    {
      config: { operation: 'reorderRounds' },
      schema: {
        summary: 'Reorder rounds by name',
        tags,
        params,
        body: z.strictObject({ names: z.array(z.string()).min(1) }),
        response: { 200: role, ...problemResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply,
        await app.content.admin.reorderRounds(
          request.principal,
          request.params.slug,
          request.body.names,
          ifMatch(request),
        ),
      ),
  );

  app.post(
    '/roles/:slug/questions',
    {
      config: { operation: 'createQuestion' },
      bodyLimit: BODY_LIMITS.question,
      schema: {
        summary: 'Add a question (a draft) at the end of the role',
        tags,
        params,
        body: acceptingNull(questionCreateInput),
        response: { 201: single(AdminQuestion), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const created = await app.content.admin.createQuestion(request.principal, request.params.slug, request.body);
      reply.code(201).header('location', `/v1/admin/questions/${created.id}`);
      return versioned(reply, created);
    },
  );

  app.put(
    '/roles/:slug/questions/order',
    {
      config: { operation: 'reorderQuestions' },
      schema: {
        summary: "Reorder a role's questions by id",
        tags,
        params,
        body: z.strictObject({ ids: z.array(z.uuid()).min(1) }),
        response: { 200: role, ...problemResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request, reply) =>
      versioned(
        reply,
        await app.content.admin.reorderQuestions(
          request.principal,
          request.params.slug,
          request.body.ids,
          ifMatch(request),
        ),
      ),
  );
};
