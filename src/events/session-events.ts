import type { EventLog } from './event-log.js';
import type { ApiEvent } from './types.js';
import type { EventWaiter } from './waiter.js';

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
   */
  async poll(sid: string, next: number, timeoutMs: number, signal?: AbortSignal): Promise<ApiEvent[]> {
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
        const events =
          round === 0
            ? (await Promise.all([this.log.read(sid, next), this.onCursor(sid, next)]))[0]
            : await this.log.read(sid, next);
        if (events.length > 0) {
          await this.onCursor(sid, next, (events[events.length - 1] as ApiEvent).id + 1);
          return events;
        }
        const left = deadline - Date.now();
        if (left <= 0 || signal?.aborted) return [];
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
    signal: AbortSignal,
    keepalive: () => void,
    keepaliveMs = 15_000,
  ): Promise<void> {
    let cursor = next;
    while (!signal.aborted) {
      const events = await this.poll(sid, cursor, keepaliveMs, signal);
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
