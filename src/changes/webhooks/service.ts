import type { Database } from '../../db/client.js';
import * as admin from './admin.js';
import { WebhookDispatcher, type Logger } from './dispatcher.js';
import type { WebhookCreateInput, WebhookUpdateInput } from './schemas.js';
import { secretBoxSource } from './keyring.js';

export interface WebhookConfig {
  /** Run the dispatcher in this process. */
  dispatcher: boolean;
  pollMs: number;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  disableAfterFailures: number;
  allowPrivateNetworks: boolean;
  encryptionKey?: Buffer | undefined;
}

const CONCURRENCY = 8;
const MAX_REPLAY = 10_000;

/** Webhooks bound to their database: what the admin routes call, and the dispatcher app.ts runs. */
export function createWebhookService(db: Database, config: WebhookConfig & { production: boolean }, logger: Logger) {
  const secrets = secretBoxSource(db, { key: config.encryptionKey, production: config.production });
  const options = { allowPrivateNetworks: config.allowPrivateNetworks, maxReplay: MAX_REPLAY };
  const dispatcher = config.dispatcher ? new WebhookDispatcher(db, secrets, { ...config, concurrency: CONCURRENCY, logger }) : null;
  return {
    create: (actor: string, input: WebhookCreateInput) => admin.createWebhook(db, secrets, options, actor, input),
    list: () => admin.listWebhooks(db),
    get: (id: string) => admin.getWebhook(db, id),
    update: (id: string, input: WebhookUpdateInput) => admin.updateWebhook(db, options, id, input),
    rotateSecret: async (id: string, overlapSeconds: number, secret?: string) => admin.rotateSecret(db, await secrets(), id, overlapSeconds, secret),
    remove: (id: string) => admin.deleteWebhook(db, id),
    listDeliveries: (id: string, filters: { status?: string | undefined }, page: { limit: number; cursor?: string | undefined }) => admin.listDeliveries(db, id, filters, page),
    getDelivery: (id: string, deliveryId: string) => admin.getDelivery(db, id, deliveryId),
    redeliver: async (id: string, deliveryId: string) => {
      const delivery = await admin.redeliver(db, id, deliveryId);
      dispatcher?.wake();
      return delivery;
    },
    replay: async (id: string, range: { from: string; to: string }) => {
      const result = await admin.replay(db, options, id, range);
      dispatcher?.wake();
      return result;
    },
    /** Null when this process does not deliver (WEBHOOKS_DISPATCHER=false). */
    dispatcher,
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
