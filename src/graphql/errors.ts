import { GraphQLError } from './graphql-module.js';
import type { MercuriusContext } from 'mercurius';
import { fromDatabaseError, isAppError, RETRY_AFTER_SECONDS, type AppError, type ErrorCode } from '../errors.js';

/** Our stable codes as GraphQL clients know them (Apollo's names where one exists). */
const GRAPHQL_CODES: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'BAD_USER_INPUT',
  VALIDATION_FAILED: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

/**
 * HTTP status of a response without data, by the code of its first error: a request refused as a
 * whole answers like REST would. Codes not listed are the server's fault (500).
 */
const REQUEST_STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COSTLY: 400,
  TOO_MANY_ALIASES: 400,
  TOO_MANY_FIELDS: 400,
  QUERY_TOO_LARGE: 400,
  TOO_MANY_TOKENS: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
  PERSISTED_QUERY_NOT_SUPPORTED: 400,
  PERSISTED_QUERY_HASH_MISMATCH: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** fastify's own refusals of the HTTP request (body not JSON, too large, wrong media type). */
const HTTP_CODES: Record<number, string> = { 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

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

/** graphql-js reports an operationName that picks no operation in these words (v16). */
const OPERATION_RESOLUTION = /^(Must provide operation name|Unknown operation named|Must provide an operation)/;

/** graphql-js stops parsing at `maxTokens` with this message (v16, its spelling). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that (\d+) tokens/;

function codeOfGraphqlError(e: GraphQLError): string {
  if (TOO_MANY_TOKENS.test(e.message)) return 'TOO_MANY_TOKENS';
  if (e.message.startsWith('Syntax Error')) return 'GRAPHQL_PARSE_FAILED';
  if (OPERATION_RESOLUTION.test(e.message)) return 'OPERATION_RESOLUTION_FAILURE';
  return 'GRAPHQL_VALIDATION_FAILED';
}

function flatten(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    // Mercurius wraps parse and validation failures; unwrap them into one error each.
    const original = error.originalError as { errors?: unknown[]; code?: string } | undefined;
    const inner = original?.errors;
    if (Array.isArray(inner) && !isAppError(original) && !MERCURIUS_CODES[original?.code ?? '']) {
      return inner.map((e) => {
        const tokens = e instanceof GraphQLError ? TOO_MANY_TOKENS.exec(e.message) : null;
        if (tokens)
          return new GraphQLError(`The query has more than ${tokens[1]} tokens, the limit`, {
            extensions: { code: 'TOO_MANY_TOKENS', limit: Number(tokens[1]) },
          });
        if (e instanceof GraphQLError) {
          return e.extensions.code
            ? e
            : new GraphQLError(e.message, {
                nodes: e.nodes,
                source: e.source,
                positions: e.positions,
                path: e.path,
                extensions: { code: codeOfGraphqlError(e) },
              });
        }
        return new GraphQLError(String((e as Error).message ?? e), {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        });
      });
    }
    return [error];
  });
}

/** What a client did wrong, if it was the client: our errors, the database's refusals, the transport's. */
function clientError(
  error: GraphQLError,
  original: unknown,
): { code: string; message: string; appError?: AppError } | undefined {
  const appError = isAppError(original) ? original : fromDatabaseError(original);
  // UNAVAILABLE (shutting down) is ours but expected, and says what to do: keep it.
  if (appError)
    return appError.status >= 500 && appError.code !== 'UNAVAILABLE'
      ? undefined
      : { code: GRAPHQL_CODES[appError.code] ?? 'BAD_USER_INPUT', message: appError.message, appError };
  const known = error.extensions?.code as string | undefined;
  if (known) return known === 'INTERNAL_SERVER_ERROR' ? undefined : { code: known, message: error.message };
  const { code, statusCode } = (original ?? {}) as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && MERCURIUS_CODES[code]) return { code: MERCURIUS_CODES[code], message: error.message };
  // fastify (body not JSON, too large, unsupported media type) and mercurius (variables in a GET
  // that are not JSON) refuse the HTTP request before any GraphQL runs.
  if (
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500 &&
    typeof code === 'string' &&
    /^(FST_|MER_ERR_GQL_VALIDATION)/.test(code)
  ) {
    return { code: HTTP_CODES[statusCode] ?? 'BAD_REQUEST', message: error.message };
  }
  // Operation resolution errors from execute() carry no code of their own.
  if (original === error || original === undefined) {
    if (OPERATION_RESOLUTION.test(error.message))
      return { code: 'OPERATION_RESOLUTION_FAILURE', message: error.message };
  }
  return undefined;
}

/**
 * Every GraphQL error leaves with extensions.code. Our AppErrors keep their meaning, limits and
 * validation keep theirs, client mistakes in the HTTP request get theirs, anything else becomes
 * INTERNAL_SERVER_ERROR with a generic message: its details (stack, SQL) go to the log only.
 */
export function formatErrors(execution: Execution, ctx: MercuriusContext) {
  const log = ctx.reply?.log ?? ctx.app.log;
  let serverFault = false;
  const errors = flatten(execution.errors ?? []).map((error) => {
    const original = error.originalError ?? error;
    const client = clientError(error, original);
    const extensions: Record<string, unknown> = { ...error.extensions };
    if (!client) {
      log.error({ err: original }, 'graphql request failed');
      serverFault = true;
      return {
        message: 'Something went wrong on our side. The request id identifies it in our logs.',
        locations: error.locations,
        path: error.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: ctx.reply?.request.id },
      };
    }
    if (client.appError?.errors) extensions.errors = client.appError.errors;
    return {
      message: client.message,
      locations: error.locations,
      path: error.path,
      extensions: { ...extensions, code: client.code, requestId: ctx.reply?.request.id },
    };
  });
  const first = errors[0]?.extensions.code ?? 'INTERNAL_SERVER_ERROR';
  // Part of the query could not run because the database is away: the whole answer is a 503 that
  // says when to try again, as REST's is, even when other fields did resolve.
  const unavailable = !serverFault && errors.some((e) => e.extensions.code === 'SERVICE_UNAVAILABLE');
  if (unavailable) ctx.reply?.header('retry-after', RETRY_AFTER_SECONDS);
  const statusCode = unavailable ? 503 : execution.data ? 200 : serverFault ? 500 : (REQUEST_STATUS[first] ?? 500);
  if (!execution.data) {
    for (const e of errors)
      if (e.extensions.code !== 'INTERNAL_SERVER_ERROR')
        log.info({ code: e.extensions.code, detail: e.message }, 'graphql client error');
  }
  // A query refused for its limits still reports what it measured.
  const extensions = ctx.measure
    ? {
        cost: {
          cost: ctx.measure.cost,
          depth: ctx.measure.depth,
          aliases: ctx.measure.aliases,
          fields: ctx.measure.fields,
        },
      }
    : undefined;
  return {
    statusCode,
    response: {
      data: (execution.data ?? null) as never,
      errors: errors as never,
      ...(extensions && !execution.data ? { extensions } : {}),
    },
  };
}
