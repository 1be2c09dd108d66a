import type { Redis } from 'ioredis';
import type { RawEvent } from './raw-event.js';

/** Sessions whose stream this process follows in memory (see EventWaiter.remember). */
const KNOWN_MAX = 100_000;
/** Events kept in memory for one session before it is read from Redis again. */
const KNOWN_EVENTS_MAX = 64;
/** Bytes of event text kept in memory in all; past it the least recently polled sessions go. */
const KNOWN_BYTES_MAX = 32 * 1024 * 1024;

/**
 * What this process knows of a session's stream from `base` on: exactly
 * `events` (ids base, base+1, …), as of the last notice it heard.
 */
interface Known {
  base: number;
  events: RawEvent[];
  bytes: number;
  /** When it was last polled (a counter), for the byte budget. */
  used: number;
}

/**
 * Wakes long-polls and streams when a session's stream grows. One subscriber
 * connection per process listens on the event log's notify channel (every
 * append publishes what it appended: event-log.ts), so an event produced on
 * any node wakes the waiting request on this node at once: no polling loop.
 */
export class EventWaiter {
  private subscriber: Redis | null = null;
  private ready: Promise<void> | null = null;
  /** Per session its one waiting request's wake, or a set when several wait (the common case is one). */
  private readonly waiters = new Map<string, Wake | Set<Wake>>();
  /**
   * Sessions whose stream this process has read up to a `next`, followed
   * since by the notices of what was appended: a poll from there is
   * answered from memory (`cached`), without reading Redis. A notice out of
   * sequence, a session's backlog past KNOWN_EVENTS_MAX, or a lost
   * subscriber connection (notices may have been missed) forgets sessions.
   */
  private readonly known = new Map<string, Known>();
  private knownBytes = 0;
  private uses = 0;
  /** Subscribed, and the connection has not dropped since: notices are being heard. */
  private live = false;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
  ) {}

  /** A notice from the channel (format: event-log.ts): follow the sessions' streams and wake their polls. */
  private heard(notice: string): void {
    const nl = notice.indexOf('\n');
    if (nl < 0) {
      for (const sid of notice.split(' ')) this.appended(sid, -1, '');
      return;
    }
    const head = notice.slice(0, nl).split(' ');
    const bodies = notice.slice(nl + 1).split('\n');
    for (let i = 0; i + 2 < head.length; i += 3) {
      this.appended(head[i]!, Number(head[i + 1]), bodies[Number(head[i + 2]) - 1] ?? '');
    }
  }

  /**
   * What this process appended itself (event-log.ts onAppended), known
   * before its notice comes round; the notice then repeats it.
   */
  appendedHere(entries: ReadonlyArray<{ sid: string; body: string }>, ids: readonly number[]): void {
    // Memory at once (a poll arriving now sees the events); the parked polls are woken after the
    // appender has gone on, so that a request fanning out to 1,000 sessions is not answered last.
    for (let i = 0; i < entries.length; i++) this.appended(entries[i]!.sid, ids[i]!, entries[i]!.body, true);
  }

  /** Sessions to wake once the current callback is done (appendedHere). */
  private toWake: Set<string> | null = null;

  private wakeLater(sid: string): void {
    if (!this.toWake) {
      const sids = new Set<string>();
      this.toWake = sids;
      setImmediate(() => {
        this.toWake = null;
        for (const s of sids) {
          const waiting = this.waiters.get(s);
          if (waiting !== undefined) wakeAll(waiting);
        }
      });
    }
    this.toWake.add(sid);
  }

  /** Event `id` (-1: unknown) with text `body` was appended to `sid`'s stream. */
  private appended(sid: string, id: number, body: string, later = false): void {
    const k = this.known.get(sid);
    if (k) {
      // Known already (this process's own append, or a read that raced with the notice): nothing new.
      if (id >= 0 && id < k.base + k.events.length) return;
      if (id >= 0 && body !== '' && id === k.base + k.events.length && k.events.length < KNOWN_EVENTS_MAX) {
        k.events.push({ id, body });
        k.bytes += body.length;
        this.knownBytes += body.length;
        if (this.knownBytes > KNOWN_BYTES_MAX) this.shed();
      } else {
        this.forget(sid, k);
      }
    }
    if (later) return this.wakeLater(sid);
    const waiting = this.waiters.get(sid);
    if (waiting !== undefined) wakeAll(waiting);
  }

  private forget(sid: string, k: Known): void {
    this.known.delete(sid);
    this.knownBytes -= k.bytes;
  }

  private forgetAll(): void {
    this.known.clear();
    this.knownBytes = 0;
  }

  /** Drops the least recently polled sessions until the kept events fit the budget again. */
  private shed(): void {
    const byUse = [...this.known].sort((a, b) => a[1].used - b[1].used);
    for (const [sid, k] of byUse) {
      if (this.knownBytes <= KNOWN_BYTES_MAX / 2) break;
      this.forget(sid, k);
    }
  }

  private start(): Promise<void> {
    if (!this.ready) {
      const sub = this.redis.duplicate();
      sub.on('error', () => undefined);
      sub.on('message', (_channel: string, notice: string) => this.heard(notice));
      // Appends while the connection was down were not heard: follow nothing in memory
      // until the subscription is back, then read everything again.
      sub.on('close', () => {
        this.live = false;
        this.forgetAll();
      });
      let connections = 0;
      sub.on('ready', () => {
        if (connections++ === 0) return; // the first: the subscribe() below is on its way
        this.forgetAll();
        // ioredis subscribes again after 'ready'; this one answers once that is in place.
        sub.subscribe(this.channel).then(
          () => {
            if (this.subscriber !== sub) return;
            this.live = true;
            this.forgetAll();
            for (const waiting of [...this.waiters.values()]) wakeAll(waiting);
          },
          () => undefined,
        );
      });
      this.subscriber = sub;
      this.ready = sub.subscribe(this.channel).then(() => {
        this.live = true;
      });
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
    this.watchNow(sid, wake);
    return () => this.unwatch(sid, wake);
  }

  /**
   * Notes that `sid`'s stream was read up to `next` and no append was heard
   * of since the read was sent: from here on the process follows it in
   * memory. Call it while still watching the session, in the same
   * synchronous step as the watch's cancel, so that no notice falls
   * between them.
   */
  remember(sid: string, next: number): void {
    if (!this.live) return; // notices may be going unheard: nothing can be followed

    const old = this.known.get(sid);
    if (old) this.forget(sid, old);
    else if (this.known.size >= KNOWN_MAX) this.forgetAll();
    this.known.set(sid, { base: next, events: [], bytes: 0, used: ++this.uses });
  }

  /**
   * What a read of `sid` from `next` would find, when this process knows it
   * (remember()): the events from `next` on, possibly none; null when only
   * Redis knows. Events before `next` (the client has them) are dropped.
   */
  cached(sid: string, next: number): RawEvent[] | null {
    const k = this.known.get(sid);
    if (!k || next < k.base || next > k.base + k.events.length) return null;
    if (next > k.base) {
      const gone = k.events.splice(0, next - k.base);
      k.base = next;
      for (const e of gone) {
        k.bytes -= e.body.length;
        this.knownBytes -= e.body.length;
      }
    }
    k.used = ++this.uses;
    return k.events.slice();
  }

  /**
   * watch() for a caller that knows the subscription is in place (it was
   * followed in memory: cached() answered), registered at once: no notice
   * can fall between its look at memory and the registration. Ended by
   * unwatch() with the same `wake`.
   */
  watchNow(sid: string, wake: Wake): void {
    const had = this.waiters.get(sid);
    if (had === undefined) this.waiters.set(sid, wake);
    else if (typeof had === 'function') this.waiters.set(sid, new Set([had, wake]));
    else had.add(wake);
  }

  /** Ends a watchNow() registration of `wake`. */
  unwatch(sid: string, wake: Wake): void {
    const had = this.waiters.get(sid);
    if (had === wake) this.waiters.delete(sid);
    else if (had !== undefined && typeof had !== 'function') {
      had.delete(wake);
      if (had.size === 0) this.waiters.delete(sid);
    }
  }

  /** Number of requests currently waiting (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const w of this.waiters.values()) n += typeof w === 'function' ? 1 : w.size;
    return n;
  }

  async close(): Promise<void> {
    for (const waiting of [...this.waiters.values()]) wakeAll(waiting);
    this.waiters.clear();
    this.forgetAll();
    this.live = false;
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
      this.ready = null;
    }
  }
}

type Wake = () => void;

/** Calls one wake or every wake of a set; a wake may leave the set while this runs. */
function wakeAll(waiting: Wake | Set<Wake>): void {
  if (typeof waiting === 'function') return waiting();
  for (const wake of [...waiting]) wake();
}
