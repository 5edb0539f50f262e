import type { FastifyInstance } from 'fastify';
import { send } from './admin.js';

export interface PartnerKey {
  id: string;
  token: string;
  type: 'server' | 'browser';
  scopes: string[];
  prefix: string;
  categories: string[] | null;
  allowedOrigins: string[];
  rateLimitPerMinute: number | null;
}

/** A partner key as an admin makes one: no scopes, with its own limits, origins and categories. */
export async function createPartnerKey(app: FastifyInstance, body: Record<string, unknown> = {}): Promise<PartnerKey> {
  const res = await send<{ data: PartnerKey }>(app, 'POST', '/v1/admin/keys', {
    name: 'job board',
    scopes: [],
    ...body,
  });
  if (res.status !== 201) throw new Error(`creating a partner key answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** GET with a key, as a partner's server would send it. */
export async function getWith<T = Record<string, unknown>>(
  app: FastifyInstance,
  url: string,
  token: string,
  headers: Record<string, string> = {},
) {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: (res.headers['content-type']?.toString().includes('json') ? JSON.parse(res.body) : res.body) as T,
  };
}
