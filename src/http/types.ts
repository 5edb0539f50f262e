import type { Principal, Scope } from '../access/principal.js';
import type { AccessService } from '../access/service.js';
import type { Config } from '../config.js';
import type { ContentService } from '../content/service.js';
import type { WebhookService } from '../changes/webhooks/service.js';

/** What a route must declare: who may call it. A /v1 route without it stops the app at start-up. */
export type RouteAccess = 'public' | Scope | readonly Scope[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** public: shared caches may keep it; private: per-caller, never stored. */
    cache?: 'public' | 'private';
  }
  interface FastifyInstance {
    content: ContentService;
    access: AccessService;
    appConfig: Config;
    webhooks: WebhookService;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}
