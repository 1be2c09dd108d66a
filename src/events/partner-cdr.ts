import type { Redis } from 'ioredis';
import type { EventLog } from './event-log.js';

/**
 * Partner CDR events (spec 9.1.4 GET /api/partner/cdr/event, 9.2.1 event `cdr`).
 *
 * Each partner has a Redis stream of CDRs with one consumer group; every
 * subscribed partner session is a consumer. A CDR is read by exactly one
 * consumer (round robin: the flow is split between sessions) and appended to
 * that session's event stream. It stays pending until the client confirms it
 * by polling on past it (`next` beyond its event id), so:
 * - a subscriber that ends cleanly (DELETE, or its subscription times out)
 *   keeps what it was already handed; what it never fetched goes to others;
 * - a session that dies (deleted or expired) loses everything unconfirmed to
 *   the others: the only case where a CDR can reach the partner twice;
 * - with no subscriber, CDRs wait in the stream (bounded) for the next one.
 *
 * Keys: cdr:stream:<pid>, cdr:subs:<pid> (zset sid -> expiry ms),
 * cdr:map:<sid> (hash event id -> "<pid> <entry id>"), cdr:seen:<sid> (the
 * highest `next` handed to the client), cdr:rr:<pid>, cdr:lock:<pid>,
 * cdr:dirty:<pid>, cdr:partners (set of pids with subscriptions).
 */
const GROUP = 'deliver';

/**
 * CDRs read from the group per round trip while dispatching (one XREADGROUP
 * COUNT 1 each, pipelined): from READ_FIRST, doubling while every read
 * finds one, up to READ_MAX.
 */
const READ_FIRST = 4;
const READ_MAX = 64;

/**
 * Queues CDRs and takes the dispatch lock in one round trip: creates the
 * stream and group if missing (BUSYGROUP ignored), XADDs every CDR, then
 * SET NX of the lock; when someone else holds it, marks the partner dirty
 * so the holder runs once more. KEYS: stream, lock, dirty. ARGV: backlog,
 * lock token, CDR JSONs. Returns 1 when the lock was taken.
 */
const PUBLISH_LUA = `
redis.pcall('XGROUP', 'CREATE', KEYS[1], '${GROUP}', '0', 'MKSTREAM')
for i = 3, #ARGV do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'cdr', ARGV[i])
end
if redis.call('SET', KEYS[2], ARGV[2], 'PX', 10000, 'NX') then return 1 end
redis.call('SET', KEYS[3], '1', 'PX', 10000)
return 0
`;

interface PublishCommand {
  cpCdrPublish(stream: string, lock: string, dirty: string, ...argv: Array<string | number>): Promise<number>;
}

/** Session filters applied to many (session, event) pairs at once (FilterStore.admitEach). */
export type AdmitEach = (
  items: ReadonlyArray<{ sid: string; event: Record<string, unknown> }>,
) => Promise<Array<Record<string, unknown> | null>>;

export interface PartnerCdrOptions {
  prefix: string;
  /** CDRs kept per partner while nobody collects them. */
  backlog: number;
}

export class PartnerCdrDelivery {
  constructor(
    private readonly redis: Redis,
    private readonly log: EventLog,
    private readonly sessionExists: (sids: string[]) => Promise<boolean[]>,
    private readonly admit: AdmitEach,
    private readonly opts: PartnerCdrOptions,
  ) {
    redis.defineCommand('cpCdrPublish', { numberOfKeys: 3, lua: PUBLISH_LUA });
  }

  private k(kind: string, id: string): string {
    return `${this.opts.prefix}cdr:${kind}:${id}`;
  }

  private async ensureGroup(pid: string): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.k('stream', pid), GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  /** Queues a CDR of one of the partner's users and hands it to a subscriber if there is one. */
  publish(partnerId: string, cdr: Record<string, unknown>): Promise<void> {
    return this.publishAll(partnerId, [cdr]);
  }

  /**
   * Queues CDRs of the partner's users, in order, and hands them to
   * subscribers: one round trip to queue them (and take the dispatch lock),
   * then the dispatch when this call got the lock.
   */
  async publishAll(partnerId: string, cdrs: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    if (cdrs.length === 0) return;
    const token = lockToken();
    const locked = await (this.redis as unknown as PublishCommand).cpCdrPublish(
      this.k('stream', partnerId),
      this.k('lock', partnerId),
      this.k('dirty', partnerId),
      this.opts.backlog,
      token,
      ...cdrs.map((c) => JSON.stringify(c)),
    );
    if (locked === 1) await this.dispatchLocked(partnerId, token);
  }

  /** Subscribes or renews (spec: timeout 1..36000 s). */
  async subscribe(partnerId: string, sid: string, timeoutSeconds: number): Promise<void> {
    await this.ensureGroup(partnerId);
    await this.redis
      .multi()
      .zadd(this.k('subs', partnerId), String(Date.now() + timeoutSeconds * 1000), sid)
      .sadd(`${this.opts.prefix}cdr:partners`, partnerId)
      .exec();
    await this.dispatch(partnerId);
  }

  async unsubscribe(partnerId: string, sid: string): Promise<void> {
    await this.redis.zrem(this.k('subs', partnerId), sid);
    await this.dispatch(partnerId);
  }

  /**
   * Called with the cursor a client polls with: every CDR event below `next`
   * has been received, so it is acknowledged. `handedOut` is the cursor after
   * the events returned by this call.
   */
  async confirm(sid: string, next: number, handedOut?: number): Promise<void> {
    // One round trip for the common case (nothing to acknowledge): every long-poll
    // answer waits for it (test/bench/events.bench.ts).
    const p = this.redis.pipeline();
    if (handedOut !== undefined) {
      p.eval(
        "local c = tonumber(redis.call('GET', KEYS[1]) or '-1'); if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1], 'EX', 86400) end",
        1,
        this.k('seen', sid),
        handedOut,
      );
    }
    p.hgetall(this.k('map', sid));
    const res = (await p.exec()) ?? [];
    const failed = res.find(([err]) => err)?.[0];
    if (failed) throw failed;
    const map = (res[res.length - 1]?.[1] ?? {}) as Record<string, string>;
    const done = Object.entries(map).filter(([eventId]) => Number(eventId) < next);
    if (done.length === 0) return;
    // Acknowledge, then forget the map entries: one round trip.
    const ack = this.redis.pipeline();
    for (const [, ref] of done) {
      const [pid, entry] = ref.split(' ');
      if (pid && entry) ack.xack(this.k('stream', pid), GROUP, entry);
    }
    ack.hdel(this.k('map', sid), ...done.map(([eventId]) => eventId));
    const acked = (await ack.exec()) ?? [];
    const err = acked.find(([e]) => e)?.[0];
    if (err) throw err;
  }

  /** Hands waiting CDRs to live subscribers and moves those of ended subscribers. */
  async dispatch(partnerId: string): Promise<void> {
    const lock = this.k('lock', partnerId);
    const token = lockToken();
    if ((await this.redis.set(lock, token, 'PX', 10_000, 'NX')) !== 'OK') {
      // Someone else is dispatching: ask them to run once more when done.
      await this.redis.set(this.k('dirty', partnerId), '1', 'PX', 10_000);
      return;
    }
    await this.dispatchLocked(partnerId, token);
  }

  /** Dispatches while this process holds the partner's lock (with `token`), until nothing is dirty; then frees it. */
  private async dispatchLocked(partnerId: string, token: string): Promise<void> {
    const lock = this.k('lock', partnerId);
    try {
      do {
        await this.dispatchOnce(partnerId);
      } while ((await this.redis.getdel(this.k('dirty', partnerId))) !== null);
    } finally {
      await this.redis.eval(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
        1,
        lock,
        token,
      );
    }
  }

  /** Periodic maintenance for all partners (expired subscriptions, dead sessions). */
  async sweep(): Promise<void> {
    const pids = await this.redis.smembers(`${this.opts.prefix}cdr:partners`);
    for (const pid of pids) await this.dispatch(pid);
  }

  private async liveSubscribers(pid: string): Promise<{ live: string[]; ended: string[]; dead: string[] }> {
    const subs = await this.redis.zrange(this.k('subs', pid), '0', '-1', 'WITHSCORES');
    const now = Date.now();
    const sids: string[] = [];
    const expiry: number[] = [];
    for (let i = 0; i < subs.length; i += 2) {
      sids.push(subs[i] as string);
      expiry.push(Number(subs[i + 1]));
    }
    const exists = sids.length ? await this.sessionExists(sids) : [];
    const live: string[] = [];
    const ended: string[] = [];
    const dead: string[] = [];
    sids.forEach((sid, i) => {
      if (!exists[i]) dead.push(sid);
      else if ((expiry[i] ?? 0) <= now) ended.push(sid);
      else live.push(sid);
    });
    if (ended.length + dead.length) await this.redis.zrem(this.k('subs', pid), ...ended, ...dead);
    return { live, ended, dead };
  }

  private async dispatchOnce(pid: string): Promise<void> {
    const stream = this.k('stream', pid);
    const { live } = await this.liveSubscribers(pid);
    // No stream or group yet (a partner that never subscribed cancels): nothing to hand over.
    const consumers = (await this.redis.xinfo('CONSUMERS', stream, GROUP).catch((err: unknown) => {
      if (/no such key|NOGROUP/i.test(String(err))) return null;
      throw err;
    })) as unknown[][] | null;
    if (consumers === null) return;
    const liveSet = new Set(live);
    let rr = Number(await this.redis.incr(this.k('rr', pid)));
    const nextConsumer = (): string => live[rr++ % live.length] as string;

    // Consumers that are no longer subscribed: keep what the client already
    // fetched (a clean end), move the rest to live subscribers.
    for (const info of consumers) {
      const name = String(info[info.indexOf('name') + 1]);
      if (liveSet.has(name)) continue;
      const alive = (await this.sessionExists([name]))[0] === true;
      if (alive) await this.confirm(name, Number((await this.redis.get(this.k('seen', name))) ?? 0));
      const pending = (await this.redis.xpending(stream, GROUP, '-', '+', 1000, name)) as Array<[string]>;
      if (pending.length > 0 && live.length === 0) continue; // wait for the next subscriber
      for (const [entryId] of pending) {
        const target = nextConsumer();
        const claimed = (await this.redis.xclaim(stream, GROUP, target, 0, entryId)) as Array<
          [string, string[]]
        >;
        const entry = claimed[0];
        if (!entry) {
          await this.redis.xack(stream, GROUP, entryId); // trimmed from the backlog meanwhile
          continue;
        }
        await this.deliver(pid, [{ sid: target, entry }]);
      }
      await this.redis.del(this.k('map', name));
      await this.redis.xgroup('DELCONSUMER', stream, GROUP, name);
    }

    if (live.length === 0) return;
    // Round robin, one CDR per turn as before, several reads per round trip.
    for (let size = READ_FIRST; ; size = Math.min(READ_MAX, size * 2)) {
      const start = rr;
      const targets = Array.from({ length: size }, nextConsumer);
      const p = this.redis.pipeline();
      for (const target of targets) p.xreadgroup('GROUP', GROUP, target, 'COUNT', 1, 'STREAMS', stream, '>');
      const res = (await p.exec()) ?? [];
      const read: Array<{ sid: string; entry: [string, string[]] }> = [];
      let empty = -1;
      res.forEach(([err, r], i) => {
        if (err) throw err;
        const entry = (r as Array<[string, Array<[string, string[]]>]> | null)?.[0]?.[1]?.[0];
        if (entry) read.push({ sid: targets[i]!, entry });
        else if (empty < 0) empty = i;
      });
      await this.deliver(pid, read);
      if (empty >= 0) {
        // The turn of the first empty read passes, as a lone read would have.
        rr = start + Math.max(empty, read.length) + 1;
        break;
      }
    }
    await this.redis.set(this.k('rr', pid), rr % 1_000_000);
  }

  /**
   * Appends each CDR read to its session's event stream and maps the event
   * to the stream entry (acknowledged when the client confirms it); one
   * read of the sessions' filters and one pipeline for the lot.
   */
  private async deliver(
    pid: string,
    read: ReadonlyArray<{ sid: string; entry: [string, string[]] }>,
  ): Promise<void> {
    if (read.length === 0) return;
    const time = Math.floor(Date.now() / 1000);
    const admitted = await this.admit(
      read.map(({ sid, entry: [, fields] }) => {
        const json = fields[fields.indexOf('cdr') + 1] ?? '{}';
        return { sid, event: { event: 'cdr', time, cdr: JSON.parse(json) as Record<string, unknown> } };
      }),
    );
    const p = this.redis.pipeline();
    read.forEach(({ sid, entry: [entryId] }, i) => {
      const ev = admitted[i];
      if (!ev) {
        // The session's filter drops it: that is its delivery.
        p.xack(this.k('stream', pid), GROUP, entryId);
        return;
      }
      const { event: _e, time: _t, ...payload } = ev;
      this.log.appendMapped(p, sid, 'cdr', payload, time, this.k('map', sid), `${pid} ${entryId}`);
    });
    const res = (await p.exec()) ?? [];
    const err = res.find(([e]) => e)?.[0];
    if (err) throw err;
  }
}

function lockToken(): string {
  return `${process.pid}-${Math.random()}`;
}
