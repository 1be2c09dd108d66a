import type { Redis } from 'ioredis';
import { randomToken } from '../lib/ids.js';
import { TickBatch } from '../lib/tick-batch.js';

/** Renewing a day-long idle expiry more often than this buys nothing. */
const RENEW_INTERVAL_MS = 60_000;
const RENEW_MEMORY = 100_000;

export type SessionKind = 'anonymous' | 'user' | 'partner';

export interface Session {
  sid: string;
  did: string;
  kind: SessionKind;
  language: 'de' | 'en';
  /** Origin header of the creating request; later requests must match (spec 2.1 wrong-origin). */
  origin?: string;
  /** Authenticated user (user or partner-proxy sessions). */
  userId?: string;
  /** Partner of a partner session, or the partner the user belongs to. */
  partnerId?: string;
  partnerName?: string;
  /** True when a partner authenticated this session for one of its users. */
  proxy?: boolean;
  /** Subscribed to its partner's CDR events once: its event cursor acknowledges CDRs (events/partner-cdr.ts). */
  cdrEvents?: boolean;
  createdAt: number;
}

/**
 * KEYS: a user's session set. ARGV: the session key prefix. The members
 * whose session still exists; the others leave the set.
 */
const LIVE_SESSIONS_LUA = `
local out = {}
for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. sid) == 1 then
    table.insert(out, sid)
  else
    redis.call('SREM', KEYS[1], sid)
  end
end
return out
`;

interface SessionCommands {
  cpLiveSessions(set: string, sessionPrefix: string): Promise<string[]>;
}

/** Sessions held in memory per process (see SessionStore.get); past it the memory starts afresh. */
const CACHE_MAX = 100_000;

/**
 * Sessions live in Redis with an idle expiry so any API node serves any session
 * and a restart loses none. Keys: session:<sid> (JSON), did:<did> -> sid,
 * user-sessions:<uuid> (set of sids, to end a disabled user's sessions).
 *
 * Every request reads its session, so a process keeps the sessions it
 * renewed in memory until the next renewal is due (`cache: true`). Each
 * save or delete publishes the sid on `session:changed`, and every process
 * drops its copy when it hears it (the one that made the change at once);
 * without its subscription (not yet, or the connection lost) a process
 * reads Redis every time, as without the cache.
 */
export class SessionStore {
  /** When this process last renewed each session's expiry. */
  private readonly renewedAt = new Map<string, number>();
  private readonly cache = new Map<string, { session: Session; until: number }>();
  private subscriber: Redis | null = null;
  /** Subscribed to the change channel: what is read may be kept. */
  private listening = false;
  /** Bumped by every change heard and every connection event: a read that saw one keeps nothing. */
  private generation = 0;
  /** Extra keys that live and die with a session (event stream, filter), renewed on access. */
  private readonly touchers: Array<(pipeline: ReturnType<Redis['pipeline']>, sid: string) => void> = [];
  /** Session reads of the same turn of the event loop in one MGET (requests arriving together). */
  private readonly reads = new TickBatch<string, string | null>((keys) =>
    keys.length === 1 ? this.redis.get(keys[0]!).then((v) => [v]) : this.redis.mget(keys),
  );

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly idleSeconds: number,
    private readonly opts: { cache?: boolean } = {},
  ) {
    redis.defineCommand('cpLiveSessions', { numberOfKeys: 1, lua: LIVE_SESSIONS_LUA });
  }

  private get changes(): string {
    return `${this.prefix}session:changed`;
  }

  /** Subscribes to the change channel once (cache: true); until it is in place nothing is kept. */
  private listen(): void {
    if (this.subscriber || !this.opts.cache) return;
    const sub = this.redis.duplicate();
    sub.on('error', () => undefined);
    sub.on('message', (_c: string, sid: string) => {
      this.cache.delete(sid);
      this.generation++;
    });
    const lost = (): void => {
      this.listening = false;
      this.cache.clear();
      this.generation++;
    };
    const subscribe = (): void => {
      sub.subscribe(this.changes).then(
        () => {
          if (this.subscriber !== sub) return;
          this.listening = true;
          this.generation++;
        },
        () => undefined,
      );
    };
    sub.on('close', lost);
    // After a reconnection, keep nothing until the subscription is known to be back.
    let connections = 0;
    sub.on('ready', () => {
      if (connections++ === 0) return; // the first: subscribe() below is on its way
      lost();
      subscribe();
    });
    this.subscriber = sub;
    subscribe();
  }

  /** Drops a session's copy here and, through the change channel, on every node. */
  private changed(m: ReturnType<Redis['multi']>, sid: string): void {
    this.cache.delete(sid);
    this.generation++;
    m.publish(this.changes, sid);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.listening = false;
    this.cache.clear();
  }

  onTouch(toucher: (pipeline: ReturnType<Redis['pipeline']>, sid: string) => void): void {
    this.touchers.push(toucher);
  }

  /** For each sid, whether its session still exists. */
  async exists(sids: readonly string[]): Promise<boolean[]> {
    if (sids.length === 0) return [];
    const p = this.redis.pipeline();
    for (const sid of sids) p.exists(this.k('session', sid));
    const res = (await p.exec()) ?? [];
    return sids.map((_, i) => Number(res[i]?.[1] ?? 0) === 1);
  }

  private k(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  async create(init: { language: 'de' | 'en'; origin?: string | undefined }): Promise<Session> {
    const session: Session = {
      sid: randomToken(30),
      did: randomToken(30),
      kind: 'anonymous',
      language: init.language,
      createdAt: Date.now(),
      ...(init.origin ? { origin: init.origin } : {}),
    };
    await this.redis
      .multi()
      .set(this.k('session', session.sid), JSON.stringify(session), 'EX', this.idleSeconds)
      .set(this.k('did', session.did), session.sid, 'EX', this.idleSeconds)
      .exec();
    return session;
  }

  /**
   * Reads a session. Its idle expiry (and that of the keys living with it:
   * event stream, filter, did) is renewed in the same round trip, at most
   * once a minute per session and process, so the hot path is one GET.
   */
  /**
   * The session when this process keeps it in memory (see get()), without
   * waiting for anything; undefined when only get() can tell.
   */
  peek(sid: string): Session | undefined {
    const hit = this.cache.get(sid);
    if (!hit) return undefined;
    // A copy: a caller changing its session before saving it changes no other request's.
    if (hit.until > Date.now()) return { ...hit.session };
    this.cache.delete(sid);
    return undefined;
  }

  async get(sid: string): Promise<Session | null> {
    const now = Date.now();
    const hit = this.peek(sid);
    if (hit) return hit;
    this.listen();
    const generation = this.generation;
    const renew = now - (this.renewedAt.get(sid) ?? 0) >= RENEW_INTERVAL_MS;
    let raw: unknown;
    if (renew) {
      const p = this.redis.pipeline().getex(this.k('session', sid), 'EX', this.idleSeconds);
      for (const touch of this.touchers) touch(p, sid);
      raw = (await p.exec())?.[0]?.[1];
    } else {
      raw = await this.reads.call(this.k('session', sid));
    }
    if (typeof raw !== 'string') {
      this.renewedAt.delete(sid);
      return null;
    }
    const session = JSON.parse(raw) as Session;
    if (renew) {
      if (this.renewedAt.size >= RENEW_MEMORY) this.renewedAt.clear();
      this.renewedAt.set(sid, now);
      void this.redis.expire(this.k('did', session.did), this.idleSeconds).catch(() => undefined);
    }
    // Kept until the next renewal is due, and never past half the idle time it was renewed for.
    const until = (this.renewedAt.get(sid) ?? 0) + Math.min(RENEW_INTERVAL_MS, this.idleSeconds * 500);
    if (this.listening && generation === this.generation && until > now) {
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(sid, { session: { ...session }, until });
    }
    return session;
  }

  async sidForDid(did: string): Promise<string | null> {
    return this.redis.get(this.k('did', did));
  }

  async save(session: Session): Promise<void> {
    const m = this.redis
      .multi()
      .set(this.k('session', session.sid), JSON.stringify(session), 'EX', this.idleSeconds);
    // The keys living with the session get the same new lifetime: left at an older renewal's, the
    // event stream's id counter could go before the session and start again at 0 under a client's cursor.
    for (const touch of this.touchers) touch(m, session.sid);
    m.expire(this.k('did', session.did), this.idleSeconds);
    if (session.userId) m.sadd(this.k('user-sessions', session.userId), session.sid);
    this.changed(m, session.sid);
    await m.exec();
  }

  async delete(session: Session): Promise<void> {
    const m = this.redis.multi().del(this.k('session', session.sid)).del(this.k('did', session.did));
    if (session.userId) m.srem(this.k('user-sessions', session.userId), session.sid);
    this.changed(m, session.sid);
    await m.exec();
  }

  /** The key of a user's session set, and the prefix of session keys, for scripts that read them. */
  userSetKey(userId: string): string {
    return this.k('user-sessions', userId);
  }

  get sessionKeyPrefix(): string {
    return this.k('session', '');
  }

  /** The user's live sessions (one round trip; sessions that expired leave the user's set). */
  async sessionsOfUser(userId: string): Promise<string[]> {
    return (this.redis as unknown as SessionCommands).cpLiveSessions(
      this.k('user-sessions', userId),
      this.k('session', ''),
    );
  }

  /** Ends every session of a user (disabled, deleted). */
  async deleteUserSessions(userId: string): Promise<void> {
    const sids = await this.redis.smembers(this.k('user-sessions', userId));
    for (const sid of sids) {
      const s = await this.get(sid);
      if (s) await this.delete(s);
    }
    await this.redis.del(this.k('user-sessions', userId));
  }

  /**
   * Counts session creations per client address in a fixed window; true when
   * the address is over the limit (spec 3.1 resource-throttle).
   */
  async overCreateLimit(ip: string, limit: number, windowSeconds: number): Promise<boolean> {
    const key = this.k('throttle:session', ip);
    const res = await this.redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec();
    const count = Number(res?.[0]?.[1] ?? 0);
    return count > limit;
  }
}
