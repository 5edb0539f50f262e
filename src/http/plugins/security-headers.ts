import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * What a browser may do with a response: which scripts, styles and connections its page may use
 * (Content-Security-Policy), and who may frame it (frame-ancestors, and X-Frame-Options for
 * browsers that know only that).
 */
export interface SecurityPolicy {
  contentSecurityPolicy: string;
  /** null: other sites may frame it, as far as frame-ancestors allows (embeddable pages). */
  frameOptions: 'DENY' | 'SAMEORIGIN' | null;
}

const csp = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/*
 * Policies by name. A route picks one with `config.security` (a name or its own policy), so a
 * page made to be embedded by other sites can say so; everything else gets `api`, which allows
 * nothing: a JSON answer has no business running scripts or being framed.
 */
export const SECURITY_POLICIES = {
  api: {
    contentSecurityPolicy: csp({
      'default-src': "'none'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
    }),
    frameOptions: 'DENY',
  },
  /** Swagger UI at /docs: its own scripts and styles (it sets inline styles), the spec from here. */
  docs: {
    contentSecurityPolicy: csp({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data: https://validator.swagger.io",
      'font-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    }),
    frameOptions: 'DENY',
  },
  /** GraphiQL at /graphiql: everything from here (graphql/graphiql.ts); its editors set inline styles. */
  graphiql: {
    contentSecurityPolicy: csp({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data:",
      'font-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    }),
    frameOptions: 'DENY',
  },
} as const satisfies Record<string, SecurityPolicy>;

export type SecurityPolicyName = keyof typeof SECURITY_POLICIES;

/** Routes registered by plugins we do not write (Swagger UI, GraphiQL) get their policy by path. */
const BY_PREFIX: [RegExp, SecurityPolicyName][] = [
  [/^\/docs(\/|$)/, 'docs'],
  [/^\/graphiql(\/|$)/, 'graphiql'],
];

export const securityHeadersPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRoute', (route) => {
    if (route.config?.security) return;
    const match = BY_PREFIX.find(([prefix]) => prefix.test(route.url));
    if (match) route.config = { ...route.config, security: match[1] };
  });

  // Hooks on every request take a callback: no promise per hook per request.
  app.addHook('onSend', (request, reply, payload, next) => {
    const chosen = request.routeOptions.config?.security ?? 'api';
    const policy: SecurityPolicy = typeof chosen === 'string' ? SECURITY_POLICIES[chosen] : chosen;
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('content-security-policy', policy.contentSecurityPolicy);
    if (policy.frameOptions) reply.header('x-frame-options', policy.frameOptions);
    else reply.removeHeader('x-frame-options');
    next(null, payload);
  });
});
