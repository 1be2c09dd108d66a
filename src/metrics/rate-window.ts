/**
 * Counts occurrences over a sliding window of whole seconds, for a "per
 * second now" gauge (calls per second) that a scrape every 15 s would
 * otherwise only see as a counter's slope. One slot per second: O(window)
 * memory whatever the rate; the clock is passed in so tests drive it.
 */
export class RateWindow {
  private readonly slots: number[];
  private readonly stamps: number[];

  constructor(
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isSafeInteger(windowSeconds) || windowSeconds < 1)
      throw new RangeError('windowSeconds must be a positive integer');
    this.slots = new Array<number>(windowSeconds).fill(0);
    this.stamps = new Array<number>(windowSeconds).fill(-1);
  }

  /** Records `n` occurrences now. */
  add(n = 1): void {
    const second = Math.floor(this.now() / 1000);
    const i = second % this.windowSeconds;
    if (this.stamps[i] !== second) {
      this.stamps[i] = second;
      this.slots[i] = 0;
    }
    this.slots[i] = (this.slots[i] ?? 0) + n;
  }

  /** Occurrences per second over the last `windowSeconds` whole seconds (the current one included). */
  perSecond(): number {
    const second = Math.floor(this.now() / 1000);
    let total = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const stamp = this.stamps[i] ?? -1;
      if (stamp > second - this.windowSeconds && stamp <= second) total += this.slots[i] ?? 0;
    }
    return total / this.windowSeconds;
  }
}
