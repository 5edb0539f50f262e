import { z } from 'zod';

/*
 * What every operation of openapi.yaml says without its route having to: who may call it, the
 * headers its answers carry, how its query parameters are written. Applied to the finished
 * document (plugins/openapi.ts), so routes added later get the same treatment.
 */

type Json = Record<string, unknown>;
interface Operation {
  security?: unknown[];
  parameters?: { in: string; name: string; schema?: Json; deprecated?: boolean }[];
  responses?: Record<string, { headers?: Record<string, unknown>; content?: unknown }>;
}
export interface OpenApiDoc {
  paths?: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, unknown>;
    headers?: Record<string, unknown>;
    responses?: Record<string, unknown>;
  };
}

const integer = (description: string) => ({
  description,
  schema: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
});

/** Response headers, defined once and referred to from every response that sends them. */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description: 'Identifies the request in our logs; a sane X-Request-Id sent with the request is kept',
    schema: { type: 'string', maxLength: 128 },
  },
  'Cache-Control': {
    description:
      'Anonymous public reads: public, max-age=<PUBLIC_CACHE_MAX_AGE>, stale-while-revalidate, stale-if-error. Anything answered to a key (previews above all) and admin answers: private, no-store. Errors: no-store.',
    schema: { type: 'string' },
  },
  ETag: {
    description:
      'The entity tag of this answer: send it back as If-None-Match for a 304, or as If-Match to write an admin item only if it is unchanged',
    schema: { type: 'string' },
  },
  Link: { description: 'The next page, when there is one: <url>; rel="next" (RFC 8288)', schema: { type: 'string' } },
  // Absent where nothing is counted: health checks, or anonymous callers with the limit off.
  'RateLimit-Limit': integer('Requests allowed in the current one-minute window'),
  'RateLimit-Remaining': integer('Requests left in the current window'),
  'RateLimit-Reset': integer('Seconds until the window ends'),
  'Retry-After': integer('Seconds to wait before trying again'),
};
type HeaderName = keyof typeof RESPONSE_HEADERS;
const ref = (name: HeaderName) => ({ $ref: `#/components/headers/${name}` });

/**
 * `x-parameter` on a parameter's schema (see http/params.ts) becomes the parameter's own schema,
 * style and explode; a deprecated schema makes the parameter deprecated.
 */
function liftParameter(parameter: NonNullable<Operation['parameters']>[number]) {
  const schema = parameter.schema ?? {};
  const lifted = schema['x-parameter'] as Json | undefined;
  delete schema['x-parameter'];
  if (schema.deprecated === true) parameter.deprecated = true;
  if (!lifted) return;
  const { schema: documented, ...rest } = lifted;
  Object.assign(parameter, rest);
  if (documented)
    parameter.schema = { ...(documented as Json), ...(schema.deprecated === true ? { deprecated: true } : {}) };
}

/** Shared answers (problems, 304), each defined once under components.responses. */
const SHARED_RESPONSES: Record<string, string> = {
  '304': 'NotModified',
  '400': 'BadRequest',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '404': 'NotFound',
  '409': 'Conflict',
  '412': 'PreconditionFailed',
  '413': 'PayloadTooLarge',
  '429': 'TooManyRequests',
  '501': 'NotImplemented',
  '503': 'ServiceUnavailable',
};

function headersFor(status: string, paged: boolean): Record<string, unknown> {
  const names: HeaderName[] = ['X-Request-Id', 'Cache-Control'];
  // @fastify/etag tags every answer that has a body, and a 304 repeats the tag.
  if (status !== '204') names.push('ETag');
  // A 304 repeats what the cached 200 carried, its Link included (one shared 304 serves all).
  if ((status === '200' && paged) || status === '304') names.push('Link');
  names.push('RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset');
  if (status === '429') names.push('Retry-After');
  return Object.fromEntries(names.map((name) => [name, ref(name)]));
}

export function applyConventions(doc: OpenApiDoc): OpenApiDoc {
  const shared: Record<string, unknown> = {};
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      // Routes that need a key say so (plugins/openapi.ts); every other one is open to anyone.
      operation.security ??= [];
      operation.parameters?.forEach(liftParameter);
      const paged = operation.parameters?.some((p) => p.in === 'query' && p.name === 'cursor') ?? false;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const withHeaders = { ...response, headers: { ...response.headers, ...headersFor(status, paged) } };
        const name = SHARED_RESPONSES[status];
        const isShared =
          name && (status === '304' || JSON.stringify(response.content ?? {}).includes('application/problem+json'));
        if (!isShared) {
          operation.responses![status] = withHeaders;
          continue;
        }
        shared[name] ??= withHeaders;
        operation.responses![status] = { $ref: `#/components/responses/${name}` } as never;
      }
    }
  }
  doc.components = {
    ...doc.components,
    responses: shared,
    headers: { ...doc.components?.headers, ...RESPONSE_HEADERS },
  };
  return doc;
}

/**
 * The type provider emits every registered schema twice (as read and as written, "XInput"). Our
 * components are response shapes, so keep only the ones something actually refers to; client
 * generators would otherwise produce a duplicate type for each.
 */
export function dropUnreferencedSchemas<T extends OpenApiDoc>(doc: T): T {
  const schemas = doc.components?.schemas ?? {};
  const refsIn = (value: unknown) =>
    [...JSON.stringify(value).matchAll(/#\/components\/schemas\/([\w.-]+)/g)].map((m) => m[1]!);
  const keep = new Set<string>();
  const queue = refsIn([doc.paths, doc.components?.responses]);
  while (queue.length) {
    const name = queue.pop()!;
    if (keep.has(name) || !(name in schemas)) continue;
    keep.add(name);
    queue.push(...refsIn(schemas[name]));
  }
  return {
    ...doc,
    components: {
      ...doc.components,
      schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => keep.has(name))),
    },
  };
}

/*
 * A request body that is read loosely but documented exactly: the import reads its roles one by
 * one (so a 20 MB bundle never blocks the process, and every bad field is listed), while clients
 * should see the export bundle's schema.
 */
const documentedBodies = new WeakMap<z.ZodType, z.ZodType>();

export function documentBodyAs<T extends z.ZodType>(validated: T, documented: z.ZodType): T {
  documentedBodies.set(validated, documented);
  return validated;
}

export function documentedBodyOf(body: unknown): z.ZodType | undefined {
  return body && typeof body === 'object' ? documentedBodies.get(body as z.ZodType) : undefined;
}

/**
 * A body that may be left out (a POST without one reads as {}), still refusing unknown fields,
 * and documented as the object it is.
 */
export const optionalBody = <T extends z.ZodObject>(schema: T) =>
  documentBodyAs(
    z.preprocess((value) => value ?? {}, schema),
    schema,
  );
