/** Signals, a fake clock and packet sinks for the media tests (unit and integration). */
import { buildRtp, parseRtp, type RtpHeader } from '../../src/telephony/embedded/rtp/packet.js';
import type { RtpPacketListener } from '../../src/telephony/embedded/rtp/session.js';
import type { PacerClock } from '../../src/telephony/embedded/media/pacer.js';

/** mulberry32: a small seeded PRNG, so noisy fixtures are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v));

/** Sum of sines, `ms` long at 8 kHz. */
export function sines(freqs: number[], ms: number, amplitude = 6000): Int16Array {
  const n = Math.round(ms * 8);
  return Int16Array.from({ length: n }, (_, i) =>
    clamp(freqs.reduce((v, f) => v + amplitude * Math.sin((2 * Math.PI * f * i) / 8000), 0)),
  );
}

/** Gaussian-ish white noise (sum of 4 uniforms) with the given RMS. */
export function noise(n: number, rms: number, seed = 1): Int16Array {
  const r = prng(seed);
  // The sum of 4 uniforms on [-0.5, 0.5] has variance 4/12.
  const k = rms / Math.sqrt(4 / 12);
  return Int16Array.from({ length: n }, () => clamp(k * (r() + r() + r() + r() - 2)));
}

export function add(a: Int16Array, b: Int16Array): Int16Array {
  return Int16Array.from(a, (v, i) => clamp(v + (b[i] ?? 0)));
}

export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const silence = (ms: number): Int16Array => new Int16Array(Math.round(ms * 8));

export function rms(s: ArrayLike<number>, from = 0, to = s.length): number {
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += s[i]! * s[i]!;
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}

/**
 * Speech-like sound: a glottal pulse train (pitch wandering 90-220 Hz)
 * through three formant resonators that move every syllable, with a syllable
 * envelope and breathy noise; the harmonics of a voice land on and around
 * the DTMF frequencies all the time.
 */
export function speechLike(ms: number, seed = 7): Int16Array {
  const r = prng(seed);
  const n = Math.round(ms * 8);
  const out = new Int16Array(n);
  const vowels = [
    [730, 1090, 2440],
    [270, 2290, 3010],
    [530, 1840, 2480],
    [660, 1720, 2410],
    [300, 870, 2240],
    [640, 1190, 2390],
    // Formants on a DTMF row and column (697 + 1209 Hz: key 1), the talk-off
    // case: a steady pitch puts harmonics right on both.
    [697, 1209, 2500],
  ];
  let phase = 0;
  let f0 = 140;
  const state = [0, 0, 0, 0, 0, 0];
  let formants = vowels[0]!;
  let syllableLeft = 0;
  let syllableLen = 1;
  for (let i = 0; i < n; i += 1) {
    if (syllableLeft <= 0) {
      syllableLen = Math.round(8 * (120 + 200 * r()));
      syllableLeft = syllableLen;
      formants = vowels[Math.floor(r() * vowels.length)]!;
    }
    syllableLeft -= 1;
    f0 = Math.min(220, Math.max(90, f0 + (r() - 0.5) * 2));
    phase += f0 / 8000;
    let x = (r() - 0.5) * 0.05;
    if (phase >= 1) {
      phase -= 1;
      x += 1;
    }
    let y = 0;
    formants.forEach((f, k) => {
      // Two-pole resonator, bandwidth ~ 80 Hz.
      const rad = Math.exp((-Math.PI * 80) / 8000);
      const c = 2 * rad * Math.cos((2 * Math.PI * f) / 8000);
      const v = x + c * state[2 * k]! - rad * rad * state[2 * k + 1]!;
      state[2 * k + 1] = state[2 * k]!;
      state[2 * k] = v;
      y += v / (k + 1);
    });
    const pos = 1 - syllableLeft / syllableLen;
    out[i] = clamp(3600 * y * Math.sin(Math.PI * pos));
  }
  return out;
}

/**
 * The frequency of a (near) sine from its rising zero crossings, placed
 * between samples by linear interpolation.
 */
export function zeroCrossingHz(s: ArrayLike<number>): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 0; i + 1 < s.length; i += 1) {
    const a = s[i]!;
    const b = s[i + 1]!;
    if (a < 0 && b >= 0) {
      const t = i + a / (a - b);
      if (first < 0) first = t;
      last = t;
      count += 1;
    }
  }
  return count < 2 ? 0 : ((count - 1) * 8000) / (last - first);
}

/** Indexes of the first and last sample louder than `threshold` (absolute), or null. */
export function activeSpan(s: ArrayLike<number>, threshold = 500): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let i = 0; i < s.length; i += 1) {
    if (Math.abs(s[i]!) > threshold) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? null : [first, last];
}

/** A PacerClock driven by hand: advance() runs the timers that come due, in order. */
export class FakeClock implements PacerClock {
  t = 1000;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  /** Added to every timer's delay: a late event loop. */
  lateness = 0;
  /** Added to the next timer's delay only: one stall. */
  stall = 0;

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.t + ms + this.lateness + this.stall, fn });
    this.stall = 0;
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves the time on by ms, running each timer at its due time. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let id = -1;
      let at = Infinity;
      for (const [k, v] of this.#timers) {
        if (v.at < at) {
          at = v.at;
          id = k;
        }
      }
      if (id < 0 || at > end) break;
      const timer = this.#timers.get(id)!;
      this.#timers.delete(id);
      this.t = Math.max(this.t, at);
      timer.fn();
    }
    this.t = end;
  }
}

export interface SentPacket {
  payloadType: number;
  timestamp: number;
  payload: Buffer;
  marker: boolean;
  /** FakeClock time when sent. */
  at: number;
}

/** An RtpSender that keeps what is sent. */
export class Sink {
  readonly sent: SentPacket[] = [];
  constructor(private readonly clock?: { now(): number }) {}
  sendRtp(payloadType: number, timestamp: number, payload: Buffer, marker = false): void {
    this.sent.push({
      payloadType,
      timestamp: timestamp >>> 0,
      payload: Buffer.from(payload),
      marker,
      at: this.clock?.now() ?? 0,
    });
  }
}

/** An RtpReceiver that hands built packets to its listener, as RtpSession does. */
export class Source {
  packetListener: RtpPacketListener | null = null;
  onPacket(cb: RtpPacketListener | null): void {
    this.packetListener = cb;
  }
  deliver(
    h: { payloadType: number; sequence: number; timestamp: number; ssrc?: number; marker?: boolean },
    payload: Buffer,
  ): void {
    const pkt = buildRtp({ ...h, ssrc: h.ssrc ?? 0x5151, timestamp: h.timestamp >>> 0 }, payload);
    const header: RtpHeader = parseRtp(pkt)!;
    this.packetListener?.(pkt, header);
  }
}
