import fs from 'node:fs/promises';
import { G711_PAYLOAD_TYPE, linearToAlaw, linearToUlaw, type G711Codec } from '../rtp/g711.js';
import {
  mediaPacer,
  RtpTimeline,
  SAMPLE_RATE,
  SAMPLES_PER_FRAME,
  type MediaPacer,
  type RtpSender,
} from './pacer.js';
import type { PromptSource } from '../../adapter.js';
import { readWav } from './wav.js';

/** Linear PCM, 8 kHz mono. */
export interface SamplesSource {
  kind: 'samples';
  pcm: Int16Array;
}

/**
 * The sources of the media port (adapter.ts PromptSource, media references
 * resolved to files by the embedded adapter): a telephony WAV file (see
 * wav.ts), read when the playback starts; a sum of sines on for
 * durationMs, then silent for intervalMs (default 0), once or, with loop,
 * until the playback stops, each frequency at levelDbm0 (default -10 dBm0);
 * silence.
 */
export interface FileSource {
  kind: 'file';
  path: string;
}
export type ToneSource = Extract<PromptSource, { kind: 'tone' }>;
export type SilenceSource = Extract<PromptSource, { kind: 'silence' }>;

export type AudioSource = SamplesSource | FileSource | ToneSource | SilenceSource;

export { TONES } from '../../tones.js';

export interface PlayOptions {
  codec: G711Codec;
  /** Default: the static type of the codec (RFC 3551: PCMU 0, PCMA 8). */
  payloadType?: number;
  /** Repeat the whole source list until stop(). */
  loop?: boolean;
  /**
   * Sources mixed into the main list (spec 4.2 mix_ringtone: the ringing tone
   * under an announcement). The main list alone decides when the playback
   * ends; a mix list that ends first leaves the rest unmixed.
   */
  mix?: readonly AudioSource[];
}

export type PlaybackEnd = 'finished' | 'stopped';

export interface PlaybackHandle {
  /**
   * 'finished' once the last frame is sent, 'stopped' after stop(). Rejects
   * (and the playback ends) when a file source cannot be read: ENOENT, or a
   * WavFormatError. The rejection is never unhandled, awaited or not.
   */
  readonly done: Promise<PlaybackEnd>;
  /** Ends the playback after the frame in progress; idempotent. */
  stop(): void;
  /** RTP packets sent so far. */
  readonly framesSent: number;
}

/**
 * G.711's full-scale sine is about +3.14 dBm0 (ITU-T G.711 Tmax), so a sine
 * of L dBm0 has the 16-bit amplitude 32768 * 10^((L - 3.14) / 20).
 */
export function dbm0ToAmplitude(dbm0: number): number {
  return 32768 * 10 ** ((dbm0 - 3.14) / 20);
}

const DEFAULT_TONE_LEVEL_DBM0 = -10;
/** Tone bursts fade in and out over 2 ms: a hard edge clicks and splatters energy over the spectrum. */
const RAMP_SAMPLES = 16;
const MAX_TONE_CYCLE_MS = 60_000;

function checkTone(t: ToneSource): void {
  const bad = (why: string): never => {
    throw new RangeError(`bad tone source: ${why}`);
  };
  if (!Array.isArray(t.frequencies) || t.frequencies.length === 0 || t.frequencies.length > 8) {
    bad('1 to 8 frequencies');
  }
  for (const f of t.frequencies) {
    if (!(f > 0 && f < SAMPLE_RATE / 2)) bad(`frequency ${f} Hz is not between 0 and 4000 Hz`);
  }
  const interval = t.intervalMs ?? 0;
  if (!(t.durationMs > 0) || !(interval >= 0) || !(t.durationMs + interval <= MAX_TONE_CYCLE_MS)) {
    bad(`duration ${t.durationMs} ms, interval ${interval} ms`);
  }
  const level = t.levelDbm0 ?? DEFAULT_TONE_LEVEL_DBM0;
  if (!(level <= 3.14 && level > -100)) bad(`level ${level} dBm0`);
}

const toneCache = new Map<string, Int16Array>();
const TONE_CACHE_SIZE = 64;

/**
 * One cycle of a tone: the burst of durationMs (phase 0 at its start, ramped
 * at both edges) then intervalMs of silence. Cached: ringing tones of
 * hundreds of calls share one buffer.
 */
export function renderTone(t: ToneSource): Int16Array {
  checkTone(t);
  const level = t.levelDbm0 ?? DEFAULT_TONE_LEVEL_DBM0;
  const interval = t.intervalMs ?? 0;
  const key = `${t.frequencies.join(',')}|${t.durationMs}|${interval}|${level}`;
  const cached = toneCache.get(key);
  if (cached !== undefined) return cached;
  const on = Math.max(1, Math.round((t.durationMs * SAMPLE_RATE) / 1000));
  const out = new Int16Array(on + Math.round((interval * SAMPLE_RATE) / 1000));
  const amplitude = dbm0ToAmplitude(level);
  const omegas = t.frequencies.map((f) => (2 * Math.PI * f) / SAMPLE_RATE);
  const ramp = Math.min(RAMP_SAMPLES, Math.floor(on / 4));
  for (let n = 0; n < on; n += 1) {
    let v = 0;
    for (const w of omegas) v += Math.sin(w * n);
    const edge = Math.min(n, on - 1 - n);
    const gain = edge < ramp ? 0.5 - 0.5 * Math.cos((Math.PI * (edge + 0.5)) / ramp) : 1;
    const s = Math.round(amplitude * gain * v);
    out[n] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }
  if (toneCache.size >= TONE_CACHE_SIZE) toneCache.delete(toneCache.keys().next().value!);
  toneCache.set(key, out);
  return out;
}

/** A source ready to play: samples (null for silence) and its length, or a file still loading. */
interface Item {
  pcm: Int16Array | null;
  length: number;
  loop: boolean;
  loading: boolean;
  error: Error | null;
  /** Settles once a file is read (or failed); null for the other sources. */
  ready: Promise<void> | null;
}

/** Reads a source list frame by frame, across items and (with loop) around the list. */
class Cursor {
  readonly #items: readonly Item[];
  readonly #loop: boolean;
  #i = 0;
  #pos = 0;

  constructor(items: readonly Item[], loop: boolean) {
    this.#items = items;
    this.#loop = loop;
  }

  /** While the item at hand is a file still loading: when it is read. */
  get waiting(): Promise<void> | null {
    this.#settle();
    const it = this.#items[this.#i];
    return it?.loading ? it.ready : null;
  }

  /**
   * Writes up to n samples into out; answers how many, fewer at the end of
   * the list or when it reaches a file still loading. Throws the error of a
   * file that failed to load.
   */
  read(out: Int16Array, n: number): number {
    let filled = 0;
    while (filled < n) {
      this.#settle();
      const it = this.#items[this.#i];
      if (it === undefined || it.loading) break;
      const take = Math.min(n - filled, it.length - this.#pos);
      if (it.pcm === null) out.fill(0, filled, filled + take);
      else out.set(it.pcm.subarray(this.#pos, this.#pos + take), filled);
      filled += take;
      this.#pos += take;
    }
    return filled;
  }

  /** Nothing left to play. */
  get ended(): boolean {
    this.#settle();
    return this.#i >= this.#items.length;
  }

  /** Moves past what is played out (around the list with loop); throws a failed file's error. */
  #settle(): void {
    const items = this.#items;
    for (let wrapped = false; ;) {
      const it = items[this.#i];
      if (it === undefined) {
        // Around the list only if some item holds audio, else it would spin forever.
        if (!this.#loop || wrapped || !items.some((x) => x.length > 0 || x.loading)) return;
        wrapped = true;
        this.#i = 0;
        this.#pos = 0;
        continue;
      }
      if (it.error !== null) throw it.error;
      if (it.loading || this.#pos < it.length) return;
      if (it.loop && it.length > 0) {
        this.#pos = 0;
        return;
      }
      this.#i += 1;
      this.#pos = 0;
    }
  }
}

function checkSources(sources: readonly AudioSource[], what: string): void {
  if (!Array.isArray(sources)) throw new TypeError(`${what} must be a list of sources`);
  for (const s of sources as readonly AudioSource[]) {
    switch (s.kind) {
      case 'samples':
        if (!(s.pcm instanceof Int16Array)) throw new TypeError('samples source needs an Int16Array');
        break;
      case 'file':
        if (typeof s.path !== 'string' || s.path === '') throw new TypeError('file source needs a path');
        break;
      case 'tone':
        checkTone(s);
        break;
      case 'silence':
        if (!(s.durationMs >= 0) || !Number.isFinite(s.durationMs)) {
          throw new RangeError(`bad silence duration: ${s.durationMs}`);
        }
        break;
      default:
        throw new TypeError(`unknown source kind: ${(s as { kind: unknown }).kind as string}`);
    }
  }
}

interface CachedFile {
  ino: number;
  mtimeMs: number;
  size: number;
  pcm: Int16Array;
  /** When the file was last found unchanged (Date.now()). */
  checkedAt: number;
}

/** A cached file checked this recently plays at once, without another stat() first. */
const FRESH_MS = 2000;

export interface PlayerOptions {
  pacer?: MediaPacer;
  /** Decoded prompts kept in memory, in samples (default 8 M: 16 MiB, about 17 minutes). */
  cacheSamples?: number;
}

/**
 * Plays prompts, tones and silence into RTP sessions, every stream on the
 * one shared 20 ms clock (pacer.ts): 160 samples per packet, the timestamp
 * +160 per frame, the session's SSRC and sequence, and the marker bit on the
 * first packet of each playback (a talkspurt, RFC 3551 §4.1) and after
 * frames the clock had to skip.
 *
 * The first frame goes out within play() itself, unless the list starts
 * with a file not yet read (then as soon as it is decoded). A file later in
 * the list is read as the playback starts; should it still be loading when
 * its turn comes, silence fills in, so the stream stays continuous.
 *
 * Decoded files are cached, keyed by path, inode, size and mtime, so a file
 * replaced (writeWav renames a new inode in) is read again. A file found
 * unchanged within the last 2 s, by preload() or an earlier playback,
 * starts at once without being checked again.
 */
export class Player {
  readonly #pacer: MediaPacer;
  readonly #cacheLimit: number;
  readonly #cache = new Map<string, CachedFile>();
  readonly #loading = new Map<string, Promise<Int16Array>>();
  #cached = 0;

  constructor(opts: PlayerOptions = {}) {
    this.#pacer = opts.pacer ?? mediaPacer;
    this.#cacheLimit = opts.cacheSamples ?? 8 * 1024 * 1024;
  }

  /** Starts a playback; throws (synchronously) TypeError/RangeError for a bad source list or options. */
  play(session: RtpSender, sources: readonly AudioSource[], opts: PlayOptions): PlaybackHandle {
    if (opts.codec !== 'PCMU' && opts.codec !== 'PCMA')
      throw new RangeError(`bad codec: ${String(opts.codec)}`);
    const payloadType = opts.payloadType ?? G711_PAYLOAD_TYPE[opts.codec];
    if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) {
      throw new RangeError(`bad payload type: ${payloadType}`);
    }
    checkSources(sources, 'sources');
    if (opts.mix !== undefined) checkSources(opts.mix, 'mix');
    const main = new Cursor(this.#items(sources), opts.loop ?? false);
    const mix = opts.mix === undefined ? null : new Cursor(this.#items(opts.mix), false);
    return new Playback(this.#pacer, session, payloadType, opts.codec, main, mix);
  }

  /** Reads and decodes the files of a source list into the cache ahead of play(). */
  async preload(sources: readonly AudioSource[]): Promise<void> {
    checkSources(sources, 'sources');
    await Promise.all(sources.flatMap((s) => (s.kind === 'file' ? [this.load(s.path)] : [])));
  }

  /** The samples of a telephony WAV file, from the cache when the file is unchanged. */
  async load(file: string): Promise<Int16Array> {
    const pending = this.#loading.get(file);
    if (pending !== undefined) return pending;
    const p = this.#read(file).finally(() => this.#loading.delete(file));
    this.#loading.set(file, p);
    return p;
  }

  async #read(file: string): Promise<Int16Array> {
    const st = await fs.stat(file);
    const hit = this.#cache.get(file);
    if (hit !== undefined && hit.ino === st.ino && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
      this.#cache.delete(file); // most recently used last
      this.#cache.set(file, hit);
      hit.checkedAt = Date.now();
      return hit.pcm;
    }
    const pcm = await readWav(file);
    this.#forget(file);
    if (pcm.length <= this.#cacheLimit) {
      while (this.#cached + pcm.length > this.#cacheLimit) this.#forget(this.#cache.keys().next().value!);
      this.#cache.set(file, { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, pcm, checkedAt: Date.now() });
      this.#cached += pcm.length;
    }
    return pcm;
  }

  #forget(file: string): void {
    const old = this.#cache.get(file);
    if (old === undefined) return;
    this.#cache.delete(file);
    this.#cached -= old.pcm.length;
  }

  #items(sources: readonly AudioSource[]): Item[] {
    return sources.map((s): Item => {
      switch (s.kind) {
        case 'samples':
          return { pcm: s.pcm, length: s.pcm.length, loop: false, loading: false, error: null, ready: null };
        case 'silence':
          return {
            pcm: null,
            length: Math.round((s.durationMs * SAMPLE_RATE) / 1000),
            loop: false,
            loading: false,
            error: null,
            ready: null,
          };
        case 'tone': {
          const pcm = renderTone(s);
          return { pcm, length: pcm.length, loop: s.loop ?? false, loading: false, error: null, ready: null };
        }
        case 'file': {
          const hit = this.#cache.get(s.path);
          if (hit !== undefined && Date.now() - hit.checkedAt < FRESH_MS) {
            return {
              pcm: hit.pcm,
              length: hit.pcm.length,
              loop: false,
              loading: false,
              error: null,
              ready: null,
            };
          }
          const item: Item = { pcm: null, length: 0, loop: false, loading: true, error: null, ready: null };
          item.ready = this.load(s.path).then(
            (pcm) => {
              item.pcm = pcm;
              item.length = pcm.length;
              item.loading = false;
            },
            (err: unknown) => {
              item.error = err instanceof Error ? err : new Error(`cannot read ${s.path}: ${String(err)}`);
              item.loading = false;
            },
          );
          return item;
        }
      }
    });
  }
}

class Playback implements PlaybackHandle {
  readonly done: Promise<PlaybackEnd>;
  framesSent = 0;

  readonly #session: RtpSender;
  readonly #payloadType: number;
  readonly #encode: (sample: number) => number;
  readonly #main: Cursor;
  readonly #mix: Cursor | null;
  readonly #timeline: RtpTimeline;
  readonly #frame = new Int16Array(SAMPLES_PER_FRAME);
  readonly #mixFrame: Int16Array;
  readonly #payload = Buffer.alloc(SAMPLES_PER_FRAME);
  #resolve!: (end: PlaybackEnd) => void;
  #reject!: (err: unknown) => void;
  #ended = false;
  #stopStream: (() => void) | null = null;
  #lastK = 0;

  constructor(
    pacer: MediaPacer,
    session: RtpSender,
    payloadType: number,
    codec: G711Codec,
    main: Cursor,
    mix: Cursor | null,
  ) {
    this.done = new Promise<PlaybackEnd>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A caller that only ever stop()s must not turn a missing prompt into an
    // unhandled rejection that ends the process; awaiting done still throws.
    this.done.catch(() => undefined);
    this.#session = session;
    this.#payloadType = payloadType;
    this.#encode = codec === 'PCMU' ? linearToUlaw : linearToAlaw;
    this.#main = main;
    this.#mix = mix;
    this.#mixFrame = new Int16Array(mix === null ? 0 : SAMPLES_PER_FRAME);
    this.#timeline = RtpTimeline.of(session, () => pacer.now());
    const start = (): void => {
      if (this.#ended) return;
      try {
        if (main.ended) return this.#end('finished');
        const waiting = main.waiting;
        if (waiting !== null) {
          void waiting.then(start);
          return;
        }
      } catch (err) {
        return this.#fail(err);
      }
      this.#stopStream = pacer.stream(this.#timeline, this.#onFrame);
    };
    start();
  }

  stop(): void {
    this.#end('stopped');
  }

  readonly #onFrame = (k: number, timestamp: number): boolean => {
    if (this.#ended) return false;
    const frame = this.#frame;
    try {
      const n = this.#main.read(frame, SAMPLES_PER_FRAME);
      if (n < SAMPLES_PER_FRAME) frame.fill(0, n);
      const payload = this.#payload;
      const encode = this.#encode;
      if (this.#mix === null) {
        for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) payload[i] = encode(frame[i]!);
      } else {
        const extra = this.#mixFrame;
        const m = this.#mix.ended ? 0 : this.#mix.read(extra, SAMPLES_PER_FRAME);
        if (m < SAMPLES_PER_FRAME) extra.fill(0, m);
        // The encoder clamps the sum to 16 bits.
        for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) payload[i] = encode(frame[i]! + extra[i]!);
      }
      this.#session.sendRtp(
        this.#payloadType,
        timestamp,
        payload,
        this.framesSent === 0 || k !== this.#lastK + 1,
      );
      this.#lastK = k;
      this.framesSent += 1;
      this.#timeline.end = timestamp + SAMPLES_PER_FRAME;
      if (this.#main.ended) {
        this.#end('finished');
        return false;
      }
      return true;
    } catch (err) {
      this.#fail(err);
      return false;
    }
  };

  #end(how: PlaybackEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stopStream?.();
    this.#resolve(how);
  }

  #fail(err: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stopStream?.();
    this.#reject(err);
  }
}
