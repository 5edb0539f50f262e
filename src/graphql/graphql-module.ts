import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';

/**
 * graphql ships CommonJS and ESM builds, and it refuses objects made by the other one ("from
 * another module or realm"). Mercurius loads the CommonJS build, so everything of ours that
 * meets its schema or errors must use the same copy.
 */
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;

export const {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  parse,
  printSchema,
  valueFromASTUntyped,
  visit,
} = graphql;
export type GraphQLError = GraphQL.GraphQLError;
