/**
 * Phase D of the events bench (events.bench.ts): what a round of paced user
 * events adds up per kind of long-poll (the event surface or the bare
 * baseline), the server's GC pauses and event-loop delay during it, and the
 * printout; with the latency statistics every phase uses.
 */
import { monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { BARE_NODE } from './events-baseline.js';

export const TARGET_P99_MS = 10;

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Stats {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), max: s[s.length - 1] ?? NaN };
}

export const fmt = (s: Stats): string =>
  `p50 ${s.p50.toFixed(2)}  p90 ${s.p90.toFixed(2)}  p99 ${s.p99.toFixed(2)}  max ${s.max.toFixed(2)} ms (n=${s.n})`;

/** What phase D adds up per kind of long-poll (events or bare). */
export interface PhaseDFigures {
  lat: number[];
  delivered: number;
  wall: number;
  /** The time the publishes took (publishToUsers), for the delivered rate. */
  span: number;
  /** The longest a round's last delivery came after its last publish (ms). */
  tail: number;
  cpu: number;
  client: number;
  late: number;
  gcMs: number;
  gcMax: number;
  gcs: number;
  major: number;
  majorMs: number;
  /** Deliveries over 10 ms, and how many of them overlapped a GC pause of the server. */
  slow: number;
  slowInGc: number;
  /** The server's event loop delay over the rounds (ms). */
  loop: Array<{ p50: number; p99: number; max: number }>;
}

export function noFigures(): PhaseDFigures {
  return {
    lat: [],
    delivered: 0,
    wall: 0,
    span: 0,
    tail: 0,
    cpu: 0,
    client: 0,
    late: 0,
    gcMs: 0,
    gcMax: 0,
    gcs: 0,
    major: 0,
    majorMs: 0,
    slow: 0,
    slowInGc: 0,
    loop: [],
  };
}

/** Counts this process's GC pauses from now until stop(). */
function gcPauses(): {
  stop(): { count: number; total: number; max: number; major: number; majorMs: number; spans: number[][] };
} {
  const spans: number[][] = [];
  let count = 0;
  let total = 0;
  let max = 0;
  let major = 0;
  let majorMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      count++;
      total += e.duration;
      spans.push([performance.timeOrigin + e.startTime, performance.timeOrigin + e.startTime + e.duration]);
      max = Math.max(max, e.duration);
      // detail.kind: 1 minor (scavenge), 2 major (mark-compact), 4 incremental marking, 8 weak callbacks.
      if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === 2) {
        major++;
        majorMs += e.duration;
      }
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop: () => {
      obs.disconnect();
      return { count, total, max, major, majorMs, spans };
    },
  };
}
/** What a round hands over: publishToUsers' answer and the clients' collected deliveries. */
interface Round {
  start: number;
  span: number;
  late: number;
}
interface Deliveries {
  sent: number[];
  recv: number[];
  cpu: number;
}

/** Starts measuring a round of this (server) process: CPU, GC pauses, event-loop delay. */
export function measureRound(): {
  add(f: PhaseDFigures, d: Round, c: Deliveries, clientCpu0: number, clockOffset: number): void;
} {
  const cpu0 = process.cpuUsage();
  const gc = gcPauses();
  // One monitor per round: a re-enabled monitor counts the time it was off as one delay.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  return {
    add(f, d, c, clientCpu0, clockOffset) {
      const cpu = process.cpuUsage(cpu0);
      const g = gc.stop();
      loop.disable();
      for (let i = 0; i < c.sent.length; i++) f.lat.push(c.recv[i]! - clockOffset - c.sent[i]!);
      f.delivered += c.sent.length;
      const lastReceived = c.recv.reduce((a, b) => Math.max(a, b - clockOffset), d.start);
      f.wall += lastReceived - d.start;
      f.span += d.span;
      f.tail = Math.max(f.tail, lastReceived - (d.start + d.span));
      f.cpu += (cpu.user + cpu.system) / 1000;
      f.client += c.cpu - clientCpu0;
      f.late += d.late;
      f.loop.push({ p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
      f.gcMs += g.total;
      f.gcMax = Math.max(f.gcMax, g.max);
      f.gcs += g.count;
      f.major += g.major;
      f.majorMs += g.majorMs;
      // Which slow deliveries a GC pause of the server explains: the pause fell between publish and receipt.
      for (let i = 0; i < c.sent.length; i++) {
        const sent = c.sent[i]!;
        const recv = c.recv[i]! - clockOffset;
        if (recv - sent <= TARGET_P99_MS) continue;
        f.slow++;
        if (g.spans.some(([a, b]) => a! < recv && b! > sent)) f.slowInGc++;
      }
    },
  };
}

/** Prints both kinds, their ratio and the target. */
export function printPhaseD(figures: { events: PhaseDFigures; bare: PhaseDFigures }): void {
  for (const kind of ['events', 'bare'] as const) {
    const f = figures[kind];
    console.log(
      `   ${kind === 'events' ? 'GET /api/event' : `bare ${BARE_NODE ? 'node:http' : 'Fastify'} long-poll (same clients, events in memory)`}: ` +
        `${((1000 * f.delivered) / f.span).toFixed(0)} delivered/s (all delivered, the last ${f.tail.toFixed(1)} ms after the publishing ended), ` +
        `${f.late} publishes > 10 ms late`,
    );
    console.log(`     latency: ${fmt(stats(f.lat))}`);
    console.log(
      `     CPU per delivered event: server ${((f.cpu * 1000) / f.delivered).toFixed(1)} us ` +
        `(${((100 * f.cpu) / f.wall).toFixed(0)}% of a core), clients ${((f.client * 1000) / f.delivered).toFixed(1)} us`,
    );
    console.log(
      `     GC pauses of the server: ${f.gcs}, ${((100 * f.gcMs) / f.wall).toFixed(1)}% of the time, ` +
        `longest ${f.gcMax.toFixed(1)} ms; of them mark-compact ${f.major} (${f.majorMs.toFixed(0)} ms)`,
    );
    console.log(
      `     deliveries over ${TARGET_P99_MS} ms: ${f.slow}, of them ${f.slowInGc} with a GC pause of the server between publish and receipt`,
    );
    console.log(
      `     server event loop delay per round: ${f.loop.map((l) => `p50 ${l.p50.toFixed(1)} p99 ${l.p99.toFixed(1)} max ${l.max.toFixed(1)}`).join(' | ')} ms`,
    );
  }
  const ev = stats(figures.events.lat);
  const ba = stats(figures.bare.lat);
  // Delivered per second of publishing: every event arrived (drain), and a server that could not keep
  // pace would have made the publishes late and their span longer.
  const rate = (1000 * figures.events.delivered) / figures.events.span;
  console.log(
    `   ratio events/bare: p50 ${(ev.p50 / ba.p50).toFixed(2)}x  p99 ${(ev.p99 / ba.p99).toFixed(2)}x, ` +
      `server CPU ${(figures.events.cpu / figures.events.delivered / (figures.bare.cpu / figures.bare.delivered)).toFixed(2)}x`,
  );
  console.log(
    `   target >= 10,000 delivered/s with p99 < ${TARGET_P99_MS} ms: ` +
      `${rate >= 10_000 && ev.p99 < TARGET_P99_MS ? 'met' : 'NOT met'} (${rate.toFixed(0)}/s, p99 ${ev.p99.toFixed(1)} ms)`,
  );
}
