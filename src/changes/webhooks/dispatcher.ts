import type { LookupFunction } from 'node:net';
import type { Database } from '../../db/client.js';
import { claimDue, fanOut, recordAttempt, release, type Claimed, type Now, type RetryPolicy } from './outbox.js';
import type { SecretBox } from './secret-box.js';
import { postJson } from './send.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';
import { guardedLookup } from './url-policy.js';

/*
 * Delivers webhooks from inside the API process. It wakes on a short poll (or when told to, e.g.
 * by a change-log NOTIFY listener), fans new changes out into deliveries, and keeps up to
 * `concurrency` requests in flight. Nothing here runs inside a content write: a write commits its
 * change-log row and answers; delivery happens after, on this loop, however slow a receiver is.
 * Any number of instances may run one against the same PostgreSQL (see outbox.ts).
 */

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DispatcherOptions extends Omit<RetryPolicy, 'leaseMs'> {
  pollMs: number;
  timeoutMs: number;
  concurrency: number;
  allowPrivateNetworks: boolean;
  logger: Logger;
}

const USER_AGENT = 'interview-content-api-webhooks/1';
const MAX_IDLE_BACKOFF_MS = 30_000;

export class WebhookDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private abort = new AbortController();
  private readonly lookup: LookupFunction;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly db: Database,
    private readonly secrets: () => Promise<SecretBox>,
    private readonly options: DispatcherOptions,
    private readonly clock: Now,
  ) {
    this.lookup = guardedLookup(options.allowPrivateNetworks);
    // A claim outlives the request it covers, so it is never taken over while still being answered.
    this.policy = { ...options, leaseMs: options.timeoutMs * 2 + 1_000 };
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  /** Look for work now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops polling, abandons requests in flight (their deliveries go back to the queue) and waits for both. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async run(): Promise<void> {
    let errors = 0;
    while (this.running) {
      let busy = false;
      try {
        busy = await this.round();
        errors = 0;
      } catch (err) {
        errors += 1;
        this.options.logger.error({ err }, 'webhook dispatcher round failed');
      }
      if (this.running && !busy)
        await this.sleep(
          errors ? Math.min(this.options.pollMs * 2 ** errors, MAX_IDLE_BACKOFF_MS) : this.options.pollMs,
        );
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** One pass: fan out, then fill free slots. True when it took a full batch (more may be due). */
  private async round(): Promise<boolean> {
    await fanOut(this.db, this.clock);
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0 || !this.running) return false;
    const claimed = await claimDue(this.db, free, this.policy.leaseMs, this.clock);
    for (const item of claimed) {
      const work = this.deliver(item)
        .catch((err: unknown) =>
          this.options.logger.error({ err, deliveryId: item.delivery.id }, 'webhook delivery could not be recorded'),
        )
        .finally(() => {
          this.inFlight.delete(item.delivery.id);
          this.wake();
        });
      this.inFlight.set(item.delivery.id, work);
    }
    return claimed.length > 0 && claimed.length === free;
  }

  private async signingSecrets(claimed: Claimed): Promise<string[]> {
    const box = await this.secrets();
    const { webhook } = claimed;
    const secrets = [box.open(webhook.secretCiphertext, webhook.id)];
    if (
      webhook.previousSecretCiphertext &&
      webhook.previousSecretExpiresAt &&
      webhook.previousSecretExpiresAt.getTime() > Date.now()
    ) {
      secrets.push(box.open(webhook.previousSecretCiphertext, webhook.id));
    }
    return secrets;
  }

  private async deliver(claimed: Claimed): Promise<void> {
    const { delivery, webhook } = claimed;
    const startedAt = new Date();
    let secrets: string[];
    try {
      secrets = await this.signingSecrets(claimed);
    } catch (err) {
      const message = `cannot sign: ${(err as Error).message}`;
      await recordAttempt(
        this.db,
        claimed,
        startedAt,
        { statusCode: null, error: message, latencyMs: 0, excerpt: null },
        this.policy,
        this.clock,
      );
      return;
    }
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    const headers = {
      'user-agent': USER_AGENT,
      'webhook-id': delivery.eventId,
      'webhook-event': delivery.eventType,
      'webhook-delivery': delivery.id,
      'webhook-attempt': String(delivery.attempts),
      [SIGNATURE_HEADER]: signatureHeader(secrets, timestamp, delivery.body),
    };
    const result = await postJson(webhook.url, delivery.body, headers, {
      timeoutMs: this.options.timeoutMs,
      lookup: this.lookup,
      signal: this.abort.signal,
    });
    if (this.abort.signal.aborted) {
      await release(this.db, claimed);
      return;
    }
    const outcome = await recordAttempt(this.db, claimed, startedAt, result, this.policy, this.clock);
    // The URL may carry a receiver's token, so logs name the webhook by id only.
    const facts = {
      webhookId: webhook.id,
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      attempt: delivery.attempts,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
    };
    if (outcome.status === 'delivered') this.options.logger.info(facts, 'webhook delivered');
    else this.options.logger.warn({ ...facts, error: result.error, status: outcome.status }, 'webhook attempt failed');
    if (outcome.disabledReason)
      this.options.logger.warn({ webhookId: webhook.id, reason: outcome.disabledReason }, 'webhook disabled');
  }
}
