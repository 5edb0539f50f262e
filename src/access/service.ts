import type { Database } from '../db/client.js';
import { authenticate, createKey, ensureBootstrapKey, keyById, listKeys, revokeKey, rotateKey, type KeyInput } from './keys.js';
import { createUsageRecorder } from './usage.js';

/** API keys bound to their database; what the HTTP layer and the CLI call. */
export function createAccessService(db: Database, options: { usageFlushMs?: number; onUsageFlushError?: (err: unknown) => void } = {}) {
  const usage = createUsageRecorder(db, { flushIntervalMs: options.usageFlushMs ?? 60_000, onError: options.onUsageFlushError });
  return {
    authenticate: (token: string) => authenticate(db, token),
    createKey: (input: KeyInput) => createKey(db, input),
    listKeys: () => listKeys(db),
    revokeKey: (id: string) => revokeKey(db, id),
    rotateKey: (id: string, overlapSeconds: number) => rotateKey(db, id, overlapSeconds),
    ensureBootstrapKey: (token: string) => ensureBootstrapKey(db, token),
    /** Counts a request made with a key; kept in memory and flushed in batches. */
    recordUsage: (keyId: string, rejected: boolean) => usage.record(keyId, rejected),
    /** A key's use per UTC day (404 for an unknown key). */
    keyUsage: async (id: string, days: number) => {
      const key = await keyById(db, id);
      return { keyId: key.id, days: await usage.read(key.id, days) };
    },
    /** Writes what is still tallied; called when the app stops. */
    flushUsage: () => usage.close(),
  };
}
export type AccessService = ReturnType<typeof createAccessService>;
