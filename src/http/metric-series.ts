import type { Registry } from 'prom-client';

/*
 * prom-client builds and hashes a label object on every observation. For what happens on every
 * request and every statement that is too much, so those histograms keep plain numbers per
 * series, resolved once, and become Prometheus text only when scraped.
 */

/** One label combination: a count, a sum and a count per bucket (not cumulative). */
export class Series {
  count = 0;
  sum = 0;
  readonly buckets: number[];

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Array<number>(bounds.length).fill(0);
  }

  observe(value: number): void {
    this.count += 1;
    this.sum += value;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.buckets[i]! += 1;
        return;
      }
    }
  }
}

interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** The shape prom-client's registry reads from any metric it formats. */
interface Collected {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: 'counter' | 'histogram'; aggregator: 'sum'; values: Sample[] }>;
  reset(): void;
}

/**
 * A histogram family (name_bucket, name_sum, name_count), and optionally a counter family fed by
 * the same series (e.g. http_requests_total beside http_request_duration_seconds).
 */
export class HistogramFamily {
  private readonly all: Series[] = [];

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  /** A new series; callers keep it and observe into it directly. */
  series(labels: Record<string, string>): Series {
    const series = new Series(labels, this.bounds);
    this.all.push(series);
    return series;
  }

  register(registry: Registry, counter?: { name: string; help: string }): void {
    const histogram: Collected = {
      name: this.name,
      help: this.help,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: this.name,
        help: this.help,
        type: 'histogram',
        aggregator: 'sum',
        values: this.all.flatMap((s) => this.samples(s)),
      }),
      reset: () => {},
    };
    registry.registerMetric(histogram as never);
    if (!counter) return;
    const total: Collected = {
      ...counter,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({
        ...counter,
        type: 'counter',
        aggregator: 'sum',
        values: this.all.map((s) => ({ labels: { ...s.labels }, value: s.count })),
      }),
      reset: () => {},
    };
    registry.registerMetric(total as never);
  }

  private samples(series: Series): Sample[] {
    const out: Sample[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += series.buckets[i]!;
      out.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le: bound }, value: cumulative });
    });
    out.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count });
    out.push({ metricName: `${this.name}_sum`, labels: { ...series.labels }, value: series.sum });
    out.push({ metricName: `${this.name}_count`, labels: { ...series.labels }, value: series.count });
    return out;
  }
}
