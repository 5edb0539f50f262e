import type { Database } from '../db/client.js';
import { authorize } from './operations.js';
import { checkReach, checkRotate, grantable, mayActOn } from './key-policy.js';
import {
  authenticate,
  createKey,
  ensureBootstrapKey,
  keyById,
  listKeys,
  revokeKey,
  rotateKey,
  type ApiKeyRow,
  type KeyInput,
} from './keys.js';
import type { Principal, Scope } from './principal.js';
import { createUsageRecorder } from './usage.js';

/** The config's default (RATE_LIMIT_KEY_PER_MINUTE) when a caller does not say. */
const DEFAULT_KEY_RATE_LIMIT = 6000;

const shapeOf = (row: ApiKeyRow) => ({
  scopes: row.scopes as Scope[],
  expiresAt: row.expiresAt,
  rateLimitPerMinute: row.rateLimitPerMinute,
  allowedOrigins: row.allowedOrigins,
  categories: row.categories,
});

/**
 * API keys bound to their database; what the HTTP and GraphQL layers call. Every key operation
 * takes the caller, checks it against its entry in operations.ts and then applies the rules of
 * key-policy.ts, so no surface can skip either.
 */
export function createAccessService(
  db: Database,
  options: {
    usageFlushMs?: number;
    onUsageFlushError?: (err: unknown) => void;
    /** RATE_LIMIT_KEY_PER_MINUTE: what a key without a limit of its own may hand out. */
    keyRateLimitPerMinute?: number;
  } = {},
) {
  const defaults = { keyRateLimitPerMinute: options.keyRateLimitPerMinute ?? DEFAULT_KEY_RATE_LIMIT };
  const usage = createUsageRecorder(db, {
    flushIntervalMs: options.usageFlushMs ?? 60_000,
    onError: options.onUsageFlushError,
  });
  return {
    authenticate: (token: string) => authenticate(db, token),
    createKey: async (principal: Principal, input: KeyInput) => {
      const granted = grantable(
        authorize(principal, 'createApiKey'),
        {
          scopes: input.scopes,
          expiresAt: input.expiresAt ?? null,
          rateLimitPerMinute: input.rateLimitPerMinute ?? null,
          allowedOrigins: input.allowedOrigins ?? [],
          categories: input.categories ?? null,
        },
        defaults,
      );
      return createKey(db, {
        ...input,
        expiresAt: granted.expiresAt,
        rateLimitPerMinute: granted.rateLimitPerMinute,
        allowedOrigins: [...granted.allowedOrigins],
        categories: granted.categories && [...granted.categories],
      });
    },
    /** Only the keys the caller could act on. */
    listKeys: async (principal: Principal) => {
      const p = authorize(principal, 'listApiKeys');
      return (await listKeys(db)).filter((k) =>
        mayActOn(p, { scopes: k.scopes, expiresAt: k.expiresAt ? new Date(k.expiresAt) : null }),
      );
    },
    revokeKey: async (principal: Principal, id: string) => {
      const p = authorize(principal, 'revokeApiKey');
      checkReach(p, shapeOf(await keyById(db, id)));
      return revokeKey(db, id);
    },
    rotateKey: async (principal: Principal, id: string, overlapSeconds: number) => {
      const p = authorize(principal, 'rotateApiKey');
      checkRotate(p, shapeOf(await keyById(db, id)), defaults);
      return rotateKey(db, id, overlapSeconds);
    },
    ensureBootstrapKey: (token: string) => ensureBootstrapKey(db, token),
    /** Counts a request made with a key; kept in memory and flushed in batches. */
    recordUsage: (keyId: string, rejected: boolean) => usage.record(keyId, rejected),
    /** A key's use per UTC day (404 for an unknown key). */
    keyUsage: async (principal: Principal, id: string, days: number) => {
      const p = authorize(principal, 'getApiKeyUsage');
      const key = await keyById(db, id);
      checkReach(p, shapeOf(key));
      return { keyId: key.id, days: await usage.read(key.id, days) };
    },
    /** Writes what is still tallied; called when the app stops. */
    flushUsage: () => usage.close(),
  };
}
export type AccessService = ReturnType<typeof createAccessService>;
