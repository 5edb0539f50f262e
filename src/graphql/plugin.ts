import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { GraphQLScalarType, Kind, NoSchemaIntrospectionCustomRule } from './graphql-module.js';
import mercurius, { type IResolvers } from 'mercurius';
import { readContext } from '../http/read-context.js';
import { tagResponse } from '../http/surrogate.js';
import { COLLECTION } from '../changes/surrogate-keys.js';
import { formatErrors } from './errors.js';
import { graphiqlRoutes } from './graphiql.js';
import { checkLimits, measure, type QueryLimits } from './limits.js';
import { createReadBatches } from './read-batches.js';
import { automaticPersistedQueries, type PersistedQueryLimits } from './persisted-queries.js';
import { checkNoNul, checkSource, checkTransport, type DocumentLimits } from './transport.js';
import { mutationResolvers } from './mutations.js';
import { guardRootFields } from './operations.js';
import { resolvers } from './resolvers.js';
import { DateTime, JSONValue } from './scalars.js';
import { adminResolvers } from './admin-resolvers.js';
import { adminTypeDefs } from './sdl-admin.js';
import { typeDefs } from './sdl.js';
import './context.js';

export interface GraphqlOptions {
  limits: QueryLimits;
  /** Checked on the query text before it is parsed (bytes) and while it is (tokens). */
  document: DocumentLimits;
  introspection: boolean;
  graphiql: boolean;
  /** How many automatic persisted queries one instance remembers, and how many bytes of them. */
  persistedQueries: PersistedQueryLimits;
  /** Largest request body /graphql reads. */
  bodyLimit: number;
}

/** Resolver maps combined type by type, so two files may resolve fields of one type (Query). */
function mergeResolvers(...maps: IResolvers[]): IResolvers {
  const merged: Record<string, unknown> = {};
  for (const map of maps)
    for (const [type, fields] of Object.entries(map))
      merged[type] =
        fields && typeof fields === 'object' && !(fields instanceof GraphQLScalarType)
          ? { ...(merged[type] as object | undefined), ...fields }
          : fields;
  return merged as IResolvers;
}

/**
 * /graphql over the same content service as REST. Limits are checked on the parsed query before
 * any resolver runs; every response reports the query's measure in extensions.
 */
export const graphqlPlugin = fp<GraphqlOptions>(async (app: FastifyInstance, options) => {
  await app.register(mercurius, {
    schema: [typeDefs, adminTypeDefs].join('\n'),
    resolvers: guardRootFields(
      mergeResolvers({ DateTime, JSON: JSONValue }, resolvers, adminResolvers, mutationResolvers),
    ),
    // Ours (graphiql.ts) instead, which loads nothing from elsewhere.
    graphiql: false,
    path: '/graphql',
    graphql: { parseOptions: { maxTokens: options.document.maxTokens } },
    validationRules: options.introspection ? [] : [NoSchemaIntrospectionCustomRule],
    persistedQueryProvider: automaticPersistedQueries(options.persistedQueries),
    errorFormatter: formatErrors,
    context: (request) => {
      // A refused preview is reported as a GraphQL error (from preExecution), not a bare HTTP one.
      const shared = { content: app.content, access: app.access, shutdownSignal: app.shutdownSignal };
      try {
        const read = readContext(request);
        return { ...shared, read, batch: createReadBatches(app.content, read) };
      } catch (refused) {
        const read = { principal: request.principal, preview: false };
        return { ...shared, read, batch: createReadBatches(app.content, read), refused };
      }
    },
    // Public like /v1: anyone may query published content. Kept out of openapi.yaml.
    additionalRouteOptions: {
      config: { transport: 'graphql', cache: 'public' },
      schema: { hide: true },
      preValidation: (request) => checkTransport(request, options.document),
      bodyLimit: options.bodyLimit,
    },
  });

  if (options.graphiql) await app.register(graphiqlRoutes);

  // Every query text, a persisted one too, is GraphQL source: never a JSON syntax tree.
  app.graphql.addHook('preParsing', async (_schema, source) => checkSource(source, options.document));

  // The shape of a query is checked before GraphQL validates it, so an abusive document costs no
  // more than reading it once; cost, which may depend on variables, is checked before execution.
  app.graphql.addHook('preValidation', async (_schema, document, context) => {
    const m = measure(document);
    const broken = checkLimits(m, options.limits, 'shape');
    if (broken) {
      context.measure = m;
      throw broken;
    }
  });

  app.graphql.addHook('preExecution', async (_schema, document, context, variables) => {
    if (context.refused) throw context.refused;
    checkNoNul(document, variables as Record<string, unknown> | undefined);
    // Only answers to queries may be kept by the response cache; any answer may show anything.
    const request = context.reply.request;
    if (document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'query')) {
      request.cacheBuild?.done(false);
      request.cacheBuild = null;
    } else {
      tagResponse(context.reply, [COLLECTION.graphql]);
    }
    const m = measure(document, (variables ?? {}) as Record<string, unknown>);
    context.measure = m;
    const broken = checkLimits(m, options.limits);
    if (broken) throw broken;
  });

  app.graphql.addHook('onResolution', async (execution, context) => {
    if (context.measure) {
      const { cost, depth, aliases, fields } = context.measure;
      (execution as { extensions?: Record<string, unknown> }).extensions = {
        ...execution.extensions,
        cost: { cost, depth, aliases, fields, limits: options.limits },
      };
    }
    // A response with errors must not be cached and served to the next caller.
    if (execution.errors?.length) context.reply.header('cache-control', 'no-store');
  });
});
