import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { releaseCreateInput, releaseItemsInput, releaseUpdateInput } from '../../../content/admin/releases.js';
import { Release } from '../../../content/admin/schemas.js';
import { single } from '../../../content/schemas.js';
import { BODY_LIMITS } from '../../body-limits.js';
import { flagOff } from '../../params.js';
import { optionalBody } from '../../openapi-conventions.js';
import { problemResponses } from '../../problem.js';

const tags = ['admin: releases'];
const params = z.strictObject({ id: z.uuid() });
const release = single(Release);

/**
 * Releases: a named set of drafts and staged edits, published together in one transaction, now or
 * at a time (content/admin/releases.ts).
 */
export const releaseRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/releases',
    {
      config: { operation: 'listReleases' },
      schema: {
        summary: 'List releases, newest first',
        tags,
        querystring: z.strictObject({
          status: z.enum(['open', 'scheduled', 'published', 'cancelled', 'failed']).optional(),
        }),
        response: { 200: z.object({ data: z.array(Release) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ data: await app.content.admin.listReleases(request.principal, request.query.status) }),
  );

  app.get(
    '/releases/:id',
    {
      config: { operation: 'getRelease' },
      schema: {
        summary: 'A release with its items',
        tags,
        params,
        response: { 200: release, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ data: await app.content.admin.getRelease(request.principal, request.params.id) }),
  );

  app.post(
    '/releases',
    {
      config: { operation: 'createRelease' },
      schema: {
        summary: 'Create a release; with publishAt it is scheduled',
        tags,
        body: releaseCreateInput,
        response: { 201: release, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const created = await app.content.admin.createRelease(request.principal, request.body);
      reply.code(201).header('location', `/v1/admin/releases/${created.id}`);
      return { data: created };
    },
  );

  app.patch(
    '/releases/:id',
    {
      config: { operation: 'updateRelease' },
      schema: {
        summary: 'Rename, reschedule (publishAt) or unschedule (publishAt: null) a release before it is published',
        tags,
        params,
        body: releaseUpdateInput,
        response: { 200: release, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await app.content.admin.updateRelease(request.principal, request.params.id, request.body),
    }),
  );

  app.post(
    '/releases/:id/items',
    {
      config: { operation: 'addReleaseItems' },
      bodyLimit: BODY_LIMITS.role,
      schema: {
        summary: 'Add drafts (and staged edits of published items) to a release',
        description:
          "Each item is a role (slug) or question (id), published as it is then, or with changes (fields as a PATCH sends them) applied when the release is published; they are checked now against the rules for published content. withQuestions adds a role's draft questions. Adding an item again replaces it.",
        tags,
        params,
        body: releaseItemsInput,
        response: { 200: release, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await app.content.admin.addReleaseItems(request.principal, request.params.id, request.body),
    }),
  );

  app.delete(
    '/releases/:id/items/:type/:key',
    {
      config: { operation: 'removeReleaseItem' },
      schema: {
        summary: 'Take an item out of a release',
        tags,
        params: z.strictObject({ id: z.uuid(), type: z.enum(['role', 'question']), key: z.string().min(1).max(80) }),
        response: { 200: release, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await app.content.admin.removeReleaseItem(
        request.principal,
        request.params.id,
        request.params.type,
        request.params.key,
      ),
    }),
  );

  app.post(
    '/releases/:id/publish',
    {
      config: { operation: 'publishRelease' },
      schema: {
        summary: 'Publish a release now, all of it in one transaction',
        description:
          'Roles first, then questions, each with its staged changes: a revision and a change-log entry each. An item that changed since its edit was staged, or cannot be published, is a 409 naming it and nothing is published. dryRun=true reports the release as it would be, writing nothing.',
        tags,
        params,
        querystring: z.strictObject({ dryRun: flagOff('true: publish nothing, answer what it would be') }),
        body: optionalBody(z.strictObject({})),
        response: {
          200: single(Release.extend({ dryRun: z.boolean() })),
          ...problemResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => ({
      data: await app.content.admin.publishRelease(
        request.principal,
        request.params.id,
        request.query.dryRun === 'true',
      ),
    }),
  );

  app.post(
    '/releases/:id/cancel',
    {
      config: { operation: 'cancelRelease' },
      schema: {
        summary: 'Cancel a release that has not been published; its items stay as they are',
        tags,
        params,
        body: optionalBody(z.strictObject({})),
        response: { 200: release, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => ({ data: await app.content.admin.cancelRelease(request.principal, request.params.id) }),
  );
};
