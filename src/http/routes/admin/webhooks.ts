import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DELIVERY_STATUSES,
  NewWebhookSecret,
  replayInput,
  ReplayResult,
  rotateInput,
  Webhook,
  webhookCreateInput,
  WebhookDelivery,
  WebhookDeliveryDetail,
  webhookUpdateInput,
} from '../../../changes/webhooks/schemas.js';
import { single } from '../../../content/schemas.js';
import { optionalBody } from '../../openapi-conventions.js';
import { problemResponses } from '../../problem.js';

const tags = ['admin: webhooks'];
const params = z.strictObject({ id: z.uuid() });
const deliveryParams = z.strictObject({ id: z.uuid(), deliveryId: z.uuid() });
const deliveryQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    page: z.object({ limit: z.int().min(1).max(100), nextCursor: z.string().nullable() }),
  });

export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/webhooks',
    {
      config: { operation: 'listWebhooks' },
      schema: {
        summary: 'List webhooks (never their secrets)',
        tags,
        response: { 200: z.object({ data: z.array(Webhook) }), ...problemResponses(401, 403) },
      },
    },
    async (request) => ({
      data: await app.webhooks.list(request.principal),
    }),
  );

  app.post(
    '/webhooks',
    {
      config: { operation: 'createWebhook' },
      schema: {
        summary: 'Register a webhook; its signing secret is in this response only',
        description: 'It receives the events it names from now on; use replay for earlier changes.',
        tags,
        body: webhookCreateInput,
        response: { 201: single(NewWebhookSecret), ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const created = await app.webhooks.create(request.principal, request.body);
      return reply.code(201).header('location', `/v1/admin/webhooks/${created.id}`).send({ data: created });
    },
  );

  app.get(
    '/webhooks/:id',
    {
      config: { operation: 'getWebhook' },
      schema: {
        summary: 'Get a webhook, with why it was disabled if it was',
        tags,
        params,
        response: { 200: single(Webhook), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      data: await app.webhooks.get(request.principal, request.params.id),
    }),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { operation: 'updateWebhook' },
      schema: {
        summary: 'Change the URL, events or description; enable or disable',
        tags,
        params,
        body: webhookUpdateInput,
        response: { 200: single(Webhook), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await app.webhooks.update(request.principal, request.params.id, request.body) }),
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { operation: 'deleteWebhook' },
      schema: {
        summary: 'Delete a webhook and its delivery log',
        tags,
        params,
        response: { 204: z.undefined(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await app.webhooks.remove(request.principal, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { operation: 'rotateWebhookSecret' },
      schema: {
        summary: 'Issue a new signing secret; the old one keeps signing too for overlapSeconds',
        tags,
        params,
        body: rotateInput.default({ overlapSeconds: 86_400 }),
        response: { 200: single(NewWebhookSecret), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => ({
      data: await app.webhooks.rotateSecret(
        request.principal,
        request.params.id,
        request.body.overlapSeconds,
        request.body.secret,
      ),
    }),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { operation: 'listWebhookDeliveries' },
      schema: {
        summary: 'The delivery log, newest first',
        tags,
        params,
        querystring: deliveryQuery,
        response: { 200: pageOf(WebhookDelivery), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      return app.webhooks.listDeliveries(request.principal, request.params.id, { status }, { limit, cursor });
    },
  );

  app.get(
    '/webhooks/:id/deliveries/:deliveryId',
    {
      config: { operation: 'getWebhookDelivery' },
      schema: {
        summary: 'One delivery with the body sent and every attempt (status, latency, error)',
        tags,
        params: deliveryParams,
        response: { 200: single(WebhookDeliveryDetail), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      data: await app.webhooks.getDelivery(request.principal, request.params.id, request.params.deliveryId),
    }),
  );

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: { operation: 'redeliverWebhookEvent' },
      schema: {
        summary: 'Send an event again: same event id and body, a new delivery with its own retries',
        tags,
        params: deliveryParams,
        body: optionalBody(z.strictObject({})),
        response: { 202: single(WebhookDelivery), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send({ data: await app.webhooks.redeliver(request.principal, request.params.id, request.params.deliveryId) }),
  );

  app.post(
    '/webhooks/:id/replay',
    {
      config: { operation: 'replayWebhookEvents' },
      schema: {
        summary: 'Queue the events of every change in [from, to) again, in change order',
        tags,
        params,
        body: replayInput,
        response: { 202: single(ReplayResult), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ data: await app.webhooks.replay(request.principal, request.params.id, request.body) }),
  );
};
