import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('runs with no variables at all: embedded database on localhost:3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('localhost');
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toBe('.data/pglite');
    expect(config.seedOnEmpty).toBe(true);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/content',
      LOG_LEVEL: 'warn',
      PGLITE_DATA_DIR: '/tmp/x',
      SEED_ON_EMPTY: 'false',
      PUBLIC_CACHE_MAX_AGE: '120',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'warn',
      seedOnEmpty: false,
      publicCacheMaxAge: 120,
      database: { url: 'postgres://u:p@db:5432/content', dataDir: '/tmp/x' },
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.url).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['LOG_LEVEL', 'loud'],
    ['SEED_ON_EMPTY', 'maybe'],
    ['RATE_LIMIT_ANONYMOUS_PER_MINUTE', '-1'],
    ['RATE_LIMIT_KEY_PER_MINUTE', '0'],
    ['PUBLIC_BASE_URL', 'https://api.example.com/v1'],
    ['PUBLIC_BASE_URL', 'api.example.com'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
    expect(message).not.toContain('\n');
  });

  it('reads the partner settings: rate limits, key usage flushes and the public address', () => {
    expect(loadConfig({})).toMatchObject({
      rateLimit: { anonymousPerMinute: 1200, keyPerMinute: 6000 },
      keyUsageFlushMs: 60_000,
      publicBaseUrl: undefined,
    });
    const config = loadConfig({
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
      RATE_LIMIT_KEY_PER_MINUTE: '50',
      RATE_LIMIT_REDIS_PREFIX: 'eu:',
      KEY_USAGE_FLUSH_SECONDS: '5',
      PUBLIC_BASE_URL: 'https://api.example.com',
    });
    expect(config).toMatchObject({
      rateLimit: { anonymousPerMinute: 0, keyPerMinute: 50, redisPrefix: 'eu:' },
      keyUsageFlushMs: 5000,
      publicBaseUrl: 'https://api.example.com',
    });
  });
});
