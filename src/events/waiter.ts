import type { Redis } from 'ioredis';

/** Sessions remembered as unchanged (see EventWaiter.remember); beyond that the memory starts afresh. */
const KNOWN_MAX = 100_000;

/**
 * Wakes long-polls and streams when a session's stream grows. One subscriber
 * connection per process listens on the event log's notify channel (every
 * append publishes the sids it appended to), so an event produced on any
 * node wakes the waiting request on this node at once: no polling loop.
 */
export class EventWaiter {
  private subscriber: Redis | null = null;
  private ready: Promise<void> | null = null;
  private readonly waiters = new Map<string, Set<() => void>>();
  /**
   * Sessions whose stream this process has read up to a `next`, with no
   * append heard of since: a poll from that `next` need not read again
   * before it waits. Every notify forgets its sessions; a lost subscriber
   * connection forgets them all (messages may have been missed).
   */
  private readonly known = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
  ) {}

  private start(): Promise<void> {
    if (!this.ready) {
      const sub = this.redis.duplicate();
      sub.on('error', () => undefined);
      // A message names the sessions of one append, space-separated.
      sub.on('message', (_channel: string, sids: string) => {
        for (const sid of sids.split(' ')) {
          this.known.delete(sid);
          const set = this.waiters.get(sid);
          if (set) for (const wake of [...set]) wake();
        }
      });
      // Appends while the connection was down were not heard: read everything again.
      sub.on('close', () => this.known.clear());
      let connected = false;
      sub.on('ready', () => {
        this.known.clear();
        if (connected) for (const set of this.waiters.values()) for (const wake of [...set]) wake();
        connected = true;
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

  /**
   * Notes that `sid`'s stream was read up to `next` and no append was heard
   * of since the read was sent. Call it while still watching the session,
   * in the same synchronous step as the watch's cancel, so that no notify
   * falls between them.
   */
  remember(sid: string, next: number): void {
    if (this.known.size >= KNOWN_MAX) this.known.clear();
    this.known.set(sid, next);
  }

  /** True when a read of `sid` from `next` would find nothing new (remember()). */
  unchanged(sid: string, next: number): boolean {
    return this.known.get(sid) === next;
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
    this.known.clear();
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
      this.ready = null;
    }
  }
}
