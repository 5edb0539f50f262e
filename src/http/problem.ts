import { z } from 'zod';
import type { AppError } from '../errors.js';
import { ERROR_CODES, type ErrorCode, type FieldError } from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** The path of a code's problem type: /problems/not-found for NOT_FOUND. */
export const problemType = (code: ErrorCode) => `/problems/${code.toLowerCase().replaceAll('_', '-')}`;

/** The code a problem type page is about, from the last segment of its path. */
export function codeOfProblemType(segment: string): ErrorCode | undefined {
  const code = segment.toUpperCase().replaceAll('-', '_');
  return segment === segment.toLowerCase() && code in ERROR_CODES ? (code as ErrorCode) : undefined;
}

const Problem = z
  .object({
    // Relative, as RFC 9457 allows: it resolves against the API's own address, wherever it runs.
    type: z
      .string()
      .max(100)
      .describe(
        'A URI reference naming the kind of problem, /problems/<code in kebab case>; GET it for a page that explains the code',
      ),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    code: z.enum(CODES).describe('Stable machine-readable error code'),
    instance: z.string().describe('The request path'),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          location: z.enum(['query', 'body', 'path', 'header', 'request']).optional(),
          message: z.string(),
        }),
      )
      .optional()
      .describe('One entry per bad field, for validation failures'),
  })
  .meta({ id: 'Problem' });
export type ProblemBody = z.infer<typeof Problem>;

export function problemOf(
  err: AppError | ErrorCode,
  detail: string | undefined,
  ctx: { url: string; requestId: string },
): ProblemBody {
  const code = typeof err === 'string' ? err : err.code;
  const { status, title } = ERROR_CODES[code];
  const errors: FieldError[] | undefined = typeof err === 'string' ? undefined : err.errors;
  return {
    type: problemType(code),
    title,
    status,
    detail: detail ?? (typeof err === 'string' ? title : err.message),
    code,
    instance: ctx.url.split('?')[0] ?? ctx.url,
    requestId: ctx.requestId,
    ...(errors ? { errors } : {}),
  };
}

/** OpenAPI response entries for the problems a route can answer with. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: Object.values(ERROR_CODES).find((c) => c.status === status)?.title ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
      },
    ]),
  );
}
