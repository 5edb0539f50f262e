import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

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
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      tags: [
        { name: 'content', description: 'Published interview content; no key needed' },
        { name: 'operations', description: 'Health and readiness' },
      ],
    },
    // Every REST route has a tag; untagged ones (GraphiQL's page and assets) are not the contract.
    hideUntagged: true,
    transform: jsonSchemaTransform,
    transformObject: (doc) => dropUnreferencedSchemas(jsonSchemaTransformObject(doc) as OpenApiDoc) as ReturnType<typeof jsonSchemaTransformObject>,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
});
