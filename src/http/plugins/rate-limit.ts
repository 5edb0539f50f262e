import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ANONYMOUS, type Principal } from '../../access/principal.js';
import { AppError } from '../../errors.js';
import './key-usage.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The limiter has counted this request (and set its headers). */
    rateCounted: boolean;
  }
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type Verdict = Awaited<ReturnType<Limiter>>;

const WINDOW_MS = 60_000;
/** Paths the limiter never counts (their answers carry no RateLimit-* headers). */
export const UNLIMITED = new Set(['/healthz', '/readyz', '/metrics']);

export interface RateLimitOptions {
  anonymousPerMinute: number;
  keyPerMinute: number;
  redisUrl?: string | undefined;
  redisPrefix: string;
  /** Told of every refusal (metrics). */
  onReject?: ((principal: 'anonymous' | 'key') => void) | undefined;
}

/** One @fastify/rate-limit store in a scope of its own, so the plugin can be used twice. */
async function limiterWith(app: FastifyInstance, options: Parameters<typeof rateLimit>[1]): Promise<Limiter> {
  let limiter: Limiter | undefined;
  await app.register(async (scope) => {
    await scope.register(rateLimit, options);
    limiter = scope.createRateLimit();
  });
  return limiter!;
}

/**
 * Requests per minute (fixed one-minute windows): anonymous callers by client IP (the proxy's
 * X-Forwarded-For only with TRUST_PROXY), keyed callers by their key's own limit. A browser key is
 * sent by every visitor of the partner's pages, so its limit (or, when it has none, the anonymous
 * one) is counted per visitor address: one visitor cannot spend the others' budget. Runs as an
 * onRequest hook right after authentication, so it counts every request before any handler or
 * response cache answers it. With REDIS_URL the counters live in Redis and all instances share
 * one budget; while Redis is unreachable each instance counts on its own (the API keeps serving)
 * and goes back to Redis as soon as it answers again.
 */
export const rateLimitPlugin = fp<RateLimitOptions>(async (app, options) => {
  // A preflight is answered before authentication, so it has no principal: it counts as anonymous.
  const principalOf = (request: FastifyRequest) => request.principal ?? ANONYMOUS;
  const common = {
    global: false,
    timeWindow: WINDOW_MS,
    keyGenerator: (request: FastifyRequest) => {
      const principal = principalOf(request);
      const address = `ip:${normalizeIP(request.ip)}`;
      if (principal.kind === 'anonymous') return address;
      return principal.type === 'browser' ? `key:${principal.keyId}:${address}` : `key:${principal.keyId}`;
    },
    max: (request: FastifyRequest) => limitOf(principalOf(request)),
    allowList: (request: FastifyRequest) =>
      UNLIMITED.has(request.url.split('?')[0]!) || limitOf(principalOf(request)) === 0,
  };
  /** Requests per minute for a caller; 0 is no limit (RATE_LIMIT_ANONYMOUS_PER_MINUTE=0). */
  function limitOf(principal: Principal): number {
    if (principal.kind === 'anonymous') return options.anonymousPerMinute;
    if (principal.type === 'browser') return principal.rateLimitPerMinute ?? options.anonymousPerMinute;
    return principal.rateLimitPerMinute ?? options.keyPerMinute;
  }
  const local = await limiterWith(app, { ...common, cache: 50_000 });
  const shared = options.redisUrl ? await sharedLimiter(app, options, common) : undefined;

  async function count(request: FastifyRequest): Promise<Verdict> {
    request.rateCounted = true;
    return (await shared?.(request)) ?? local(request);
  }

  function setHeaders(reply: FastifyReply, verdict: Verdict) {
    if (verdict.isAllowed) return;
    reply.header('ratelimit-limit', verdict.max);
    reply.header('ratelimit-remaining', verdict.isExceeded ? 0 : verdict.remaining);
    reply.header('ratelimit-reset', verdict.ttlInSeconds);
  }

  app.decorateRequest('rateCounted', false);
  app.addHook('onRequest', async (request, reply) => {
    const verdict = await count(request);
    setHeaders(reply, verdict);
    if (verdict.isAllowed || !verdict.isExceeded) return;
    if (request.principal.kind === 'key') request.keyRejected = true;
    options.onReject?.(request.principal.kind === 'key' ? 'key' : 'anonymous');
    reply.header('retry-after', verdict.ttlInSeconds);
    const { principal } = request;
    const who =
      principal.kind === 'anonymous'
        ? 'your address'
        : principal.type === 'browser'
          ? 'this API key from your address'
          : 'this API key';
    throw new AppError(
      'RATE_LIMITED',
      `The limit for ${who} is ${verdict.max} requests per minute; retry in ${verdict.ttlInSeconds} s`,
    );
  });
  // A request answered before the limiter ran (a preflight, a refusal by an earlier hook) still
  // counts against its address, and its answer carries the headers too. A bad key reaches the
  // limiter as its address (access.ts answers it afterwards), so guessing keys is refused with 429.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.rateCounted && !reply.hasHeader('ratelimit-limit')) setHeaders(reply, await count(request));
    return payload;
  });
});

/**
 * The Redis-backed limiter, or undefined (so the caller counts locally) while Redis is away.
 * Commands fail fast instead of queueing, so a dead Redis never holds a request up.
 */
async function sharedLimiter(app: FastifyInstance, options: RateLimitOptions, common: Parameters<typeof rateLimit>[1]) {
  // Loaded only when Redis is configured: the client costs start-up time nobody else needs.
  const { Redis } = await import('ioredis');
  const redis = new Redis(options.redisUrl!, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  const markDown = (err: unknown) => {
    if (down) return;
    down = true;
    app.log.warn(
      { err: { message: (err as Error)?.message } },
      'Redis is unreachable: rate limits are counted per instance until it is back',
    );
  };
  redis.on('error', markDown);
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    app.log.info('Redis is back: rate limits are shared again');
  });
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  // A healthy deployment starts shared; one whose Redis is away starts anyway.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  if (redis.status !== 'ready') markDown(new Error(`not connected (${redis.status})`));
  const limiter = await limiterWith(app, { ...common, redis, nameSpace: options.redisPrefix, skipOnError: false });
  return async (request: FastifyRequest): Promise<Verdict | undefined> => {
    if (redis.status !== 'ready') {
      markDown(new Error(`not connected (${redis.status})`));
      return undefined;
    }
    try {
      return await limiter(request);
    } catch (err) {
      markDown(err);
      return undefined;
    }
  };
}
