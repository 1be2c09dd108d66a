/**
 * A least-recently-used cache bounded by the summed weight of its entries
 * (bytes, roughly), not by their count: one large compiled pattern weighs as
 * much as thousands of small ones, so a count bound lets a few heavy entries
 * take the heap (issue 14, item 1).
 */
export class SizedLru<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(readonly maxWeight: number) {
    if (!(maxWeight > 0)) throw new RangeError('maxWeight must be positive');
  }

  get size(): number {
    return this.map.size;
  }

  /** Summed weight of the entries held. */
  get weight(): number {
    return this.total;
  }

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (hit === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  /** Stores an entry; one heavier than the whole cache is not kept at all. */
  set(key: K, value: V, weight: number): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.total -= old.weight;
      this.map.delete(key);
    }
    if (weight > this.maxWeight) return;
    this.map.set(key, { value, weight });
    this.total += weight;
    for (const [k, e] of this.map) {
      if (this.total <= this.maxWeight) break;
      this.map.delete(k);
      this.total -= e.weight;
    }
  }

  delete(key: K): void {
    const old = this.map.get(key);
    if (old === undefined) return;
    this.total -= old.weight;
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }
}
