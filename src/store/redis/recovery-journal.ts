/**
 * The recovery journal in Redis (domain/call/recovery.ts): each telephony
 * process — a node id and a random incarnation, so a node started again is
 * a new process — writes
 *
 * - `<prefix>recovery:alive:<process>`: its heartbeat, expiring after
 *   `deadAfterMs` unless renewed (every `heartbeatMs`);
 * - `<prefix>recovery:seen:<process>`: when the heartbeat was last written;
 * - `<prefix>recovery:legs:<process>`: a hash of its answered legs' entries;
 * - `<prefix>recovery:processes`: the set of processes that have a journal.
 *
 * Entries are written in batches (every `flushMs`): a leg that starts and
 * ends between two flushes costs Redis nothing. A process that stops in
 * order removes its journal; one that dies leaves it for claimDead().
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  parseRecoveryEntry,
  type DeadProcess,
  type RecoveryEntry,
  type RecoveryJournal,
} from '../../domain/call/recovery.js';

export interface RecoveryJournalOptions {
  heartbeatMs?: number;
  deadAfterMs?: number;
  flushMs?: number;
  /** How long a claim on a dead process's journal holds off other nodes. */
  claimMs?: number;
  onError?: (err: unknown) => void;
}

const SEEN_TTL_S = 7 * 24 * 3600;

export class RedisRecoveryJournal implements RecoveryJournal {
  readonly process: string;
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;
  private readonly flushMs: number;
  private readonly claimMs: number;
  private readonly onError: (err: unknown) => void;
  /** Built and serialised when flushed: a leg that ends before the next flush costs nothing. */
  private readonly puts = new Map<string, RecoveryEntry | (() => RecoveryEntry)>();
  private readonly removes = new Set<string>();
  /** Keys whose entry reached Redis (only those need a delete). */
  private readonly stored = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private flusher: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly node: string;
  /** Heartbeats of this node's other processes as first read: one that does not move died. */
  private readonly watched = new Map<string, { seen: string | null; atMs: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    node: string,
    opts: RecoveryJournalOptions = {},
  ) {
    this.node = node;
    this.process = `${node}.${randomBytes(6).toString('hex')}`;
    this.heartbeatMs = opts.heartbeatMs ?? 3000;
    this.deadAfterMs = opts.deadAfterMs ?? 10_000;
    this.flushMs = opts.flushMs ?? 250;
    this.claimMs = opts.claimMs ?? 60_000;
    this.onError = opts.onError ?? (() => undefined);
  }

  private key(kind: 'alive' | 'seen' | 'legs' | 'claim', process: string): string {
    return `${this.prefix}recovery:${kind}:${process}`;
  }

  private get processesKey(): string {
    return `${this.prefix}recovery:processes`;
  }

  /** Starts the heartbeat (written once before this resolves) and the batched writes. */
  async start(): Promise<void> {
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat().catch(this.onError), this.heartbeatMs);
    this.heartbeat.unref();
    this.flusher = setInterval(() => void this.flush(), this.flushMs);
    this.flusher.unref();
  }

  /** Stops in order: the pending writes go out, then the journal and the heartbeat go. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.flusher) clearInterval(this.flusher);
    this.heartbeat = this.flusher = null;
    // Redis down: the stop does not wait for it (nor does the rest of the shutdown). The journal
    // stays as last written, and once its heartbeat key expires the crash reaper settles it as
    // a dead process's: BYEs to calls already ended, and CDRs under ids already written (kept once).
    if (this.redis.status !== 'ready') {
      this.onError(new Error('Redis is down: the recovery journal stays as last written'));
      return;
    }
    await this.flush();
    const p = this.process;
    await this.redis
      .multi()
      .del(this.key('legs', p), this.key('alive', p), this.key('seen', p))
      .srem(this.processesKey, p)
      .exec()
      .catch(this.onError);
  }

  private async beat(): Promise<void> {
    const p = this.process;
    await this.redis
      .multi()
      .sadd(this.processesKey, p)
      .set(this.key('alive', p), '1', 'PX', this.deadAfterMs)
      .set(this.key('seen', p), String(Date.now()), 'EX', SEEN_TTL_S)
      .exec();
  }

  /** `entry` may be a function, called at the flush: the entry as it is then. */
  put(key: string, entry: RecoveryEntry | (() => RecoveryEntry)): void {
    this.removes.delete(key);
    this.puts.set(key, entry);
  }

  remove(key: string): void {
    // Never written: nothing to take back.
    if (this.puts.delete(key) && !this.stored.has(key)) return;
    if (this.stored.has(key)) this.removes.add(key);
  }

  /** Writes what is pending (one round trip); resolves when it is in Redis. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.puts.size === 0 && this.removes.size === 0) return;
      const legs = this.key('legs', this.process);
      const m = this.redis.multi();
      if (this.puts.size > 0)
        m.hset(
          legs,
          Object.fromEntries(
            [...this.puts].map(([k, e]) => [k, JSON.stringify(typeof e === 'function' ? e() : e)]),
          ),
        );
      if (this.removes.size > 0) m.hdel(legs, ...this.removes);
      const puts = [...this.puts.keys()];
      const removes = [...this.removes];
      this.puts.clear();
      this.removes.clear();
      // Counted as stored from now on, so a remove() while this is on its way is not lost.
      for (const k of puts) this.stored.add(k);
      for (const k of removes) this.stored.delete(k);
      try {
        await m.exec();
      } catch (err) {
        this.onError(err);
      }
    });
    return this.flushing;
  }

  /**
   * Claims the journal of one process whose heartbeat stopped, if there is
   * one no other node claimed: its entries, to be ended by the caller, who
   * then calls release(). Null when every other process is alive.
   */
  async claimDead(): Promise<DeadProcess | null> {
    const processes = await this.redis.smembers(this.processesKey);
    for (const p of processes) {
      if (p === this.process) continue;
      if ((await this.redis.exists(this.key('alive', p))) === 1 && !(await this.stillSince(p))) continue;
      const claimed = await this.redis.set(this.key('claim', p), this.process, 'PX', this.claimMs, 'NX');
      if (claimed !== 'OK') continue;
      const [seen, raw] = await Promise.all([
        this.redis.get(this.key('seen', p)),
        this.redis.hgetall(this.key('legs', p)),
      ]);
      const entries = new Map<string, RecoveryEntry>();
      for (const [k, text] of Object.entries(raw)) {
        const e = parseRecoveryEntry(text);
        if (e) entries.set(k, e);
      }
      const lastSeen = seen === null ? NaN : Number(seen);
      return { process: p, lastSeenMs: Number.isFinite(lastSeen) ? lastSeen : null, entries };
    }
    return null;
  }

  /**
   * Whether a process of this node (an earlier run of it: a node runs one
   * process at a time) has not renewed its heartbeat for 1.5 periods since
   * first looked at: it died, though its heartbeat has not expired yet. A
   * node started again after a crash so ends the old calls in seconds.
   */
  private async stillSince(p: string): Promise<boolean> {
    if (!p.startsWith(`${this.node}.`)) return false;
    const seen = await this.redis.get(this.key('seen', p));
    const now = Date.now();
    const first = this.watched.get(p);
    if (!first || first.seen !== seen) {
      this.watched.set(p, { seen, atMs: now });
      return false;
    }
    return now - first.atMs >= this.heartbeatMs * 1.5;
  }

  /** Takes an ended entry of a claimed process off its journal. */
  async settle(dead: DeadProcess, key: string): Promise<void> {
    await this.redis.hdel(this.key('legs', dead.process), key);
  }

  /** Forgets a claimed process once each of its entries was settled. */
  async release(dead: DeadProcess): Promise<void> {
    const p = dead.process;
    this.watched.delete(p);
    const left = await this.redis.hlen(this.key('legs', p));
    if (left > 0) {
      // Something failed: let the claim lapse so a later pass tries again.
      return;
    }
    await this.redis
      .multi()
      .del(this.key('legs', p), this.key('seen', p), this.key('claim', p))
      .srem(this.processesKey, p)
      .exec();
  }
}
