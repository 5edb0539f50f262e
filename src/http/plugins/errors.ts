import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  AppError,
  ERROR_CODES,
  fromDatabaseError,
  isAppError,
  RETRY_AFTER_SECONDS,
  type ErrorCode,
  type FieldError,
  type FieldLocation,
} from '../../errors.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problem.js';
import { SECURITY_POLICIES } from './security-headers.js';

const LOCATIONS: Record<string, FieldLocation> = {
  querystring: 'query',
  body: 'body',
  params: 'path',
  headers: 'header',
};

function fromValidation(err: FastifyError): AppError {
  const location = LOCATIONS[err.validationContext ?? ''] ?? 'request';
  const issues = (err.validation ?? []) as unknown as {
    instancePath?: string;
    message?: string;
    params?: { keys?: string[] };
  }[];
  const errors: FieldError[] = issues.flatMap((issue) => {
    const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    // An unknown key is reported on its parent; name the key itself instead.
    if (issue.params?.keys?.length) {
      return issue.params.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        location,
        message: location === 'body' ? 'is not a recognised field' : 'is not a recognised parameter',
      }));
    }
    return [{ path: path || location, location, message: issue.message ?? 'is invalid' }];
  });
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new AppError('VALIDATION_FAILED', detail || 'The request is invalid', { errors });
}

/** Maps fastify's own client errors (bad JSON, wrong content type, too large) to our codes. */
function fromFastify(err: FastifyError): AppError | undefined {
  const status = err.statusCode ?? 500;
  if (status >= 500) return undefined;
  const codes: Record<number, ErrorCode> = {
    400: 'BAD_REQUEST',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
  };
  return new AppError(codes[status] ?? 'BAD_REQUEST', err.message);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Headers every answer carries, written by hand where fastify's hooks do not run. CORS too: a
 * refusal before routing holds no data, and a page of another origin should read why.
 */
const RAW_HEADERS = `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: ${SECURITY_POLICIES.api.contentSecurityPolicy}\r\nX-Frame-Options: DENY\r\nAccess-Control-Allow-Origin: *\r\nConnection: close`;

/**
 * Requests Node refuses before fastify sees them (headers or URL too long, a malformed request
 * line, a client too slow to send its headers) leave as problem+json too, on the raw socket.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? 'REQUEST_HEADERS_TOO_LARGE'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'REQUEST_TIMEOUT'
        : 'BAD_REQUEST';
  const detail =
    {
      REQUEST_HEADERS_TOO_LARGE:
        'The request line and headers are too long: shorten the URL (move long filters into a POST body where the API takes one) or the headers',
      REQUEST_TIMEOUT: 'The request took too long to arrive',
    }[code as string] ?? 'The request is not valid HTTP';
  const requestId = randomUUID();
  const body = JSON.stringify(problemOf(code, detail, { url: '', requestId }));
  const status = ERROR_CODES[code].status;
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n${RAW_HEADERS}\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  const body = problemOf(err, undefined, { url: request.url, requestId: request.id });
  // A 503 passes by itself (the database is back, the load has eased): say when to try again.
  if (err.code === 'UNAVAILABLE' && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_SECONDS);
  return reply
    .code(err.status)
    .header('cache-control', 'no-store')
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(body));
}

/**
 * Registered at the root so it covers every route: every error leaves as problem+json, 5xx
 * details stay in the log with the request id, and no stack or SQL reaches a client.
 */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let appErr: AppError | undefined;
    if (isAppError(err)) appErr = err;
    else if (hasZodFastifySchemaValidationErrors(err)) appErr = fromValidation(err);
    else if (err.validation) appErr = fromValidation(err);
    else appErr = fromDatabaseError(err) ?? fromFastify(err);

    if (!appErr) {
      request.log.error({ err }, 'request failed');
      appErr = new AppError('INTERNAL', 'Something went wrong on our side. The request id identifies it in our logs.');
    } else if (appErr.status >= 500) {
      request.log.error({ err }, appErr.message);
    } else {
      request.log.info({ code: appErr.code, detail: appErr.message }, 'client error');
    }
    return sendProblem(request, reply, appErr);
  });

  // A path that exists under other methods answers 405 and says which ones (Allow), not 404.
  // OPTIONS is left out: CORS answers preflights on every path, so it says nothing of the path.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = METHODS.filter((method) => method !== 'OPTIONS' && app.findRoute({ method, url: path }) !== null);
    if (allowed.length) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        request,
        reply,
        new AppError(
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on ${path}; it takes ${allowed.join(', ')}`,
        ),
      );
    }
    return sendProblem(request, reply, new AppError('NOT_FOUND', `No route for ${request.method} ${path}`));
  });
});
