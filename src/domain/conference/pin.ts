/**
 * Conference PINs (spec 3.17 `pin`: `^[0-9]{4}$`, unique among one user's
 * conferences) and the PIN dialog of a dial-in call: the caller keys four
 * digits; a wrong PIN is announced and asked again, up to three tries in
 * all, then the call ends.
 */

export const PIN_LENGTH = 4;
export const PIN_TRIES = 3;

export function isConferencePin(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9]{4}$/.test(v);
}

/** What the caller's side does next. */
export type PinStep =
  /** Keep collecting digits. */
  | { kind: 'collect' }
  /** Four digits were keyed: look the PIN up, then call `found()` / `notFound()`. */
  | { kind: 'check'; pin: string }
  /** Join the conference. */
  | { kind: 'join' }
  /** The conference exists but is not active: play the inactive prompt, hang up. */
  | { kind: 'inactive' }
  /** Wrong PIN (or none in time): play wrong-pin, then enter-pin again. */
  | { kind: 'retry'; triesLeft: number }
  /** The last try failed: play wrong-pin, hang up. */
  | { kind: 'give-up' };

/**
 * The PIN dialog's state machine, pure and clock-free: the caller feeds
 * digits, timeouts and the lookup's result. `*` clears what was keyed;
 * `#` ends a short entry early (it then counts as a wrong PIN).
 */
export class PinDialog {
  #digits = '';
  #failures = 0;
  #checking = false;

  constructor(private readonly tries = PIN_TRIES) {}

  get failures(): number {
    return this.#failures;
  }

  digit(d: string): PinStep {
    if (this.#checking) return { kind: 'collect' };
    if (d === '*') {
      this.#digits = '';
      return { kind: 'collect' };
    }
    if (d === '#') return this.#digits === '' ? { kind: 'collect' } : this.#wrong();
    if (!/^[0-9]$/.test(d)) return { kind: 'collect' };
    this.#digits += d;
    if (this.#digits.length < PIN_LENGTH) return { kind: 'collect' };
    this.#checking = true;
    return { kind: 'check', pin: this.#digits };
  }

  /** No (complete) PIN within the caller's time: counts as a wrong try. */
  timeout(): PinStep {
    return this.#checking ? { kind: 'collect' } : this.#wrong();
  }

  /** The lookup found an active conference with the PIN (`active: false`: inactive). */
  found(active: boolean): PinStep {
    this.#checking = false;
    this.#digits = '';
    return active ? { kind: 'join' } : { kind: 'inactive' };
  }

  notFound(): PinStep {
    this.#checking = false;
    return this.#wrong();
  }

  #wrong(): PinStep {
    this.#digits = '';
    this.#failures += 1;
    const left = this.tries - this.#failures;
    return left > 0 ? { kind: 'retry', triesLeft: left } : { kind: 'give-up' };
  }
}
