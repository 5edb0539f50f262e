import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKey, keyCreateInput, NewApiKey } from '../../../content/admin/schemas.js';
import { single } from '../../../content/schemas.js';
import { optionalBody } from '../../openapi-conventions.js';
import { problemResponses } from '../../problem.js';

const tags = ['admin: keys'];
const idParams = z.strictObject({ id: z.uuid() });

export const keyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/keys',
    {
      config: { operation: 'listApiKeys' },
      schema: {
        summary: 'List API keys (never their secrets)',
        tags,
        response: { 200: z.object({ data: z.array(ApiKey) }), ...problemResponses(401, 403) },
      },
    },
    async (request) => ({
      data: await app.access.listKeys(request.principal),
    }),
  );

  app.post(
    '/keys',
    {
      config: { operation: 'createApiKey' },
      schema: {
        summary: 'Create an API key; the token is in this response only',
        tags,
        body: keyCreateInput,
        response: { 201: single(NewApiKey), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { key, token } = await app.access.createKey(request.principal, {
        ...request.body,
        expiresAt: request.body.expiresAt ? new Date(request.body.expiresAt) : null,
      });
      return reply.code(201).send({ data: { ...key, token } });
    },
  );

  app.post(
    '/keys/:id/revoke',
    {
      config: { operation: 'revokeApiKey' },
      schema: {
        summary: 'Revoke a key: refused from its next request on',
        tags,
        params: idParams,
        body: optionalBody(z.strictObject({})),
        response: { 200: single(ApiKey), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ data: await app.access.revokeKey(request.principal, request.params.id) }),
  );

  app.post(
    '/keys/:id/rotate',
    {
      config: { operation: 'rotateApiKey' },
      schema: {
        summary: 'Issue a new token; the old one keeps working for overlapSeconds',
        tags,
        params: idParams,
        body: z
          .strictObject({
            overlapSeconds: z
              .int()
              .min(0)
              .max(30 * 86_400)
              .default(86_400),
          })
          .default({ overlapSeconds: 86_400 }),
        response: { 200: single(NewApiKey), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { key, token } = await app.access.rotateKey(
        request.principal,
        request.params.id,
        request.body.overlapSeconds,
      );
      return { data: { ...key, token } };
    },
  );
};
