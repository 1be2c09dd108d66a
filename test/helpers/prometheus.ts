import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';

/**
 * GET /metrics parsed with a Prometheus text-format parser (a port of the
 * Prometheus Python client's). The parser folds a histogram's labelled
 * series into one, so histograms are read a second time with their TYPE
 * lines left out: every `_bucket`, `_count` and `_sum` series then comes
 * back as a plain labelled sample.
 */
export class Scrape {
  /** Every family as Prometheus types it (the strict parse of the whole text). */
  readonly families: Map<string, PrometheusFamily>;
  private readonly samples: Map<string, PrometheusFamily>;

  constructor(readonly text: string) {
    this.families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    const untyped = text
      .split('\n')
      .filter((l) => !/^# TYPE \S+ histogram$/.test(l))
      .join('\n');
    // prom-client writes each label set's _bucket, _sum and _count in turn, so one
    // name comes back as several runs: merge them.
    this.samples = new Map();
    for (const f of parsePrometheusTextFormat(untyped)) {
      const seen = this.samples.get(f.name);
      if (seen) seen.metrics.push(...f.metrics);
      else this.samples.set(f.name, f);
    }
  }

  family(name: string): PrometheusFamily {
    const f = this.families.get(name);
    if (!f) throw new Error(`no metric ${name} in the scrape`);
    return f;
  }

  /** Sum of the values of the series `name` matching `labels` (0 when none). */
  value(name: string, labels: Record<string, string> = {}): number {
    const f = this.samples.get(name);
    if (!f) return 0;
    return f.metrics
      .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
      .reduce((n, m) => n + Number(m.value), 0);
  }

  /** A histogram's observation count over the series matching `labels`. */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.value(`${name}_count`, labels);
  }

  /** A histogram's sum of observed values over the series matching `labels`. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.value(`${name}_sum`, labels);
  }
}
