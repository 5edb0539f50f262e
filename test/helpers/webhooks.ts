import type { FastifyInstance } from 'fastify';
import type { WebhookDeliveryOut } from '../../src/changes/webhooks/schemas.js';
import { adminEnv, send } from './admin.js';

/**
 * An app that delivers webhooks, with retry delays short enough for tests. The timeout is generous:
 * the embedded database shares the event loop with the test's receivers, and a receiver that did
 * answer must not look like one that hung. Tests about timeouts set their own.
 */
export const dispatcherEnv = {
  ...adminEnv,
  WEBHOOKS_DISPATCHER: 'true',
  WEBHOOKS_POLL_MS: '50',
  WEBHOOKS_TIMEOUT_MS: '10000',
  WEBHOOKS_RETRY_BASE_MS: '10',
  WEBHOOKS_RETRY_MAX_MS: '50',
  WEBHOOKS_MAX_ATTEMPTS: '4',
};

export interface Registered {
  id: string;
  secret: string;
}

export async function register(
  app: FastifyInstance,
  url: string,
  events: string[] = ['*'],
  extra: Record<string, unknown> = {},
): Promise<Registered> {
  const res = await send<{ data: Registered }>(app, 'POST', '/v1/admin/webhooks', { url, events, ...extra });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data;
}

export async function deliveries(app: FastifyInstance, webhookId: string): Promise<WebhookDeliveryOut[]> {
  const res = await send<{ data: WebhookDeliveryOut[] }>(
    app,
    'GET',
    `/v1/admin/webhooks/${webhookId}/deliveries?limit=100`,
  );
  if (res.status !== 200) throw new Error(`deliveries answered ${res.status}`);
  return res.body.data;
}

/** Waits for a condition by polling, up to a bound; fails the test with `what` when it never holds. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  limitMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export interface EventBody {
  id: string;
  type: string;
  occurredAt: string;
  data: {
    type: string;
    key: string;
    previousKey: string | null;
    role: string | null;
    action: string;
    version: number | null;
    purgeKeys: string[];
    link: string | null;
  };
}

export const bodyOf = (raw: string) => JSON.parse(raw) as EventBody;
