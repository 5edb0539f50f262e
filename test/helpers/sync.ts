import type { FastifyInstance } from 'fastify';
import { Category, list, Question, Role, RolePage, single } from '../../src/content/schemas.js';
import { SyncPage, type SyncPageOut } from '../../src/content/sync-schemas.js';
import { get, getOk, walk } from './http.js';

/* A partner's mirror, kept the way the README says: through GET /v1/sync alone. */

export type Mirror = Map<string, unknown>;

export async function syncOnce(
  app: FastifyInstance,
  cursor: string | null,
  limit = 100,
  headers: Record<string, string> = {},
): Promise<SyncPageOut> {
  const url = `/v1/sync?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const res = await get(app, url, headers);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return SyncPage.parse(res.body);
}

export function applyPage(mirror: Mirror, body: SyncPageOut): void {
  for (const item of body.data.items) {
    const value = item.type === 'category' ? item.category : item.type === 'role' ? item.role : item.question;
    mirror.set(`${item.type}:${item.key}`, value);
  }
  for (const t of body.data.tombstones) mirror.delete(`${t.type}:${t.key}`);
}

/** Follows nextCursor until up to date; returns the cursor to keep and every page seen. */
export async function syncAll(
  app: FastifyInstance,
  mirror: Mirror,
  cursor: string | null,
  limit = 100,
): Promise<{ cursor: string; pages: SyncPageOut[] }> {
  const pages: SyncPageOut[] = [];
  for (;;) {
    const body = await syncOnce(app, cursor, limit);
    applyPage(mirror, body);
    pages.push(body);
    cursor = body.page.syncCursor;
    if (!body.page.nextCursor) return { cursor, pages };
    if (pages.length > 1000) throw new Error('sync does not end');
  }
}

/** What the public API shows right now, read the ordinary way, keyed like the mirror. */
export async function publicState(app: FastifyInstance): Promise<Mirror> {
  const state: Mirror = new Map();
  for (const c of (await getOk(app, '/v1/categories', list(Category))).data) state.set(`category:${c.slug}`, c);
  for (const r of (await walk(app, '/v1/roles?limit=100', list(Role))).items) {
    state.set(
      `role:${r.slug}`,
      (await getOk(app, `/v1/roles/${r.slug}?include=rounds,tips,faqs,related`, single(RolePage))).data,
    );
  }
  for (const q of (await walk(app, '/v1/questions?limit=100', list(Question))).items) state.set(`question:${q.id}`, q);
  return state;
}

export const sorted = (mirror: Mirror) =>
  Object.fromEntries([...mirror.entries()].sort(([a], [b]) => a.localeCompare(b)));

export const keysOf = (body: SyncPageOut) => ({
  items: body.data.items.map((i) => `${i.type}:${i.key}`),
  tombstones: body.data.tombstones.map((t) => `${t.type}:${t.key}:${t.reason}`),
});
