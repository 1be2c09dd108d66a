import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RouteCounter, RouteHistogram } from './request-metrics.js';
import { TelephonyMetricSet } from './telephony.js';

export type {
  AuthScope,
  CallDirection,
  CallEnd,
  CallLabels,
  RegisterResult,
  RtpReport,
  TelephonyMetrics,
} from './telephony.js';
export { RateWindow } from './rate-window.js';

/**
 * The one place every metric of the process is defined (Prometheus text
 * format through prom-client, served at /metrics). Each process has its own
 * registry (the tests build many engines in one process); nothing here does
 * I/O: values that live in Redis or the database are sampled at scrape time
 * by probes the services register (services/metric-probes.ts).
 */
export interface MetricsOptions {
  /** Process metrics of prom-client (CPU, memory, event loop lag, GC): on in the engine. */
  defaultMetrics?: boolean;
  /** Probes slower than this count as failed; their gauges read NaN (unknown) in that scrape. */
  probeTimeoutMs?: number;
  now?: () => number;
}

/** HTTP: durations by route pattern (never the raw URL) and the spec status of JSON answers. */
export interface HttpMetricSet {
  duration: RouteHistogram;
  answers: RouteCounter;
}

/** The event log (spec 3.27): appends, what the streams hold, who is waiting. */
export interface EventMetricSet {
  appended: Counter;
  streams: Gauge;
  depth: Gauge;
  waiters: Gauge;
}

/** The media queue (BullMQ) and its jobs. */
export interface MediaMetricSet {
  jobs: Gauge<'state'>;
  duration: Histogram<'kind' | 'outcome'>;
}

/** Round trips of a trivial command, measured at each scrape (and by /ready). */
export interface StoreMetricSet {
  redisRoundTrip: Gauge;
  databaseRoundTrip: Gauge;
}

interface Probe {
  run: () => Promise<void> | void;
  /** Gauges cleared when the probe fails (NaN, or no series), so a stale value never looks current. */
  gauges: Gauge<string>[];
}

export class Metrics {
  readonly registry = new Registry();
  readonly http: HttpMetricSet;
  readonly events: EventMetricSet;
  readonly media: MediaMetricSet;
  readonly store: StoreMetricSet;
  readonly telephony: TelephonyMetricSet;
  private readonly probeFailures: Counter<'probe'>;
  private readonly probes = new Map<string, Probe>();
  private readonly probeTimeoutMs: number;

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 2000;
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'callplane_' });
    this.http = {
      duration: new RouteHistogram({
        name: 'callplane_http_request_duration_seconds',
        help: 'HTTP requests by method, route pattern and HTTP status (long-polls last up to their timeout)',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
        registers,
      }),
      answers: new RouteCounter({
        name: 'callplane_api_answers_total',
        help: 'JSON answers of the API by route pattern and spec status string (ok, no-session, wrong-syntax ...)',
        registers,
      }),
    };
    this.events = {
      appended: new Counter({
        name: 'callplane_events_appended_total',
        help: 'Events appended to session event streams by this process (one per receiving session)',
        registers,
      }),
      streams: new Gauge({
        name: 'callplane_event_streams',
        help: 'Session event streams in Redis (sampled, at most every 15 s)',
        registers,
      }),
      depth: new Gauge({
        name: 'callplane_event_log_depth',
        help: 'Events held in all session event streams in Redis (sampled, at most every 15 s)',
        registers,
      }),
      waiters: new Gauge({
        name: 'callplane_event_longpoll_waiters',
        help: 'Long-poll, SSE and WebSocket requests of this process waiting for an event',
        registers,
      }),
    };
    this.media = {
      jobs: new Gauge({
        name: 'callplane_media_queue_jobs',
        help: 'Jobs of the media queue by state (waiting, active, delayed, prioritized, failed, completed)',
        labelNames: ['state'],
        registers,
      }),
      duration: new Histogram({
        name: 'callplane_media_job_duration_seconds',
        help: 'Media jobs run by this process, by job kind and outcome (ok, failed)',
        labelNames: ['kind', 'outcome'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
        registers,
      }),
    };
    this.store = {
      redisRoundTrip: new Gauge({
        name: 'callplane_redis_round_trip_seconds',
        help: 'Round trip of a PING to Redis, measured at scrape time',
        registers,
      }),
      databaseRoundTrip: new Gauge({
        name: 'callplane_database_round_trip_seconds',
        help: 'Round trip of SELECT 1 on the database (PostgreSQL or PGlite), measured at scrape time',
        registers,
      }),
    };
    this.telephony = new TelephonyMetricSet(this.registry, opts.now);
    this.probeFailures = new Counter({
      name: 'callplane_probe_failures_total',
      help: 'Scrape-time samples that failed or timed out (their gauges read NaN in that scrape)',
      labelNames: ['probe'],
      registers,
    });
  }

  /**
   * Registers a sample taken before each scrape (a Redis or database read).
   * Returns a function that removes it. A probe of the same name replaces
   * the earlier one.
   */
  addProbe(name: string, run: Probe['run'], gauges: Gauge<string>[]): () => void {
    const probe: Probe = { run, gauges };
    this.probes.set(name, probe);
    return () => {
      if (this.probes.get(name) === probe) this.probes.delete(name);
    };
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Runs every probe (in parallel, each bounded by the timeout), then renders the text format. */
  async scrape(): Promise<string> {
    await Promise.all(
      [...this.probes].map(async ([name, probe]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(probe.run),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error('probe timed out')), this.probeTimeoutMs);
            }),
          ]);
        } catch {
          this.probeFailures.inc({ probe: name });
          for (const g of probe.gauges) unknown(g);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return this.registry.metrics();
  }
}

/**
 * An unknown value: a labelled gauge loses its series; one without labels
 * (always written by prom-client) says NaN, which Prometheus stores as such.
 */
function unknown(g: Gauge<string>): void {
  g.reset();
  const labelNames = (g as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
  if (labelNames.length === 0) g.set(NaN);
}
