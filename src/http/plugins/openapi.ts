import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../problem.js';

export const OPENAPI_INFO = {
  title: 'Interview Content API',
  version: '1.0.0',
  description:
    'Interview-preparation content (roles, rounds, questions with STAR examples and pitfalls, tips, FAQs) over REST. Errors are RFC 9457 problem+json.',
};

type OpenApiDoc = { paths?: unknown; components?: { schemas?: Record<string, unknown> } };

/**
 * The type provider emits every registered schema twice (as read and as written, "XInput"). Our
 * components are response shapes, so keep only the ones something actually refers to; client
 * generators would otherwise produce a duplicate type for each.
 */
function dropUnreferencedSchemas<T extends OpenApiDoc>(doc: T): T {
  const schemas = doc.components?.schemas ?? {};
  const refsIn = (value: unknown) => [...JSON.stringify(value).matchAll(/#\/components\/schemas\/([\w.-]+)/g)].map((m) => m[1]!);
  const keep = new Set<string>();
  const queue = refsIn(doc.paths);
  while (queue.length) {
    const name = queue.pop()!;
    if (keep.has(name) || !(name in schemas)) continue;
    keep.add(name);
    queue.push(...refsIn(schemas[name]));
  }
  return { ...doc, components: { ...doc.components, schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => keep.has(name))) } };
}

/** The OpenAPI document is generated from the route schemas; /docs serves an interactive reference. */
export const openapiPlugin = fp(async (app: FastifyInstance) => {
  // What every API route can answer besides its own cases, added here so no route can forget:
  // 400 for its inputs, 401 for a bad key, 403 for a missing scope, preview or origin, 413 for a
  // body over the route's limit, 429 over the rate limit, 304 for a fresh ETag.
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access || !route.schema) return;
    const schema = route.schema as { response?: Record<string, unknown>; security?: unknown; params?: unknown; querystring?: unknown; body?: unknown; description?: string };
    const response = (schema.response ??= {});
    const wanted = [...(schema.params || schema.querystring || schema.body ? [400] : []), 401, 403, ...(schema.body ? [413] : []), 429];
    Object.assign(response, Object.fromEntries(Object.entries(problemResponses(...wanted)).filter(([status]) => !(status in response))));
    if (access === 'public') {
      if (route.method === 'GET' && !('304' in response)) response['304'] = z.undefined().describe('Not modified: the ETag sent in If-None-Match is still current');
    } else {
      const scopes = typeof access === 'string' ? [access] : access;
      schema.security = [{ apiKey: [] }];
      schema.description = `${schema.description ? `${schema.description}\n\n` : ''}Needs an API key with ${scopes.join(' and ')}.`;
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      tags: [
        { name: 'content', description: 'Published interview content; no key needed (preview=true needs content:preview)' },
        { name: 'admin: content', description: 'Write, publish and reorder content' },
        { name: 'admin: revisions', description: 'Revision history, diffs and restores' },
        { name: 'admin: import and export', description: 'Bulk content in the seed format' },
        { name: 'admin: audit', description: 'Who changed what' },
        { name: 'admin: keys', description: 'API keys' },
        { name: 'embed', description: 'Iframe pages and oEmbed for partner sites (the widget script is at /embed/v1/widget.js)' },
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
    transform: jsonSchemaTransform,
    transformObject: (doc) => dropUnreferencedSchemas(jsonSchemaTransformObject(doc) as OpenApiDoc) as ReturnType<typeof jsonSchemaTransformObject>,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
});
