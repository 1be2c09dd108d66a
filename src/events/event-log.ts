import type { Redis } from 'ioredis';
import { TickBatch } from '../lib/tick-batch.js';
import { parseEvent, type RawEvent } from './raw-event.js';
import type { ApiEvent, Audience, EventPublisher, PublishOptions } from './types.js';

/**
 * Per-session event streams in Redis (spec 3.27, chapter 6).
 *
 * Keys (under the configured prefix):
 * - ev:next:<sid>  the next event id of the session (INCR; 0 for a new session)
 * - ev:log:<sid>   a Redis stream; event id N is stored under entry id "N-1"
 *                  so a read "from id N" is XRANGE from "N-1" — ids stay
 *                  contiguous and any gap a client sees is a dropped event.
 * - ev:notify      pub/sub channel; every append publishes what it appended
 *                  (notice format below), which wakes the sessions'
 *                  long-polls on all API nodes (no polling loop) and lets
 *                  a node answer them from memory, without reading back.
 *
 * Appending is one Lua script (id allocation + XADD + count/age trimming +
 * the notify PUBLISH), so concurrent publishers on several nodes never reuse
 * or skip an id, and an append costs one round trip to Redis (it is on the
 * latency path of every event: test/bench/events.bench.ts).
 *
 * A notice names each session with the id its event got and the event's
 * body: a first line of "sid id n" triples (space-separated; n counts the
 * bodies from 1), then one line per body, the stored JSON text (JSON never
 * holds a raw line break). A notice without a line break is a bare list of
 * sids, as older nodes sent: it wakes them and tells nothing more.
 */
/**
 * Appends between two looks at a stream's oldest event for its age: the
 * look (an XRANGE whose answer Lua converts) was a fifth of an append's
 * Redis time. Reads skip what is past the age (readRaw), so a client never
 * gets an event older than maxAgeSeconds; Redis holds it at most this many
 * appends longer.
 */
export const AGE_CHECK_EVERY = 16;

/**
 * One event appended to one session's stream: id allocation, XADD, count
 * and age trimming, lifetimes; its id. Every append script below starts
 * with it and passes the same limits in ARGV[2..5]: maxEvents, the oldest
 * time kept, now, idle seconds (ARGV[6]: the notify channel).
 */
const APPEND_FN = `
local function append(nk, lk, body)
  local id = redis.call('INCR', nk) - 1
  redis.call('XADD', lk, 'MAXLEN', ARGV[2], id .. '-1', 't', ARGV[4], 'e', body)
  while id % ${AGE_CHECK_EVERY} == 0 do
    local first = redis.call('XRANGE', lk, '-', '+', 'COUNT', 1)
    if #first == 0 then break end
    if tonumber(first[1][2][2]) >= tonumber(ARGV[3]) then break end
    redis.call('XDEL', lk, first[1][1])
  end
  redis.call('EXPIRE', nk, ARGV[5])
  redis.call('EXPIRE', lk, ARGV[5])
  return id
end
`;

/** The pub/sub channel of the notices under a key prefix. */
export function notifyChannelOf(prefix: string): string {
  return `${prefix}ev:notify`;
}

/** One session (KEYS: next-id key, stream), body ARGV[1], sid ARGV[7]. */
const APPEND_LUA = `${APPEND_FN}
local id = append(KEYS[1], KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[6], ARGV[7] .. ' ' .. id .. ' 1\\n' .. ARGV[1])
return id
`;

/**
 * APPEND_LUA that also records the new event id in a hash (KEYS[3], field:
 * the id, value ARGV[8]): the partner CDR delivery's map of handed-out CDRs
 * (partner-cdr.ts), so a delivery is one command.
 */
const APPEND_MAPPED_LUA = APPEND_LUA.replace(
  /return id\n$/,
  "redis.call('HSET', KEYS[3], id, ARGV[8])\nreturn id\n",
);

/**
 * Appends to several sessions' streams in one command (`first`: the index
 * of the first next-id key; the keys before it are the caller's). Every
 * session gets the APPEND_LUA treatment; one notice then names them all
 * (sids are alphanumeric), so a fan-out to 1,000 sessions wakes every
 * node's waiter with one message instead of 1,000, and a body shared by
 * many sessions travels once. ARGV: marker TTL (APPEND_ONCE_LUA only),
 * maxEvents, min time, now, idle seconds, notify channel, the number of
 * bodies B, the B bodies, then sid and body number (1..B) per session.
 * Returns the event id each session's event got.
 */
const appendEachLua = (first: number): string => `${APPEND_FN}
local n = (#KEYS - ${first - 1}) / 2
local b = tonumber(ARGV[7])
local head, ids = {}, {}
for i = 1, n do
  local sid, bi = ARGV[6 + b + 2 * i], ARGV[7 + b + 2 * i]
  local id = append(KEYS[${first - 2} + 2 * i], KEYS[${first - 1} + 2 * i], ARGV[7 + tonumber(bi)])
  head[i] = sid .. ' ' .. id .. ' ' .. bi
  ids[i] = id
end
if n > 0 then
  redis.call('PUBLISH', ARGV[6], table.concat(head, ' ') .. '\\n' .. table.concat(ARGV, '\\n', 8, 7 + b))
end
return ids
`;

/** appendEachLua for one event's audience: one command per publish, whatever its size. */
const APPEND_MANY_LUA = appendEachLua(1);

/**
 * One event to the live sessions of users (KEYS: their session sets), in
 * one command with resolving them: a session whose key is gone leaves its
 * set; a session with a filter is not appended to but returned with its
 * filter (the caller applies it and appends what passes); every other
 * gets the event. ARGV[7..10]: the key prefixes of sessions, filters,
 * next ids and streams; ARGV[11] the body. Returns the sessions appended
 * to, their event ids, and sid/filter pairs.
 */
const APPEND_USERS_LUA = `${APPEND_FN}
local seen, head, sids, ids, filtered = {}, {}, {}, {}, {}
for k = 1, #KEYS do
  for _, sid in ipairs(redis.call('SMEMBERS', KEYS[k])) do
    if redis.call('EXISTS', ARGV[7] .. sid) == 0 then
      redis.call('SREM', KEYS[k], sid)
    elseif not seen[sid] then
      seen[sid] = true
      local f = redis.call('GET', ARGV[8] .. sid)
      if f then
        filtered[#filtered + 1] = sid
        filtered[#filtered + 1] = f
      else
        local id = append(ARGV[9] .. sid, ARGV[10] .. sid, ARGV[11])
        head[#head + 1] = sid .. ' ' .. id .. ' 1'
        sids[#sids + 1] = sid
        ids[#ids + 1] = id
      end
    end
  end
end
if #head > 0 then redis.call('PUBLISH', ARGV[6], table.concat(head, ' ') .. '\\n' .. ARGV[11]) end
return {sids, ids, filtered}
`;

/**
 * The same at most once per marker key (KEYS[1], the outbox's token): a
 * relay retrying after a crash, or two relays racing, cannot queue an event
 * twice. Returns -1 when the marker existed.
 */
const APPEND_ONCE_LUA = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return -1 end
${appendEachLua(2)}`;

/**
 * Several sessions' reads in one command (TickBatch): KEYS are their
 * streams, ARGV the start entry id and count of each. Returns one XRANGE
 * answer per key.
 */
const READ_MANY_LUA = `
local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('XRANGE', KEYS[i], ARGV[2 * i - 1], '+', 'COUNT', ARGV[2 * i])
end
return out
`;

/** Sessions per appendMany command (about 7 µs of Redis time each). */
const MANY_CHUNK = 1000;

/** How long a once-marker is kept: longer than any relay retries an event. */
const ONCE_TTL_SECONDS = 7 * 86400;

export interface EventLogOptions {
  prefix: string;
  /** Events kept per session (older ones are dropped; the client sees the gap). */
  maxEvents: number;
  /** Seconds an event is kept. */
  maxAgeSeconds: number;
  /** Lifetime of an idle session's stream; renewed with the session. */
  idleSeconds: number;
  /** Told how many events each append added (the events_appended metric). */
  onAppend?: (count: number) => void;
  /**
   * Told of what this process appended, with the ids the events got, as
   * soon as the append is done: before its notice comes back from Redis, so
   * a client of this process polling right after its own change sees it.
   */
  onAppended?: (entries: ReadonlyArray<AppendEntry>, ids: readonly number[]) => void;
}

/** What the session streams hold, for the event log metrics. */
export interface EventLogStats {
  streams: number;
  events: number;
  /** The scan stopped at its key limit: the figures are lower bounds. */
  partial: boolean;
}

type StreamEntries = Array<[string, string[]]>;

export class EventLog {
  /** Reads made in the same turn of the event loop go to Redis as one command. */
  private readonly reads = new TickBatch<{ key: string; from: string; limit: number }, StreamEntries>(
    async (batch) => {
      if (batch.length === 1) {
        const { key, from, limit } = batch[0]!;
        return [await this.redis.xrange(key, from, '+', 'COUNT', limit)];
      }
      const argv: Array<string | number> = [];
      for (const r of batch) argv.push(r.from, r.limit);
      return (await (this.redis as unknown as ReadManyCommand).cpReadEvents(
        batch.length,
        ...batch.map((r) => r.key),
        ...argv,
      )) as StreamEntries[];
    },
  );

  constructor(
    private readonly redis: Redis,
    private readonly opts: EventLogOptions,
  ) {
    redis.defineCommand('cpAppendEventOnce', { lua: APPEND_ONCE_LUA });
    redis.defineCommand('cpAppendEventMany', { lua: APPEND_MANY_LUA });
    redis.defineCommand('cpAppendEventUsers', { lua: APPEND_USERS_LUA });
    redis.defineCommand('cpReadEvents', { lua: READ_MANY_LUA });
    redis.defineCommand('cpAppendEventMapped', { numberOfKeys: 3, lua: APPEND_MAPPED_LUA });
  }

  key(kind: 'next' | 'log', sid: string): string {
    return `${this.opts.prefix}ev:${kind}:${sid}`;
  }

  get notifyChannel(): string {
    return notifyChannelOf(this.opts.prefix);
  }

  /** The append scripts' limits: maxEvents, the oldest time kept, now, idle seconds, notify channel. */
  private limits(): [number, number, number, number, string] {
    const now = Math.floor(Date.now() / 1000);
    return [
      this.opts.maxEvents,
      now - this.opts.maxAgeSeconds,
      now,
      this.opts.idleSeconds,
      this.notifyChannel,
    ];
  }

  /**
   * Queues on `pipeline` the append of one event to a session's stream that
   * also sets field <event id> of hash `mapKey` to `mapValue` (one command
   * per delivery when many go out together).
   */
  appendMapped(
    pipeline: ReturnType<Redis['pipeline']>,
    sid: string,
    event: string,
    payload: Record<string, unknown>,
    time: number,
    mapKey: string,
    mapValue: string,
  ): void {
    (pipeline as unknown as AppendMappedCommand).cpAppendEventMapped(
      this.key('next', sid),
      this.key('log', sid),
      mapKey,
      JSON.stringify({ event, time, ...payload }),
      ...this.limits(),
      sid,
      mapValue,
    );
    this.opts.onAppend?.(1);
  }

  /**
   * Appends one event to several sessions' streams unless `token` was used
   * before; false when it was (the event is queued already).
   */
  async appendOnce(token: string, entries: ReadonlyArray<AppendEntry>): Promise<boolean> {
    const [keys, argv] = this.manyArgs(entries);
    keys.unshift(`${this.opts.prefix}ev:once:${token}`);
    const done = (await (this.redis as unknown as AppendManyCommands).cpAppendEventOnce(
      keys.length,
      ...keys,
      ...argv,
    )) as number[] | number;
    if (typeof done === 'number') return false;
    this.appended(entries, done);
    return true;
  }

  /**
   * Appends one event to several sessions' streams in one command, one
   * notify for all; a very large audience in commands of MANY_CHUNK
   * sessions, so that no single script holds Redis for long.
   */
  async appendMany(entries: ReadonlyArray<AppendEntry>): Promise<void> {
    if (entries.length <= MANY_CHUNK) return this.appendChunk(entries);
    await Promise.all(
      Array.from({ length: Math.ceil(entries.length / MANY_CHUNK) }, (_, c) =>
        this.appendChunk(entries.slice(c * MANY_CHUNK, (c + 1) * MANY_CHUNK)),
      ),
    );
  }

  private async appendChunk(entries: ReadonlyArray<AppendEntry>): Promise<void> {
    if (entries.length === 0) return;
    const [keys, argv] = this.manyArgs(entries);
    const ids = await (this.redis as unknown as AppendManyCommands).cpAppendEventMany(
      keys.length,
      ...keys,
      ...argv,
    );
    this.appended(entries, ids as number[]);
  }

  /**
   * Appends one event (`body`) to the live sessions of users in one
   * command (APPEND_USERS_LUA): `sets` are the users' session sets, `keys`
   * the key prefixes of sessions and filters. Returns the sessions with a
   * filter, untouched, for the caller to filter and appendMany().
   */
  async appendToUsers(
    sets: readonly string[],
    keys: { sessions: string; filters: string },
    body: string,
  ): Promise<Array<{ sid: string; filter: string }>> {
    const [sids, ids, filtered] = (await (this.redis as unknown as AppendManyCommands).cpAppendEventUsers(
      sets.length,
      ...sets,
      ONCE_TTL_SECONDS,
      ...this.limits(),
      keys.sessions,
      keys.filters,
      this.key('next', ''),
      this.key('log', ''),
      body,
    )) as [string[], number[], string[]];
    if (sids.length > 0)
      this.appended(
        sids.map((sid) => ({ sid, body })),
        ids,
      );
    const out: Array<{ sid: string; filter: string }> = [];
    for (let i = 0; i + 1 < filtered.length; i += 2)
      out.push({ sid: filtered[i]!, filter: filtered[i + 1]! });
    return out;
  }

  /** Entries appended with these ids: the metric, and this process's own waiter at once. */
  private appended(entries: ReadonlyArray<AppendEntry>, ids: readonly number[]): void {
    this.opts.onAppend?.(entries.length);
    this.opts.onAppended?.(entries, ids);
  }

  /**
   * Keys and arguments of appendEachLua (ARGV[1], the marker TTL, is unused
   * by appendMany); equal bodies are passed once.
   */
  private manyArgs(entries: ReadonlyArray<AppendEntry>): [string[], Array<string | number>] {
    const keys: string[] = [];
    const numbers = new Map<string, number>();
    const pairs: Array<string | number> = [];
    for (const e of entries) {
      keys.push(this.key('next', e.sid), this.key('log', e.sid));
      let n = numbers.get(e.body);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(e.body, n);
      }
      pairs.push(e.sid, n);
    }
    const argv: Array<string | number> = [ONCE_TTL_SECONDS, ...this.limits(), numbers.size];
    for (const body of numbers.keys()) argv.push(body);
    for (const x of pairs) argv.push(x);
    return [keys, argv];
  }

  async nextId(sid: string): Promise<number> {
    return Number((await this.redis.get(this.key('next', sid))) ?? 0);
  }

  /** Events with id >= next, oldest first. */
  async read(sid: string, next: number, limit = 1000): Promise<ApiEvent[]> {
    return (await this.readRaw(sid, next, limit)).map(parseEvent);
  }

  /** The same as stored: each event's id and JSON text. */
  async readRaw(sid: string, next: number, limit = 1000): Promise<RawEvent[]> {
    const entries = await this.reads.call({ key: this.key('log', sid), from: `${next}-1`, limit });
    // Past the age, not trimmed yet (AGE_CHECK_EVERY): as if it were.
    const oldest = Math.floor(Date.now() / 1000) - this.opts.maxAgeSeconds;
    const out: RawEvent[] = [];
    for (const [entryId, fields] of entries) {
      const t = fields[fields.indexOf('t') + 1];
      if (t !== undefined && Number(t) < oldest) continue;
      out.push({
        id: Number(entryId.slice(0, entryId.indexOf('-'))),
        body: fields[fields.indexOf('e') + 1] ?? '{}',
      });
    }
    return out;
  }

  /** Renews the stream's lifetime together with its session (called on session access). */
  touch(pipeline: ReturnType<Redis['pipeline']>, sid: string): void {
    pipeline.expire(this.key('next', sid), this.opts.idleSeconds);
    pipeline.expire(this.key('log', sid), this.opts.idleSeconds);
  }

  /**
   * Counts the session streams and the events they hold (SCAN + XLEN, in
   * batches, stopping after `maxKeys` streams). O(keys in Redis): for
   * metrics sampled now and then, never on a request path.
   */
  async stats(maxKeys = 100_000): Promise<EventLogStats> {
    let cursor = '0';
    let streams = 0;
    let events = 0;
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.opts.prefix}ev:log:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) {
        const pipeline = this.redis.pipeline();
        for (const k of keys) pipeline.xlen(k);
        for (const [err, n] of (await pipeline.exec()) ?? []) {
          if (err || typeof n !== 'number') continue;
          streams += 1;
          events += n;
        }
      }
      if (streams >= maxKeys) return { streams, events, partial: true };
    } while (cursor !== '0');
    return { streams, events, partial: false };
  }

  async drop(sid: string): Promise<void> {
    await this.redis.del(this.key('next', sid), this.key('log', sid));
  }
}

interface AppendMappedCommand {
  cpAppendEventMapped(...args: Array<string | number>): unknown;
}

/** One session's share of an append: the event as stored (JSON of event, time and fields). */
export interface AppendEntry {
  sid: string;
  body: string;
}

interface ReadManyCommand {
  cpReadEvents(...args: Array<string | number>): Promise<unknown>;
}

interface AppendManyCommands {
  cpAppendEventUsers(...args: Array<string | number>): Promise<unknown>;
  cpAppendEventOnce(...args: Array<string | number>): Promise<unknown>;
  cpAppendEventMany(...args: Array<string | number>): Promise<unknown>;
}

/** Resolves an audience to the ids of the live sessions that should receive an event. */
export interface AudienceResolver {
  sessionsOf(audience: Audience): Promise<string[]>;
}

/** Per-session admission of an event (session filters): the event to queue, or null. */
export type Admission = (
  sids: readonly string[],
  event: Record<string, unknown>,
) => Promise<Array<Record<string, unknown> | null>>;

/**
 * Publishes an event to every session of its audience. Filters (spec 3.27
 * POST /api/event/filter) are applied per session when the event is queued.
 */
export class SessionEventPublisher implements EventPublisher {
  constructor(
    private readonly log: EventLog,
    private readonly audiences: AudienceResolver,
    private readonly admit: Admission,
    /**
     * Users' audiences in one command (EventLog.appendToUsers): the
     * users' session sets, the key prefixes, and the filters' verdicts for
     * the sessions that have one.
     */
    private readonly users?: {
      sets: (users: readonly string[]) => string[];
      keys: { sessions: string; filters: string };
      judge: Judge;
    },
  ) {}

  async publish(
    audience: Audience,
    event: string,
    payload: Record<string, unknown> = {},
    opts: PublishOptions = {},
  ): Promise<void> {
    const time = opts.time ?? Math.floor(Date.now() / 1000);
    if ('users' in audience && opts.once === undefined && this.users) {
      return this.publishToUsers(audience.users, event, time, payload, this.users);
    }
    const sids = await this.audiences.sessionsOf(audience);
    const entries = admittedEntries(sids, await this.admit(sids, { event, time, ...payload }), event, time);
    if (opts.once !== undefined) {
      if (entries.length > 0) await this.log.appendOnce(opts.once, entries);
      return;
    }
    // One command and one wake-up message for the whole audience.
    await this.log.appendMany(entries);
  }

  /**
   * The sessions without a filter get the event in the command that finds
   * them; those with one are judged here and get theirs in a second.
   */
  private async publishToUsers(
    users: readonly string[],
    event: string,
    time: number,
    payload: Record<string, unknown>,
    via: NonNullable<SessionEventPublisher['users']>,
  ): Promise<void> {
    if (users.length === 0) return;
    const filtered = await this.log.appendToUsers(
      via.sets(users),
      via.keys,
      storedJson(event, time, payload),
    );
    if (filtered.length === 0) return;
    const admitted = await via.judge(
      filtered.map((f) => f.filter),
      { event, time, ...payload },
    );
    await this.log.appendMany(
      admittedEntries(
        filtered.map((f) => f.sid),
        admitted,
        event,
        time,
      ),
    );
  }
}

/** The JSON an event is stored as: its name and time first, then its fields (theirs of those names ignored). */
function storedJson(event: string, time: number, fields: Record<string, unknown>): string {
  const { event: _e, time: _t, ...rest } = fields;
  return JSON.stringify({ event, time, ...rest });
}

/**
 * The appends for the sessions an event was admitted to (null: filtered
 * out); sessions sharing one admitted object (no filter, or one it passed)
 * share one JSON text.
 */
function admittedEntries(
  sids: readonly string[],
  admitted: ReadonlyArray<Record<string, unknown> | null>,
  event: string,
  time: number,
): AppendEntry[] {
  const bodies = new Map<Record<string, unknown>, string>();
  const entries: AppendEntry[] = [];
  sids.forEach((sid, i) => {
    const ev = admitted[i];
    if (!ev) return;
    let body = bodies.get(ev);
    if (body === undefined) {
      body = storedJson(event, time, ev);
      bodies.set(ev, body);
    }
    entries.push({ sid, body });
  });
  return entries;
}

/** Applies stored filters (JSON texts) to an event: per filter, the event to queue or null (FilterStore.judge). */
export type Judge = (
  filters: readonly string[],
  event: Record<string, unknown>,
) => Promise<Array<Record<string, unknown> | null>>;
