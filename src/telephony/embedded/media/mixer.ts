import { linearToAlaw, linearToUlaw, type G711Codec } from '../rtp/g711.js';
import {
  clampVolume,
  FULL_SCALE,
  Member,
  Playback,
  prune,
  type MixerMember,
  type MixerMemberOptions,
  type Overlay,
} from './mixer-member.js';
import { SAMPLES_PER_FRAME, type MediaPacer } from './pacer.js';
import type { TalkDetectorOptions } from './talk-detector.js';

/**
 * The conference mixer of the embedded engine (spec 3.17, issue 17): N
 * members on one 20 ms clock, each hearing the sum of all the others.
 *
 * Per frame: every member's input (G.711 A-law or µ-law, decoded to 16-bit
 * PCM) goes through its talk detector; the members whose gate is open and
 * who are not muted contribute their audio, scaled by volume_in, to one
 * total. Each member then hears total minus its own contribution, scaled by
 * volume_out, limited to 16 bits and encoded in its own codec: O(N) per
 * frame instead of summing N - 1 inputs for each of N listeners. A member
 * that contributes nothing and has volume_out 0 hears exactly the total, so
 * those members (the listeners, usually most of a room) share one encoding
 * per codec.
 *
 * Frames in and out go through a small interface: the RTP side calls
 * `member.receive(payload)` with each packet's payload (any ptime; samples
 * queue in a FIFO of up to 80 ms, the oldest dropped beyond that), and the
 * mixer calls the member's `send(payload, frame)` once per 20 ms frame with
 * 160 octets in the member's codec. `send` must not keep or change the
 * buffer past the call unless it copies it (RtpSession.sendRtp copies):
 * the buffers are reused from frame to frame, and members of one codec may
 * be handed the same one.
 *
 * Volume (spec 3.17: -4 to 4, 0 the default): FreeSWITCH mod_conference's
 * table (×1.3, ×2.3, ×3.3, ×4.3 up; ×0.8, ×0.6, ×0.4, ×0.2 down: +2.3 …
 * +12.7 dB, -1.9 … -14 dB; mixer-member.ts volumeGain). The spec names the
 * levels but not their gains; the cospace conference API mirrors
 * mod_conference's (mute, deaf, volume_in, volume_out, kick), FreeSWITCH
 * offers no other scale through it, and a level must sound the same on the
 * embedded engine and on the FreeSWITCH adapter.
 *
 * Clipping: a frame whose mixed peak exceeds 16 bits is scaled down as a
 * whole to full scale (a per-frame limiter) instead of being clipped sample
 * by sample, which would add harmonics to every voice in it.
 *
 * mute: the member's audio goes to nobody (its talk flag stays false: the
 * conference does not hear it talk). deaf: the member hears nothing of the
 * conference (prompts played to it alone still reach it).
 */

export {
  MAX_VOLUME,
  MIN_VOLUME,
  volumeGain,
  type MixerMember,
  type MixerMemberOptions,
  type MixState,
  type Overlay,
} from './mixer-member.js';

export interface MixerOptions {
  /** Runs the mixer on this clock while it has members; without one, call mix() yourself. */
  pacer?: MediaPacer;
  talk?: TalkDetectorOptions;
  /** The members whose talk or floor changed in a frame (called at most once per frame). */
  onActivity?: (changed: readonly MixerMember[]) => void;
  onError?: (err: unknown) => void;
}

/** 20 ms of silence in a codec (what a deaf member hears). */
function silenceFrame(codec: G711Codec): Buffer {
  return Buffer.alloc(SAMPLES_PER_FRAME, codec === 'PCMU' ? linearToUlaw(0) : linearToAlaw(0));
}

export class ConferenceMixer {
  readonly #opts: MixerOptions;
  #members: Member[] = [];
  readonly #total = new Int32Array(SAMPLES_PER_FRAME);
  readonly #scratch = new Float64Array(SAMPLES_PER_FRAME);
  readonly #diff = new Int32Array(SAMPLES_PER_FRAME);
  readonly #shared: Record<G711Codec, Buffer> = {
    PCMU: Buffer.alloc(SAMPLES_PER_FRAME),
    PCMA: Buffer.alloc(SAMPLES_PER_FRAME),
  };
  readonly #roomOverlays: Playback[] = [];
  readonly #silence: Record<G711Codec, Buffer> = { PCMU: silenceFrame('PCMU'), PCMA: silenceFrame('PCMA') };
  #unsubscribe: (() => void) | null = null;
  #frame = 0;
  #floor: Member | null = null;
  #closed = false;

  constructor(opts: MixerOptions = {}) {
    this.#opts = opts;
  }

  get size(): number {
    return this.#members.length;
  }

  get members(): readonly MixerMember[] {
    return this.#members;
  }

  join(opts: MixerMemberOptions): MixerMember {
    if (this.#closed) throw new Error('the mixer is closed');
    const m = new Member(
      this.#remove,
      opts.codec,
      opts.send,
      {
        mute: opts.mute ?? false,
        deaf: opts.deaf ?? false,
        volumeIn: clampVolume(opts.volumeIn ?? 0),
        volumeOut: clampVolume(opts.volumeOut ?? 0),
      },
      this.#opts.talk,
    );
    this.#members = [...this.#members, m];
    if (this.#opts.pacer && this.#unsubscribe === null) {
      this.#unsubscribe = this.#opts.pacer.subscribe((frame) => this.#tick(frame));
    }
    return m;
  }

  /** Plays 8 kHz PCM to every member (join and leave tones), deaf ones excepted. */
  playAll(pcm: Int16Array, opts: { loop?: boolean } = {}): Overlay {
    const p = new Playback(pcm, opts.loop ?? false);
    if (this.#closed) p.stop();
    else this.#roomOverlays.push(p);
    return p;
  }

  /** Removes every member and stops the clock. */
  close(): void {
    this.#closed = true;
    for (const m of this.#members) m.leave();
    for (const o of this.#roomOverlays) o.stop();
    this.#stopClock();
  }

  readonly #remove = (m: Member): void => {
    this.#members = this.#members.filter((x) => x !== m);
    if (this.#floor === m) this.#floor = null;
    if (this.#members.length === 0) this.#stopClock();
  };

  /** Mixes one 20 ms frame: every member gets its `send` call. */
  mix(frame = this.#frame + 1): void {
    this.#frame = frame;
    const members = this.#members;
    const total = this.#total;
    total.fill(0);
    let changed: Member[] | null = null;
    for (const m of members) {
      const power = m.pull();
      m.detector.process(power < 0 ? 0 : power);
      m.contributes = power >= 0 && !m.state.mute && m.detector.open;
      if (m.contributes) addScaled(m.frame, m.gainIn, m.contribution, total);
      const talk = !m.state.mute && m.detector.talk;
      if (talk !== m.talk) {
        m.talk = talk;
        (changed ??= []).push(m);
      }
    }
    changed = this.#assignFloor(changed);
    const room = this.#roomOverlays.length > 0 && prune(this.#roomOverlays);
    if (room) for (const o of this.#roomOverlays) o.addInto(total);

    let sharedU = false;
    let sharedA = false;
    for (const m of members) {
      const own = m.overlays.length > 0 && prune(m.overlays);
      let out: Buffer;
      if (m.state.deaf && !own) out = this.#silence[m.codec];
      else if (!m.contributes && m.gainOut === 1 && !own && !m.state.deaf) {
        // Hears exactly the total: one encoding per codec and frame for all such members.
        out = this.#shared[m.codec];
        if (m.codec === 'PCMU' ? !sharedU : !sharedA) {
          this.#encode(total, null, 1, null, m.encode, out);
          if (m.codec === 'PCMU') sharedU = true;
          else sharedA = true;
        }
      } else {
        out = m.out;
        this.#encode(
          m.state.deaf ? null : total,
          m.contributes && !m.state.deaf ? m.contribution : null,
          m.gainOut,
          own ? m.overlays : null,
          m.encode,
          out,
        );
      }
      try {
        m.send(out, frame);
      } catch (err) {
        this.#opts.onError?.(err);
      }
    }
    if (changed !== null) {
      try {
        this.#opts.onActivity?.(changed);
      } catch (err) {
        this.#opts.onError?.(err);
      }
    }
  }

  /**
   * The floor goes to the loudest talker (smoothed level); the holder keeps
   * it while it talks unless another talker is 3 dB (twice the power) louder,
   * so two people talking at a similar level do not toss it every frame.
   * Nobody holds it while nobody talks (spec 7.11: talk and floor go false
   * together in the conference_update example).
   */
  #assignFloor(changed: Member[] | null): Member[] | null {
    let loudest: Member | null = null;
    for (const m of this.#members) {
      if (m.talk && (loudest === null || m.detector.level > loudest.detector.level)) loudest = m;
    }
    const holder = this.#floor;
    let next = loudest;
    if (holder !== null && holder.talk && loudest !== null && loudest !== holder) {
      if (loudest.detector.level < 2 * holder.detector.level) next = holder;
    } else if (holder !== null && holder.talk) next = holder;
    if (next === holder) return changed;
    const out = changed ?? [];
    if (holder !== null) {
      holder.floor = false;
      if (!out.includes(holder)) out.push(holder);
    }
    if (next !== null) {
      next.floor = true;
      if (!out.includes(next)) out.push(next);
    }
    this.#floor = next;
    return out;
  }

  /** (total - own) * gain + overlays, limited to 16 bits, encoded into `out`. */
  #encode(
    total: Int32Array | null,
    own: Int32Array | null,
    gain: number,
    overlays: Playback[] | null,
    encode: Uint8Array,
    out: Buffer,
  ): void {
    if (gain === 1 && overlays === null && total !== null) {
      // The common case in integers: no gain, no prompt.
      // One pass in the common case: encode while looking for the peak; redo scaled only when it clipped.
      const diff = this.#diff;
      let peak = 0;
      if (own === null) {
        for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) {
          const v = total[i]!;
          out[i] = encode[v & 0xffff]!;
          const a = v < 0 ? -v : v;
          if (a > peak) peak = a;
        }
      } else {
        for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) {
          const v = total[i]! - own[i]!;
          out[i] = encode[v & 0xffff]!;
          const a = v < 0 ? -v : v;
          if (a > peak) peak = a;
        }
      }
      if (peak <= FULL_SCALE) return;
      const scale = FULL_SCALE / peak;
      for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) diff[i] = own === null ? total[i]! : total[i]! - own[i]!;
      for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) out[i] = encode[Math.round(diff[i]! * scale) & 0xffff]!;
      return;
    }
    const acc = this.#scratch;
    if (total === null) acc.fill(0);
    else if (own === null) for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) acc[i] = total[i]! * gain;
    else for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) acc[i] = (total[i]! - own[i]!) * gain;
    if (overlays !== null) for (const o of overlays) o.addInto(acc);
    let peak = 0;
    for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) {
      const a = acc[i]! < 0 ? -acc[i]! : acc[i]!;
      if (a > peak) peak = a;
    }
    const scale = peak > FULL_SCALE ? FULL_SCALE / peak : 1;
    for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) out[i] = encode[Math.round(acc[i]! * scale) & 0xffff]!;
  }

  readonly #tick = (frame: number): void => {
    try {
      this.mix(frame);
    } catch (err) {
      this.#opts.onError?.(err);
    }
  };

  #stopClock(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}

/** contribution = frame * gain (rounded), total += contribution. */
function addScaled(frame: Int16Array, gain: number, contribution: Int32Array, total: Int32Array): void {
  if (gain === 1) {
    for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) {
      const s = frame[i]!;
      contribution[i] = s;
      total[i]! += s;
    }
    return;
  }
  for (let i = 0; i < SAMPLES_PER_FRAME; i += 1) {
    const s = Math.round(frame[i]! * gain);
    contribution[i] = s;
    total[i]! += s;
  }
}
