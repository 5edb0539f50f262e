import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Kind } from './graphql-module.js';

/**
 * The names of the fields a query selects inside the field being resolved, fragments included.
 * Resolvers use it to fetch what a query asks for in one statement, and to answer from data they
 * already hold when the query asks for nothing more.
 */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes as readonly FieldNode[]) visit(node.selectionSet);
  return names;
}

/** Whether the query asks for nothing beyond `available` (and __typename). */
export function onlyAsksFor(info: GraphQLResolveInfo, available: readonly string[]): boolean {
  for (const name of selectedFields(info)) if (name !== '__typename' && !available.includes(name)) return false;
  return true;
}
