import type { DocumentNode, FragmentDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';
import { GraphQLError, Kind } from './graphql-module.js';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxFields: number;
}

export interface QueryMeasure {
  depth: number;
  cost: number;
  aliases: number;
  fields: number;
}

/*
 * Cost model: every field costs 1, and a list multiplies the cost of what is selected inside it by
 * the number of items it may return. Paginated fields count their `first` (default 20); other
 * lists count a nominal size that matches the content's shape (a role has about 6 rounds, up to
 * 20 questions, ...). The result approximates the rows a query touches, before any SQL runs.
 */
const CONNECTIONS = new Set(['roles', 'questions', 'search']);
const LIST_SIZES: Record<string, number> = {
  categories: 10,
  formatBreakdown: 4,
  rounds: 6,
  questions: 20,
  tips: 8,
  faqs: 8,
  relatedRoles: 4,
  starExamples: 2,
  pitfalls: 4,
};
const DEFAULT_PAGE = 20;

function intValue(node: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

/** Depth, cost, aliases and field count of every operation in a document (the largest of each). */
export function measure(document: DocumentNode, variables: Record<string, unknown> = {}): QueryMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const totals: QueryMeasure = { depth: 0, cost: 0, aliases: 0, fields: 0 };

  let vars: Record<string, unknown> = variables;
  // Returns the cost of a selection set; counts depth, aliases and fields as it goes.
  const walk = (set: SelectionSetNode, depth: number, atRoot: boolean, seen: ReadonlySet<string>): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment && !seen.has(name)) cost += walk(fragment.selectionSet, depth, atRoot, new Set([...seen, name]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += walk(selection.selectionSet, depth, atRoot, seen);
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__')) continue; // introspection is governed by its own setting
      totals.fields += 1;
      if (selection.alias) totals.aliases += 1;
      totals.depth = Math.max(totals.depth, depth);
      if (!selection.selectionSet) {
        cost += 1;
        continue;
      }
      const first = selection.arguments?.find((a) => a.name.value === 'first');
      const size =
        atRoot && CONNECTIONS.has(name)
          ? (intValue(first?.value, vars) ?? DEFAULT_PAGE)
          : name === 'edges' || name === 'nodes' || name === 'node' || name === 'pageInfo'
            ? 1
            : (LIST_SIZES[name] ?? 1);
      cost += 1 + Math.max(size, 1) * walk(selection.selectionSet, depth + 1, false, seen);
    }
    return cost;
  };

  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    // A variable the request leaves out takes its declared default: count that one.
    const defaults = Object.fromEntries(
      (def.variableDefinitions ?? []).flatMap((v) => (v.defaultValue ? [[v.variable.name.value, intValue(v.defaultValue, {})]] : [])),
    );
    vars = { ...defaults, ...Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== null && v !== undefined)) };
    totals.cost = Math.max(totals.cost, walk(def.selectionSet, 1, true, new Set()));
  }
  return totals;
}

/** The first limit a measured query breaks, as a GraphQL error with a stable code. */
export function checkLimits(m: QueryMeasure, limits: QueryLimits): GraphQLError | undefined {
  const checks: [keyof QueryMeasure, number, string, string][] = [
    ['depth', limits.maxDepth, 'QUERY_TOO_DEEP', 'depth'],
    ['aliases', limits.maxAliases, 'TOO_MANY_ALIASES', 'aliases'],
    ['fields', limits.maxFields, 'TOO_MANY_FIELDS', 'fields'],
    ['cost', limits.maxCost, 'QUERY_TOO_COSTLY', 'cost'],
  ];
  for (const [key, limit, code, label] of checks) {
    if (m[key] > limit) {
      return new GraphQLError(`The query's ${label} is ${m[key]}, over the limit of ${limit}`, {
        extensions: { code, limit, actual: m[key] },
      });
    }
  }
  return undefined;
}
