import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { parse } from 'yaml';
import { OPENAPI_FILE } from '../../src/cli/openapi-document.js';
import { hostileString, hostileValue, PROTO_KEYS, rawBody, withExtraKeys } from './hostile.js';

/*
 * Requests for every operation of openapi.yaml: parameters and bodies generated from the
 * documented schemas, well-formed or not, with hostile values mixed in at any depth.
 */

type Schema = Record<string, unknown> & { $ref?: string };
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
export interface Operation {
  operationId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  parameters: Parameter[];
  body?: Schema;
}
interface Document {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

export interface GeneratedRequest {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  /** A value sent as JSON, or raw text sent as is with a JSON content type. */
  body?: { json: unknown } | { raw: string };
}

export async function readOperations(): Promise<{ doc: Document; operations: Operation[] }> {
  const doc = parse(await readFile(OPENAPI_FILE, 'utf8')) as Document;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      operationId: op.operationId,
      method: method.toUpperCase() as Operation['method'],
      path,
      parameters: op.parameters ?? [],
      ...(op.requestBody ? { body: op.requestBody.content['application/json']?.schema } : {}),
    })),
  );
  return { doc, operations };
}

/** Known good values by name (real slugs, ids): without them almost every request is a 404. */
export type Fixtures = Record<string, readonly unknown[]>;

/**
 * Values a schema allows (length, range, pattern, enum, format), with `hostility` percent of the
 * nodes replaced by something hostile. Strings a schema allows still carry injection and unicode.
 */
function fromSchema(
  doc: Document,
  schema: Schema,
  hostility: number,
  fixtures: Fixtures = {},
  name = '',
): fc.Arbitrary<unknown> {
  const valid = validFrom(doc, schema, hostility, fixtures, name);
  return hostility > 0
    ? fc.oneof({ weight: 100 - hostility, arbitrary: valid }, { weight: hostility, arbitrary: hostileValue })
    : valid;
}

function validFrom(
  doc: Document,
  schema: Schema,
  hostility: number,
  fixtures: Fixtures,
  name: string,
): fc.Arbitrary<unknown> {
  if (schema.$ref)
    return fromSchema(doc, doc.components.schemas[schema.$ref.split('/').pop()!]!, hostility, fixtures, name);
  const known = fixtures[name];
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) return fc.oneof(...options.map((s) => fromSchema(doc, s, hostility, fixtures, name)));
  if (Array.isArray(schema.type))
    return fc.oneof(
      ...(schema.type as string[]).map((type) => validFrom(doc, { ...schema, type }, hostility, fixtures, name)),
    );
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = Math.max((schema.minimum as number | undefined) ?? -1e6, -1e6);
      const max = Math.min((schema.maximum as number | undefined) ?? 1e6, 1e6);
      const numbers = schema.type === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
      return known ? fc.oneof(fc.constantFrom(...known), numbers) : numbers;
    }
    case 'array': {
      const items = fromSchema(doc, (schema.items as Schema) ?? {}, hostility, fixtures, name);
      return fc.array(items, {
        minLength: (schema.minItems as number) ?? 0,
        maxLength: Math.min((schema.maxItems as number) ?? 4, 4),
      });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const record = fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([key, s]) => [key, fromSchema(doc, s, hostility, fixtures, key)]),
        ),
        {
          requiredKeys: ((schema.required as string[]) ?? []).filter((key) => key in properties),
        },
      ) as fc.Arbitrary<Record<string, unknown>>;
      return hostility > 0 ? withExtraKeys(record) : record;
    }
    case 'string':
      return stringFrom(schema, known);
    default:
      // Unconstrained (the import's role documents): anything at all.
      return hostileValue;
  }
}

function stringFrom(schema: Schema, known: readonly unknown[] | undefined): fc.Arbitrary<unknown> {
  const min = (schema.minLength as number) ?? 0;
  const max = Math.min((schema.maxLength as number) ?? 200, 200);
  const fit = (s: string) => (s.length > max ? s.slice(0, max) : s.padEnd(min, 'x'));
  let strings: fc.Arbitrary<string>;
  if (schema.format === 'uuid') strings = fc.uuid();
  else if (schema.format === 'date-time')
    strings = fc
      .date({ min: new Date(0), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  else if (typeof schema.pattern === 'string') strings = fc.stringMatching(new RegExp(schema.pattern)).map(fit);
  else strings = fc.oneof(fc.string({ maxLength: max }), hostileString).map(fit);
  return known ? fc.oneof(fc.constantFrom(...known.map(String)), strings) : strings;
}

const PATH_SEGMENTS = ['..', '.', '%2e%2e', '%2F', '%00', '%', '%zz', '%E0%A4%A', '%C0%AE', '~', ';', '%3B'];

/** Percent-encoded; a lone surrogate goes as the bytes it would be, which are not UTF-8. */
function encodeSegment(value: unknown): string {
  const text = String(value);
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, ''))}%ED%A0%80`;
  }
}

/** Requests for one operation: admin or anonymous, parameters and body well-formed or hostile. */
export function requestsFor(
  doc: Document,
  op: Operation,
  fixtures: Fixtures,
  keys: { admin: string },
): fc.Arbitrary<GeneratedRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const path = fc
    .tuple(
      ...pathParams.map((p) =>
        fc.oneof(
          { weight: 16, arbitrary: fromSchema(doc, p.schema, 0, fixtures, p.name).map(encodeSegment) },
          { weight: 2, arbitrary: hostileString.map(encodeSegment) },
          { weight: 1, arbitrary: fc.constantFrom(...PATH_SEGMENTS) },
        ),
      ),
    )
    .map((values) => pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, values[i]!), op.path));
  const query = fc
    .tuple(
      ...queryParams.map((p) =>
        fc.option(
          fc.oneof(
            { weight: 10, arbitrary: fromSchema(doc, p.schema, 0, fixtures, p.name) },
            { weight: 1, arbitrary: hostileValue },
          ),
          { freq: 2 },
        ),
      ),
      fc.option(
        fc.tuple(
          fc.oneof(fc.constantFrom(...PROTO_KEYS, ...queryParams.map((p) => p.name)), hostileString),
          hostileString,
        ),
        { freq: 8 },
      ),
    )
    .map((values) => {
      const search = new URLSearchParams();
      queryParams.forEach((p, i) => {
        const value = values[i];
        if (value !== null)
          for (const v of [value].flat()) search.append(p.name, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
      });
      const extra = values[queryParams.length] as [string, string] | null;
      if (extra) search.append(extra[0], extra[1]);
      return search.size ? `?${search}` : '';
    });
  const body = op.body
    ? fc.oneof(
        { weight: 6, arbitrary: fromSchema(doc, op.body, 0, fixtures).map((json) => ({ json })) },
        { weight: 3, arbitrary: fromSchema(doc, op.body, 8, fixtures).map((json) => ({ json })) },
        ...(fixtures[`body:${op.operationId}`]
          ? [{ weight: 4, arbitrary: perturb(fixtures[`body:${op.operationId}`]![0]).map((json) => ({ json })) }]
          : []),
        { weight: 1, arbitrary: hostileValue.map((json) => ({ json })) },
        { weight: 1, arbitrary: rawBody.map((raw) => ({ raw })) },
      )
    : fc.option(
        hostileValue.map((json) => ({ json })),
        { freq: 8 },
      );
  const printable = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 40,
  });
  const headers = fc
    .option(
      fc.record(
        {
          'if-match': fc.oneof(printable, fc.constantFrom('"1"', '*', 'W/"1"', '"1-0123456789abcdef"')),
          'if-none-match': printable,
          'x-preview': fc.constantFrom('true', 'x'),
        },
        { requiredKeys: [] },
      ),
      { freq: 8 },
    )
    .map((h) => h ?? {});
  const auth = fc.constantFrom<string | null>(keys.admin, keys.admin, keys.admin, keys.admin, null);
  return fc.record({ path, query, body, headers, auth }).map(({ path: p, query: q, body: b, headers: h, auth: a }) => ({
    method: op.method,
    url: `${p}${q}`,
    headers: { ...h, ...(a ? { authorization: `Bearer ${a}` } : {}) },
    ...(b ? { body: b } : {}),
  }));
}

/** A known good value with hostile changes at some of its nodes. */
export function perturb(value: unknown): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant(value) }, { weight: 3, arbitrary: perturbNodes(value) });
}

// Rare at each node, so a large document usually has a few changes and sometimes none.
function perturbNodes(value: unknown): fc.Arbitrary<unknown> {
  const hostile = { weight: 1, arbitrary: hostileValue };
  if (Array.isArray(value))
    return fc.oneof({ weight: 60, arbitrary: fc.tuple(...value.map(perturbNodes)) as fc.Arbitrary<unknown> }, hostile);
  if (value && typeof value === 'object') {
    const record = fc.record(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, perturbNodes(v)])), {
      noNullPrototype: true,
    }) as fc.Arbitrary<Record<string, unknown>>;
    return fc.oneof({ weight: 60, arbitrary: withExtraKeys(record) }, hostile);
  }
  return fc.oneof({ weight: 60, arbitrary: fc.constant(value) }, hostile);
}
