/**
 * Live calls in Redis, for every node and the API (telephony/call/registry.ts):
 *
 * - `<prefix>call:<uuid>`: the call's summary (JSON), kept 4 h at most so a
 *   node that dies leaves nothing behind for longer;
 * - `<prefix>calls:owner:<user>` and `<prefix>calls:node:<node>`: sets of
 *   uuids (members whose summary is gone are dropped when read);
 * - channel `<prefix>calls:cmd:<node>`: commands for the calls of a node.
 *
 * Writes are coalesced: put()s of all calls within `flushMs` (default 20 ms)
 * go to Redis as one pipeline, a summary written several times in that
 * window (start, owner, answer) once, and a call that starts and ends inside
 * it not at all. A new or changed summary thus shows up to `flushMs` late
 * (this node's own calls are read from its registry); the end of a call
 * that was written is sent at once, with everything else pending in the
 * same turn of the event loop, so no node acts on a call that has gone. At
 * 800 calls/s the registry cost four Redis round trips per call without
 * this (test/bench/sip.bench.ts). flush() writes what is pending (shutdown).
 */
import type { Redis } from 'ioredis';
import type { CallCommand, CallSummary, LiveCallStore } from '../../domain/call/live-call.js';

const SUMMARY_TTL_S = 4 * 3600;

/** A call's change waiting for the next flush: its latest summary, and whether it has ended. */
interface PendingWrite {
  summary: CallSummary;
  removed: boolean;
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

export class RedisLiveCalls implements LiveCallStore {
  private pending = new Map<string, PendingWrite>();
  /** Calls whose summary has been sent to Redis (so their end must be sent too). */
  private readonly sent = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly flushMs = 20,
  ) {}

  private key(uuid: string): string {
    return `${this.prefix}call:${uuid}`;
  }

  private ownerKey(owner: string): string {
    return `${this.prefix}calls:owner:${owner}`;
  }

  private nodeKey(node: string): string {
    return `${this.prefix}calls:node:${node}`;
  }

  private channel(node: string): string {
    return `${this.prefix}calls:cmd:${node}`;
  }

  /** Writes the summary with the next flush (the latest one of a call wins). */
  put(s: CallSummary): Promise<void> {
    return this.queue(s, false);
  }

  /** Removes the summary with the next flush; nothing is sent for a call that was never written. */
  remove(s: CallSummary): Promise<void> {
    return this.queue(s, true);
  }

  private queue(summary: CallSummary, removed: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry = this.pending.get(summary.uuid);
      if (removed && !this.sent.has(summary.uuid)) {
        // Started and ended between two flushes: Redis never saw it.
        this.pending.delete(summary.uuid);
        for (const w of entry?.waiters ?? []) w.resolve();
        resolve();
        return;
      }
      if (entry) {
        entry.summary = summary;
        entry.removed = removed;
        entry.waiters.push({ resolve, reject });
      } else this.pending.set(summary.uuid, { summary, removed, waiters: [{ resolve, reject }] });
      if (removed) this.immediate ??= setImmediate(() => void this.flush());
      else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    });
  }

  /** Sends every pending write now, in one pipeline; resolves when Redis has them. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    const batch = this.pending;
    if (batch.size === 0) return this.flushing;
    this.pending = new Map();
    const p = this.redis.pipeline();
    for (const { summary: s, removed } of batch.values()) {
      if (removed) {
        // Summary first, then the sets: a reader that sees a member without a summary drops it.
        p.del(this.key(s.uuid)).srem(this.nodeKey(s.node), s.uuid);
        if (s.owner) p.srem(this.ownerKey(s.owner), s.uuid);
        this.sent.delete(s.uuid);
      } else {
        p.set(this.key(s.uuid), JSON.stringify(s), 'EX', SUMMARY_TTL_S).sadd(this.nodeKey(s.node), s.uuid);
        if (s.owner) p.sadd(this.ownerKey(s.owner), s.uuid);
        this.sent.add(s.uuid);
      }
    }
    const done = p.exec().then(
      (res) => {
        const err = res?.find(([e]) => e)?.[0];
        for (const e of batch.values())
          for (const w of e.waiters) {
            if (err) w.reject(err);
            else w.resolve();
          }
      },
      (err: unknown) => {
        for (const e of batch.values()) for (const w of e.waiters) w.reject(err);
      },
    );
    this.flushing = done;
    return done;
  }

  async get(uuid: string): Promise<CallSummary | null> {
    const text = await this.redis.get(this.key(uuid));
    return text ? parse(text) : null;
  }

  ofOwner(owner: string): Promise<CallSummary[]> {
    return this.members(this.ownerKey(owner));
  }

  ofNode(node: string): Promise<CallSummary[]> {
    return this.members(this.nodeKey(node));
  }

  /** The nodes that hold live calls now. */
  async nodes(): Promise<string[]> {
    const found = new Set<string>();
    const match = `${this.nodeKey('')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 200);
      for (const k of keys) found.add(k.slice(match.length - 1));
      cursor = next;
    } while (cursor !== '0');
    return [...found].sort();
  }

  async all(): Promise<CallSummary[]> {
    const lists = await Promise.all((await this.nodes()).map((n) => this.ofNode(n)));
    return lists.flat().sort((a, b) => a.createdAt - b.createdAt);
  }

  private async members(set: string): Promise<CallSummary[]> {
    const uuids = await this.redis.smembers(set);
    if (uuids.length === 0) return [];
    const texts = await this.redis.mget(uuids.map((u) => this.key(u)));
    const out: CallSummary[] = [];
    const gone: string[] = [];
    texts.forEach((t, i) => {
      const s = t ? parse(t) : null;
      if (s) out.push(s);
      else gone.push(uuids[i]!);
    });
    if (gone.length > 0) await this.redis.srem(set, ...gone);
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  async send(node: string, uuid: string, command: CallCommand): Promise<boolean> {
    return (await this.redis.publish(this.channel(node), JSON.stringify({ uuid, command }))) > 0;
  }

  async listen(
    node: string,
    handler: (uuid: string, command: CallCommand) => void,
  ): Promise<() => Promise<void>> {
    const sub = this.redis.duplicate();
    sub.on('error', () => undefined);
    const channel = this.channel(node);
    sub.on('message', (ch: string, text: string) => {
      if (ch !== channel) return;
      const msg = parseCommand(text);
      if (msg) handler(msg.uuid, msg.command);
    });
    await sub.subscribe(channel);
    return async () => {
      sub.disconnect();
    };
  }
}

function parse(text: string): CallSummary | null {
  try {
    const s = JSON.parse(text) as CallSummary;
    return typeof s.uuid === 'string' && typeof s.node === 'string' ? s : null;
  } catch {
    return null;
  }
}

function parseCommand(text: string): { uuid: string; command: CallCommand } | null {
  try {
    const m = JSON.parse(text) as { uuid?: unknown; command?: { kind?: unknown; cause?: unknown } };
    if (typeof m.uuid !== 'string' || m.command?.kind !== 'hangup') return null;
    const cause = m.command.cause;
    return {
      uuid: m.uuid,
      command:
        typeof cause === 'number' && Number.isInteger(cause) && cause >= 0 && cause <= 127
          ? { kind: 'hangup', cause }
          : { kind: 'hangup' },
    };
  } catch {
    return null;
  }
}
