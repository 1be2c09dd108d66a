/**
 * Media playback benchmark, two parts, each against a baseline in the same run.
 *
 *   npm run bench:media-rtp                               (both parts, 200 streams / calls)
 *   npm run bench:media-rtp -- --parts pacing --streams 300 --seconds 10 --rounds 2
 *   npm run bench:media-rtp -- --parts calls --calls 200,300
 *   BENCH_PARTS=calls BENCH_CALLS=200,300 BENCH_CALL_SECONDS=20 npm run bench:media-rtp
 *
 * Knobs (--name value or the environment): parts / BENCH_PARTS (pacing,calls);
 * pacing: streams / BENCH_STREAMS (200), seconds / BENCH_SECONDS (10),
 * rounds / BENCH_ROUNDS (2), rtp-min, rtp-max / BENCH_RTP_MIN, BENCH_RTP_MAX;
 * calls: calls / BENCH_CALLS (200; a list runs each), call-seconds /
 * BENCH_CALL_SECONDS (announcement length, 20), call-rate / BENCH_CALL_RATE
 * (sipp -r, 100), call-rounds / BENCH_CALL_ROUNDS (1), skip-ms / BENCH_SKIP_MS
 * (500), call-rtp-ports / BENCH_CALL_RTP_PORTS (the engine's RTP_PORTS,
 * 52000-53999), bare-rtp-ports / BENCH_BARE_RTP_PORTS (30000-31999);
 * TEST_DATABASE=postgres for PostgreSQL instead of PGlite; the calls part
 * needs Redis and sipp, as the e2e tests do.
 *
 * 1. "pacing": how punctually N concurrent playbacks leave the process, on
 *    the one shared 20 ms clock (media/pacer.ts, through Player), against the
 *    naive way in the same run: a setInterval(20) per stream. This process
 *    opens N RtpSessions from an RtpPortPool and plays a looping 1 kHz PCMU
 *    tone into each; streams start at random moments over the first second,
 *    as calls do; after BENCH_SECONDS of everyone playing they stop. Rounds
 *    alternate (pacer, naive, naive, pacer ...).
 *
 * 2. "calls": N concurrent carrier calls through the whole engine. A sipp UAC
 *    (uac-play-inf.xml, -m N -l N -r BENCH_CALL_RATE) calls a number with
 *    play_announcement_only and a BENCH_CALL_SECONDS announcement (a WAV
 *    uploaded and converted by the real media worker); the engine answers,
 *    plays it, and hangs up. The SDP offer of call i (field 0 of sipp's
 *    injection file) names receiver socket i, so every call's RTP lands on
 *    its own socket. The baseline, on the same receivers in the same run:
 *    the bare Player on RtpSessions (no SIP, no engine; the engine idles in
 *    this process), the same N, the same converted file, PCMA as the engine
 *    negotiates, stream i started at a random moment of the i-th 1/rate s as
 *    sipp starts its calls. The figure is the ratio engine / bare. Rounds
 *    alternate (engine, bare, bare, engine ...). The bench exits non-zero
 *    when a call fails (sipp error, no BYE from the engine after the
 *    announcement) or a stream receives nothing.
 *
 * The receiving phones are a child process (fork) holding the dgram sockets
 * (127.0.0.1), timestamping every arrival. Per packet it computes its
 * lateness against the stream's ideal schedule, anchored on the stream's
 * first packet as a receiver's jitter buffer anchors its playout:
 * ideal(k) = arrival(0) + 20 ms * k, with k from the RTP timestamp
 * ((ts - ts0) / 160). Late = more than 5 ms behind. Lost = expected by RTP
 * sequence (highest - lowest + 1) minus received; "short" (calls part) =
 * packets missing against the announcement's length (a truncated playback or
 * a lost tail). The calls part gives two more views (see VIEWS): the same from
 * 0.5 s into each stream on (BENCH_SKIP_MS: each stream's own start, its call
 * setup and file read, left out, though not the setup of the other calls
 * going on meanwhile), and from 0.5 s on against the stream's median
 * schedule instead of its first packet (no headroom from the first packet's
 * phase). Also printed: the 99th percentile and maximum lateness, the mean
 * drift of each stream's last packet, the mean RFC 3550 interarrival jitter,
 * the CPU of this process (% of one core, over the measured window), its
 * event loop delay (p99 and max), and the frames the pacer had to skip.
 *
 * sipp and the receiver child are killed when the bench ends, fails or is
 * interrupted (SIGINT/SIGTERM); sockets are closed.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { mediaPacer, RtpTimeline } from '../../src/telephony/embedded/media/pacer.js';
import {
  Player,
  renderTone,
  type AudioSource,
  type PlaybackHandle,
} from '../../src/telephony/embedded/media/player.js';
import { linearToUlaw, RtpPortPool, type RtpSession } from '../../src/telephony/embedded/rtp/index.js';
// Types only: the calls part loads the harness and sipp helpers when it runs, so
// the pacing part and the receiver child need neither Redis nor sipp.
import type * as SippHelpers from '../helpers/sipp.js';
import type { TelephonyHarness } from '../helpers/telephony.js';
import { median } from './lib.js';

const HOST = '127.0.0.1';
const LATE_MS = 5;
/** Lateness histogram: 0.1 ms bins from -20 ms to +1980 ms (the last bin holds the rest). */
const HISTOGRAM_BINS = 20_000;
const binMs = (i: number): number => i / 10 - 20;

type ToChild =
  | { type: 'setup'; streams: number }
  | { type: 'report'; skipMs: number }
  | { type: 'reset' }
  | { type: 'close' };
/**
 * The lateness views: all packets against the schedule of the stream's first
 * packet (what a receiver anchoring its playout on it sees); the same from
 * skipMs into the stream on (each stream's own start left out); and from
 * skipMs on against the stream's median schedule there (the median of
 * arrival - 20 ms * frame): a packet more than 5 ms behind the stream's
 * typical delay. The first packet of a playback leaves at once, off the
 * pacer's 20 ms grid, the next ones on it, up to 20 ms earlier than the first
 * packet's schedule: the packet-0 views give each stream that phase (0-20 ms,
 * random) as headroom, the median view none.
 */
const VIEWS = ['all', 'mid', 'median'] as const;
type View = (typeof VIEWS)[number];

interface StreamReport {
  /** RTP packets received. */
  received: number;
  /** By RTP sequence: highest - lowest + 1 (0 without packets). */
  expected: number;
  /** Per view: packets counted, and those more than LATE_MS late. */
  count: Record<View, number>;
  late: Record<View, number>;
  /** Lateness of the stream's last packet (view all): how far its clock fell behind. */
  drift: number;
  /** RFC 3550 §6.4.1 interarrival jitter at the end, ms. */
  jitter: number;
  /** Payload type of the first packet (-1 without packets). */
  payloadType: number;
}
type FromChild =
  | { type: 'ready'; ports: number[] }
  /** histograms per view: packets per 0.1 ms of lateness, from -20 ms. */
  /** episodes: the late packets of view all, grouped into runs of arrivals less than 20 ms apart. */
  | { type: 'report'; streams: StreamReport[]; histograms: Record<View, number[]>; episodes: number }
  | { type: 'reset' };

function rawOption(name: string, env: string): string | undefined {
  const argv = process.argv;
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return i < 0 ? process.env[env] : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
}

function option(name: string, env: string, fallback: number): number {
  const raw = rawOption(name, env);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`bad --${name} / ${env}: ${raw}`);
  return n;
}

function listOption(name: string, env: string, fallback: string): string[] {
  return (rawOption(name, env) ?? fallback)
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

// ---- the receiving phones (child process) ----

async function child(): Promise<void> {
  const send = (m: FromChild): Promise<void> =>
    new Promise((resolve) => (process.send ? process.send(m, () => resolve()) : resolve()));
  const sockets: Socket[] = [];
  let arrivals: { at: number[]; ts: number[]; seq: number[]; pt: number[] }[] = [];
  const fresh = () => ({ at: [] as number[], ts: [] as number[], seq: [] as number[], pt: [] as number[] });
  const close = async (): Promise<void> => {
    await Promise.all(sockets.map((s) => new Promise((r) => s.close(() => r(null)))));
    sockets.length = 0;
  };
  // Without the bench (it crashed or was killed) the sockets must not stay bound.
  process.once('disconnect', () => void close().then(() => process.exit(0)));

  const report = (skipMs: number): FromChild => {
    const histograms = Object.fromEntries(
      VIEWS.map((v) => [v, new Array<number>(HISTOGRAM_BINS).fill(0)]),
    ) as Record<View, number[]>;
    const bin = (l: number): number => Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((l + 20) * 10)));
    const lateAt: number[] = [];
    const streams = arrivals.map(({ at, ts, seq, pt }): StreamReport => {
      const count: Record<View, number> = { all: 0, mid: 0, median: 0 };
      const late: Record<View, number> = { all: 0, mid: 0, median: 0 };
      const add = (v: View, l: number, at: number): void => {
        count[v] += 1;
        histograms[v][bin(l)]! += 1;
        if (l > LATE_MS) {
          late[v] += 1;
          if (v === 'all') lateAt.push(at);
        }
      };
      const frameOf = (k: number): number => ((ts[k]! - ts[0]!) | 0) / 160;
      /** The median view's schedule: the median of arrival - 20 ms * frame, from skipMs on. */
      const offsets: number[] = [];
      for (let k = 0; k < at.length; k += 1) {
        const frame = frameOf(k);
        if (frame * 20 >= skipMs) offsets.push(at[k]! - frame * 20);
      }
      offsets.sort((a, b) => a - b);
      const typical = offsets[Math.floor(offsets.length / 2)] ?? 0;
      let last = 0;
      let jitter = 0;
      let ext = 0;
      let lo = 0;
      let hi = 0;
      const seen = new Set<number>();
      for (let k = 0; k < at.length; k += 1) {
        const frame = frameOf(k);
        const l = at[k]! - (at[0]! + frame * 20);
        last = l;
        add('all', l, at[k]!);
        if (frame * 20 >= skipMs) {
          add('mid', l, at[k]!);
          add('median', at[k]! - (typical + frame * 20), at[k]!);
        }
        if (k > 0) {
          const d = at[k]! - at[k - 1]! - ((ts[k]! - ts[k - 1]!) | 0) / 8;
          jitter += (Math.abs(d) - jitter) / 16;
          ext += ((seq[k]! - seq[k - 1]! + 0x18000) & 0xffff) - 0x8000; // the 16-bit step, signed
        }
        lo = Math.min(lo, ext);
        hi = Math.max(hi, ext);
        seen.add(ext);
      }
      return {
        received: seen.size,
        expected: at.length === 0 ? 0 : hi - lo + 1,
        count,
        late,
        drift: last,
        jitter,
        payloadType: pt[0] ?? -1,
      };
    });
    lateAt.sort((a, b) => a - b);
    let episodes = 0;
    for (let i = 0; i < lateAt.length; i += 1)
      if (i === 0 || lateAt[i]! - lateAt[i - 1]! >= 20) episodes += 1;
    return { type: 'report', streams, histograms, episodes };
  };

  let queue = Promise.resolve();
  process.on('message', (m: ToChild) => {
    queue = queue.then(async () => {
      switch (m.type) {
        case 'setup':
          for (let i = 0; i < m.streams; i += 1) {
            const s = createSocket('udp4');
            await new Promise<void>((resolve) => s.bind(0, HOST, resolve));
            const index = arrivals.length;
            arrivals.push(fresh());
            s.on('message', (msg) => {
              const at = performance.now();
              // RTP version 2 only, and no RTCP (payload types 72-76 with the marker bit: 200-204).
              if (msg.length < 12 || msg[0]! >> 6 !== 2) return;
              const pt = msg[1]! & 0x7f;
              if (pt >= 72 && pt <= 76) return;
              const rec = arrivals[index]!;
              rec.at.push(at);
              rec.ts.push(msg.readUInt32BE(4));
              rec.seq.push(msg.readUInt16BE(2));
              rec.pt.push(pt);
            });
            sockets.push(s);
          }
          await send({ type: 'ready', ports: sockets.map((s) => s.address().port) });
          return;
        case 'report':
          await send(report(m.skipMs));
          return;
        case 'reset':
          arrivals = arrivals.map(fresh);
          await send({ type: 'reset' });
          return;
        case 'close':
          await close();
          process.disconnect();
          return;
      }
    });
  });
}

// ---- the bench (this process) ----

/** What to stop when the bench is interrupted: sipp, the receiver child. */
const live = new Set<() => void>();
const IS_CHILD = process.argv.includes('--child');
for (const sig of IS_CHILD ? [] : (['SIGINT', 'SIGTERM'] as const)) {
  process.once(sig, () => {
    console.error(`\n${sig}: stopping sipp and the receivers`);
    for (const stop of live) stop();
    // The sipp helper's exit hook SIGKILLs what it started and removes its files.
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

function nextMessage<T extends FromChild['type']>(
  cp: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      cp.off('message', onMessage);
      cp.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`receiver child: no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (m: FromChild): void => {
      if (m.type !== type) return;
      done();
      resolve(m as Extract<FromChild, { type: T }>);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`receiver child exited (${code}) before '${type}'`));
    };
    cp.on('message', onMessage);
    cp.once('exit', onExit);
  });
}

type Report = Extract<FromChild, { type: 'report' }>;

/** The receiving phones: N UDP sockets in a child process. */
class Receivers {
  private constructor(
    private readonly cp: ChildProcess,
    readonly ports: number[],
    private readonly exited: Promise<void>,
    private readonly stop: () => void,
  ) {}

  static async open(streams: number): Promise<Receivers> {
    const cp = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx'] });
    const exited = new Promise<void>((resolve) => cp.once('exit', () => resolve()));
    const stop = (): void => {
      if (cp.exitCode === null && cp.signalCode === null) cp.kill('SIGKILL');
    };
    live.add(stop);
    try {
      const ready = nextMessage(cp, 'ready', 60_000);
      cp.send({ type: 'setup', streams } satisfies ToChild);
      return new Receivers(cp, (await ready).ports, exited, stop);
    } catch (err) {
      stop();
      live.delete(stop);
      throw err;
    }
  }

  async report(skipMs = 0): Promise<Report> {
    const r = nextMessage(this.cp, 'report', 30_000);
    this.cp.send({ type: 'report', skipMs } satisfies ToChild);
    return r;
  }

  async reset(): Promise<void> {
    const r = nextMessage(this.cp, 'reset', 30_000);
    this.cp.send({ type: 'reset' } satisfies ToChild);
    await r;
  }

  /** Closes the sockets and ends the child (killed if it does not end within 5 s). */
  async close(): Promise<void> {
    if (this.cp.connected) this.cp.send({ type: 'close' } satisfies ToChild);
    const timer = setTimeout(this.stop, 5_000);
    await this.exited;
    clearTimeout(timer);
    live.delete(this.stop);
  }
}

/** Percentile of a lateness histogram over `count` packets (ms, upper edge of the bin). */
function quantile(histogram: number[], count: number, q: number): number {
  let seen = 0;
  for (let i = 0; i < HISTOGRAM_BINS; i += 1) {
    seen += histogram[i]!;
    if (seen >= q * count && seen > 0) return binMs(i + 1);
  }
  return binMs(HISTOGRAM_BINS);
}

const sum = (xs: StreamReport[], f: (s: StreamReport) => number): number => xs.reduce((n, s) => n + f(s), 0);
const mean = (xs: StreamReport[], f: (s: StreamReport) => number): number =>
  xs.length === 0 ? 0 : sum(xs, f) / xs.length;
const pct = (part: number, whole: number): number => (whole > 0 ? (100 * part) / whole : 0);
const ratio = (a: number, b: number, zero = 'baseline 0'): string =>
  b > 0 ? `${(a / b).toFixed(2)}x` : a > 0 ? `inf (${zero})` : 'n/a (both 0)';
const cpuPct = (cpu: NodeJS.CpuUsage, wallMs: number): number =>
  ((cpu.user + cpu.system) / 1000 / wallMs) * 100;

// ---- part 1: pacing (pacer against a setInterval per stream) ----

type Mode = 'pacer' | 'naive';

/** A stream the naive way: its own setInterval, the timestamp +160 per callback. */
function naiveStream(session: RtpSession, pcm: Int16Array): { stop(): void; sent(): number } {
  const payload = Buffer.alloc(160);
  let pos = 0;
  let sent = 0;
  let ts = RtpTimeline.of(session).start();
  const frame = (): void => {
    for (let i = 0; i < 160; i += 1) {
      payload[i] = linearToUlaw(pcm[pos]!);
      pos = pos + 1 === pcm.length ? 0 : pos + 1;
    }
    session.sendRtp(0, ts, payload, sent === 0);
    ts += 160;
    sent += 1;
  };
  frame();
  const timer = setInterval(frame, 20);
  return { stop: () => clearInterval(timer), sent: () => sent };
}

interface Round {
  mode: Mode;
  streams: number;
  sent: number;
  received: number;
  late: number;
  p99: number;
  max: number;
  drift: number;
  jitter: number;
  cpuPct: number;
  skipped: number;
}

async function round(
  mode: Mode,
  streams: number,
  seconds: number,
  rtpMin: number,
  rtpMax: number,
): Promise<Round> {
  const receivers = await Receivers.open(streams);
  const pool = new RtpPortPool({ host: HOST, min: rtpMin, max: rtpMax });
  const sessions: RtpSession[] = [];
  try {
    for (const port of receivers.ports) {
      const s = await pool.open();
      s.setRemote({ address: HOST, port });
      sessions.push(s);
    }
    const tone = renderTone({ kind: 'tone', frequencies: [1000], durationMs: 1000 });
    const player = new Player();
    const skipped0 = mediaPacer.stats.skipped;
    const stops: (() => void)[] = [];
    const counters: (() => number)[] = [];
    // Every stream starts at its own random moment within the first second.
    await Promise.all(
      sessions.map(
        (s) =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (mode === 'pacer') {
                const h: PlaybackHandle = player.play(s, [{ kind: 'samples', pcm: tone }], {
                  codec: 'PCMU',
                  loop: true,
                });
                stops.push(() => h.stop());
                counters.push(() => h.framesSent);
              } else {
                const n = naiveStream(s, tone);
                stops.push(() => n.stop());
                counters.push(() => n.sent());
              }
              resolve();
            }, Math.random() * 1000),
          ),
      ),
    );
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    for (const stop of stops) stop();
    const sent = counters.reduce((n, c) => n + c(), 0);
    await new Promise((r) => setTimeout(r, 300)); // the last packets in flight
    const report = await receivers.report();
    const received = sum(report.streams, (s) => s.received);
    return {
      mode,
      streams,
      sent,
      received,
      late: sum(report.streams, (s) => s.late.all),
      p99: quantile(report.histograms.all, received, 0.99),
      max: quantile(report.histograms.all, received, 1),
      drift: mean(report.streams, (s) => s.drift),
      jitter: mean(report.streams, (s) => s.jitter),
      cpuPct: cpuPct(cpu, wallMs),
      skipped: mediaPacer.stats.skipped - skipped0,
    };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    await receivers.close();
  }
}

const latePct = (r: Round): number => (100 * r.late) / r.received;

async function pacingPart(): Promise<void> {
  const streams = option('streams', 'BENCH_STREAMS', 200);
  const seconds = option('seconds', 'BENCH_SECONDS', 10);
  const rounds = option('rounds', 'BENCH_ROUNDS', 2);
  const rtpMin = option('rtp-min', 'BENCH_RTP_MIN', 32000);
  const rtpMax = option('rtp-max', 'BENCH_RTP_MAX', 32999);
  console.log(
    `1. media pacing: ${streams} playbacks (${(streams * 1000) / 20} packets/s), ${seconds} s each round after a 1 s ` +
      `staggered start, ${rounds} round(s) per mode; late = more than ${LATE_MS} ms behind the stream's ` +
      `schedule; node ${process.version}, ${os.cpus().length} CPUs, load ${load()}`,
  );
  const results: Round[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const order: Mode[] = i % 2 === 0 ? ['pacer', 'naive'] : ['naive', 'pacer'];
    for (const mode of order) {
      const r = await round(mode, streams, seconds, rtpMin, rtpMax);
      results.push(r);
      const lost = r.sent - r.received;
      console.log(
        `  ${mode.padEnd(5)} sent ${r.sent}  received ${r.received}  lost ${lost}  ` +
          `late ${r.late} (${latePct(r).toFixed(2)} %)  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  ` +
          `mean drift ${r.drift.toFixed(1)} ms  jitter ${r.jitter.toFixed(2)} ms  cpu ${r.cpuPct.toFixed(1)} % of a core` +
          (mode === 'pacer' ? `  (pacer skipped ${r.skipped} frames)` : ''),
      );
    }
  }
  const med = (mode: Mode, f: (r: Round) => number): number =>
    median(results.filter((r) => r.mode === mode).map(f));
  const [pl, nl] = [med('pacer', latePct), med('naive', latePct)];
  const [pc, nc] = [med('pacer', (r) => r.cpuPct), med('naive', (r) => r.cpuPct)];
  const [pd, nd] = [med('pacer', (r) => r.drift), med('naive', (r) => r.drift)];
  console.log(
    `median late packets: pacer ${pl.toFixed(2)} %, naive setInterval ${nl.toFixed(2)} % (naive/pacer ${ratio(nl, pl, 'pacer 0')}); ` +
      `cpu: pacer ${pc.toFixed(1)} %, naive ${nc.toFixed(1)} % (naive/pacer ${ratio(nc, pc, 'pacer 0')}); ` +
      `drift: pacer ${pd.toFixed(1)} ms, naive ${nd.toFixed(1)} ms`,
  );
}

// ---- part 2: calls (the engine playing announcements to sipp calls, against the bare Player) ----

const CALLER = '+492215550101';
type CallMode = 'engine' | 'bare';

interface LatenessView {
  packets: number;
  late: number;
  p99: number;
  max: number;
}

interface CallRun extends LoopStats {
  mode: CallMode;
  n: number;
  /** Streams with at least one packet. */
  streams: number;
  received: number;
  lost: number;
  /** Packets missing against the announcement's length. */
  short: number;
  views: Record<View, LatenessView>;
  /** Mean lateness of the streams' last packets (view all). */
  drift: number;
  jitter: number;
  payloadTypes: string;
  /** Late packets of view all grouped into episodes: runs of late arrivals less than 20 ms apart. */
  episodes: number;
  cpuPct: number;
  skipped: number;
  /** From the start of the first call / playback to the end of the last. */
  wallS: number;
  /** Why this run counts as failed, or null. */
  failure: string | null;
}

function summarize(
  mode: CallMode,
  n: number,
  report: Report,
  frames: number,
  extra: LoopStats & Pick<CallRun, 'cpuPct' | 'skipped' | 'wallS' | 'failure'>,
): CallRun {
  const s = report.streams;
  const empty = s.filter((x) => x.received === 0).length;
  const playing = s.filter((x) => x.received > 0);
  let failure = extra.failure;
  if (empty > 0) failure = `${failure ? `${failure}; ` : ''}${empty} stream(s) received nothing`;
  const view = (v: View): LatenessView => {
    const packets = sum(s, (x) => x.count[v]);
    return {
      packets,
      late: sum(s, (x) => x.late[v]),
      p99: quantile(report.histograms[v], packets, 0.99),
      max: quantile(report.histograms[v], packets, 1),
    };
  };
  return {
    mode,
    n,
    streams: playing.length,
    received: sum(s, (x) => x.received),
    lost: sum(s, (x) => x.expected - x.received),
    short: sum(s, (x) => Math.max(0, frames - x.received)),
    views: { all: view('all'), mid: view('mid'), median: view('median') },
    episodes: report.episodes,
    drift: mean(playing, (x) => x.drift),
    jitter: mean(playing, (x) => x.jitter),
    payloadTypes: [...new Set(playing.map((x) => x.payloadType))].join(','),
    ...extra,
    failure,
  };
}

interface CallsSetup {
  h: TelephonyHarness;
  sipp: typeof SippHelpers;
  number: string;
  /** The converted announcement the engine plays (and the baseline too). */
  file: string;
  frames: number;
}

async function setUpCalls(seconds: number, rtpPorts: string): Promise<CallsSetup> {
  const sipp = await import('../helpers/sipp.js');
  const { createTelephonyHarness } = await import('../helpers/telephony.js');
  const { userWithNumbers, updatePhone } = await import('../helpers/provision.js');
  const { waitIdle } = await import('../helpers/audio-api.js');
  const { startMediaWorker } = await import('../../src/media/worker.js');
  const { encodeWav, readWav } = await import('../../src/telephony/embedded/media/wav.js');
  const h = await createTelephonyHarness({ LOG_LEVEL: 'silent', RTP_PORTS: rtpPorts });
  try {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    // The announcement: 700 Hz, 1 s on and 0.25 s off, over and over, as a 16-bit WAV upload.
    const cycle = renderTone({
      kind: 'tone',
      frequencies: [700],
      durationMs: 1000,
      intervalMs: 250,
      levelDbm0: -10,
    });
    const pcm = new Int16Array(Math.round(seconds * 8000));
    for (let i = 0; i < pcm.length; i += cycle.length) pcm.set(cycle.subarray(0, pcm.length - i), i);
    const obj = await h.services.announcements.create(user.uuid, 'bench');
    await h.services.announcements.upload(user.uuid, obj.uuid, encodeWav(pcm));
    const worker = startMediaWorker(h.services, { concurrency: 1 });
    try {
      await waitIdle(h);
    } finally {
      await worker.close();
    }
    const got = await h.call('GET', `/api/announcement/${obj.uuid}`, { sid: user.sid });
    if (got['announcement']?.status !== 'ok')
      throw new Error(`announcement not converted: ${JSON.stringify(got)}`);
    await updatePhone(h, user.sid, number, { announcement: obj.uuid, play_announcement_only: true });
    const file = h.services.announcements.telephonyWav(obj.uuid);
    const frames = Math.ceil((await readWav(file)).length / 160);
    return { h, sipp, number, file, frames };
  } catch (err) {
    await h.close();
    throw err;
  }
}

/** N sipp calls at once, call i's SDP naming receiver port i; answers when sipp is done. */
async function engineRun(c: CallsSetup, receivers: Receivers, n: number, rate: number): Promise<CallRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-media-calls-'));
  const csv = path.join(dir, 'ports.csv');
  fs.writeFileSync(csv, `SEQUENTIAL\n${receivers.ports.slice(0, n).join('\n')}\n`);
  const playMs = c.frames * 20;
  const skipped0 = mediaPacer.stats.skipped;
  const loop = loopMonitor();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const handle = c.sipp.startSipp({
    scenario: 'uac-play-inf',
    remote: `${HOST}:${c.h.sipPort}`,
    localPort: c.h.carrierPort,
    service: c.number.slice(1),
    calls: n,
    concurrent: n,
    rate,
    vars: { from_user: CALLER },
    traceMessages: false,
    timeoutSeconds: Math.ceil(n / rate + playMs / 1000 + 60),
    // A call whose BYE (the engine's, after the announcement) is 30 s overdue fails.
    extraArgs: ['-inf', csv, '-recv_timeout', String(playMs + 30_000)],
  });
  const kill = (): void => handle.kill();
  live.add(kill);
  let result: Awaited<typeof handle.done>;
  try {
    result = await handle.done;
  } finally {
    live.delete(kill);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const loopStats = loop.stop();
  await new Promise((r) => setTimeout(r, 300)); // the last packets in flight
  const byes = Number(result.stats['remote_bye(C)'] ?? 0);
  const problems: string[] = [];
  if (result.code !== 0)
    problems.push(
      `sipp exit ${result.code ?? result.signal}${result.timedOut ? ' (killed at its timeout)' : ''}`,
    );
  if (result.successful !== n)
    problems.push(`${result.successful}/${n} calls successful, ${result.failed} failed`);
  if (byes !== n) problems.push(`${byes}/${n} calls ended by the engine's BYE`);
  if (problems.length > 0) {
    const errors = result.errors
      .trim()
      .split('\n')
      .slice(0, 3)
      .map((l) => l.slice(0, 200))
      .join('\n    ');
    if (errors) problems.push(`sipp errors:\n    ${errors}`);
  }
  const report = await receivers.report(SKIP_MS);
  return summarize('engine', n, report, c.frames, {
    cpuPct: cpuPct(cpu, wallMs),
    ...loopStats,
    skipped: mediaPacer.stats.skipped - skipped0,
    wallS: wallMs / 1000,
    failure: problems.length > 0 ? problems.join('; ') : null,
  });
}

/**
 * The bare Player on N RtpSessions, the same file, stream i started at a random
 * moment of the i-th 1/rate s (as calls come: at random phases of the 20 ms clock).
 */
async function bareRun(
  c: CallsSetup,
  receivers: Receivers,
  n: number,
  rate: number,
  pool: RtpPortPool,
): Promise<CallRun> {
  const sessions: RtpSession[] = [];
  try {
    for (const port of receivers.ports.slice(0, n)) {
      const s = await pool.open();
      s.setRemote({ address: HOST, port });
      sessions.push(s);
    }
    const source: AudioSource[] = [{ kind: 'file', path: c.file }];
    const player = new Player();
    await player.preload(source);
    const skipped0 = mediaPacer.stats.skipped;
    const loop = loopMonitor();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // Each start resolves with its handle (not its done, which the promise would adopt).
    const handles = await Promise.all(
      sessions.map(
        (s, i) =>
          new Promise<PlaybackHandle>((resolve) =>
            setTimeout(
              () => resolve(player.play(s, source, { codec: 'PCMA' })),
              ((i + Math.random()) * 1000) / rate,
            ),
          ),
      ),
    );
    const outcomes = await Promise.allSettled(handles.map((p) => p.done));
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const loopStats = loop.stop();
    await new Promise((r) => setTimeout(r, 300));
    const failed = outcomes.filter((o) => o.status === 'rejected').length;
    const report = await receivers.report(SKIP_MS);
    return summarize('bare', n, report, c.frames, {
      cpuPct: cpuPct(cpu, wallMs),
      ...loopStats,
      skipped: mediaPacer.stats.skipped - skipped0,
      wallS: wallMs / 1000,
      failure: failed > 0 ? `${failed} playback(s) failed` : null,
    });
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

/** What held this process's event loop back during one run: its delay, and GC pauses over 5 ms. */
interface LoopStats {
  /** Event loop delay (ms), p99 and max. */
  loopP99: number;
  loopMax: number;
  /** Garbage collections that took more than LATE_MS, and the longest (ms). */
  gcLong: number;
  gcMax: number;
}

function loopMonitor(): { stop(): LoopStats } {
  const h: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let gcLong = 0;
  let gcMax = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration > LATE_MS) gcLong += 1;
      gcMax = Math.max(gcMax, e.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  return {
    stop: () => {
      h.disable();
      gc.disconnect();
      // Node's delay figures include the resolution itself (an idle loop reads 10 ms).
      return {
        loopP99: Math.max(0, h.percentile(99) / 1e6 - 10),
        loopMax: Math.max(0, h.max / 1e6 - 10),
        gcLong,
        gcMax,
      };
    },
  };
}

const SKIP_MS = option('skip-ms', 'BENCH_SKIP_MS', 500);

const VIEW_TITLES: Record<View, string> = {
  all: 'whole stream, anchor packet 0',
  mid: `from ${SKIP_MS / 1000} s, anchor packet 0`,
  median: `from ${SKIP_MS / 1000} s, anchor median`,
};
const VIEW_WIDTH = 34;

function printRunHeader(): void {
  console.log(`${' '.repeat(45)}| ${VIEWS.map((v) => VIEW_TITLES[v].padEnd(VIEW_WIDTH)).join('| ')}|`);
  console.log(
    '     N  mode    streams  received lost short | ' +
      VIEWS.map(() => `${'late > 5 ms'.padEnd(19)}   p99    max`.padEnd(VIEW_WIDTH)).join('| ') +
      '| episodes drift jitter pt cpu % loop p99/max gc>5ms n/max skipped wall s',
  );
}

function printRun(r: CallRun): void {
  const ms = (x: number, w = 6): string => x.toFixed(1).padStart(w);
  const view = (v: LatenessView): string =>
    `${`${v.late} (${pct(v.late, v.packets).toFixed(3)} %)`.padEnd(19)}${ms(v.p99)} ${ms(v.max)}`.padEnd(
      VIEW_WIDTH,
    );
  console.log(
    `  ${String(r.n).padStart(4)}  ${r.mode.padEnd(6)}  ${`${r.streams}/${r.n}`.padStart(7)}  ${String(r.received).padStart(8)} ` +
      `${String(r.lost).padStart(4)} ${String(r.short).padStart(5)} | ${VIEWS.map((v) => view(r.views[v])).join('| ')}| ` +
      `${String(r.episodes).padStart(8)} ${ms(r.drift, 5)} ${r.jitter.toFixed(2).padStart(6)} ${r.payloadTypes.padStart(2)} ` +
      `${r.cpuPct.toFixed(0).padStart(5)} ${`${r.loopP99.toFixed(0)}/${r.loopMax.toFixed(0)}`.padStart(12)} ` +
      `${`${r.gcLong}/${r.gcMax.toFixed(0)}`.padStart(12)} ` +
      `${String(r.skipped).padStart(7)} ${r.wallS.toFixed(1).padStart(6)}`,
  );
  if (r.failure) console.log(`        FAILED: ${r.failure}`);
}

async function callsPart(): Promise<boolean> {
  const counts = listOption('calls', 'BENCH_CALLS', '200').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`bad --calls / BENCH_CALLS: ${counts.join(',')}`);
  const seconds = option('call-seconds', 'BENCH_CALL_SECONDS', 20);
  const rate = option('call-rate', 'BENCH_CALL_RATE', 100);
  const rounds = option('call-rounds', 'BENCH_CALL_ROUNDS', 1);
  const rtpPorts = rawOption('call-rtp-ports', 'BENCH_CALL_RTP_PORTS') ?? '52000-53999';
  const [bareMin, bareMax] = (rawOption('bare-rtp-ports', 'BENCH_BARE_RTP_PORTS') ?? '30000-31999')
    .split('-')
    .map(Number);
  const { SIPP_AVAILABLE } = await import('../helpers/sipp.js');
  if (!SIPP_AVAILABLE) {
    console.log('2. calls: skipped, sipp is not installed (scripts/setup.sh --test installs sip-tester)');
    return true;
  }
  console.log(
    `2. calls: N concurrent carrier calls (sipp uac-play-inf, -m N -l N -r ${rate}) to a play_announcement_only number ` +
      `with a ${seconds} s announcement (PCMA), against the bare Player (same file, same N, one started per 1/${rate} s), ` +
      `${rounds} round(s) each; database ${process.env['TEST_DATABASE'] ?? 'pglite'}; engine RTP ${rtpPorts}; ` +
      `late = more than ${LATE_MS} ms behind the stream's schedule; node ${process.version}, ${os.cpus().length} CPUs, load ${load()}`,
  );
  const c = await setUpCalls(seconds, rtpPorts);
  console.log(`   announcement: ${c.frames} packets per stream (${((c.frames * 20) / 1000).toFixed(2)} s)`);
  const pool = new RtpPortPool({ host: HOST, min: bareMin!, max: bareMax! });
  const all: CallRun[] = [];
  let ok = true;
  try {
    printRunHeader();
    for (const n of counts) {
      const receivers = await Receivers.open(n);
      try {
        for (let i = 0; i < rounds; i += 1) {
          const order: CallMode[] = i % 2 === 0 ? ['engine', 'bare'] : ['bare', 'engine'];
          for (const mode of order) {
            await receivers.reset();
            const r =
              mode === 'engine'
                ? await engineRun(c, receivers, n, rate)
                : await bareRun(c, receivers, n, rate, pool);
            all.push(r);
            printRun(r);
            if (r.failure) ok = false;
            // Let the last calls' teardown (CDRs, sockets) settle before the next run.
            await new Promise((res) => setTimeout(res, 1000));
          }
        }
      } finally {
        await receivers.close();
      }
      console.log(`   load after N=${n}: ${load()}`);
    }
  } finally {
    await c.h.close();
  }
  console.log('\n   summary: late > 5 ms, engine calls / bare player = ratio (medians over rounds)');
  console.log(
    `     N | ${VIEWS.map((v) => VIEW_TITLES[v].padEnd(VIEW_WIDTH)).join('| ')}| lost engine/bare | short engine/bare | cpu % engine/bare`,
  );
  for (const n of counts) {
    const of = (mode: CallMode, f: (r: CallRun) => number): number =>
      median(all.filter((r) => r.n === n && r.mode === mode).map(f));
    const cell = (v: View): string => {
      const share = (r: CallRun): number => pct(r.views[v].late, r.views[v].packets);
      const [e, b] = [of('engine', share), of('bare', share)];
      return `${e.toFixed(3)} % / ${b.toFixed(3)} % = ${ratio(e, b)}`.padEnd(VIEW_WIDTH);
    };
    const pair = (f: (r: CallRun) => number, w: number, digits = 0): string =>
      `${of('engine', f).toFixed(digits)} / ${of('bare', f).toFixed(digits)}`.padStart(w);
    console.log(
      `  ${String(n).padStart(4)} | ${VIEWS.map(cell).join('| ')}| ${pair((r) => r.lost, 16)} | ` +
        `${pair((r) => r.short, 17)} | ${pair((r) => r.cpuPct, 17)}`,
    );
  }
  if (!ok) console.log('\nsome calls or playbacks FAILED (see above): exit 1');
  return ok;
}

// ---- main ----

const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<boolean> {
  const parts = new Set(listOption('parts', 'BENCH_PARTS', 'pacing,calls'));
  for (const p of parts)
    if (p !== 'pacing' && p !== 'calls') throw new Error(`unknown part: ${p} (pacing, calls)`);
  let ok = true;
  if (parts.has('pacing')) await pacingPart();
  if (parts.has('pacing') && parts.has('calls')) console.log('');
  if (parts.has('calls')) ok = (await callsPart()) && ok;
  return ok;
}

if (IS_CHILD) {
  await child();
} else {
  let code = 0;
  try {
    code = (await main()) ? 0 : 1;
  } catch (err) {
    console.error(err);
    code = 1;
  } finally {
    for (const stop of live) stop();
  }
  // Redis and the database pool of the harness need not hold the process open.
  process.exit(code);
}
