import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear, type G711Codec } from '../rtp/g711.js';
import { SAMPLES_PER_FRAME } from './pacer.js';
import { TalkDetector, type TalkDetectorOptions } from './talk-detector.js';

/**
 * One member of the conference mixer (mixer.ts): its input FIFO, talk
 * detector, volume gains and prompts; and the volume scale of spec 3.17.
 */

/** Volume levels of spec 3.17. */
export const MIN_VOLUME = -4;
export const MAX_VOLUME = 4;

/**
 * The linear gain of a volume level: FreeSWITCH mod_conference's scale
 * (switch_change_sln_volume: 1.3, 2.3, 3.3, 4.3 up, 0.8, 0.6, 0.4, 0.2
 * down, i.e. +2.3, +7.2, +10.4, +12.7 / -1.9, -4.4, -8.0, -14.0 dB), the
 * scale cospace's conference levels come from, so a level sounds the same
 * on either adapter.
 */
const UP = [1.3, 2.3, 3.3, 4.3];
const DOWN = [0.8, 0.6, 0.4, 0.2];
export function volumeGain(level: number): number {
  const l = Math.max(MIN_VOLUME, Math.min(MAX_VOLUME, Math.trunc(level)));
  if (l === 0) return 1;
  return (l > 0 ? UP : DOWN)[Math.abs(l) - 1]!;
}

/** G.711 through lookup tables of this module: 256 entries to decode, 64 Ki (by the sample's 16 bits) to encode. */
const DECODE: Record<G711Codec, Int16Array> = {
  PCMU: Int16Array.from({ length: 256 }, (_, c) => ulawToLinear(c)),
  PCMA: Int16Array.from({ length: 256 }, (_, c) => alawToLinear(c)),
};
const ENCODE: Record<G711Codec, Uint8Array> = {
  PCMU: Uint8Array.from({ length: 0x10000 }, (_, i) => linearToUlaw((i << 16) >> 16)),
  PCMA: Uint8Array.from({ length: 0x10000 }, (_, i) => linearToAlaw((i << 16) >> 16)),
};

const FIFO_FRAMES = 4;
const FIFO_SAMPLES = FIFO_FRAMES * SAMPLES_PER_FRAME;
export const FULL_SCALE = 32767;

export interface MixState {
  mute: boolean;
  deaf: boolean;
  volumeIn: number;
  volumeOut: number;
}

export interface MixerMemberOptions extends Partial<MixState> {
  codec: G711Codec;
  /** What the member hears in frame `frame`: 160 octets of G.711 in its codec. */
  send: (payload: Buffer, frame: number) => void;
}

/** A playback mixed into what one member (or the whole room) hears. */
export interface Overlay {
  /** Stops it; idempotent. */
  stop(): void;
  /** Resolves when it played out or was stopped. */
  readonly done: Promise<void>;
}

/** One member's side of the mixer. */
export interface MixerMember {
  readonly codec: G711Codec;
  readonly state: Readonly<MixState>;
  /** The member talks (after attack, with hangover; false while muted). */
  readonly talk: boolean;
  /** The member is the loudest talker of the room. */
  readonly floor: boolean;
  /** A G.711 payload the member sent, in its codec. */
  receive(payload: Uint8Array): void;
  update(changes: Partial<MixState>): void;
  /** Plays 8 kHz PCM to this member only (prompts, hold music), mixed over what it hears. */
  play(pcm: Int16Array, opts?: { loop?: boolean }): Overlay;
  leave(): void;
}

export class Playback implements Overlay {
  #pos = 0;
  #stopped = false;
  #resolve!: () => void;
  readonly done = new Promise<void>((resolve) => {
    this.#resolve = resolve;
  });

  constructor(
    private readonly pcm: Int16Array,
    private readonly loop: boolean,
  ) {
    if (pcm.length === 0) this.stop();
  }

  get ended(): boolean {
    return this.#stopped;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#resolve();
  }

  /** Adds the next frame into `acc`. */
  addInto(acc: Int32Array | Float64Array): void {
    const pcm = this.pcm;
    for (let i = 0; i < SAMPLES_PER_FRAME && !this.#stopped; i += 1) {
      acc[i]! += pcm[this.#pos]!;
      this.#pos += 1;
      if (this.#pos >= pcm.length) {
        if (this.loop) this.#pos = 0;
        else this.stop();
      }
    }
  }
}

/** Drops the ended ones; answers whether any is left. */
export function prune(list: Playback[]): boolean {
  for (let i = list.length - 1; i >= 0; i -= 1) if (list[i]!.ended) list.splice(i, 1);
  return list.length > 0;
}

export class Member implements MixerMember {
  readonly state: MixState;
  readonly detector: TalkDetector;
  /** FIFO of received samples. */
  readonly fifo = new Int16Array(FIFO_SAMPLES);
  fifoStart = 0;
  fifoCount = 0;
  /** This frame's input and what it put into the total. */
  readonly frame = new Int16Array(SAMPLES_PER_FRAME);
  readonly contribution = new Int32Array(SAMPLES_PER_FRAME);
  contributes = false;
  gainIn = 1;
  gainOut = 1;
  talk = false;
  floor = false;
  left = false;
  readonly overlays: Playback[] = [];
  readonly decode: Int16Array;
  readonly encode: Uint8Array;
  /** What the member hears, reused every frame. */
  readonly out = Buffer.alloc(SAMPLES_PER_FRAME);

  constructor(
    private readonly onLeave: (m: Member) => void,
    readonly codec: G711Codec,
    readonly send: (payload: Buffer, frame: number) => void,
    state: MixState,
    talk: TalkDetectorOptions | undefined,
  ) {
    this.state = { ...state };
    this.detector = new TalkDetector(talk);
    this.decode = DECODE[codec];
    this.encode = ENCODE[codec];
    this.#gains();
  }

  receive(payload: Uint8Array): void {
    if (this.left) return;
    const fifo = this.fifo;
    const decode = this.decode;
    let n = payload.length;
    let from = 0;
    if (n > FIFO_SAMPLES) {
      // More than the FIFO holds: only the newest samples count.
      from = n - FIFO_SAMPLES;
      n = FIFO_SAMPLES;
    }
    const overflow = this.fifoCount + n - FIFO_SAMPLES;
    if (overflow > 0) {
      // Full: the oldest samples go, keeping the delay bounded.
      this.fifoStart = (this.fifoStart + overflow) % FIFO_SAMPLES;
      this.fifoCount -= overflow;
    }
    let w = (this.fifoStart + this.fifoCount) % FIFO_SAMPLES;
    for (let i = from; i < from + n; i += 1) {
      fifo[w] = decode[payload[i]!]!;
      w = w + 1 === FIFO_SAMPLES ? 0 : w + 1;
    }
    this.fifoCount += n;
  }

  /**
   * Moves the next 20 ms into `frame` and answers its mean power (per
   * sample); -1 when less than a frame is queued (a gap: silence).
   */
  pull(): number {
    if (this.fifoCount < SAMPLES_PER_FRAME) return -1;
    const fifo = this.fifo;
    const frame = this.frame;
    let p = this.fifoStart;
    let sum = 0;
    for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) {
      const v = fifo[p]!;
      frame[i] = v;
      sum += v * v;
      p = p + 1 === FIFO_SAMPLES ? 0 : p + 1;
    }
    this.fifoStart = p;
    this.fifoCount -= SAMPLES_PER_FRAME;
    return sum / SAMPLES_PER_FRAME;
  }

  update(changes: Partial<MixState>): void {
    if (changes.mute !== undefined) this.state.mute = changes.mute;
    if (changes.deaf !== undefined) this.state.deaf = changes.deaf;
    if (changes.volumeIn !== undefined) this.state.volumeIn = clampVolume(changes.volumeIn);
    if (changes.volumeOut !== undefined) this.state.volumeOut = clampVolume(changes.volumeOut);
    this.#gains();
  }

  play(pcm: Int16Array, opts: { loop?: boolean } = {}): Overlay {
    const p = new Playback(pcm, opts.loop ?? false);
    if (this.left) p.stop();
    else this.overlays.push(p);
    return p;
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    for (const o of this.overlays) o.stop();
    this.onLeave(this);
  }

  #gains(): void {
    this.gainIn = volumeGain(this.state.volumeIn);
    this.gainOut = volumeGain(this.state.volumeOut);
  }
}

export function clampVolume(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.max(MIN_VOLUME, Math.min(MAX_VOLUME, Math.round(v)));
}
