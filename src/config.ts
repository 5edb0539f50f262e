import { z } from 'zod';
import { parseEncryptionKey } from './changes/webhooks/secret-box.js';
import type { WebhookConfig } from './changes/webhooks/service.js';
import { fieldErrors } from './errors.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// or postgresql:// connection string');

/** Every environment variable the API reads. docker-compose.yml is tested against these keys. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  SEED_ON_EMPTY: bool.default(true),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'expected a redis:// or rediss:// URL')
    .optional(),
  PUBLIC_CACHE_MAX_AGE: z.coerce.number().int().min(0).max(86_400).default(60),
  TRUST_PROXY: z
    .string()
    .transform((v, ctx): TrustProxy => {
      const trust = parseTrustProxy(v);
      if (typeof trust === 'object' && 'problem' in trust) {
        ctx.addIssue({ code: 'custom', message: trust.problem });
        return z.NEVER;
      }
      return trust;
    })
    .default(false),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** How long a request, headers and body, may take to arrive; past it 408. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).max(10_000_000).default(50_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
  GRAPHQL_MAX_FIELDS: z.coerce.number().int().min(10).max(100_000).default(500),
  /** A GraphQL document longer than this is refused before it is parsed. */
  GRAPHQL_MAX_QUERY_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(1024 * 1024)
    .default(16 * 1024),
  /** Parsing stops past this many tokens. */
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(50).max(1_000_000).default(2000),
  GRAPHQL_INTROSPECTION: bool.default(true),
  /** Defaults to on in development only. */
  GRAPHIQL: bool.optional(),
  /** A first admin key for a new install (all scopes); at least 32 characters. */
  BOOTSTRAP_ADMIN_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .max(200)
    .regex(/^\S+$/, 'must not contain spaces')
    .optional(),
  GRAPHQL_PERSISTED_QUERIES: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  /** false answers every read from the database (to measure the miss path). */
  RESPONSE_CACHE: bool.default(true),
  /** On PostgreSQL, how often to read the change log besides NOTIFY; 0 turns the poll off. */
  CHANGES_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_000_000)
    .max(8_000_000_000)
    .default(64 * 1024 * 1024),
  /** Requests per minute per client IP without a key; 0 turns the limit off (the benchmark does). */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(1200),
  /** Requests per minute for a key that has no limit of its own. */
  RATE_LIMIT_KEY_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6000),
  /** Prefix of the rate-limit counters in Redis, so deployments can share one Redis. */
  RATE_LIMIT_REDIS_PREFIX: z
    .string()
    .min(1)
    .max(100)
    .regex(/^\S+$/, 'must not contain spaces')
    .default('interview-content:rate-limit:'),
  /** How often each instance adds its tally of key usage to the database. */
  KEY_USAGE_FLUSH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** The public address of the API (https://api.example.com), used in embed pages and oEmbed. */
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .refine(
      (v) => URL.canParse(v) && new URL(v).pathname === '/' && !v.endsWith('/'),
      'expected an origin like https://api.example.com, without a path',
    )
    .optional(),
  /** Bytes of query text the persisted queries may hold together. */
  GRAPHQL_PERSISTED_QUERIES_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** A longer query runs but is not remembered. */
  GRAPHQL_PERSISTED_QUERY_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(1024 * 1024)
    .default(16 * 1024),
  /** Days of change history GET /v1/sync honours; an older cursor answers 410. */
  SYNC_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Run scheduled publishes, unpublishes and releases from this process (content/scheduler.ts). */
  SCHEDULER: bool.default(true),
  /** How often the scheduler looks for what is due. */
  SCHEDULER_POLL_MS: z.coerce.number().int().min(10).max(3_600_000).default(1000),
  WEBHOOKS_DISPATCHER: bool.default(true),
  WEBHOOKS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOKS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  WEBHOOKS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(10_000),
  /** Longest wait between two tries of a receiver that is down: how soon one that is back hears again. */
  WEBHOOKS_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(600_000),
  /** How long a webhook may fail without one success before it is disabled (its queue is kept). */
  WEBHOOKS_DISABLE_AFTER_MS: z.coerce.number().int().min(1000).max(2_592_000_000).default(86_400_000),
  /** 32 bytes as 64 hex characters or base64; required in production to register webhooks. */
  WEBHOOK_ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => parseEncryptionKey(v) !== undefined,
      'must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)',
    )
    .optional(),
  /** Defaults to allowed outside production. */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.optional(),
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .max(200)
    .regex(/^\S+$/, 'must not contain spaces')
    .optional(),
  /** On PostgreSQL, how long a connection attempt or a statement may take before the request answers 503. */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** How long /readyz waits for the database before it says not ready. */
  READY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** Mean event-loop delay (ms, over the window below) past which requests answer 503; 0 turns the check off. */
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(200),
  /** Seconds of one-second samples the event-loop delay is averaged over. */
  OVERLOAD_EVENT_LOOP_WINDOW_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  /** Heap in use past which requests answer 503; unset: 90% of the heap limit, 0 turns the check off. */
  OVERLOAD_MAX_HEAP_USED_BYTES: z.coerce.number().int().min(0).optional(),
  /** Resident memory past which requests answer 503; 0 (default) turns the check off. */
  OVERLOAD_MAX_RSS_BYTES: z.coerce.number().int().min(0).default(0),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  database: { url?: string | undefined; dataDir: string; poolMax: number; timeoutMs: number };
  seedOnEmpty: boolean;
  redisUrl?: string | undefined;
  publicCacheMaxAge: number;
  trustProxy: TrustProxy;
  shutdownTimeoutMs: number;
  requestTimeoutMs: number;
  bootstrapAdminKey?: string | undefined;
  responseCache: { enabled: boolean; maxBytes: number };
  changesPollMs: number;
  graphql: {
    limits: { maxDepth: number; maxCost: number; maxAliases: number; maxFields: number };
    document: { maxBytes: number; maxTokens: number };
    introspection: boolean;
    graphiql: boolean;
    persistedQueries: { maxEntries: number; maxBytes: number; maxQueryBytes: number };
  };
  rateLimit: { anonymousPerMinute: number; keyPerMinute: number; redisPrefix: string };
  keyUsageFlushMs: number;
  publicBaseUrl?: string | undefined;
  sync: { retentionDays: number };
  scheduler: { enabled: boolean; pollMs: number };
  webhooks: WebhookConfig;
  metricsToken?: string | undefined;
  readyTimeoutMs: number;
  /** 0 turns a check off; heapUsedBytes undefined means 90% of the heap limit. */
  overload: {
    maxEventLoopDelayMs: number;
    eventLoopWindowSeconds: number;
    maxHeapUsedBytes?: number | undefined;
    maxRssBytes: number;
  };
}

export class ConfigError extends Error {}

/** Parses the environment; throws one line naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = fieldErrors(parsed.error.issues).map((e) => `${e.path}: ${e.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    database: {
      url: e.DATABASE_URL,
      dataDir: e.PGLITE_DATA_DIR,
      poolMax: e.DATABASE_POOL_MAX,
      timeoutMs: e.DATABASE_TIMEOUT_MS,
    },
    seedOnEmpty: e.SEED_ON_EMPTY,
    redisUrl: e.REDIS_URL,
    publicCacheMaxAge: e.PUBLIC_CACHE_MAX_AGE,
    trustProxy: e.TRUST_PROXY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    bootstrapAdminKey: e.BOOTSTRAP_ADMIN_KEY,
    responseCache: { enabled: e.RESPONSE_CACHE, maxBytes: e.CACHE_MAX_BYTES },
    changesPollMs: e.CHANGES_POLL_MS,
    graphql: {
      limits: {
        maxDepth: e.GRAPHQL_MAX_DEPTH,
        maxCost: e.GRAPHQL_MAX_COST,
        maxAliases: e.GRAPHQL_MAX_ALIASES,
        maxFields: e.GRAPHQL_MAX_FIELDS,
      },
      document: { maxBytes: e.GRAPHQL_MAX_QUERY_BYTES, maxTokens: e.GRAPHQL_MAX_TOKENS },
      introspection: e.GRAPHQL_INTROSPECTION,
      graphiql: e.GRAPHIQL ?? e.NODE_ENV === 'development',
      persistedQueries: {
        maxEntries: e.GRAPHQL_PERSISTED_QUERIES,
        maxBytes: e.GRAPHQL_PERSISTED_QUERIES_BYTES,
        maxQueryBytes: e.GRAPHQL_PERSISTED_QUERY_MAX_BYTES,
      },
    },
    rateLimit: {
      anonymousPerMinute: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      keyPerMinute: e.RATE_LIMIT_KEY_PER_MINUTE,
      redisPrefix: e.RATE_LIMIT_REDIS_PREFIX,
    },
    keyUsageFlushMs: e.KEY_USAGE_FLUSH_SECONDS * 1000,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    sync: { retentionDays: e.SYNC_RETENTION_DAYS },
    scheduler: { enabled: e.SCHEDULER, pollMs: e.SCHEDULER_POLL_MS },
    webhooks: {
      dispatcher: e.WEBHOOKS_DISPATCHER,
      pollMs: e.WEBHOOKS_POLL_MS,
      timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
      maxAttempts: e.WEBHOOKS_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOKS_RETRY_BASE_MS,
      retryMaxMs: Math.max(e.WEBHOOKS_RETRY_MAX_MS, e.WEBHOOKS_RETRY_BASE_MS),
      disableAfterMs: e.WEBHOOKS_DISABLE_AFTER_MS,
      allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? e.NODE_ENV !== 'production',
      encryptionKey: e.WEBHOOK_ENCRYPTION_KEY ? parseEncryptionKey(e.WEBHOOK_ENCRYPTION_KEY) : undefined,
    },
    metricsToken: e.METRICS_TOKEN,
    readyTimeoutMs: e.READY_TIMEOUT_MS,
    overload: {
      maxEventLoopDelayMs: e.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
      eventLoopWindowSeconds: e.OVERLOAD_EVENT_LOOP_WINDOW_SECONDS,
      maxHeapUsedBytes: e.OVERLOAD_MAX_HEAP_USED_BYTES,
      maxRssBytes: e.OVERLOAD_MAX_RSS_BYTES,
    },
  };
}
