import type { Redis } from 'ioredis';

/**
 * Wakes long-polls and streams when a session's stream grows. One subscriber
 * connection per process listens on the event log's notify channel (every
 * append publishes the sid), so an event produced on any node wakes the
 * waiting request on this node at once: no polling loop.
 */
export class EventWaiter {
  private subscriber: Redis | null = null;
  private ready: Promise<void> | null = null;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
  ) {}

  private start(): Promise<void> {
    if (!this.ready) {
      const sub = this.redis.duplicate();
      sub.on('error', () => undefined);
      sub.on('message', (_channel: string, sid: string) => {
        const set = this.waiters.get(sid);
        if (set) for (const wake of [...set]) wake();
      });
      this.subscriber = sub;
      this.ready = sub.subscribe(this.channel).then(() => undefined);
    }
    return this.ready;
  }

  /**
   * Registers interest in a session's stream. `wake` is called on every append
   * until `cancel()`; register before reading, so no append is missed between
   * the read and the wait.
   */
  async watch(sid: string, wake: () => void): Promise<() => void> {
    await this.start();
    let set = this.waiters.get(sid);
    if (!set) {
      set = new Set();
      this.waiters.set(sid, set);
    }
    set.add(wake);
    return () => {
      const s = this.waiters.get(sid);
      if (!s) return;
      s.delete(wake);
      if (s.size === 0) this.waiters.delete(sid);
    };
  }

  /** Number of requests currently waiting (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const s of this.waiters.values()) n += s.size;
    return n;
  }

  async close(): Promise<void> {
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
    this.waiters.clear();
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
      this.ready = null;
    }
  }
}
