import { createRequire } from 'node:module';
import fc from 'fast-check';
import type * as GraphQL from 'graphql';
import { hostileNumber, hostileString, hostileValue, PROTO_KEYS, withExtraKeys } from './hostile.js';

/*
 * GraphQL requests for every root field of the served schema: arguments generated from their
 * types, well-typed or not, hostile at any depth, sent as variables or written into the query.
 */

// The served schema was built by the CommonJS graphql that mercurius loads; use that copy.
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/** Values worth sending by argument or input field name (real slugs and ids). */
export type GraphqlFixtures = Record<string, fc.Arbitrary<unknown>>;

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  key: string | null;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A value for an input type; `hostility` percent of the nodes are replaced by anything at all. */
function valueFor(
  type: GraphQL.GraphQLInputType,
  hostility: number,
  fixtures: GraphqlFixtures,
  name = '',
): fc.Arbitrary<unknown> {
  const valid = validFor(type, hostility, fixtures, name);
  return hostility > 0
    ? fc.oneof({ weight: 100 - hostility, arbitrary: valid }, { weight: hostility, arbitrary: hostileValue })
    : valid;
}

function validFor(
  type: GraphQL.GraphQLInputType,
  hostility: number,
  fixtures: GraphqlFixtures,
  name: string,
): fc.Arbitrary<unknown> {
  if (graphql.isNonNullType(type)) return validFor(type.ofType, hostility, fixtures, name);
  if (fixtures[name] && !graphql.isListType(type)) return fixtures[name]!;
  if (graphql.isListType(type))
    return fixtures[name] ?? fc.array(valueFor(type.ofType, hostility, fixtures, name), { maxLength: 4 });
  if (graphql.isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (graphql.isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const record = fc.record(
      Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, hostility, fixtures, f.name)])),
      {
        requiredKeys: fields
          .filter((f) => graphql.isNonNullType(f.type) && f.defaultValue === undefined)
          .map((f) => f.name),
      },
    ) as fc.Arbitrary<Record<string, unknown>>;
    return hostility > 0 ? withExtraKeys(record) : record;
  }
  switch (type.name) {
    case 'Int':
      return fc.oneof(fc.integer({ min: -5, max: 200 }), hostileNumber.filter(Number.isInteger));
    case 'Float':
      return hostileNumber;
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return fc.oneof(fc.uuid(), hostileString);
    default:
      return fc.oneof(fc.string({ maxLength: 40 }), hostileString);
  }
}

/** Deep nesting written without recursion: printing it recursively would overflow here first. */
const DEEP_LITERAL = `${'{ a: ['.repeat(1_500)}1${'] }'.repeat(1_500)}`;

/** A value written as a GraphQL literal of the given type; what does not fit is written as it is. */
function literal(value: unknown, type?: GraphQL.GraphQLInputType, depth = 0): string {
  if (depth > 200) return DEEP_LITERAL;
  if (value === null || value === undefined) return 'null';
  if (type && graphql.isNonNullType(type)) return literal(value, type.ofType, depth);
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, type && graphql.isListType(type) ? type.ofType : undefined, depth + 1)).join(', ')}]`;
  if (type && graphql.isListType(type)) return literal(value, type.ofType, depth);
  if (typeof value === 'object') {
    const fields = type && graphql.isInputObjectType(type) ? type.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${NAME.test(k) ? k : `_${k.length}`}: ${literal(v, fields[k]?.type, depth + 1)}`,
    );
    return `{ ${entries.join(', ')} }`;
  }
  if (type && graphql.isEnumType(type) && typeof value === 'string' && NAME.test(value)) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return JSON.stringify(value);
}

/** Leaf fields of the result, and the leaves of its object fields: enough to run their resolvers. */
function selectionFor(type: GraphQL.GraphQLOutputType, depth = 2): string {
  const named = graphql.getNamedType(type);
  if (graphql.isLeafType(named)) return '';
  if (!graphql.isObjectType(named) || depth === 0) return '{ __typename }';
  const fields = Object.values(named.getFields()).filter((f) => f.args.every((a) => !graphql.isNonNullType(a.type)));
  const parts = fields.flatMap((f) => {
    const inner = graphql.isLeafType(graphql.getNamedType(f.type)) ? '' : selectionFor(f.type, depth - 1);
    return [`${f.name} ${inner}`.trim()];
  });
  return `{ __typename ${parts.join(' ')} }`;
}

/** Requests for one root field: variables or inline arguments, admin or anonymous. */
export function requestsForField(
  schema: GraphQL.GraphQLSchema,
  field: string,
  fixtures: GraphqlFixtures,
  adminKey: string,
): fc.Arbitrary<GraphqlRequest> {
  const [typeName, name] = field.split('.') as ['Query' | 'Mutation', string];
  const definition = (typeName === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[name]!;
  const keyword = typeName === 'Query' ? 'query' : 'mutation';
  const selection = selectionFor(definition.type);
  const args = fc.record(
    Object.fromEntries(
      definition.args.map((a) => [
        a.name,
        fc.oneof(
          { weight: 3, arbitrary: valueFor(a.type, 0, fixtures, a.name) },
          { weight: 2, arbitrary: valueFor(a.type, 10, fixtures, a.name) },
        ),
      ]),
    ),
    {
      requiredKeys: [],
    },
  ) as fc.Arbitrary<Record<string, unknown>>;
  // Now and then an argument the field does not have, named like something that pollutes.
  const extra = fc.option(fc.tuple(fc.constantFrom(...PROTO_KEYS.filter((k) => NAME.test(k)), 'bogus'), hostileValue), {
    freq: 8,
  });
  const key = fc.constantFrom<string | null>(adminKey, adminKey, adminKey, adminKey, null);
  return fc.record({ args, extra, key, inline: fc.boolean() }).map(({ args: values, extra: more, key: k, inline }) => {
    const given = definition.args.filter((a) => a.name in values);
    if (inline) {
      const written = [
        ...given.map((a) => `${a.name}: ${literal(values[a.name], a.type)}`),
        ...(more ? [`${more[0]}: ${literal(more[1])}`] : []),
      ];
      return { query: `${keyword} { ${name}${written.length ? `(${written.join(', ')})` : ''} ${selection} }`, key: k };
    }
    const declared = given.map((a) => `$${a.name}: ${a.type.toString()}`);
    const passed = given.map((a) => `${a.name}: $${a.name}`);
    const head = declared.length ? `${keyword} Hostile(${declared.join(', ')})` : keyword;
    const variables = Object.fromEntries(given.map((a) => [a.name, values[a.name]]));
    return {
      query: `${head} { ${name}${passed.length ? `(${passed.join(', ')})` : ''} ${selection} }`,
      variables: more ? { ...variables, [more[0]]: more[1] } : variables,
      key: k,
    };
  });
}

/** Queries that are parsed well and then turned into syntax trees. */
const TREE_SOURCES = [
  '{ roles(first: 5) { nodes { slug questions { prompt starExamples { situation } } } } }',
  '{ questions(first: 3) { nodes { id } } }',
  'mutation { deleteCategory(slug: "data") { slug } }',
];

/**
 * A syntax tree as mercurius once took it in place of query text: a parsed query whose first
 * argument holds what no parser writes (a page size of "100x", an object, a huge number).
 */
const syntaxTree = fc
  .record({ source: fc.constantFrom(...TREE_SOURCES), value: hostileValue })
  .map(({ source, value }) => {
    const tree = JSON.parse(JSON.stringify(graphql.parse(source, { noLocation: true }))) as {
      definitions: { selectionSet: { selections: { arguments?: { value: { value?: unknown } }[] }[] } }[];
    };
    const argument = tree.definitions[0]!.selectionSet.selections[0]!.arguments?.[0];
    if (argument) argument.value.value = value;
    return tree;
  });

/** A `query` that is not GraphQL source text: a tree (as an object or as its JSON), or any JSON value. */
const notGraphqlText: fc.Arbitrary<unknown> = fc.oneof(
  syntaxTree,
  syntaxTree.map((tree) => JSON.stringify(tree)),
  fc.constantFrom('1', 'true', 'false', 'null', '1e400', '-0', '[]', '{}', '"{ categories { slug } }"'),
  hostileValue.map((value) => JSON.stringify(value) ?? 'null'),
  hostileValue,
);

/** What reaches /graphql that is not a well-formed request: bodies of any shape, broken documents. */
export const hostileTransport: fc.Arbitrary<{
  method: 'GET' | 'POST';
  body?: unknown;
  query?: Record<string, string>;
}> = fc.oneof(
  hostileValue.map((body) => ({ method: 'POST' as const, body })),
  fc
    .record(
      {
        query: fc.oneof(hostileString, hostileValue),
        variables: hostileValue,
        operationName: hostileValue,
        extensions: hostileValue,
      },
      { requiredKeys: ['query'] },
    )
    .map((body) => ({ method: 'POST' as const, body })),
  fc
    .array(
      fc.constantFrom(
        '{',
        '}',
        '(',
        ')',
        '[',
        ']',
        'query',
        'mutation',
        'subscription',
        'fragment F on Role',
        '...F',
        '... on Query',
        '@skip(if: true)',
        '$v',
        'role',
        'slug:',
        '"x"',
        '__schema',
        '__typename',
        ':',
        ',',
      ),
      {
        maxLength: 25,
      },
    )
    .map((tokens) => ({ method: 'POST' as const, body: { query: tokens.join(' ') } })),
  fc
    .record(
      { query: hostileString, variables: hostileString, operationName: hostileString, extensions: hostileString },
      { requiredKeys: [] },
    )
    .map((query) => ({ method: 'GET' as const, query })),
  notGraphqlText.map((query) => ({ method: 'POST' as const, body: { query } })),
  notGraphqlText
    .filter((query): query is string => typeof query === 'string')
    .map((query) => ({ method: 'GET' as const, query: { query } })),
);
