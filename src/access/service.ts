import type { Database } from '../db/client.js';
import { authenticate, createKey, ensureBootstrapKey, listKeys, revokeKey, rotateKey, type KeyInput } from './keys.js';

/** API keys bound to their database; what the HTTP layer and the CLI call. */
export function createAccessService(db: Database) {
  return {
    authenticate: (token: string) => authenticate(db, token),
    createKey: (input: KeyInput) => createKey(db, input),
    listKeys: () => listKeys(db),
    revokeKey: (id: string) => revokeKey(db, id),
    rotateKey: (id: string, overlapSeconds: number) => rotateKey(db, id, overlapSeconds),
    ensureBootstrapKey: (token: string) => ensureBootstrapKey(db, token),
  };
}
export type AccessService = ReturnType<typeof createAccessService>;
