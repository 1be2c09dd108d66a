import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { Audience, EventPublisher } from './types.js';

/**
 * The transactional outbox (issue 14: "no committed change without its
 * event"; four objects committed just before a kill -9 had no event, and
 * the contiguous event ids hid it).
 *
 * A service changes the database and records the change's events in one
 * transaction (`run`). After the commit the recorded events are published
 * at once, in order, and their rows deleted, so a client sees them as soon
 * as before. If the process dies between commit and publish, or Redis
 * fails, the rows stay; the relay of any process (every `start`ed outbox,
 * the restarted one first) publishes them, oldest first. Each row carries a
 * token: publishing is at most once per token (EventLog.appendOnce), so a
 * relay racing a request, or another relay, cannot queue an event twice.
 */
export type Tx = Transaction<Database>;

/** Records events inside a transaction; they go out after its commit. */
export interface TxEvents {
  publish(audience: Audience, event: string, payload?: Record<string, unknown>): Promise<void>;
}

interface Pending {
  id: number;
  token: string;
  audience: Audience;
  event: string;
  payload: Record<string, unknown>;
  time: number;
}

export interface OutboxOptions {
  /** Relay period (ms). */
  intervalMs?: number;
  /** The periodic relay leaves rows this young to the request that wrote them (ms). */
  minAgeMs?: number;
  onError?: (err: unknown) => void;
}

const BATCH = 100;

export class EventOutbox {
  private timer: NodeJS.Timeout | null = null;
  private relaying: Promise<number> | null = null;
  /** Events published by the relay (not by the request that committed them): left by a crash or a failure. */
  relayed = 0;

  constructor(
    private readonly db: Db,
    private readonly publisher: EventPublisher,
    private readonly opts: OutboxOptions = {},
  ) {}

  /**
   * Runs `work` in one transaction; the events it records commit with its
   * changes and are published, in order, once it committed.
   */
  async run<T>(work: (trx: Tx, events: TxEvents) => Promise<T>): Promise<T> {
    const { value, deliver } = await this.commit(work);
    await deliver();
    return value;
  }

  /**
   * run() with the publication left to the caller (`deliver`), for changes
   * whose event must follow other work after the commit; the relay
   * publishes it if the caller never does.
   */
  async commit<T>(
    work: (trx: Tx, events: TxEvents) => Promise<T>,
  ): Promise<{ value: T; deliver: () => Promise<void> }> {
    const pending: Pending[] = [];
    const value = await this.db.transaction().execute(async (trx) =>
      work(trx, {
        publish: async (audience, event, payload = {}) => {
          pending.push(await this.record(trx, audience, event, payload));
        },
      }),
    );
    return { value, deliver: () => this.deliver(pending) };
  }

  /** Writes one event row in `trx`; for callers that manage the transaction and call deliver(). */
  async record(
    trx: Tx,
    audience: Audience,
    event: string,
    payload: Record<string, unknown> = {},
  ): Promise<Pending> {
    const token = randomBytes(12).toString('base64url');
    const time = Math.floor(Date.now() / 1000);
    const row = await trx
      .insertInto('event_outbox')
      .values({
        token,
        audience: JSON.stringify(audience),
        event,
        payload: JSON.stringify(payload),
        time,
        created_us: Date.now() * 1000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, token, audience, event, payload, time };
  }

  /**
   * Publishes committed events in order and deletes their rows. A failure
   * leaves the rest for the relay instead of failing the committed request.
   */
  async deliver(pending: readonly Pending[]): Promise<void> {
    if (pending.length === 0) return;
    const done: number[] = [];
    try {
      for (const p of pending) {
        await this.publisher.publish(p.audience, p.event, p.payload, { once: p.token, time: p.time });
        done.push(p.id);
      }
    } catch (err) {
      this.opts.onError?.(err);
    }
    await this.remove(done);
  }

  private async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.db.deleteFrom('event_outbox').where('id', 'in', ids).execute();
    } catch (err) {
      // Left rows are published again by the relay; their tokens make that a no-op.
      this.opts.onError?.(err);
    }
  }

  /**
   * Publishes what is left in the outbox, oldest first; rows younger than
   * minAgeMs are left to the request delivering them. Returns how many went
   * out. One pass at a time per process.
   */
  relay(minAgeMs = 0): Promise<number> {
    this.relaying ??= this.relayPass(minAgeMs).finally(() => {
      this.relaying = null;
    });
    return this.relaying;
  }

  private async relayPass(minAgeMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('event_outbox')
        .selectAll()
        .where('created_us', '<=', (Date.now() - minAgeMs) * 1000)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) return total;
      const pending = rows.map((r) => ({
        id: r.id,
        token: r.token,
        audience: r.audience as Audience,
        event: r.event,
        payload: r.payload as Record<string, unknown>,
        time: r.time,
      }));
      const before = total;
      for (const p of pending) {
        await this.publisher.publish(p.audience, p.event, p.payload, { once: p.token, time: p.time });
        total += 1;
      }
      this.relayed += total - before;
      await this.db
        .deleteFrom('event_outbox')
        .where(
          'id',
          'in',
          pending.map((p) => p.id),
        )
        .execute();
      if (rows.length < BATCH) return total;
    }
  }

  /** Relays leftovers now (a restart's first duty), then every intervalMs. */
  start(): void {
    if (this.timer) return;
    const tick = (minAge: number): void => {
      this.relay(minAge).catch((err: unknown) => this.opts.onError?.(err));
    };
    tick(0);
    this.timer = setInterval(() => tick(this.opts.minAgeMs ?? 2000), this.opts.intervalMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.relaying?.catch(() => undefined);
  }
}
