import type { FastifyRequest } from 'fastify';
import type { DocumentNode } from 'graphql';
import { MAX_JSON_DEPTH, tooDeep } from '../json-depth.js';
import { GraphQLError, getOperationAST, parse, visit } from './graphql-module.js';

/*
 * The GraphQL-over-HTTP request itself: checked before mercurius reads it, so a client mistake in
 * the envelope (a body that is not an object, variables sent as a string, a parameter given
 * twice) is a 400 naming the part, never a crash inside the transport.
 */

const transportError = (code: string, message: string, path?: string) =>
  new GraphQLError(message, { extensions: { code, ...(path ? { errors: [{ path, message }] } : {}) } });

/** What a query document may be before it is parsed; graphql-js stops parsing past maxTokens. */
export interface DocumentLimits {
  maxBytes: number;
  maxTokens: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A query is GraphQL source text and nothing else. Mercurius reads text that does not parse as
 * GraphQL as a JSON syntax tree instead, which would let a caller hand the limits a tree no parser
 * makes (a page size of "100x"). No JSON text is a GraphQL document (a selection is never a string,
 * a number, true or null), and GraphQL text fails JSON.parse within its first few characters.
 */
export function checkSource(source: string, limits: DocumentLimits) {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxBytes)
    throw new GraphQLError(`The query is ${bytes} bytes, over the limit of ${limits.maxBytes}`, {
      extensions: { code: 'QUERY_TOO_LARGE', limit: limits.maxBytes, actual: bytes },
    });
  if (isJson(source))
    throw transportError(
      'GRAPHQL_PARSE_FAILED',
      'query: must be GraphQL source text ("{ categories { slug } }"), not JSON',
      'query',
    );
}

function checkPost(body: unknown, limits: DocumentLimits) {
  if (!isObject(body))
    throw transportError(
      'BAD_REQUEST',
      'The body must be a JSON object: { "query": "...", "variables": { ... } }',
      'body',
    );
  if (body.query !== undefined && typeof body.query !== 'string')
    throw transportError('BAD_REQUEST', 'query: must be a string', 'query');
  if (body.operationName != null && typeof body.operationName !== 'string')
    throw transportError('BAD_REQUEST', 'operationName: must be a string', 'operationName');
  if (body.variables != null && !isObject(body.variables))
    throw transportError('BAD_REQUEST', 'variables: must be a JSON object', 'variables');
  if (body.extensions !== undefined && !isObject(body.extensions))
    throw transportError('BAD_REQUEST', 'extensions: must be a JSON object', 'extensions');
  if (body.query === undefined && !isObject(body.extensions?.persistedQuery))
    throw transportError('BAD_REQUEST', 'query: is required', 'query');
  if (typeof body.query === 'string') checkSource(body.query, limits);
}

function checkGet(params: Record<string, unknown>, limits: DocumentLimits) {
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') throw transportError('BAD_REQUEST', `${name}: give it once`, name);
  }
  for (const name of ['variables', 'extensions']) {
    const text = params[name];
    if (text === undefined) continue;
    if (tooDeep(text as string))
      throw transportError('BAD_REQUEST', `${name}: is nested more than ${MAX_JSON_DEPTH} levels deep`, name);
    let value: unknown;
    try {
      value = JSON.parse(text as string);
    } catch {
      throw transportError('BAD_REQUEST', `${name}: is not valid JSON`, name);
    }
    if (value !== null && !isObject(value)) throw transportError('BAD_REQUEST', `${name}: must be a JSON object`, name);
  }
  const { query, extensions } = params as Record<string, string | undefined>;
  if (query === undefined && !extensions) throw transportError('BAD_REQUEST', 'query: is required', 'query');
  if (query !== undefined) checkSource(query, limits);
  // A GET query is short (it fits in a URL), so parsing it once more here is cheap; it lets an
  // operation name that picks nothing be refused before mercurius relies on finding one.
  if (query !== undefined) {
    let document;
    try {
      document = parse(query, { noLocation: true, maxTokens: limits.maxTokens });
    } catch {
      return; // a syntax error is reported by the GraphQL layer itself, with its location
    }
    checkOperation(document, params.operationName as string | undefined);
  }
}

/** A document with several operations needs operationName, and it must name one of them. */
function checkOperation(document: Parameters<typeof getOperationAST>[0], operationName: string | null | undefined) {
  if (getOperationAST(document, operationName) !== null) return;
  const message = operationName
    ? `operationName: the query has no operation named "${operationName}"`
    : 'operationName: the query has several operations; say which one to run';
  throw transportError('OPERATION_RESOLUTION_FAILURE', message, 'operationName');
}

export async function checkTransport(request: FastifyRequest, limits: DocumentLimits) {
  if (request.method === 'POST') checkPost(request.body, limits);
  else if (request.method === 'GET') checkGet((request.query ?? {}) as Record<string, unknown>, limits);
}

/** Where a value holds a NUL character, which no text column can store: `variables.a.b`. */
function nulIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulIn(v, `${path}.${i}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = nulIn(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses NUL characters anywhere in a query's arguments or variables, naming where: no field of
 * ours can hold one, and the database would refuse it deep inside a command.
 */
export function checkNoNul(document: DocumentNode, variables: Record<string, unknown> | undefined) {
  const inVariables = nulIn(variables ?? {}, 'variables');
  if (inVariables)
    throw transportError('BAD_USER_INPUT', `${inVariables}: must not contain NUL characters`, inVariables);
  let argument: string | undefined;
  const names: string[] = [];
  visit(document, {
    Argument: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
    ObjectField: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
    StringValue: (node) => {
      if (!argument && node.value.includes('\u0000')) argument = names.join('.') || 'query';
    },
  });
  if (argument) throw transportError('BAD_USER_INPUT', `${argument}: must not contain NUL characters`, argument);
}
