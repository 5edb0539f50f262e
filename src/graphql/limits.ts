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
  /** Every operation asks only for introspection (__schema, __type, __typename). */
  introspection: boolean;
}

/**
 * How deep an introspection-only operation may go, whatever GRAPHQL_MAX_DEPTH says: the standard
 * introspection query (GraphiQL's, codegen's) follows type references 15 fields deep. Its fields,
 * aliases and cost still count against the usual limits.
 */
const INTROSPECTION_MAX_DEPTH = 15;

/*
 * Cost model: every field costs 1, and a list multiplies the cost of what is selected inside it by
 * the number of items it may return. Paginated fields count their `first` (default 20); other
 * lists count a nominal size that matches the content's shape (a role has about 6 rounds, up to
 * 20 questions, ...). The result approximates the rows a query touches, before any SQL runs.
 *
 * Every field counts, introspection (`__schema`, `__type`, `__typename`) included: it builds
 * responses like any other field. Fragments count as if written out at each spread.
 */
const CONNECTIONS = new Set(['roles', 'questions', 'search', 'adminRoles', 'adminQuestions']);
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
  candidates: 10,
  // Content tools' reads.
  revisions: 10,
  changes: 20,
  releases: 10,
  items: 20,
  changed: 20,
  unchanged: 20,
};
const DEFAULT_PAGE = 20;

/**
 * A page size as the query gives it. One that is not a whole number (which graphql-js would refuse
 * or read differently) counts as endless, so it can only make a query too costly, never cheaper.
 */
function intValue(node: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!node) return undefined;
  const whole = (n: number) => (Number.isSafeInteger(n) ? n : Infinity);
  if (node.kind === Kind.INT) return whole(Number(node.value));
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? whole(v) : undefined;
  }
  return undefined;
}

/** What a selection set adds up to; depth is counted from the set's own fields (1). */
interface SetMeasure {
  depth: number;
  cost: number;
  aliases: number;
  fields: number;
}

const NOTHING: SetMeasure = { depth: 0, cost: 0, aliases: 0, fields: 0 };

/**
 * Depth, cost, aliases and field count of every operation in a document (the largest of each).
 *
 * Each fragment is measured once (per place it can stand: at the root or below) and its measure
 * reused at every spread, so the work is linear in the size of the document however often
 * fragments spread each other. The totals may be astronomically large for such documents; they
 * are numbers, compared against the limits, never walked.
 */
export function measure(document: DocumentNode, variables: Record<string, unknown> = {}): QueryMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  let vars: Record<string, unknown> = variables;
  // Fragment measures depend on the variables (page sizes), so they are kept per operation.
  let memo = new Map<string, SetMeasure | 'pending'>();

  const fragment = (name: string, atRoot: boolean): SetMeasure => {
    const key = `${atRoot ? 'root' : 'nested'}:${name}`;
    const known = memo.get(key);
    // A cycle is invalid GraphQL and refused by validation; it adds nothing here.
    if (known === 'pending') return NOTHING;
    if (known) return known;
    const def = fragments.get(name);
    if (!def) return NOTHING;
    memo.set(key, 'pending');
    const m = walk(def.selectionSet, atRoot);
    memo.set(key, m);
    return m;
  };

  const walk = (set: SelectionSetNode, atRoot: boolean): SetMeasure => {
    const total = { depth: 0, cost: 0, aliases: 0, fields: 0 };
    const add = (m: SetMeasure, extraDepth: number, costFactor = 1) => {
      total.depth = Math.max(total.depth, m.depth + extraDepth);
      total.cost += m.cost * costFactor;
      total.aliases += m.aliases;
      total.fields += m.fields;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        add(fragment(selection.name.value, atRoot), 0);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(walk(selection.selectionSet, atRoot), 0);
        continue;
      }
      const name = selection.name.value;
      total.fields += 1;
      if (selection.alias) total.aliases += 1;
      total.depth = Math.max(total.depth, 1);
      total.cost += 1;
      if (!selection.selectionSet) continue;
      const first = selection.arguments?.find((a) => a.name.value === 'first');
      const size =
        atRoot && CONNECTIONS.has(name)
          ? (intValue(first?.value, vars) ?? DEFAULT_PAGE)
          : name === 'edges' || name === 'nodes' || name === 'node' || name === 'pageInfo'
            ? 1
            : (LIST_SIZES[name] ?? 1);
      add(walk(selection.selectionSet, false), 1, Math.max(size, 1));
    }
    return total;
  };

  const totals: QueryMeasure = { depth: 0, cost: 0, aliases: 0, fields: 0, introspection: true };
  let operations = 0;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    operations += 1;
    totals.introspection &&= def.selectionSet.selections.every(
      (s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'),
    );
    // A variable the request leaves out takes its declared default: count that one.
    const defaults = Object.fromEntries(
      (def.variableDefinitions ?? []).flatMap((v) =>
        v.defaultValue ? [[v.variable.name.value, intValue(v.defaultValue, {})]] : [],
      ),
    );
    vars = {
      ...defaults,
      ...Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== null && v !== undefined)),
    };
    memo = new Map();
    const m = walk(def.selectionSet, true);
    for (const key of ['depth', 'cost', 'aliases', 'fields'] as const) totals[key] = Math.max(totals[key], m[key]);
  }
  // Past this a number stops being exact and JSON cannot say Infinity; both are far over any limit.
  for (const key of ['depth', 'cost', 'aliases', 'fields'] as const)
    totals[key] = Math.min(totals[key], Number.MAX_SAFE_INTEGER);
  totals.introspection &&= operations > 0;
  return totals;
}

/**
 * The first limit a measured query breaks, as a GraphQL error with a stable code. 'shape' checks
 * only what the document alone decides (depth, aliases, fields).
 */
export function checkLimits(
  m: QueryMeasure,
  limits: QueryLimits,
  what: 'shape' | 'all' = 'all',
): GraphQLError | undefined {
  const maxDepth = m.introspection ? Math.max(limits.maxDepth, INTROSPECTION_MAX_DEPTH) : limits.maxDepth;
  const checks: (readonly [Exclude<keyof QueryMeasure, 'introspection'>, number, string, string])[] = [
    ['depth', maxDepth, 'QUERY_TOO_DEEP', 'depth'],
    ['aliases', limits.maxAliases, 'TOO_MANY_ALIASES', 'aliases'],
    ['fields', limits.maxFields, 'TOO_MANY_FIELDS', 'fields'],
    // Cost depends on page sizes that may come in variables, which only execution has.
    ...(what === 'all' ? [['cost', limits.maxCost, 'QUERY_TOO_COSTLY', 'cost'] as const] : []),
  ];
  for (const [key, limit, code, label] of checks) {
    const actual = m[key];
    // NaN compares false with anything: a measure that is not a finite number is over every limit.
    if (!Number.isFinite(actual) || actual > limit) {
      const said = Number.isFinite(actual) ? String(actual) : 'not a finite number';
      return new GraphQLError(`The query's ${label} is ${said}, over the limit of ${limit}`, {
        extensions: { code, limit, actual: Number.isFinite(actual) ? actual : null },
      });
    }
  }
  return undefined;
}
