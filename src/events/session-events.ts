import type { EventLog } from './event-log.js';
import { parseEvent, type RawEvent } from './raw-event.js';
import type { ApiEvent } from './types.js';
import type { EventWaiter } from './waiter.js';

/**
 * What a poll needs of an abort signal: an AbortSignal fits; the long-poll
 * route passes a lighter one (api/routes/event.ts ClientGone), since an
 * AbortController per request was a measurable share of a delivery.
 */
export interface PollSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A PollSignal for one poll at a time (one listener), aborted with abort(). */
export class PollAbort implements PollSignal {
  aborted = false;
  private listener: (() => void) | null = null;

  abort(): void {
    this.aborted = true;
    const l = this.listener;
    this.listener = null;
    l?.();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listener = listener;
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    if (this.listener === listener) this.listener = null;
  }
}

/**
 * Reading a session's event stream: the long-poll of spec 3.27 and the
 * SSE/WebSocket streams share this code, so all three see the same ids.
 */
export class SessionEvents {
  constructor(
    private readonly log: EventLog,
    readonly waiter: EventWaiter,
    /** Told which cursor a client confirmed and which it was handed (partner CDR acknowledgement). */
    private readonly onCursor: (sid: string, confirmed: number, handedOut?: number) => Promise<void>,
  ) {}

  /**
   * Events with id >= next; waits up to timeoutMs for the first one. Returns
   * an empty list on timeout or when `signal` aborts (client went away).
   * `cursor`: tell onCursor what the client confirmed and was handed; only
   * a session that may hold partner CDRs needs it (a round trip per answer).
   */
  async poll(
    sid: string,
    next: number,
    timeoutMs: number,
    signal?: PollSignal,
    cursor = true,
  ): Promise<ApiEvent[]> {
    return (await this.pollRaw(sid, next, timeoutMs, signal, cursor)).map(parseEvent);
  }

  /**
   * poll() with the events as stored (raw-event.ts): what the long-poll
   * answer is made of.
   */
  pollRaw(
    sid: string,
    next: number,
    timeoutMs: number,
    signal?: PollSignal,
    cursor = true,
  ): Promise<RawEvent[]> {
    return new Promise((resolve, reject) => {
      this.pollInto(sid, next, timeoutMs, signal, cursor, (err, events) =>
        err === null ? resolve(events) : reject(err),
      );
    });
  }

  /**
   * pollRaw() answering a callback (the long-poll route: no promise and no
   * async frame kept per parked poll). A session this process follows in
   * memory (the common case of a client polling on) is answered or parked
   * without Redis and without the general loop's promise per step.
   */
  pollInto(
    sid: string,
    next: number,
    timeoutMs: number,
    signal: PollSignal | undefined,
    cursor: boolean,
    done: PollDone,
  ): void {
    if (!cursor && !signal?.aborted) {
      const cached = this.waiter.cached(sid, next);
      if (cached !== null) {
        if (cached.length > 0 || timeoutMs <= 0) return done(null, cached);
        new ParkedPoll(this, sid, next, timeoutMs, signal, done);
        return;
      }
    }
    this.pollLoop(sid, next, timeoutMs, signal, cursor).then(
      (events) => done(null, events),
      (err: unknown) => done(asError(err), []),
    );
  }

  /** The general loop for what is left of a parked poll once memory let go of the stream. */
  resume(
    sid: string,
    next: number,
    timeLeftMs: number,
    signal: PollSignal | undefined,
    done: PollDone,
  ): void {
    this.pollLoop(sid, next, timeLeftMs, signal, false).then(
      (events) => done(null, events),
      (err: unknown) => done(asError(err), []),
    );
  }

  /** The general poll: reads Redis when memory does not know the stream. */
  private async pollLoop(
    sid: string,
    next: number,
    timeoutMs: number,
    signal: PollSignal | undefined,
    cursor: boolean,
  ): Promise<RawEvent[]> {
    let wake: () => void = () => undefined;
    let woken = false;
    const cancel = await this.waiter.watch(sid, () => {
      woken = true;
      wake();
    });
    try {
      const deadline = Date.now() + timeoutMs;
      for (let round = 0; ; round++) {
        woken = false;
        // What this process followed of the stream in memory, if it did; else a read.
        // Confirming `next` and the first read are independent: one round trip, not two.
        const cached = this.waiter.cached(sid, next);
        const events =
          round === 0 && cursor
            ? (await Promise.all([cached ?? this.log.readRaw(sid, next), this.onCursor(sid, next)]))[0]
            : (cached ?? (await this.log.readRaw(sid, next)));
        if (events.length > 0) {
          const after = events[events.length - 1]!.id + 1;
          if (cursor) await this.onCursor(sid, next, after);
          // `woken`: an append was heard of after the read went out.
          if (!cached && !woken) this.waiter.remember(sid, after);
          return events;
        }
        const left = deadline - Date.now();
        if (left <= 0 || signal?.aborted) {
          if (!cached && !woken && !signal?.aborted) this.waiter.remember(sid, next);
          return [];
        }
        if (woken) continue; // an append raced with the read
        if (!cached) this.waiter.remember(sid, next);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          const done = (): void => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          wake = done;
          signal?.addEventListener('abort', done, { once: true });
        });
        wake = () => undefined;
      }
    } finally {
      cancel();
    }
  }

  /**
   * Streams events from `next` on until `signal` aborts. `send` writes a batch
   * and resolves when written; `keepalive` is called when idle for keepaliveMs.
   */
  async stream(
    sid: string,
    next: number,
    send: (events: ApiEvent[]) => Promise<void>,
    signal: PollSignal,
    keepalive: () => void,
    confirms = true,
    keepaliveMs = 15_000,
  ): Promise<void> {
    let cursor = next;
    while (!signal.aborted) {
      const events = await this.poll(sid, cursor, keepaliveMs, signal, confirms);
      if (signal.aborted) return;
      if (events.length === 0) {
        keepalive();
        continue;
      }
      await send(events);
      cursor = (events[events.length - 1] as ApiEvent).id + 1;
    }
  }
}

/** What a failed read threw, as an Error. */
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error('reading the event stream failed', { cause: err });
}

/** How a poll answers: an error (null when none) and the events, possibly none. */
export type PollDone = (err: Error | null, events: RawEvent[]) => void;

/**
 * A poll parked on a session followed in memory: each wake-up looks at
 * memory again, and answers when it holds events; when memory has let go
 * of the stream (a notice out of sequence, a lost connection) the general
 * loop takes over for the time left.
 */
class ParkedPoll {
  private readonly timer: NodeJS.Timeout;
  private readonly deadline: number;
  private finished = false;

  constructor(
    private readonly reader: SessionEvents,
    private readonly sid: string,
    private readonly next: number,
    timeoutMs: number,
    private readonly signal: PollSignal | undefined,
    private readonly done: PollDone,
  ) {
    this.deadline = Date.now() + timeoutMs;
    reader.waiter.watchNow(sid, this.wake);
    // The timer's wake says so: a timer may fire a little before Date.now() reaches the deadline,
    // and the poll must end then (nothing else would wake it).
    this.timer = setTimeout(this.wake, timeoutMs, true);
    signal?.addEventListener('abort', this.wake, { once: true });
  }

  private readonly wake = (timedOut?: unknown): void => {
    if (this.finished) return;
    const left = this.deadline - Date.now();
    const ending = timedOut === true || left <= 0;
    if (this.signal?.aborted) return this.finish([]);
    const cached = this.reader.waiter.cached(this.sid, this.next);
    if (cached === null) {
      this.finish(null);
      return this.reader.resume(this.sid, this.next, ending ? 0 : left, this.signal, this.done);
    }
    if (cached.length > 0 || ending) this.finish(cached);
    // Else woken with nothing new for this cursor: wait on, the timer still set for the deadline.
  };

  /** Stops waiting; answers with `events` unless null (the general loop answers then). */
  private finish(events: RawEvent[] | null): void {
    this.finished = true;
    clearTimeout(this.timer);
    this.reader.waiter.unwatch(this.sid, this.wake);
    this.signal?.removeEventListener('abort', this.wake);
    if (events !== null) this.done(null, events);
  }
}
