import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, fromDatabaseError, isAppError, type ErrorCode, type FieldError } from '../../errors.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problem.js';

const LOCATIONS: Record<string, string> = { querystring: 'query', body: 'body', params: 'path', headers: 'header' };

function fromValidation(err: FastifyError): AppError {
  const location = LOCATIONS[err.validationContext ?? ''] ?? err.validationContext ?? 'request';
  const issues = (err.validation ?? []) as unknown as { instancePath?: string; message?: string; params?: { keys?: string[] } }[];
  const errors: FieldError[] = issues.flatMap((issue) => {
    const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    // An unknown key is reported on its parent; name the key itself instead.
    if (issue.params?.keys?.length) {
      return issue.params.keys.map((key) => ({ path: path ? `${path}.${key}` : key, location, message: location === 'body' ? 'is not a recognised field' : 'is not a recognised parameter' }));
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
  const codes: Record<number, ErrorCode> = { 400: 'BAD_REQUEST', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };
  return new AppError(codes[status] ?? 'BAD_REQUEST', err.message);
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  const body = problemOf(err, undefined, { url: request.url, requestId: request.id });
  return reply.code(err.status).header('cache-control', 'no-store').type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
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

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new AppError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`)),
  );
});
