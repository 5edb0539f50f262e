import type { OperationName } from '../access/operations.js';
import type { Principal } from '../access/principal.js';
import type { AccessService } from '../access/service.js';
import type { ChangeWatcher } from '../changes/watcher.js';
import type { Config } from '../config.js';
import type { ResponseCache } from './response-cache/store.js';
import type { Scheduler } from '../content/scheduler.js';
import type { ContentService } from '../content/service.js';
import type { SecurityPolicy, SecurityPolicyName } from './plugins/security-headers.js';
import type { WebhookService } from '../changes/webhooks/service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The operation the route serves (src/access/operations.ts): who may call it, and its OpenAPI
     * operationId. An API route without one stops the app at start-up.
     */
    operation?: OperationName;
    /** GraphQL's route: not an operation itself; each of its root fields is one. */
    transport?: 'graphql';
    /** public: shared caches may keep it; private: per-caller, never stored. */
    cache?: 'public' | 'private';
    /** What browsers may do with the answer (plugins/security-headers.ts); `api` when absent. */
    security?: SecurityPolicyName | SecurityPolicy;
  }
  interface FastifyInstance {
    content: ContentService;
    access: AccessService;
    appConfig: Config;
    changes: ChangeWatcher;
    /** The published read model; undefined when RESPONSE_CACHE=false. */
    responseCache: ResponseCache | undefined;
    /** Aborted when the app starts closing (shutdown.ts). */
    shutdownSignal: AbortSignal;
    webhooks: WebhookService;
    /** Runs scheduled publishing; undefined when SCHEDULER=false. */
    scheduler: Scheduler | undefined;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}
