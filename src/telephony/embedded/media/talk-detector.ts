import { SAMPLES_PER_FRAME } from './pacer.js';

/**
 * Talk detection for conference members (spec 7.11 `talk`): frame energy
 * against a threshold, with an attack and a hangover.
 *
 * - A frame is "loud" when its mean power reaches `thresholdDbm0`. The
 *   default, -40 dBm0, sits well under active speech on a telephone line
 *   (about -20 to -25 dBm0, ITU-T P.56 active speech level) and well over the
 *   idle noise of a digital line (below -60 dBm0).
 * - `talk` starts after `attackFrames` loud frames in a row (default 2,
 *   40 ms): a single click or a DTMF edge does not make a member talk.
 * - `talk` ends after `hangoverFrames` quiet frames in a row (default 20,
 *   400 ms): the pauses between words do not flap it on and off, which
 *   would flood subscribers with conference_update events.
 *
 * The gate (`open`) decides whether a member's audio goes into the mix: it
 * opens on the first loud frame (no attack, so no syllable onset is cut)
 * and stays open as long as `talk` does. Members below it contribute
 * nothing, so the line noise of fifty listeners does not add up in the room.
 *
 * `level` is the frame power smoothed over about 100 ms (an exponential
 * average), the measure the mixer gives the floor by (the loudest talker).
 */
export interface TalkDetectorOptions {
  thresholdDbm0?: number;
  attackFrames?: number;
  hangoverFrames?: number;
}

export const DEFAULT_TALK_THRESHOLD_DBM0 = -40;
const DEFAULT_ATTACK_FRAMES = 2;
const DEFAULT_HANGOVER_FRAMES = 20;
/** Weight of the newest frame in `level`: about a 100 ms (5-frame) time constant. */
const LEVEL_ALPHA = 0.2;

/** Mean square of full-scale 16-bit audio is 32768^2; G.711's full-scale sine is +3.14 dBm0. */
const FULL_SCALE_POWER = 32768 * 32768;
const DBM0_AT_FULL_SCALE_POWER = 3.14;

/** Mean power (per sample) of a frame at `dbm0`; a sine of amplitude A has power A^2 / 2. */
export function dbm0ToPower(dbm0: number): number {
  return FULL_SCALE_POWER * 10 ** ((dbm0 - DBM0_AT_FULL_SCALE_POWER) / 10) * 0.5;
}

export function powerToDbm0(power: number): number {
  if (power <= 0) return -Infinity;
  return 10 * Math.log10((2 * power) / FULL_SCALE_POWER) + DBM0_AT_FULL_SCALE_POWER;
}

/** Mean power per sample of the first `n` samples. */
export function framePower(frame: Int16Array, n = SAMPLES_PER_FRAME): number {
  let sum = 0;
  for (let i = 0; i < n; i += 1) {
    const s = frame[i]!;
    sum += s * s;
  }
  return sum / n;
}

export class TalkDetector {
  readonly #threshold: number;
  readonly #attack: number;
  readonly #hangover: number;
  #loudRun = 0;
  #quietRun = 0;
  #talk = false;
  #open = false;
  #level = 0;

  constructor(opts: TalkDetectorOptions = {}) {
    this.#threshold = dbm0ToPower(opts.thresholdDbm0 ?? DEFAULT_TALK_THRESHOLD_DBM0);
    this.#attack = Math.max(1, opts.attackFrames ?? DEFAULT_ATTACK_FRAMES);
    this.#hangover = Math.max(1, opts.hangoverFrames ?? DEFAULT_HANGOVER_FRAMES);
  }

  /** Whether the member talks (after attack, until the hangover ran out). */
  get talk(): boolean {
    return this.#talk;
  }

  /** Whether this frame's audio goes into the mix. */
  get open(): boolean {
    return this.#open;
  }

  /** Smoothed frame power (linear, per sample). */
  get level(): number {
    return this.#level;
  }

  /** Takes the power of the next 20 ms frame (0 for a frame that did not arrive). */
  process(power: number): void {
    this.#level += LEVEL_ALPHA * (power - this.#level);
    if (power >= this.#threshold) {
      this.#loudRun += 1;
      this.#quietRun = 0;
      if (this.#loudRun >= this.#attack) this.#talk = true;
      this.#open = true;
      return;
    }
    this.#loudRun = 0;
    this.#quietRun += 1;
    if (this.#talk && this.#quietRun >= this.#hangover) this.#talk = false;
    this.#open = this.#talk;
  }
}
