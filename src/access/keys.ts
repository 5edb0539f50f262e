import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { apiKeys, categories } from '../db/schema.js';
import { AppError } from '../errors.js';
import { checkBrowserKey, type KeyType } from './key-types.js';
import { SCOPES, type Principal, type Scope } from './principal.js';

/*
 * API keys: the token is `ick_<8 chars>_<43 chars>` (`icb_…` for a browser key, so one pasted in
 * the wrong place is recognised); its first 12 characters are a public prefix
 * that finds the key, the rest is secret. Only a SHA-256 of the whole token is stored; it is
 * compared in constant time. A rotated key keeps its old token working for an overlap window.
 */

const PREFIX_LENGTH = 12;
const MIN_TOKEN_LENGTH = 32;

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface KeyInput {
  name: string;
  /** server (the default) or browser (key-types.ts). */
  type?: KeyType | undefined;
  scopes: Scope[];
  expiresAt?: Date | null | undefined;
  rateLimitPerMinute?: number | null | undefined;
  allowedOrigins?: string[] | undefined;
  /** Category slugs a partner key is limited to; absent or null: every category. */
  categories?: string[] | null | undefined;
}

/** What admins see of a key: never the secret or its hash. */
function describeKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    type: row.type as KeyType,
    scopes: row.scopes as Scope[],
    rateLimitPerMinute: row.rateLimitPerMinute,
    allowedOrigins: row.allowedOrigins,
    categories: row.categories,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
export type KeyDescription = ReturnType<typeof describeKey>;

/**
 * A failed statement on api_keys, without the statement: the driver's error carries its
 * parameters (a secret's hash, a token's prefix) in its message and fields, and errors end up in
 * logs. Only the error code survives (a SQLSTATE, or ECONNREFUSED and the like), so the caller can
 * still tell a bad value from a fault.
 */
class KeyStoreError extends Error {
  constructor(readonly code: string | undefined) {
    super(`A statement on API keys failed${code ? ` (${code})` : ''}`);
    this.name = 'KeyStoreError';
  }
}

function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z_]{2,40}$/.test(code)) return code;
  }
  return undefined;
}

async function keyStatement<T>(run: () => PromiseLike<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new KeyStoreError(sqlState(err));
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function newToken(type: KeyType = 'server'): string {
  return `${type === 'browser' ? 'icb' : 'ick'}_${randomBytes(6)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')
    .slice(0, 8)}_${randomBytes(32).toString('base64url')}`;
}

function sameHash(a: string, b: string | null): boolean {
  if (b === null) return false;
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function createKey(
  db: Queryable,
  input: KeyInput,
  token = newToken(input.type),
): Promise<{ key: KeyDescription; token: string }> {
  const unknown = input.scopes.filter((s) => !SCOPES.includes(s));
  if (unknown.length)
    throw new AppError('VALIDATION_FAILED', `unknown scopes: ${unknown.join(', ')}`, {
      errors: [{ path: 'scopes', message: `unknown: ${unknown.join(', ')}` }],
    });
  if (input.type === 'browser') checkBrowserKey(input);
  if (input.categories) await checkCategories(db, input);
  const [row] = await keyStatement(() =>
    db
      .insert(apiKeys)
      .values({
        name: input.name,
        type: input.type ?? 'server',
        prefix: token.slice(0, PREFIX_LENGTH),
        secretHash: hashToken(token),
        scopes: [...new Set(input.scopes)],
        expiresAt: input.expiresAt ?? null,
        rateLimitPerMinute: input.rateLimitPerMinute ?? null,
        allowedOrigins: input.allowedOrigins ?? [],
        categories: input.categories ?? null,
      })
      .returning(),
  );
  return { key: describeKey(row!), token };
}

/**
 * Categories limit what a partner key reads; admin endpoints are not limited by category, so a
 * key that is limited holds no scopes. Every slug must name a category that exists.
 */
async function checkCategories(db: Queryable, input: KeyInput): Promise<void> {
  const slugs = [...new Set(input.categories ?? [])];
  const refuse = (message: string) =>
    new AppError('VALIDATION_FAILED', `categories: ${message}`, { errors: [{ path: 'categories', message }] });
  if (input.scopes.length) throw refuse('a key limited to categories reads public content only and cannot hold scopes');
  const found = slugs.length
    ? await db.select({ slug: categories.slug }).from(categories).where(inArray(categories.slug, slugs))
    : [];
  const missing = slugs.filter((slug) => !found.some((f) => f.slug === slug));
  if (missing.length) throw refuse(`no category with slug ${missing.map((m) => `"${m}"`).join(', ')}`);
}

export async function listKeys(db: Queryable): Promise<KeyDescription[]> {
  return (await keyStatement(() => db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt)))).map(describeKey);
}

export async function keyById(db: Queryable, id: string): Promise<ApiKeyRow> {
  const [row] = /^[0-9a-f-]{36}$/.test(id)
    ? await keyStatement(() => db.select().from(apiKeys).where(eq(apiKeys.id, id)))
    : [];
  if (!row) throw new AppError('NOT_FOUND', `API key ${id} was not found`);
  return row;
}

export async function revokeKey(db: Queryable, id: string): Promise<KeyDescription> {
  const row = await keyById(db, id);
  const [updated] = await keyStatement(() =>
    db
      .update(apiKeys)
      .set({ revokedAt: row.revokedAt ?? new Date(), updatedAt: new Date() })
      .where(eq(apiKeys.id, id))
      .returning(),
  );
  return describeKey(updated!);
}

/** Issues a new token; the old one keeps working for `overlapSeconds` (0 ends it at once). */
export async function rotateKey(
  db: Queryable,
  id: string,
  overlapSeconds: number,
): Promise<{ key: KeyDescription; token: string }> {
  const row = await keyById(db, id);
  if (row.revokedAt) throw new AppError('CONFLICT', 'A revoked key cannot be rotated');
  const token = `${row.prefix}${newToken(row.type as KeyType).slice(PREFIX_LENGTH)}`;
  const [updated] = await keyStatement(() =>
    db
      .update(apiKeys)
      .set({
        secretHash: hashToken(token),
        previousSecretHash: overlapSeconds > 0 ? row.secretHash : null,
        previousSecretExpiresAt: overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null,
        updatedAt: new Date(),
      })
      .where(eq(apiKeys.id, id))
      .returning(),
  );
  return { key: describeKey(updated!), token };
}

/**
 * The principal a bearer token stands for, or an UNAUTHENTICATED error. Revoked and expired keys
 * are refused on their next request; last use is recorded at most once a minute per key.
 */
export async function authenticate(db: Queryable, token: string, now = new Date()): Promise<Principal> {
  const refuse = (why: string) => new AppError('UNAUTHENTICATED', why);
  if (token.length < MIN_TOKEN_LENGTH) throw refuse('The API key is not valid');
  const [row] = await keyStatement(() =>
    db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.prefix, token.slice(0, PREFIX_LENGTH))),
  );
  const hash = hashToken(token);
  if (!row) throw refuse('The API key is not valid');
  const current = sameHash(hash, row.secretHash);
  const previous =
    !current &&
    sameHash(hash, row.previousSecretHash) &&
    row.previousSecretExpiresAt !== null &&
    row.previousSecretExpiresAt > now;
  if (!current && !previous) throw refuse('The API key is not valid');
  if (row.revokedAt) throw refuse('The API key has been revoked');
  if (row.expiresAt && row.expiresAt <= now) throw refuse('The API key has expired');
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await keyStatement(() => db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id)));
  }
  return {
    kind: 'key',
    keyId: row.id,
    name: row.name,
    prefix: row.prefix,
    type: row.type as KeyType,
    scopes: row.scopes as Scope[],
    categories: row.categories,
    allowedOrigins: row.allowedOrigins,
    rateLimitPerMinute: row.rateLimitPerMinute,
    expiresAt: row.expiresAt,
  };
}

/**
 * Creates a key with every scope from BOOTSTRAP_ADMIN_KEY, so a new install can reach the admin
 * API before any other key exists. Idempotent across restarts.
 */
export async function ensureBootstrapKey(db: Queryable, token: string): Promise<void> {
  if (token.length < MIN_TOKEN_LENGTH)
    throw new AppError('VALIDATION_FAILED', `BOOTSTRAP_ADMIN_KEY must be at least ${MIN_TOKEN_LENGTH} characters`);
  const [row] = await keyStatement(() =>
    db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(eq(apiKeys.prefix, token.slice(0, PREFIX_LENGTH))),
  );
  // Once made, the key is managed like any other: a restart must not undo a revocation or a
  // rotation done because the secret leaked.
  if (row) return;
  await createKey(db, { name: 'bootstrap admin', scopes: [...SCOPES] }, token);
}
