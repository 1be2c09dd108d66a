/**
 * Two FaxSessions wired back to back, the way a call would carry them but
 * faster than real time: each step moves 20 ms of line time with no waiting.
 * Audio goes through a real G.711 codec in both directions (what an RTP
 * channel does to it); T.38 goes through UDPTL datagrams over an in-memory
 * channel that can lose them.
 */
import { decode, encode, type G711Codec } from '../../src/telephony/embedded/rtp/g711.js';
import type { FaxResult, FaxSession } from '../../src/telephony/embedded/fax/fax-session.js';

export interface LoopbackOptions {
  /** Stop after this much line time even if a session is still going. */
  maxSeconds?: number;
  /** Called after every step with the line time so far (e.g. to hang up mid-page). */
  onStep?: (lineMs: number) => void;
}

export interface LoopbackResult {
  sender: FaxResult | null;
  receiver: FaxResult | null;
  lineMs: number;
  /** Datagrams dropped by the lossy channel (T.38). */
  dropped: number;
  sent: number;
}

/** A small deterministic PRNG (mulberry32) so a lossy run loses the same datagrams every time. */
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

export function audioLoopback(
  a: FaxSession,
  b: FaxSession,
  codec: G711Codec,
  opts: LoopbackOptions = {},
): LoopbackResult {
  const limit = (opts.maxSeconds ?? 300) * 1000;
  let lineMs = 0;
  while ((!a.result || !b.result) && lineMs < limit) {
    const fromA = decode(codec, encode(codec, a.audioOut()));
    const fromB = decode(codec, encode(codec, b.audioOut()));
    b.audioIn(fromA);
    a.audioIn(fromB);
    lineMs += 20;
    opts.onStep?.(lineMs);
  }
  return { sender: a.result, receiver: b.result, lineMs, dropped: 0, sent: 0 };
}

export function t38Loopback(
  a: FaxSession,
  b: FaxSession,
  opts: LoopbackOptions & { loss?: number; seed?: number } = {},
): LoopbackResult {
  const limit = (opts.maxSeconds ?? 300) * 1000;
  const random = prng(opts.seed ?? 1);
  const toB: Buffer[] = [];
  const toA: Buffer[] = [];
  let dropped = 0;
  let sent = 0;
  const lossy = (queue: Buffer[]) => (d: Buffer) => {
    sent++;
    if (random() < (opts.loss ?? 0)) dropped++;
    else queue.push(d);
  };
  a.on('datagram', lossy(toB));
  b.on('datagram', lossy(toA));
  let lineMs = 0;
  while ((!a.result || !b.result) && lineMs < limit) {
    a.tick();
    b.tick();
    for (const d of toB.splice(0)) b.datagramIn(d);
    for (const d of toA.splice(0)) a.datagramIn(d);
    lineMs += 20;
    opts.onStep?.(lineMs);
  }
  return { sender: a.result, receiver: b.result, lineMs, dropped, sent };
}
