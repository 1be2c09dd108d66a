import { randomInt } from 'node:crypto';
import type { RtpSession } from '../rtp/session.js';

/** G.711 at 8 kHz in 20 ms packets (RFC 3551 §4.5.14: ptime 20 is the default). */
export const SAMPLE_RATE = 8000;
export const FRAME_MS = 20;
export const SAMPLES_PER_FRAME = (SAMPLE_RATE * FRAME_MS) / 1000;

/**
 * The most frames one tick sends when the event loop was late: the frame due
 * and the two before it, 40-60 ms late at worst, which a receiver's jitter
 * buffer (typically 40-80 ms deep) still plays; the stream is then back on
 * its schedule at once. Older frames are skipped rather than sent: they
 * would arrive too late to be played, and a long burst makes an adaptive
 * jitter buffer grow (adding delay) for the rest of the call.
 */
export const MAX_CATCH_UP_FRAMES = 3;

/** A tick that fires up to this much before its deadline (timer rounding) counts as on time. */
const EARLY_MS = 1;

/** What generated media needs of a session: RtpSession, or a sink in tests. */
export type RtpSender = Pick<RtpSession, 'sendRtp'>;

export interface PacerClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PacerStats {
  /** Frames dispatched since the pacer was created. */
  frames: number;
  /** Frames skipped because the event loop was more than MAX_CATCH_UP_FRAMES late. */
  skipped: number;
  /** Ticks that had to send more than one frame. */
  lateTicks: number;
}

interface Subscriber {
  fn: (frameIndex: number) => void;
  active: boolean;
}

/**
 * The one 20 ms clock of every media source in the process (players, DTMF
 * senders, recorder deadlines): a single timer instead of a setInterval per
 * call, which would cost a timer per stream and drift by the event loop's
 * lateness on every tick.
 *
 * Frame n is due at epoch + n * 20 ms; each tick computes the next deadline
 * from that, never from the previous tick, so lateness does not accumulate.
 * A late tick dispatches the frames it missed at once (up to
 * MAX_CATCH_UP_FRAMES; older ones are skipped): subscribers see the frame
 * index jump and keep their RTP timestamps on the clock (+160 per frame,
 * sent or not), so the receiver's playout stays in step with the sender. The
 * Player marks the packet after a skip (a new talkspurt, RFC 3551 §4.1) and
 * goes on with the audio where it was, so no words are lost, only delayed.
 *
 * The timer runs only while someone subscribes; the first subscriber after
 * an idle time restarts the epoch at once, so its first frame (which it sends
 * itself, immediately) and the pacer's ticks are exactly 20 ms apart.
 */
export class MediaPacer {
  readonly #clock: PacerClock;
  readonly #onError: (err: unknown) => void;
  /** Replaced, never mutated, so a tick iterates a stable snapshot. */
  #subs: readonly Subscriber[] = [];
  #timer: unknown = null;
  #epoch = 0;
  /** The last frame dispatched (or the epoch's frame 0). */
  #frame = -1;
  #frames = 0;
  #skipped = 0;
  #lateTicks = 0;
  /** Counts restarts, so a tick notices that its epoch ended under it. */
  #run = 0;

  constructor(opts: { clock?: PacerClock; onError?: (err: unknown) => void } = {}) {
    this.#clock = opts.clock ?? realClock;
    this.#onError = opts.onError ?? (() => undefined);
  }

  /**
   * Calls fn for every frame from the next one on, with the frame index (it
   * increases by 1 per frame, by more after skipped frames). The answer
   * unsubscribes; a subscriber that throws is reported to onError and stays.
   */
  subscribe(fn: (frameIndex: number) => void): () => void {
    const sub: Subscriber = { fn, active: true };
    if (this.#subs.length === 0 && this.#timer === null) {
      this.#epoch = this.#clock.now();
      this.#frame = 0;
      this.#schedule();
    }
    this.#subs = [...this.#subs, sub];
    return () => {
      if (!sub.active) return;
      sub.active = false;
      this.#subs = this.#subs.filter((s) => s !== sub);
      if (this.#subs.length === 0) this.#stop();
    };
  }

  /** The pacer clock's reading (ms). */
  now(): number {
    return this.#clock.now();
  }

  /** The index of the current frame: the last one dispatched (-1 while idle). */
  get frame(): number {
    return this.#subs.length === 0 ? -1 : this.#frame;
  }

  /**
   * Runs one paced stream of a session's own media: onFrame(k, timestamp)
   * for k = 0 at once, then on every frame of the clock, with k counting
   * frames since the start (skipped ones included, so it jumps after a skip)
   * and timestamp = start + 160 k on the session's timeline. It ends when
   * onFrame answers false or the answer is called.
   *
   * When the timeline's last media ends more than half a frame ahead of its
   * clock (the previous prompt's last frame went out in this very slot), frame
   * 0 waits for the next tick instead: back-to-back prompts would otherwise
   * drift one frame earlier each, until the receiver's jitter buffer overflows.
   */
  stream(timeline: RtpTimeline, onFrame: (k: number, timestamp: number) => boolean): () => void {
    const ts0 = timeline.start();
    const early = ts0 - timeline.now() >= SAMPLES_PER_FRAME / 2;
    let frame0 = 0;
    let done = false;
    const run = (k: number): void => {
      let more = false;
      try {
        more = onFrame(k, ts0 + k * SAMPLES_PER_FRAME);
      } finally {
        if (!more) stop(); // a stream that throws ends too
      }
    };
    const unsubscribe = this.subscribe((f) => {
      if (!done) run(f - frame0);
    });
    const stop = (): void => {
      done = true;
      unsubscribe();
    };
    frame0 = early ? this.#frame + 1 : this.#frame;
    if (!early) run(0);
    return stop;
  }

  get subscribers(): number {
    return this.#subs.length;
  }

  get stats(): PacerStats {
    return { frames: this.#frames, skipped: this.#skipped, lateTicks: this.#lateTicks };
  }

  #schedule(): void {
    const deadline = this.#epoch + (this.#frame + 1) * FRAME_MS;
    this.#timer = this.#clock.setTimeout(this.#tick, Math.max(0, deadline - this.#clock.now()));
  }

  #stop(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#frame = -1;
    this.#run += 1;
  }

  readonly #tick = (): void => {
    this.#timer = null;
    const run = this.#run;
    const due = Math.floor((this.#clock.now() - this.#epoch + EARLY_MS) / FRAME_MS);
    let first = this.#frame + 1;
    if (due >= first) {
      if (due > first) this.#lateTicks += 1;
      if (due - first >= MAX_CATCH_UP_FRAMES) {
        this.#skipped += due - MAX_CATCH_UP_FRAMES + 1 - first;
        first = due - MAX_CATCH_UP_FRAMES + 1;
      }
      for (let f = first; f <= due && this.#run === run; f += 1) {
        this.#frame = f;
        this.#frames += 1;
        for (const sub of this.#subs) {
          if (!sub.active) continue;
          try {
            sub.fn(f);
          } catch (err) {
            this.#report(err);
          }
        }
      }
    }
    if (this.#subs.length > 0 && this.#timer === null) this.#schedule();
  };

  #report(err: unknown): void {
    try {
      this.#onError(err);
    } catch {
      // An error handler that throws must not stop the clock of every call.
    }
  }
}

/** The process-wide pacer every media source uses unless given another. */
export const mediaPacer = new MediaPacer();

/**
 * The RTP media clock of what one session generates itself (prompts, tones,
 * RFC 4733 events) under its own SSRC: a random origin (RFC 3550 §5.1) that
 * advances 8 units per millisecond of wall time. Each playback starts at the
 * clock's reading, and never before the end of what was sent before, so
 * consecutive prompts on a leg keep increasing timestamps, as a receiver
 * expects from one SSRC. Values are not reduced modulo 2^32
 * (RtpSession.sendRtp does that).
 */
export class RtpTimeline {
  static readonly #timelines = new WeakMap<object, RtpTimeline>();

  readonly #originTs: number;
  readonly #originMs: number;
  readonly #clock: () => number;
  /** The timestamp right after the last media generated. */
  end: number;

  private constructor(clock: () => number) {
    this.#clock = clock;
    this.#originTs = randomInt(0, 0x100000000);
    this.#originMs = clock();
    this.end = this.#originTs;
  }

  /** The timeline of a session, created on first use with that clock (ms; the pacer's). */
  static of(session: object, clock: () => number = () => performance.now()): RtpTimeline {
    let t = RtpTimeline.#timelines.get(session);
    if (t === undefined) {
      t = new RtpTimeline(clock);
      RtpTimeline.#timelines.set(session, t);
    }
    return t;
  }

  /** The clock's reading now. */
  now(): number {
    return this.#originTs + Math.round((this.#clock() - this.#originMs) * (SAMPLE_RATE / 1000));
  }

  /** The timestamp for media that starts now: the clock, or the end of the last media if that is later. */
  start(): number {
    return Math.max(this.now(), this.end);
  }
}
