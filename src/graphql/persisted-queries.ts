import { createHash } from 'node:crypto';
import type { PersistedQueryProvider } from 'mercurius';

export interface PersistedQueryLimits {
  /** Most queries remembered. */
  maxEntries: number;
  /** Most bytes of query text remembered, all queries together. */
  maxBytes: number;
  /** A longer query still runs, but is not remembered. */
  maxQueryBytes: number;
}

/*
 * Automatic persisted queries (Apollo's protocol), remembered in a least-recently-used list that is
 * bounded by bytes as well as by count: a count alone let a few hundred padded queries hold
 * hundreds of MB. Mercurius' own provider, apart from the bound.
 */
export function automaticPersistedQueries(limits: PersistedQueryLimits): PersistedQueryProvider {
  const queries = new Map<string, string>();
  let bytes = 0;
  const sizeOf = (hash: string, query: string) => hash.length + Buffer.byteLength(query, 'utf8');

  const remember = (hash: string, query: string) => {
    const size = sizeOf(hash, query);
    if (Buffer.byteLength(query, 'utf8') > limits.maxQueryBytes || size > limits.maxBytes) return;
    const known = queries.get(hash);
    if (known !== undefined) {
      queries.delete(hash);
      bytes -= sizeOf(hash, known);
    }
    queries.set(hash, query);
    bytes += size;
    // A Map iterates in insertion order: the first key is the one used least recently.
    for (const [oldest, text] of queries) {
      if (bytes <= limits.maxBytes && queries.size <= limits.maxEntries) break;
      queries.delete(oldest);
      bytes -= sizeOf(oldest, text);
    }
  };

  return {
    isPersistedQuery: (request) =>
      !request.query && Boolean((request.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery),
    isPersistedQueryRetry: (request) =>
      Boolean(request.query) &&
      Boolean((request.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery),
    getHash: (request) => {
      const { version, sha256Hash } = (
        request.extensions as { persistedQuery: { version?: unknown; sha256Hash?: unknown } }
      ).persistedQuery;
      return version === 1 && typeof sha256Hash === 'string' ? sha256Hash : '';
    },
    getQueryFromHash: async (hash) => {
      const query = queries.get(hash);
      if (query !== undefined) {
        // Used again: it moves to the back of the list.
        queries.delete(hash);
        queries.set(hash, query);
      }
      return query;
    },
    getHashForQuery: (query) => createHash('sha256').update(query, 'utf8').digest('hex'),
    saveQuery: async (hash, query) => remember(hash, query),
    notFoundError: 'PersistedQueryNotFound',
    notSupportedError: 'PersistedQueryNotSupported',
    mismatchError: 'provided sha does not match query',
  };
}
