import type { Registry } from 'prom-client';

/**
 * The two metrics every HTTP request touches, kept without prom-client's
 * per-observation cost: prom-client turns the label object of every
 * observe()/inc() into a hash string (a few µs and half a kilobyte of
 * garbage per request at 10,000 requests/s). Here a request finds its
 * series through nested maps of its label values and adds to numbers in
 * place; the registry reads them at scrape time (prom-client's metric
 * interface: name, help, type, get()), in the same text as a prom-client
 * Histogram or Counter of those labels would print.
 */

/** One series: its labels (as printed) and what was added up. */
interface Series {
  labels: Record<string, string>;
  /** Per bucket (histograms): observations at most that upper bound and above the previous one. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** Series under three label values, found without building a key. */
class SeriesTree {
  private readonly root = new Map<string, Map<string, Map<string | number, Series>>>();

  constructor(
    private readonly names: readonly [string, string, string],
    private readonly buckets: number,
  ) {}

  get(a: string, b: string, c: string | number): Series {
    let byB = this.root.get(a);
    if (!byB) this.root.set(a, (byB = new Map<string, Map<string | number, Series>>()));
    let byC = byB.get(b);
    if (!byC) byB.set(b, (byC = new Map<string | number, Series>()));
    let s = byC.get(c);
    if (!s) {
      const [na, nb, nc] = this.names;
      s = {
        labels: { [na]: a, [nb]: b, [nc]: String(c) },
        buckets: new Float64Array(this.buckets),
        sum: 0,
        count: 0,
      };
      byC.set(c, s);
    }
    return s;
  }

  *all(): Generator<Series> {
    for (const byB of this.root.values()) for (const byC of byB.values()) yield* byC.values();
  }

  clear(): void {
    this.root.clear();
  }
}

/** A histogram of requests by route, method and HTTP status. */
export class RouteHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series: SeriesTree;
  private readonly bounds: readonly number[];

  constructor(opts: { name: string; help: string; buckets: readonly number[]; registers: Registry[] }) {
    this.name = opts.name;
    this.help = opts.help;
    this.bounds = [...opts.buckets].sort((a, b) => a - b);
    this.series = new SeriesTree(['route', 'method', 'status_code'], this.bounds.length);
    for (const r of opts.registers) r.registerMetric(this as never);
  }

  readonly name: string;
  readonly help: string;

  /** One request of `seconds`. */
  observe(route: string, method: string, statusCode: number, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    const s = this.series.get(route, method, statusCode);
    s.sum += seconds;
    s.count += 1;
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) {
      if (seconds <= b[i]!) {
        s.buckets[i]! += 1;
        return;
      }
    }
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.all()) {
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.buckets[i]!;
        values.push({ labels: { ...s.labels, le: this.bounds[i]! }, value: acc, metricName: bucket });
      }
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: bucket });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}

/** A counter of answers by route and spec status. */
export class RouteCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Map<string, Series>>();

  constructor(opts: { name: string; help: string; registers: Registry[] }) {
    this.name = opts.name;
    this.help = opts.help;
    for (const r of opts.registers) r.registerMetric(this as never);
  }

  readonly name: string;
  readonly help: string;

  inc(route: string, status: string): void {
    let byStatus = this.series.get(route);
    if (!byStatus) this.series.set(route, (byStatus = new Map<string, Series>()));
    const s = byStatus.get(status);
    if (s) s.count += 1;
    else byStatus.set(status, { labels: { route, status }, buckets: new Float64Array(0), sum: 0, count: 1 });
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    const values: MetricValue[] = [];
    for (const byStatus of this.series.values()) {
      for (const s of byStatus.values()) values.push({ labels: s.labels, value: s.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}
