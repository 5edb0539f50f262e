import { GraphQLError } from './graphql-module.js';
import type { MercuriusContext } from 'mercurius';
import { isAppError, type ErrorCode } from '../errors.js';

/** Our stable codes as GraphQL clients know them (Apollo's names where one exists). */
const GRAPHQL_CODES: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'BAD_USER_INPUT',
  VALIDATION_FAILED: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  RATE_LIMITED: 'RATE_LIMITED',
};

const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY', 'TOO_MANY_ALIASES', 'TOO_MANY_FIELDS', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_HASH_MISMATCH', 'METHOD_NOT_ALLOWED']);

/** HTTP status for a request refused as a whole (no data at all). */
const REQUEST_STATUS: Record<string, number> = { METHOD_NOT_ALLOWED: 405, UNAUTHENTICATED: 401, FORBIDDEN: 403 };

interface Execution {
  data?: unknown;
  errors?: readonly GraphQLError[];
}

const MERCURIUS_CODES: Record<string, string> = {
  MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  MER_ERR_GQL_PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  MER_ERR_GQL_PERSISTED_QUERY_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  MER_ERR_METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
};

function flatten(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    // Mercurius wraps parse and validation failures; unwrap them into one error each.
    const original = error.originalError as { errors?: unknown[]; code?: string } | undefined;
    const inner = original?.errors;
    if (Array.isArray(inner) && !isAppError(original) && !MERCURIUS_CODES[original?.code ?? '']) {
      return inner.map((e) => {
        if (e instanceof GraphQLError) {
          return e.extensions.code ? e : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, extensions: { code: e.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED' } });
        }
        return new GraphQLError(String((e as Error).message ?? e), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      });
    }
    return [error];
  });
}

/**
 * Every GraphQL error leaves with extensions.code. Our AppErrors keep their meaning, limits and
 * validation keep theirs, anything else becomes INTERNAL_SERVER_ERROR with a generic message:
 * its details (stack, SQL) go to the log only.
 */
export function formatErrors(execution: Execution, ctx: MercuriusContext) {
  const log = ctx.reply?.log ?? ctx.app.log;
  let status = 200;
  const errors = flatten(execution.errors ?? []).map((error) => {
    const original = error.originalError ?? error;
    let code = (error.extensions?.code as string | undefined) ?? MERCURIUS_CODES[(original as { code?: string }).code ?? ''];
    let message = error.message;
    let extensions: Record<string, unknown> = { ...error.extensions };
    if (isAppError(original)) {
      code = GRAPHQL_CODES[original.code] ?? 'INTERNAL_SERVER_ERROR';
      if (original.errors) extensions.errors = original.errors;
      if (original.status >= 500) code = 'INTERNAL_SERVER_ERROR';
    }
    if (!code || code === 'INTERNAL_SERVER_ERROR') {
      log.error({ err: original }, 'graphql request failed');
      code = 'INTERNAL_SERVER_ERROR';
      message = 'Something went wrong on our side. The request id identifies it in our logs.';
      extensions = {};
      status = 500;
    } else if (!execution.data && status === 200 && (CLIENT_CODES.has(code) || REQUEST_STATUS[code])) {
      status = REQUEST_STATUS[code] ?? 400;
    }
    return { message, locations: error.locations, path: error.path, extensions: { ...extensions, code, requestId: ctx.reply?.request.id } };
  });
  // A query refused for its limits still reports what it measured.
  const extensions = ctx.measure ? { cost: { cost: ctx.measure.cost, depth: ctx.measure.depth, aliases: ctx.measure.aliases, fields: ctx.measure.fields } } : undefined;
  return { statusCode: execution.data ? 200 : status, response: { data: (execution.data ?? null) as never, errors: errors as never, ...(extensions && !execution.data ? { extensions } : {}) } };
}
