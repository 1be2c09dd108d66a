/**
 * Media pacing benchmark: how punctually N concurrent playbacks leave the
 * process, on the one shared 20 ms clock (media/pacer.ts, through Player),
 * against the naive way in the same run: a setInterval(20) per stream.
 *
 *   npm run bench:media-rtp
 *   npm run bench:media-rtp -- --streams 300 --seconds 10 --rounds 2
 *   BENCH_STREAMS=300 BENCH_SECONDS=10 BENCH_ROUNDS=2 npm run bench:media-rtp
 *
 * This process (the player) opens N RtpSessions from an RtpPortPool and
 * plays a looping 1 kHz PCMU tone into each; a child process (fork) holds the
 * N receiving dgram sockets and timestamps every arrival. Streams start at
 * random moments over the first second, as calls do; after BENCH_SECONDS of
 * everyone playing they stop.
 *
 * Per packet the child computes its lateness against the stream's ideal
 * schedule, anchored on the stream's first packet as a receiver's jitter
 * buffer anchors its playout: ideal(k) = arrival(0) + 20 ms * k, with k from
 * the RTP timestamp ((ts - ts0) / 160). Printed per round: packets, lost
 * (sent - received), packets later than 5 ms and their share, the 99th
 * percentile and maximum lateness, the mean drift of each stream's last
 * packet, the mean RFC 3550 interarrival jitter, and the CPU of the playing process (% of one core, over the
 * measured window). Then the medians per mode and the ratios naive / pacer.
 * Rounds alternate (pacer, naive, naive, pacer ...). 127.0.0.1 only; the
 * bench ends by itself.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { mediaPacer, RtpTimeline } from '../../src/telephony/embedded/media/pacer.js';
import { Player, renderTone, type PlaybackHandle } from '../../src/telephony/embedded/media/player.js';
import { linearToUlaw, RtpPortPool, type RtpSession } from '../../src/telephony/embedded/rtp/index.js';
import { median } from './lib.js';

const HOST = '127.0.0.1';
const LATE_MS = 5;
/** Lateness histogram: 0.1 ms bins from -20 ms to +1980 ms (the last bin holds the rest). */
const HISTOGRAM_BINS = 20_000;
const binMs = (i: number): number => i / 10 - 20;

type Mode = 'pacer' | 'naive';
type ToChild = { type: 'setup'; streams: number } | { type: 'report' };
interface StreamReport {
  received: number;
  late: number;
  /** Lateness of the stream's last packet: how far its clock fell behind. */
  drift: number;
  /** RFC 3550 §6.4.1 interarrival jitter at the end, ms. */
  jitter: number;
}
type FromChild =
  | { type: 'ready'; ports: number[] }
  /** histogram: packets of all streams per 0.1 ms of lateness, from -20 ms. */
  | { type: 'report'; streams: StreamReport[]; histogram: number[] };

function option(name: string, env: string, fallback: number): number {
  const argv = process.argv;
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const raw = i < 0 ? process.env[env] : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`bad --${name} / ${env}: ${raw}`);
  return n;
}

// ---- the receiving phones (child process) ----

async function child(): Promise<void> {
  const send = (m: FromChild): Promise<void> =>
    new Promise((resolve) => (process.send ? process.send(m, () => resolve()) : resolve()));
  const sockets: Socket[] = [];
  const arrivals: { at: number[]; ts: number[] }[] = [];
  process.on('message', (m: ToChild) => {
    void (async () => {
      if (m.type === 'setup') {
        for (let i = 0; i < m.streams; i += 1) {
          const s = createSocket('udp4');
          await new Promise<void>((resolve) => s.bind(0, HOST, resolve));
          const rec = { at: [] as number[], ts: [] as number[] };
          s.on('message', (msg) => {
            const at = performance.now();
            rec.at.push(at);
            rec.ts.push(msg.readUInt32BE(4));
          });
          sockets.push(s);
          arrivals.push(rec);
        }
        await send({ type: 'ready', ports: sockets.map((s) => s.address().port) });
        return;
      }
      const histogram = new Array<number>(HISTOGRAM_BINS).fill(0);
      const streams = arrivals.map(({ at, ts }): StreamReport => {
        let last = 0;
        let late = 0;
        let jitter = 0;
        for (let k = 0; k < at.length; k += 1) {
          const frame = ((ts[k]! - ts[0]!) | 0) / 160;
          const l = at[k]! - (at[0]! + frame * 20);
          last = l;
          histogram[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((l + 20) * 10)))]! += 1;
          if (l > LATE_MS) late += 1;
          if (k > 0) {
            const d = at[k]! - at[k - 1]! - ((ts[k]! - ts[k - 1]!) | 0) / 8;
            jitter += (Math.abs(d) - jitter) / 16;
          }
        }
        return { received: at.length, late, drift: last, jitter };
      });
      await send({ type: 'report', streams, histogram });
      await Promise.all(sockets.map((s) => new Promise((r) => s.close(() => r(null)))));
      process.disconnect();
    })();
  });
}

// ---- the player (this process) ----

function nextMessage<T extends FromChild['type']>(
  cp: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`receiver child: no '${type}' within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (m: FromChild): void => {
      if (m.type !== type) return;
      clearTimeout(timer);
      cp.off('message', onMessage);
      resolve(m as Extract<FromChild, { type: T }>);
    };
    cp.on('message', onMessage);
  });
}

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
  const cp = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx'] });
  const exited = new Promise<void>((resolve) => cp.once('exit', () => resolve()));
  const kill = setTimeout(() => cp.kill('SIGKILL'), (seconds + 120) * 1000);
  const pool = new RtpPortPool({ host: HOST, min: rtpMin, max: rtpMax });
  const sessions: RtpSession[] = [];
  try {
    const ready = nextMessage(cp, 'ready', 60_000);
    cp.send({ type: 'setup', streams } satisfies ToChild);
    const { ports } = await ready;
    for (const port of ports) {
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
    const reportP = nextMessage(cp, 'report', 30_000);
    cp.send({ type: 'report' } satisfies ToChild);
    const report = await reportP;
    await exited;
    const { histogram } = report;
    const received = report.streams.reduce((n, s) => n + s.received, 0);
    const quantile = (q: number): number => {
      let seen = 0;
      for (let i = 0; i < HISTOGRAM_BINS; i += 1) {
        seen += histogram[i]!;
        if (seen >= q * received) return binMs(i + 1);
      }
      return binMs(HISTOGRAM_BINS);
    };
    return {
      mode,
      streams,
      sent,
      received,
      late: report.streams.reduce((n, s) => n + s.late, 0),
      p99: quantile(0.99),
      max: quantile(1),
      drift: report.streams.reduce((n, s) => n + s.drift, 0) / report.streams.length,
      jitter: report.streams.reduce((n, s) => n + s.jitter, 0) / report.streams.length,
      cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      skipped: mediaPacer.stats.skipped - skipped0,
    };
  } finally {
    clearTimeout(kill);
    if (cp.exitCode === null) cp.kill();
    await Promise.all(sessions.map((s) => s.close()));
  }
}

const latePct = (r: Round): number => (100 * r.late) / r.received;

async function main(): Promise<void> {
  const streams = option('streams', 'BENCH_STREAMS', 200);
  const seconds = option('seconds', 'BENCH_SECONDS', 10);
  const rounds = option('rounds', 'BENCH_ROUNDS', 2);
  const rtpMin = option('rtp-min', 'BENCH_RTP_MIN', 32000);
  const rtpMax = option('rtp-max', 'BENCH_RTP_MAX', 32999);
  console.log(
    `media pacing: ${streams} playbacks (${(streams * 1000) / 20} packets/s), ${seconds} s each round after a 1 s ` +
      `staggered start, ${rounds} round(s) per mode; late = more than ${LATE_MS} ms behind the stream's ` +
      `schedule; node ${process.version}, ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
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
  const ratio = (a: number, b: number): string =>
    b > 0 ? `${(a / b).toFixed(1)}x` : a > 0 ? 'inf (pacer 0)' : 'n/a';
  console.log(
    `median late packets: pacer ${pl.toFixed(2)} %, naive setInterval ${nl.toFixed(2)} % (naive/pacer ${ratio(nl, pl)}); ` +
      `cpu: pacer ${pc.toFixed(1)} %, naive ${nc.toFixed(1)} % (naive/pacer ${ratio(nc, pc)}); ` +
      `drift: pacer ${pd.toFixed(1)} ms, naive ${nd.toFixed(1)} ms`,
  );
}

if (process.argv.includes('--child')) await child();
else await main();
