import { createHash } from 'node:crypto';
import { compressForCache, type Encoding } from './encodings.js';

/** One finished public response: its bytes (and their compressed forms), headers and tags. */
export interface CachedResponse {
  key: string;
  etag: string;
  /** Headers to send again with the bytes (content type, cache policy, surrogate keys, Link). */
  headers: Record<string, string>;
  identity: Buffer;
  encoded: Partial<Record<Exclude<Encoding, 'identity'>, Buffer>>;
  tags: readonly string[];
  bytes: number;
}

export interface CacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  purged: number;
  evicted: number;
}

/** The same strong ETag @fastify/etag would compute, so cached and uncached answers agree. */
export function etagOf(body: Buffer | string): string {
  return `"${createHash('sha1').update(body).digest('base64')}"`;
}

// Fixed cost of an entry beyond its bytes (maps, strings, headers), for the budget.
const ENTRY_OVERHEAD = 512;

/**
 * The published read model: finished responses keyed by the normalized request, least recently
 * used first out once the byte budget is spent, and purged by surrogate key when the change log
 * says something they show has changed. It is a cache, never a source of truth: dropping it
 * costs only the work of building the responses again.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private readonly byTag = new Map<string, Set<string>>();
  private readonly building = new Map<string, Promise<boolean>>();
  private bytes = 0;
  /** Bumped by every purge, so a response built before one is not stored after it. */
  private generation = 0;
  private readonly counters = { hits: 0, misses: 0, purged: 0, evicted: 0 };

  constructor(private readonly maxBytes: number) {}

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.counters.misses += 1;
      return undefined;
    }
    // Re-inserting moves the entry to the young end of the map's order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.counters.hits += 1;
    return entry;
  }

  /** Where a build starts: the generation to hand back to store(). */
  get currentGeneration(): number {
    return this.generation;
  }

  /**
   * Stores a response built from content read at `generation`. Refused when a purge happened
   * meanwhile: the bytes might show what the purge removed. Compressed forms follow in the
   * background and are sent once they exist.
   */
  store(input: Omit<CachedResponse, 'bytes' | 'encoded'>, generation: number): boolean {
    if (generation !== this.generation) return false;
    const size = input.identity.length + ENTRY_OVERHEAD;
    if (size > this.maxBytes / 4) return false;
    this.remove(input.key);
    const entry: CachedResponse = { ...input, encoded: {}, bytes: size };
    this.entries.set(entry.key, entry);
    for (const tag of entry.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(entry.key);
    }
    this.bytes += size;
    this.evict();
    compressForCache(entry.identity).then(
      (encoded) => {
        if (this.entries.get(entry.key) !== entry) return;
        entry.encoded = encoded;
        const extra = (encoded.br?.length ?? 0) + (encoded.gzip?.length ?? 0);
        entry.bytes += extra;
        this.bytes += extra;
        this.evict();
      },
      () => {},
    );
    return true;
  }

  /** Drops every response tagged with one of the keys. */
  purge(tags: Iterable<string>): number {
    this.generation += 1;
    let removed = 0;
    for (const tag of tags) {
      for (const key of this.byTag.get(tag) ?? []) removed += this.remove(key) ? 1 : 0;
    }
    this.counters.purged += removed;
    return removed;
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
  }

  /**
   * One build per key at a time: the first caller gets `done`, to call with whether its answer
   * was stored; the others wait for that. After a stored answer they read it; otherwise each
   * builds its own (an error or a 404 is not shared), so a failing key never queues callers.
   */
  lead(key: string): { done: (stored: boolean) => void } | { wait: Promise<boolean> } {
    const pending = this.building.get(key);
    if (pending) return { wait: pending };
    let settle!: (stored: boolean) => void;
    const promise = new Promise<boolean>((resolve) => (settle = resolve));
    this.building.set(key, promise);
    return {
      done: (stored) => {
        if (this.building.get(key) !== promise) return;
        this.building.delete(key);
        settle(stored);
      },
    };
  }

  stats(): CacheStats {
    return { entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes, ...this.counters };
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
    return true;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) return;
      this.remove(key);
      this.counters.evicted += 1;
    }
  }
}
