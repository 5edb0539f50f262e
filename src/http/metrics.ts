import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { HistogramFamily, type Series } from './metric-series.js';
import type { CacheStats } from './response-cache/store.js';

/*
 * What /metrics reports, in Prometheus text format. Each app has its own registry (tests build
 * several apps in one process); what belongs to the process (event-loop delay, memory, GC,
 * handles) is collected once per process and reported by every app in it.
 */

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    // nodejs_eventloop_lag_* (from monitorEventLoopDelay), process_* and nodejs_heap_* among them.
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 });
  }
  return processRegistry;
}

/** Seconds; from a cache hit (well under a millisecond) to a large import. */
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DB_BUCKETS = [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The label of requests that matched no route, so stray URLs cannot grow the label set. */
const UNMATCHED_ROUTE = 'unmatched';

export interface MetricsSources {
  /** The database's pool size and what it is doing now. */
  database: { poolMax: number; activity: { statements: number; transactions: number } };
  cache?: { stats(): CacheStats } | undefined;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new HistogramFamily(
    'http_request_duration_seconds',
    'Time from receiving a request to finishing its answer, by route pattern, method and status',
    HTTP_BUCKETS,
  );
  // Series resolved once per route, method and status: recording a request allocates nothing.
  private readonly series = new Map<string, Map<string, Map<number, Series>>>();
  private readonly dbOk: Series;
  private readonly dbFailed: Series;
  private readonly rateLimited: Counter<'principal'>;
  private readonly shed: Counter<'reason'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.requests.register(this.registry, {
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status',
    });
    const db = new HistogramFamily(
      'db_query_duration_seconds',
      'Time the database took to answer one statement',
      DB_BUCKETS,
    );
    db.register(this.registry);
    this.dbOk = db.series({ outcome: 'ok' });
    this.dbFailed = db.series({ outcome: 'error' });
    const { database, cache } = sources;
    new Gauge({
      name: 'db_pool_max',
      help: 'Connections the pool may open (1 for the embedded database)',
      registers,
    }).set(database.poolMax);
    new Gauge({
      name: 'db_statements_in_flight',
      help: 'Statements sent to the database and not answered yet',
      registers,
      collect() {
        this.set(database.activity.statements);
      },
    });
    new Gauge({
      name: 'db_transactions_open',
      help: 'Open transactions; on PostgreSQL each holds a pooled connection',
      registers,
      collect() {
        this.set(database.activity.transactions);
      },
    });
    this.rateLimited = new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused with 429, by who was limited',
      labelNames: ['principal'],
      registers,
    });
    this.shed = new Counter({
      name: 'overload_rejections_total',
      help: 'Requests refused with 503 while the process was overloaded, by the threshold crossed',
      labelNames: ['reason'],
      registers,
    });
    if (cache) this.cacheMetrics(cache, registers);
  }

  private cacheMetrics(cache: { stats(): CacheStats }, registers: Registry[]) {
    // Read from the cache's own counters at scrape time: the hit path does no extra work.
    const counters: [string, string, keyof CacheStats][] = [
      ['response_cache_hits_total', 'Public reads answered from the response cache', 'hits'],
      ['response_cache_misses_total', 'Lookups that found no cached response', 'misses'],
      ['response_cache_purged_total', 'Cached responses dropped because the content they show changed', 'purged'],
      ['response_cache_evicted_total', 'Cached responses dropped to stay within the byte budget', 'evicted'],
    ];
    for (const [name, help, field] of counters) {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(cache.stats()[field]);
        },
      });
    }
    for (const [name, help, field] of [
      ['response_cache_entries', 'Responses in the cache', 'entries'],
      ['response_cache_bytes', 'Bytes the cached responses take, compressed forms included', 'bytes'],
    ] as const) {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(cache.stats()[field]);
        },
      });
    }
  }

  /** One answered request; route is the pattern it matched (undefined: none). */
  request(method: string, route: string | undefined, status: number, seconds: number): void {
    const label = route ?? UNMATCHED_ROUTE;
    let byMethod = this.series.get(label);
    if (!byMethod) this.series.set(label, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series)
      byStatus.set(status, (series = this.requests.series({ method, route: label, status_code: String(status) })));
    series.observe(seconds);
  }

  statement = (seconds: number, failed: boolean): void => {
    (failed ? this.dbFailed : this.dbOk).observe(seconds);
  };

  rateLimitRejected(principal: 'anonymous' | 'key'): void {
    this.rateLimited.inc({ principal });
  }

  overloadRejected(reason: string): void {
    this.shed.inc({ reason });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async text(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${proc}`;
  }
}
