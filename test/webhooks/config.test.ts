import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('sync and webhook configuration', () => {
  it('has defaults that deliver in production-like settings', () => {
    const config = loadConfig({});
    expect(config.sync.retentionDays).toBe(30);
    expect(config.webhooks).toMatchObject({
      dispatcher: true,
      pollMs: 1000,
      timeoutMs: 10_000,
      maxAttempts: 12,
      retryBaseMs: 10_000,
      retryMaxMs: 600_000,
      disableAfterMs: 86_400_000,
      allowPrivateNetworks: true,
    });
    expect(config.webhooks.encryptionKey).toBeUndefined();
  });

  it('allows private networks outside production only, unless told', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).webhooks.allowPrivateNetworks).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).webhooks.allowPrivateNetworks,
    ).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' }).webhooks.allowPrivateNetworks).toBe(false);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      SYNC_RETENTION_DAYS: '7',
      WEBHOOKS_DISPATCHER: 'false',
      WEBHOOKS_POLL_MS: '250',
      WEBHOOKS_TIMEOUT_MS: '5000',
      WEBHOOKS_MAX_ATTEMPTS: '5',
      WEBHOOKS_RETRY_BASE_MS: '1000',
      WEBHOOKS_RETRY_MAX_MS: '60000',
      WEBHOOKS_DISABLE_AFTER_MS: '3600000',
      WEBHOOK_ENCRYPTION_KEY: 'cd'.repeat(32),
    });
    expect(config.sync.retentionDays).toBe(7);
    expect(config.webhooks).toMatchObject({
      dispatcher: false,
      pollMs: 250,
      timeoutMs: 5000,
      maxAttempts: 5,
      retryBaseMs: 1000,
      retryMaxMs: 60_000,
      disableAfterMs: 3_600_000,
    });
    expect(config.webhooks.encryptionKey).toEqual(Buffer.from('cd'.repeat(32), 'hex'));
  });

  it.each([
    ['WEBHOOK_ENCRYPTION_KEY', 'too-short'],
    ['WEBHOOKS_TIMEOUT_MS', '10'],
    ['WEBHOOKS_MAX_ATTEMPTS', '0'],
    ['SYNC_RETENTION_DAYS', '0'],
    ['WEBHOOKS_DISPATCHER', 'sometimes'],
  ])('refuses %s=%s with one line naming the variable, and never echoes a key', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
    expect((error as Error).message).not.toContain(value === 'too-short' ? value : '\n');
  });
});
