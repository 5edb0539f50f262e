import { z } from 'zod';
import type { AppError} from '../errors.js';
import { ERROR_CODES, type ErrorCode, type FieldError } from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const Problem = z
  .object({
    type: z.string().describe('A URI naming the kind of problem: /problems/<code>'),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().describe('Stable machine-readable error code'),
    instance: z.string().describe('The request path'),
    requestId: z.string(),
    errors: z
      .array(z.object({ path: z.string(), location: z.string().optional(), message: z.string() }))
      .optional()
      .describe('One entry per bad field, for validation failures'),
  })
  .meta({ id: 'Problem' });
export type ProblemBody = z.infer<typeof Problem>;

export function problemOf(err: AppError | ErrorCode, detail: string | undefined, ctx: { url: string; requestId: string }): ProblemBody {
  const code = typeof err === 'string' ? err : err.code;
  const { status, title } = ERROR_CODES[code];
  const errors: FieldError[] | undefined = typeof err === 'string' ? undefined : err.errors;
  return {
    type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
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
