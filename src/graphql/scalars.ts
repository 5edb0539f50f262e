import { AppError } from '../errors.js';
import { GraphQLScalarType, Kind, valueFromASTUntyped } from './graphql-module.js';

/** How REST writes every time: ISO 8601, UTC, milliseconds. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function canonical(value: unknown): string {
  if (typeof value === 'string' && CANONICAL.test(value)) return value;
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
  return date.toISOString();
}

/**
 * Timestamps as a scalar of their own, so typed clients can map them to a date type, serialized
 * exactly as the REST answers write them (the values come from the same JSON).
 */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: canonical,
  parseValue: (value) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
      throw new AppError('VALIDATION_FAILED', 'DateTime: expected an ISO 8601 date and time');
    return canonical(value);
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value)))
      throw new AppError('VALIDATION_FAILED', 'DateTime: expected an ISO 8601 date and time');
    return canonical(ast.value);
  },
});

/** Any JSON value: revision snapshots and their differences, a release item's staged changes. */
export const JSONValue = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
