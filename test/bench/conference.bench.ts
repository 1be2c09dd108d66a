/**
 * Conference mixer benchmark: how many participants one core mixes in real
 * time, in rooms of 3, 10 and 50, against a baseline in the same run.
 *
 *   npm run bench:conference
 *   npm run bench:conference -- --sizes 10 --totals 300,600 --seconds 10 --talkers one
 *
 * Knobs (--name value or the environment): sizes / BENCH_ROOM_SIZES (3,10,50);
 * totals / BENCH_TOTALS (participants per trial, 150,300,600,1200,2400);
 * seconds / BENCH_SECONDS (measured window, 5; 1 s of warm-up before it);
 * talkers / BENCH_TALKERS (`all`: every participant sends a tone, nothing is
 * gated or shared, the worst case; `one`: one talker per room, the others
 * line noise at -60 dBm0, as in a real call); late-ms / BENCH_LATE_MS (20).
 *
 * Each trial runs in this process on a fresh MediaPacer (the project's 20 ms
 * clock, real time): total / size ConferenceMixers, each participant's
 * 20 ms G.711 frame (A-law and µ-law alternating, each participant its own
 * frequency) handed to member.receive() on every tick before the mixers run,
 * as RTP would; every participant's output goes to its send callback, which
 * timestamps it.
 *
 * Figures per trial:
 * - late: frames that left more than late-ms after their due time (pacer
 *   epoch + 20 ms x frame), plus the frames the pacer skipped, for every
 *   participant. 20 ms: a frame is late once the next one is due; a
 *   receiver's jitter buffer (40-80 ms) still plays anything earlier. This is
 *   wall-clock time, so it includes the operating system's scheduling of
 *   this process: on a machine loaded beyond its cores it measures the load.
 * - tick: how long one tick takes (feeding every participant, then every
 *   room's mix), median and 99th percentile: the median is the mixing's
 *   share of the 20 ms budget (a tick seldom loses the CPU midway), the
 *   99th percentile adds the preemptions of a loaded machine. (Per-tick CPU
 *   time cannot be read: getrusage counts in scheduler ticks here.)
 * - CPU: this process's user + system time over the window, as % of one
 *   core and per participant per second of audio; 10^6 / that is how many
 *   participants one core would mix at 100 %.
 *
 * Baseline (the ratio): the same participants on the same pacer through a
 * relay, each participant's frame handed on unchanged to the next member of
 * its room (what a two-party bridge does: no decoding, mixing or encoding).
 * A size stops at the first total whose median tick exceeds 10 ms (half the
 * budget) or whose late share exceeds 10 %.
 *
 * Not included: RTP sockets (one sendto per output frame; bench:rtp
 * measures that path) and the Redis/event side (a talk change is a few Redis
 * commands, rare against 50 frames per second).
 */
import os from 'node:os';
import { ConferenceMixer, type MixerMember } from '../../src/telephony/embedded/media/mixer.js';
import { dbm0ToPower } from '../../src/telephony/embedded/media/talk-detector.js';
import { FRAME_MS, MediaPacer, SAMPLES_PER_FRAME } from '../../src/telephony/embedded/media/pacer.js';
import { encode, type G711Codec } from '../../src/telephony/embedded/rtp/g711.js';

function knob(name: string, env: string, fallback: string): string {
  const argv = process.argv;
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const v = i < 0 ? process.env[env] : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  return v ?? fallback;
}

const SIZES = knob('sizes', 'BENCH_ROOM_SIZES', '3,10,50').split(',').map(Number);
const TOTALS = knob('totals', 'BENCH_TOTALS', '150,300,600,1200,2400').split(',').map(Number);
const SECONDS = Number(knob('seconds', 'BENCH_SECONDS', '5'));
const TALKERS = knob('talkers', 'BENCH_TALKERS', 'all') === 'one' ? 'one' : 'all';
const LATE_MS = Number(knob('late-ms', 'BENCH_LATE_MS', '20'));
const WARMUP_MS = 1000;
const LOOP_FRAMES = 50;
const LATE_LIMIT = 0.001;

/** One second of a participant's frames (50 × 20 ms), pre-encoded: what its phone would send. */
const frameCache = new Map<string, Buffer[]>();
function framesOf(codec: G711Codec, hz: number, dbm0: number, noise: boolean): Buffer[] {
  const key = `${codec}|${hz}|${dbm0}|${noise}`;
  const hit = frameCache.get(key);
  if (hit) return hit;
  const amp = Math.sqrt(2 * dbm0ToPower(dbm0));
  let seed = hz;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  const frames: Buffer[] = [];
  for (let f = 0; f < LOOP_FRAMES; f += 1) {
    const pcm = new Int16Array(SAMPLES_PER_FRAME);
    for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) {
      const n = f * SAMPLES_PER_FRAME + i;
      pcm[i] = Math.round(noise ? amp * 3.4 * rnd() : amp * Math.sin((2 * Math.PI * hz * n) / 8000));
    }
    frames.push(encode(codec, pcm));
  }
  frameCache.set(key, frames);
  return frames;
}

interface Trial {
  /** Wall time of one tick (feeding every participant, then every room's mix), median and 99th percentile, ms. */
  tickMedianMs: number;
  tickP99Ms: number;
  frames: number;
  late: number;
  p99Ms: number;
  maxMs: number;
  cpuUsPerPartSec: number;
  cpuPct: number;
  skipped: number;
}

/** Lateness histogram in 0.1 ms buckets (to 100 ms), so a trial keeps no per-frame array. */
class Lateness {
  readonly #buckets = new Uint32Array(1001);
  frames = 0;
  late = 0;
  max = 0;
  add(ms: number): void {
    this.frames += 1;
    if (ms > LATE_MS) this.late += 1;
    if (ms > this.max) this.max = ms;
    this.#buckets[Math.min(1000, Math.max(0, Math.round(ms * 10)))]! += 1;
  }
  quantile(q: number): number {
    let n = 0;
    for (let i = 0; i < this.#buckets.length; i += 1) {
      n += this.#buckets[i]!;
      if (n >= this.frames * q) return i / 10;
    }
    return 100;
  }
}

async function trial(kind: 'mixer' | 'relay', size: number, total: number): Promise<Trial> {
  const pacer = new MediaPacer();
  const rooms = Math.ceil(total / size);
  let measuring = false;
  let stats = new Lateness();
  const t0 = performance.now();
  const inputs: Buffer[][] = [];
  const members: MixerMember[] = [];
  const sends: Array<(payload: Buffer, frame: number) => void> = [];
  const send = (_payload: Buffer, frame: number): void => {
    if (measuring) stats.add(performance.now() - (t0 + frame * FRAME_MS));
  };
  // The phones first: every tick hands each participant's next frame in, before any room mixes.
  const latest: Buffer[] = [];
  let tickStart = 0;
  let ticks = new Lateness();
  const unsubscribeFeed = pacer.subscribe((frame) => {
    tickStart = performance.now();
    const k = frame % LOOP_FRAMES;
    if (kind === 'mixer') for (let i = 0; i < members.length; i += 1) members[i]!.receive(inputs[i]![k]!);
    else for (let i = 0; i < inputs.length; i += 1) latest[i] = inputs[i]![k]!;
  });
  const mixers: ConferenceMixer[] = [];
  const relays: Array<() => void> = [];
  for (let r = 0; r < rooms; r += 1) {
    const n = Math.min(size, total - r * size);
    const first = inputs.length;
    for (let j = 0; j < n; j += 1) {
      const idx = first + j;
      const codec: G711Codec = idx % 2 === 0 ? 'PCMA' : 'PCMU';
      const talker = TALKERS === 'all' || j === 0;
      inputs.push(framesOf(codec, 300 + (idx % 64) * 40, talker ? -20 : -60, !talker));
      sends.push(send);
    }
    if (kind === 'mixer') {
      const mixer = new ConferenceMixer({ pacer });
      mixers.push(mixer);
      for (let j = 0; j < n; j += 1) {
        members.push(mixer.join({ codec: (first + j) % 2 === 0 ? 'PCMA' : 'PCMU', send }));
      }
    } else {
      relays.push(
        pacer.subscribe((frame) => {
          for (let j = 0; j < n; j += 1) sends[first + j]!(latest[first + ((j + 1) % n)]!, frame);
        }),
      );
    }
  }
  // Subscribed after every room: the tick's duration is what the feed and all the mixing took.
  const unsubscribeEnd = pacer.subscribe(() => {
    if (measuring) ticks.add(performance.now() - tickStart);
  });
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  stats = new Lateness();
  ticks = new Lateness();
  const skipped0 = pacer.stats.skipped;
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  measuring = false;
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - w0) / 1000;
  const skipped = pacer.stats.skipped - skipped0;
  for (const m of mixers) m.close();
  for (const off of relays) off();
  unsubscribeFeed();
  unsubscribeEnd();
  const cpuUs = cpu.user + cpu.system;
  return {
    tickMedianMs: ticks.quantile(0.5),
    tickP99Ms: ticks.quantile(0.99),
    frames: stats.frames + skipped * total,
    late: stats.late + skipped * total,
    p99Ms: stats.quantile(0.99),
    maxMs: stats.max,
    cpuUsPerPartSec: cpuUs / (total * wall),
    cpuPct: cpuUs / 1e4 / wall,
    skipped,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(3)} %`;

async function main(): Promise<void> {
  const load = os.loadavg().map((l) => l.toFixed(2));
  process.stdout.write(
    `conference mixer bench: rooms of ${SIZES.join('/')}, talkers ${TALKERS}, ${SECONDS} s per trial, ` +
      `late = > ${LATE_MS} ms behind the 20 ms schedule\n` +
      `cpu ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, load average ${load.join(' ')}\n\n`,
  );
  process.stdout.write(
    'size  total  rooms | mixer: late      p99 ms  max ms  tick median/p99 ms  CPU %   µs/part·s | ' +
      'relay: late      CPU %   µs/part·s | ratio\n',
  );
  const best: Array<{ size: number; total: number | null; us: number; tick: number }> = [];
  for (const size of SIZES) {
    let passed: number | null = null;
    let last = { us: 0, tick: 0 };
    for (const total of TOTALS) {
      const mixer = await trial('mixer', size, total);
      const relay = await trial('relay', size, total);
      const lateShare = mixer.frames > 0 ? mixer.late / mixer.frames : 1;
      process.stdout.write(
        `${String(size).padStart(4)}  ${String(total).padStart(5)}  ${String(Math.ceil(total / size)).padStart(5)} | ` +
          `${pct(lateShare).padStart(11)}  ${mixer.p99Ms.toFixed(1).padStart(6)}  ${mixer.maxMs.toFixed(1).padStart(6)}  ` +
          `${`${mixer.tickMedianMs.toFixed(1)} / ${mixer.tickP99Ms.toFixed(1)}`.padStart(18)}  ` +
          `${mixer.cpuPct.toFixed(1).padStart(5)}  ${mixer.cpuUsPerPartSec.toFixed(1).padStart(9)} | ` +
          `${pct(relay.late / Math.max(1, relay.frames)).padStart(11)}  ${relay.cpuPct.toFixed(1).padStart(5)}  ` +
          `${relay.cpuUsPerPartSec.toFixed(1).padStart(9)} | ${(mixer.cpuUsPerPartSec / relay.cpuUsPerPartSec).toFixed(2)}x\n`,
      );
      last = { us: mixer.cpuUsPerPartSec, tick: mixer.tickMedianMs };
      if (lateShare < LATE_LIMIT) passed = total;
      if (mixer.tickMedianMs > FRAME_MS / 2 || lateShare > 0.1) break;
    }
    best.push({ size, total: passed, ...last });
  }
  process.stdout.write(
    '\nper room size: the most participants with < 0.1 % late frames in this run, and the CPU figures\n',
  );
  for (const b of best) {
    process.stdout.write(
      `  rooms of ${String(b.size).padStart(2)}: ${b.total === null ? 'none' : String(b.total)} within 0.1 % late; ` +
        `at the largest total tried ${b.us.toFixed(1)} µs CPU per participant-second ` +
        `(${Math.floor(1e6 / b.us)} participants per core at 100 %), median tick ${b.tick.toFixed(1)} ms of 20\n`,
    );
  }
  process.stdout.write(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:conference: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
