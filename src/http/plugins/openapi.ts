import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OPERATIONS } from '../../access/operations.js';
import {
  applyConventions,
  documentedBodyOf,
  dropUnreferencedSchemas,
  type OpenApiDoc,
} from '../openapi-conventions.js';
import { problemResponses } from '../problem.js';
import { UNLIMITED } from './rate-limit.js';

const OPENAPI_INFO = {
  title: 'Interview Content API',
  version: '1.0.0',
  description:
    'Interview-preparation content (roles, rounds, questions with STAR examples and pitfalls, tips, FAQs) over REST. Errors are RFC 9457 problem+json.',
};

/** The OpenAPI document is generated from the route schemas; /docs serves an interactive reference. */
export const openapiPlugin = fp(async (app: FastifyInstance) => {
  // Each operation's operationId is its name in src/access/operations.ts, and who may call it comes
  // from there too. What every API route can answer besides its own cases is added here so no
  // route can forget: 400 for its inputs, 401 for a bad key (refused on every route), 403 for a
  // missing scope, preview or origin, 413 for a body over the route's limit, 429 over the rate
  // limit, 304 for a fresh ETag.
  app.addHook('onRoute', (route) => {
    const operation = route.config?.operation;
    const schema = route.schema as
      | {
          response?: Record<string, unknown>;
          security?: unknown;
          params?: unknown;
          querystring?: unknown;
          body?: unknown;
          description?: string;
          hide?: boolean;
          operationId?: string;
        }
      | undefined;
    if (!schema || schema.hide) return;
    if (operation) schema.operationId = operation;
    const access = operation ? OPERATIONS[operation].access : 'public';
    const response = (schema.response ??= {});
    const wanted = [
      ...(schema.params || schema.querystring || schema.body ? [400] : []),
      401,
      403,
      ...(schema.body ? [413] : []),
      ...(UNLIMITED.has(route.url) ? [] : [429]),
    ];
    Object.assign(
      response,
      Object.fromEntries(Object.entries(problemResponses(...wanted)).filter(([status]) => !(status in response))),
    );
    if (access === 'public') {
      if (route.method === 'GET' && !('304' in response))
        response['304'] = z.undefined().describe('Not modified: the ETag sent in If-None-Match is still current');
    } else {
      schema.security = [{ apiKey: [] }];
      schema.description = `${schema.description ? `${schema.description}\n\n` : ''}Needs an API key with ${access.join(' and ')}.`;
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [
        { url: 'http://localhost:3000', description: '`npm start` on your machine' },
        {
          url: 'https://{host}',
          description: 'A deployment (its PUBLIC_BASE_URL)',
          variables: { host: { default: 'api.example.com', description: 'The host name the API is served under' } },
        },
      ],
      tags: [
        {
          name: 'content',
          description: 'Published interview content; no key needed (preview=true needs content:preview)',
        },
        { name: 'admin: content', description: 'Write, publish and reorder content' },
        { name: 'admin: revisions', description: 'Revision history, diffs and restores' },
        { name: 'admin: releases', description: 'Sets of drafts and edits published together, now or at a time' },
        { name: 'admin: import and export', description: 'Bulk content in the seed format' },
        { name: 'admin: audit', description: 'Who changed what' },
        { name: 'admin: keys', description: 'API keys' },
        {
          name: 'embed',
          description: 'Iframe pages and oEmbed for partner sites (the widget script is at /embed/v1/widget.js)',
        },
        { name: 'sync', description: 'Delta sync feed for mirrors: everything published, then only what changed' },
        {
          name: 'admin: webhooks',
          description: 'Signed webhooks: receivers, secrets, the delivery log, redelivery and replay',
        },
        { name: 'problems', description: 'What each problem type (the type of a problem+json answer) means' },
        { name: 'operations', description: 'Health and readiness' },
      ],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer ick_…' },
        },
      },
    },
    // Every REST route has a tag; untagged ones (GraphiQL's page and assets) are not the contract.
    hideUntagged: true,
    transform: (input) => {
      const body = documentedBodyOf(input.schema?.body);
      return jsonSchemaTransform(body ? { ...input, schema: { ...input.schema, body } } : input);
    },
    transformObject: (doc) =>
      dropUnreferencedSchemas(applyConventions(jsonSchemaTransformObject(doc) as OpenApiDoc)) as ReturnType<
        typeof jsonSchemaTransformObject
      >,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
});
