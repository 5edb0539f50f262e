import { authorize } from '../../access/operations.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { systemClock, type Clock } from '../../clock.js';
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
  /** How long a webhook may fail without a success before it is disabled. */
  disableAfterMs: number;
  allowPrivateNetworks: boolean;
  encryptionKey?: Buffer | undefined;
}

const CONCURRENCY = 8;
const MAX_REPLAY = 10_000;

/** Webhooks bound to their database: what the admin routes call, and the dispatcher app.ts runs. */
export function createWebhookService(
  db: Database,
  config: WebhookConfig & { production: boolean },
  logger: Logger,
  clock: Clock = systemClock,
) {
  const secrets = secretBoxSource(db, { key: config.encryptionKey, production: config.production });
  const options = { allowPrivateNetworks: config.allowPrivateNetworks, maxReplay: MAX_REPLAY };
  const dispatcher = config.dispatcher
    ? new WebhookDispatcher(db, secrets, { ...config, concurrency: CONCURRENCY, logger }, clock)
    : null;
  // Each call checks its caller against the operation table first, whatever surface calls it.
  return {
    create: (p: Principal, input: WebhookCreateInput) => (
      authorize(p, 'createWebhook'),
      admin.createWebhook(db, secrets, options, actorOf(p), input)
    ),
    list: (p: Principal) => (authorize(p, 'listWebhooks'), admin.listWebhooks(db)),
    get: (p: Principal, id: string) => (authorize(p, 'getWebhook'), admin.getWebhook(db, id)),
    update: (p: Principal, id: string, input: WebhookUpdateInput) => (
      authorize(p, 'updateWebhook'),
      admin.updateWebhook(db, options, id, input, clock)
    ),
    rotateSecret: async (p: Principal, id: string, overlapSeconds: number, secret?: string) => {
      authorize(p, 'rotateWebhookSecret');
      // An unknown webhook is refused before the keyring is touched: a refusal writes nothing.
      await admin.getWebhook(db, id);
      return admin.rotateSecret(db, await secrets(), id, overlapSeconds, secret);
    },
    remove: (p: Principal, id: string) => (authorize(p, 'deleteWebhook'), admin.deleteWebhook(db, id)),
    listDeliveries: (
      p: Principal,
      id: string,
      filters: { status?: string | undefined },
      page: { limit: number; cursor?: string | undefined },
    ) => (authorize(p, 'listWebhookDeliveries'), admin.listDeliveries(db, id, filters, page)),
    getDelivery: (p: Principal, id: string, deliveryId: string) => (
      authorize(p, 'getWebhookDelivery'),
      admin.getDelivery(db, id, deliveryId)
    ),
    redeliver: async (p: Principal, id: string, deliveryId: string) => {
      authorize(p, 'redeliverWebhookEvent');
      const delivery = await admin.redeliver(db, id, deliveryId, clock);
      dispatcher?.wake();
      return delivery;
    },
    replay: async (p: Principal, id: string, range: { from: string; to: string }) => {
      authorize(p, 'replayWebhookEvents');
      const result = await admin.replay(db, options, id, range, clock);
      dispatcher?.wake();
      return result;
    },
    /** Null when this process does not deliver (WEBHOOKS_DISPATCHER=false). */
    dispatcher,
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
