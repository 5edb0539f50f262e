import type { FastifyInstance } from 'fastify';

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  data: T | null;
  errors?: { message: string; path?: string[]; extensions: { code: string; [k: string]: unknown } }[];
  extensions?: { cost?: { cost: number; depth: number; aliases: number; fields: number } };
}

/** POSTs a GraphQL query as a client would. */
export async function gql<T = Record<string, unknown>>(
  app: FastifyInstance,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphqlResponse<T>> {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
  return { status: res.statusCode, headers: res.headers, ...JSON.parse(res.body) };
}

/** Fetches with GET, the cacheable way. */
export async function gqlGet<T = Record<string, unknown>>(
  app: FastifyInstance,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const search = new URLSearchParams(
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
  );
  const res = await app.inject({ method: 'GET', url: `/graphql?${search}`, headers });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: res.body ? (JSON.parse(res.body) as Omit<GraphqlResponse<T>, 'status' | 'headers'>) : null,
  };
}
