import type { EventLog } from './event-log.js';
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

/**
 * Reading a session's event stream: the long-poll of spec 3.27 and the
 * SSE/WebSocket streams share this code, so all three see the same ids.
 */
export class SessionEvents {
  constructor(
    private readonly log: EventLog,
    private readonly waiter: EventWaiter,
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
        // Confirming `next` and the first read are independent: one round trip, not two.
        // A client polling on from what this process last handed it, with no append
        // heard of since, needs no read before it waits.
        const events =
          round === 0 && cursor
            ? (await Promise.all([this.log.read(sid, next), this.onCursor(sid, next)]))[0]
            : round === 0 && this.waiter.unchanged(sid, next)
              ? []
              : await this.log.read(sid, next);
        if (events.length > 0) {
          const after = (events[events.length - 1] as ApiEvent).id + 1;
          if (cursor) await this.onCursor(sid, next, after);
          // `woken`: an append was heard of after the read went out.
          if (!woken) this.waiter.remember(sid, after);
          return events;
        }
        const left = deadline - Date.now();
        if (left <= 0 || signal?.aborted) {
          if (!woken && !signal?.aborted) this.waiter.remember(sid, next);
          return [];
        }
        if (woken) continue; // an append raced with the read
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
