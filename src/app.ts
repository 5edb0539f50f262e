import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { seedIfEmpty } from './content/seed.js';
import { createContentService } from './content/service.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { rootFields } from './graphql/operations.js';
import { graphqlPlugin } from './graphql/plugin.js';
import { BODY_LIMITS } from './http/body-limits.js';
import { accessPlugin } from './http/plugins/access.js';
import { cachingPlugin } from './http/plugins/caching.js';
import { corsPlugin, originGuardPlugin } from './http/plugins/cors.js';
import { jsonBodyPlugin } from './http/plugins/json-body.js';
import { keyUsagePlugin } from './http/plugins/key-usage.js';
import { metricsPlugin } from './http/plugins/metrics.js';
import { overloadPlugin } from './http/plugins/overload.js';
import { Metrics } from './http/metrics.js';
import { rateLimitPlugin } from './http/plugins/rate-limit.js';
import { embedRoutes } from './http/routes/embed/index.js';
import { graphqlOriginGuard } from './graphql/origin-guard.js';
import { clientErrorHandler, errorsPlugin, sendProblem } from './http/plugins/errors.js';
import { AppError } from './errors.js';
import { openapiPlugin } from './http/plugins/openapi.js';
import { securityHeadersPlugin } from './http/plugins/security-headers.js';
import { shutdownPlugin } from './http/plugins/shutdown.js';
import { healthRoutes } from './http/routes/health.js';
import { problemRoutes } from './http/routes/problems.js';
import { adminRoutes } from './http/routes/admin/index.js';
import { publicRoutes } from './http/routes/public/index.js';
import { createAccessService } from './access/service.js';
import { ChangeWatcher } from './changes/watcher.js';
import { ResponseCache } from './http/response-cache/store.js';
import { createWebhookService } from './changes/webhooks/service.js';
import { webhookDispatcherPlugin } from './http/plugins/webhook-dispatcher.js';
import { schedulerPlugin } from './http/plugins/scheduler.js';
import { Scheduler } from './content/scheduler.js';
import { syncRoutes } from './http/routes/public/sync.js';
import { withoutTrackingParameters } from './http/tracking-params.js';
import { fastifyTrustProxy } from './trust-proxy.js';
import './http/types.js';

export const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url).pathname;

export interface BuildOptions {
  config: Config;
  /** An already open database (tests pass one); otherwise opened from config and closed with the app. */
  database?: DatabaseHandle;
  /** Migrate and, when configured, seed on start. Tests that prepare the database turn it off. */
  prepareDatabase?: boolean;
  /** Where logs go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
  /** Where scheduling and webhook retries take the time from; tests move it forward instead of waiting. */
  clock?: Clock;
}

// Secrets never reach the log, whatever a request carries.
const REDACT = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
  censor: '[redacted]',
};

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function loggerOptions(config: Config, stream: BuildOptions['logStream']) {
  if (stream) return { level: config.logLevel, stream, redact: REDACT };
  return {
    level: config.logLevel,
    redact: REDACT,
    ...(process.stdout.isTTY && config.logLevel !== 'silent'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Headers and body must arrive within REQUEST_TIMEOUT_MS (408 otherwise, clientErrorHandler);
    // Node looks for late requests every connectionsCheckingInterval, 30 s unless told.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    requestIdHeader: false,
    // Keep a caller's request id when it is sane, so one id follows a request across services.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    // utm_*, fbclid, `_` and the like are dropped before routing (tracking-params.ts).
    rewriteUrl: (req) => withoutTrackingParameters(req.url ?? '/'),
    // Routes that take more say so; see body-limits.ts.
    bodyLimit: BODY_LIMITS.default,
    clientErrorHandler,
    // Errors fastify raises before routing (a malformed URL) leave as problem+json too.
    frameworkErrors: (error, request, reply) => {
      // Before routing, so before the CORS hook: a refusal holds no data, any page may read it.
      reply.header('access-control-allow-origin', '*');
      void sendProblem(request, reply, new AppError('BAD_REQUEST', error.message));
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const database =
    options.database ??
    (await openDatabase({
      url: config.database.url,
      dataDir: config.database.dataDir,
      poolMax: config.database.poolMax,
      timeoutMs: config.database.timeoutMs,
    }));
  if (!options.database) app.addHook('onClose', () => database.close());
  if (options.prepareDatabase !== false) {
    await database.migrate(MIGRATIONS_DIR);
    if (config.seedOnEmpty) {
      const report = await seedIfEmpty(database.db);
      if (report) app.log.info({ created: report.created.length }, 'seeded an empty database');
    }
  }

  // Every instance follows the change log and purges what each write made stale.
  const watcher = new ChangeWatcher(database, {
    pollMs: config.changesPollMs,
    onError: (err) => app.log.error({ err }, 'reading the change log failed; dropping cached responses'),
  });
  await watcher.start();
  app.addHook('onClose', () => watcher.stop());
  const responseCache = config.responseCache.enabled ? new ResponseCache(config.responseCache.maxBytes) : undefined;
  if (responseCache) watcher.subscribe((keys) => (keys ? responseCache.purge(keys) : responseCache.clear()));
  const metrics = new Metrics({ database, cache: responseCache });
  const untime = database.timeStatements(metrics.statement);
  app.addHook('onClose', async () => untime());

  app.decorate('appConfig', config);
  app.decorate('changes', watcher);
  app.decorate('responseCache', responseCache);
  const clock = options.clock ?? systemClock;
  app.decorate('content', createContentService(database, { afterCommit: () => watcher.afterOwnWrite(), clock }));
  app.decorate(
    'scheduler',
    config.scheduler.enabled
      ? new Scheduler(() => app.content.runDueSchedules(), { pollMs: config.scheduler.pollMs, logger: app.log })
      : undefined,
  );
  app.decorate(
    'access',
    createAccessService(database.db, {
      usageFlushMs: config.keyUsageFlushMs,
      keyRateLimitPerMinute: config.rateLimit.keyPerMinute,
      onUsageFlushError: (err) => app.log.error({ err }, 'could not write key usage counts'),
    }),
  );
  app.decorate(
    'webhooks',
    createWebhookService(database.db, { ...config.webhooks, production: config.env === 'production' }, app.log, clock),
  );
  // A change in the log (here, or NOTIFYed by another instance) is something to deliver now, not at the next poll.
  watcher.subscribe(() => app.webhooks.dispatcher?.wake());
  if (config.bootstrapAdminKey) await app.access.ensureBootstrapKey(config.bootstrapAdminKey);
  app.addHook('onSend', (request, reply, payload, next) => {
    reply.header('x-request-id', request.id);
    next(null, payload);
  });

  await app.register(shutdownPlugin);
  // Before the plugins that add pages (Swagger UI, GraphiQL), so their routes get their policies.
  await app.register(securityHeadersPlugin);
  await app.register(errorsPlugin);
  await app.register(jsonBodyPlugin);
  // Before anything that can answer or refuse a request, so every answer is counted.
  await app.register(metricsPlugin, { metrics, token: config.metricsToken });
  // CORS first: every answer a browser may read carries it, a 503 while shedding load included.
  await app.register(corsPlugin);
  await app.register(overloadPlugin, { ...config.overload, onReject: (reason) => metrics.overloadRejected(reason) });
  // Checks at start-up that every route and root GraphQL field has its operation, and no more.
  await app.register(accessPlugin, { graphqlFields: () => rootFields(app.graphql.schema) });
  await app.register(keyUsagePlugin);
  // Counts every request before anything can answer it (a response cache included).
  await app.register(rateLimitPlugin, {
    ...config.rateLimit,
    redisUrl: config.redisUrl,
    onReject: (principal) => metrics.rateLimitRejected(principal),
  });
  await app.register(originGuardPlugin);
  await app.register(cachingPlugin, { cache: responseCache });
  await app.register(openapiPlugin);
  await app.register(healthRoutes, {
    ping: database.ping,
    readyTimeoutMs: config.readyTimeoutMs,
    overloaded: () => app.isUnderPressure(),
  });
  await app.register(problemRoutes);
  await app.register(publicRoutes, { prefix: '/v1' });
  await app.register(syncRoutes, { prefix: '/v1' });
  await app.register(adminRoutes, { prefix: '/v1/admin' });
  await app.register(graphqlPlugin, { ...config.graphql, bodyLimit: BODY_LIMITS.graphql });
  await app.register(graphqlOriginGuard);
  await app.register(embedRoutes);
  await app.register(webhookDispatcherPlugin);
  await app.register(schedulerPlugin);
  await app.ready();
  return app;
}
