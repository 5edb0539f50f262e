import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
}

/** GET as a client would, parsing JSON (problem+json included). */
export async function get<T = Record<string, unknown>>(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const res = await app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, headers: res.headers, body: (res.body ? JSON.parse(res.body) : undefined) as T };
}

/** GET that must succeed, its body checked against the schema the route declares. */
export async function getOk<S extends z.ZodType>(app: FastifyInstance, url: string, schema: S): Promise<z.infer<S>> {
  const res = await get(app, url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return schema.parse(res.body);
}

/** Follows nextCursor to the end, returning every item in order. */
export async function walk<T>(
  app: FastifyInstance,
  url: string,
  schema: z.ZodType<{ data: T[]; page: { nextCursor: string | null } }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const body: { data: T[]; page: { nextCursor: string | null } } = await getOk(
      app,
      cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url,
      schema,
    );
    items.push(...body.data);
    cursor = body.page.nextCursor;
    pages += 1;
    if (pages > 500) throw new Error('pagination does not end');
  } while (cursor);
  return { items, pages };
}

export function expectProblem(res: JsonResponse, status: number, param?: string) {
  const body = res.body as { status: number; type: string; title: string; detail: string; errors?: { path: string }[] };
  const problems = [
    String(res.headers['content-type']).startsWith('application/problem+json')
      ? null
      : `content-type ${res.headers['content-type']}`,
    res.status === status ? null : `status ${res.status}, expected ${status}`,
    body.status === status ? null : 'body.status differs',
    typeof body.title === 'string' && typeof body.detail === 'string' && typeof body.type === 'string'
      ? null
      : 'missing type/title/detail',
    param === undefined || body.errors?.some((e) => e.path === param || e.path.startsWith(`${param}.`))
      ? null
      : `no error names ${param}: ${JSON.stringify(body.errors)}`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`not the expected problem: ${problems.join('; ')}\n${JSON.stringify(body)}`);
}
