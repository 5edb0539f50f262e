import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';

// The schema was built by the CommonJS graphql that mercurius loads; its type checks need that copy.
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/** A well-typed literal for an input type: the first enum value, "x", 1, and inputs with their required fields. */
function sampleLiteral(type: GraphQL.GraphQLInputType): string {
  if (graphql.isNonNullType(type)) return sampleLiteral(type.ofType);
  if (graphql.isListType(type)) return `[${sampleLiteral(type.ofType)}]`;
  if (graphql.isEnumType(type)) return type.getValues()[0]!.name;
  if (graphql.isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter(
      (f) => graphql.isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return `{ ${fields.map((f) => `${f.name}: ${sampleLiteral(f.type)}`).join(', ')} }`;
  }
  const scalars: Record<string, string> = {
    String: '"x"',
    ID: `"${randomUUID()}"`,
    Int: '1',
    Float: '1.5',
    Boolean: 'false',
  };
  return scalars[type.name] ?? '"x"';
}

/** `(a: …, b: …)` with every argument a field requires, or nothing. */
export function argumentsFor(args: readonly GraphQL.GraphQLArgument[]): string {
  const required = args.filter((a) => graphql.isNonNullType(a.type) && a.defaultValue === undefined);
  return required.length ? `(${required.map((a) => `${a.name}: ${sampleLiteral(a.type)}`).join(', ')})` : '';
}

/** The smallest selection a field's result needs: none for a scalar, `{ __typename }` otherwise. */
export function selectionFor(type: GraphQL.GraphQLOutputType): string {
  return graphql.isLeafType(graphql.getNamedType(type)) ? '' : '{ __typename }';
}
