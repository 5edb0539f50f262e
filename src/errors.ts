/*
 * Every error a client can see is an AppError with a stable code. The HTTP layer turns it into
 * RFC 9457 problem+json, the GraphQL layer into extensions.code; anything else is a 500 whose
 * details stay in the log.
 */

export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  VALIDATION_FAILED: { status: 400, title: 'Validation failed' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  CONFLICT: { status: 409, title: 'Conflict' },
  GONE: { status: 410, title: 'Gone' },
  PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  REQUEST_HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  NOT_IMPLEMENTED: { status: 501, title: 'Not implemented' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in a request a bad field was sent. */
export type FieldLocation = 'query' | 'body' | 'path' | 'header' | 'request';

/** One bad field: where it is (`limit` in the query, `questions.3.prompt` in the body) and what is wrong. */
export interface FieldError {
  path: string;
  location?: FieldLocation;
  message: string;
}

/** What zod says is wrong with a value: where (the keys down to it) and what. */
interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** Fields a strict object does not have (zod's unrecognized_keys), reported on their parent. */
  readonly keys?: readonly string[];
}

/**
 * zod's issues as field errors, the one place they are turned into them: each path dotted
 * (`questions.3.prompt`), after `prefix` when the value checked sat inside a larger one
 * (`roles.2`), with the location when a request sent it. An issue about the whole value is put at
 * the prefix, or else at the location.
 */
export function fieldErrors(
  issues: readonly SchemaIssue[],
  options: { prefix?: string; location?: FieldLocation } = {},
): FieldError[] {
  const { prefix, location } = options;
  // An unknown field is named itself, one error each, rather than its parent.
  const named = issues.flatMap((issue): { path: readonly PropertyKey[]; message: string }[] =>
    issue.keys?.length
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: 'is not a recognised field' }))
      : [issue],
  );
  return named.map((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || (location ?? '');
    return location ? { path, location, message: issue.message } : { path, message: issue.message };
  });
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly errors: FieldError[] | undefined;

  constructor(code: ErrorCode, detail: string, options: { errors?: FieldError[]; cause?: unknown } = {}) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.title = ERROR_CODES[code].title;
    this.errors = options.errors;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} was not found`);

export function badParameter(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${path}: ${message}`, { errors: [{ path, message }] });
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** What a client should wait before trying again after a 503 (Retry-After, in seconds). */
export const RETRY_AFTER_SECONDS = 5;

// The database cannot be reached or did not answer in time: the driver's and the socket's codes,
// ours (db/instrument.ts), and SQLSTATEs for a server that is shutting down, starting, full, or
// that cancelled a statement at statement_timeout. Nothing the caller did; it passes by itself.
const UNREACHABLE = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'DATABASE_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '57014',
]);

/**
 * Database refusals that are the caller's to fix, by SQLSTATE, in one table for every surface
 * (REST, GraphQL, CLI), and a database that cannot answer (503: try again later). A write racing
 * another to the same unique key (two tools creating one slug at once) is a conflict for the
 * caller to resolve, not a fault of ours.
 */
export function fromDatabaseError(err: unknown): AppError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || code.startsWith('08'))) {
      return new AppError('UNAVAILABLE', 'The database is not answering at the moment; try again shortly');
    }
    if (code === '23505')
      return new AppError('CONFLICT', 'The change conflicts with content that already exists; reload and try again');
    if (code === '23503')
      return new AppError(
        'CONFLICT',
        'The change refers to content that no longer exists, or is still referred to; reload and try again',
      );
    if (code === '40001' || code === '40P01')
      return new AppError('CONFLICT', 'The change collided with another one; try again');
    // Class 22, data exceptions: a value PostgreSQL cannot take (bad text encoding, a number or a
    // date out of range, a malformed literal) is the caller's to fix.
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code))
      return new AppError('BAD_REQUEST', 'A value in the request is not one the API can store or compare');
  }
  return undefined;
}
