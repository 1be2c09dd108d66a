import type { Redis } from 'ioredis';
import type { EventPublisher } from '../../events/types.js';
import { RegistrationOrderError } from '../../errors/sip.js';

export { RegistrationOrderError } from '../../errors/sip.js';

/**
 * The location service (RFC 3261 §10.3) shared by every telephony node, in
 * Redis:
 *
 * - `<prefix>reg:b:<sip-name>`: hash, Contact URI -> binding record (JSON)
 * - `<prefix>reg:exp`: sorted set of every binding of every account,
 *   member `<sip-name>\n<contact>`, score = expiry (ms), so sweep() finds the
 *   expired ones without touching the rest.
 *
 * Every change is one Lua script, so nodes registering the same account at
 * once cannot lose a binding or report one twice; events (spec 7.15.4,
 * 7.15.5) go out after the script from the node that made the change.
 * Contacts are compared as the strings the stack passes (it should pass the
 * URI as the device sent it, without the angle brackets and header params).
 */
export interface Binding {
  /** The Contact URI. */
  contact: string;
  /** `ip:port` the REGISTER came from (the spec's `contact` field). */
  source: string;
  transport: 'udp' | 'tcp';
  /** Absolute expiry, ms since epoch. */
  expiresAt: number;
  callId: string;
  cseq: number;
  userAgent?: string;
  /**
   * The REGISTER's Path (RFC 3327), `<uri>` values in order, first = the
   * proxy next to the registrar: requests toward the device go through them.
   */
  path?: string[];
}

export interface RegistrationAccount {
  name: string;
  /** UUID of the user owning the account: the audience of the events. */
  owner: string;
  domain: string;
}

export interface BindRequest {
  contact: string;
  source: string;
  transport: 'udp' | 'tcp';
  /** Seconds; 0 removes the binding (REGISTER with Expires: 0). */
  expires: number;
  callId: string;
  cseq: number;
  userAgent?: string;
  path?: string[];
}

/** Call-ID and CSeq of the REGISTER, for the RFC 3261 §10.3 step 6 check on removals. */
export interface RegisterOrder {
  callId: string;
  cseq: number;
}

/** A binding with the account it belongs to, as operators list them (`callplane admin registrations`). */
export interface AccountBinding extends Binding {
  /** The SIP account (spec 3.21 `user`). */
  account: string;
  /** UUID of the user owning the account. */
  owner: string;
  domain: string;
  /** When the binding was last added or refreshed, ms since epoch. */
  registeredAt: number;
}

/** What is stored per binding: the Binding plus what events and ordering need. */
interface BindingRecord extends Binding {
  owner: string;
  domain: string;
  /** ms of the last REGISTER that added or refreshed it ("newest" = highest). */
  registeredAt: number;
}

/** A record whose key outlives its last expiry by this much is dropped by Redis itself (safety net only). */
const KEY_GRACE_MS = 86_400_000;
const SWEEP_BATCH = 500;

/**
 * Keeps the account's hash alive until its latest binding expires, plus the
 * grace (relative to the caller's clock, as the expiries are).
 */
const TOUCH_LUA = `
local function touch(hash, now)
  local latest = 0
  local all = redis.call('HVALS', hash)
  for _, v in ipairs(all) do
    local e = cjson.decode(v).expiresAt
    if e > latest then latest = e end
  end
  if #all == 0 then redis.call('DEL', hash) else redis.call('PEXPIRE', hash, math.max(latest - now, 0) + ${KEY_GRACE_MS}) end
end
`;

/**
 * KEYS: account hash, expiry zset. ARGV: name, contact, record JSON, call-id,
 * cseq, expiresAt, now, maxContacts. Returns {'order', stored cseq}, or
 * {status, changed record, number of dropped, dropped records..., the other
 * live records... ('bound' only)}; status 'bound' | 'removed' | 'none'.
 */
const BIND_LUA = `${TOUCH_LUA}
local hash, zset = KEYS[1], KEYS[2]
local name, contact, rec = ARGV[1], ARGV[2], ARGV[3]
local cseq, expiresAt, now, max = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local function member(c) return name .. '\\n' .. c end
local dropped = {}
local old = redis.call('HGET', hash, contact)
if old then
  local o = cjson.decode(old)
  if o.expiresAt <= now then
    -- Expired but not swept yet: it ends here, reported like a sweep would.
    redis.call('HDEL', hash, contact)
    redis.call('ZREM', zset, member(contact))
    table.insert(dropped, old)
    old = nil
  elseif o.callId == ARGV[4] and cseq <= o.cseq then
    return {'order', tostring(o.cseq)}
  end
end
if expiresAt <= now then
  if not old then
    touch(hash, now)
    return {'none', '', tostring(#dropped), unpack(dropped)}
  end
  redis.call('HDEL', hash, contact)
  redis.call('ZREM', zset, member(contact))
  touch(hash, now)
  return {'removed', old, tostring(#dropped), unpack(dropped)}
end
redis.call('HSET', hash, contact, rec)
redis.call('ZADD', zset, expiresAt, member(contact))
local live = {}
local all = redis.call('HGETALL', hash)
for i = 1, #all, 2 do
  local c, v = all[i], all[i + 1]
  local o = cjson.decode(v)
  if o.expiresAt <= now then
    redis.call('HDEL', hash, c)
    redis.call('ZREM', zset, member(c))
    table.insert(dropped, v)
  elseif c ~= contact then
    table.insert(live, {c, o.registeredAt, v})
  end
end
-- Over the limit: the least recently registered go first (never the one just bound).
local first = 1
if #live + 1 > max then
  table.sort(live, function(a, b) return a[2] < b[2] end)
  first = #live + 2 - max
  for i = 1, first - 1 do
    redis.call('HDEL', hash, live[i][1])
    redis.call('ZREM', zset, member(live[i][1]))
    table.insert(dropped, live[i][3])
  end
end
touch(hash, now)
local out = {'bound', rec, tostring(#dropped), unpack(dropped)}
for i = first, #live do table.insert(out, live[i][3]) end
return out
`;

/**
 * KEYS: account hash, expiry zset. ARGV: name, contact ('' = all), call-id
 * ('' = no order check), cseq. Returns {status, removed records...}.
 */
const UNBIND_LUA = `
local hash, zset = KEYS[1], KEYS[2]
local name, contact, callId, cseq = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local entries = {}
if contact == '' then
  entries = redis.call('HGETALL', hash)
else
  local v = redis.call('HGET', hash, contact)
  if v then entries = {contact, v} end
end
if callId ~= '' then
  for i = 1, #entries, 2 do
    local o = cjson.decode(entries[i + 1])
    if o.callId == callId and cseq <= o.cseq then return {'order', entries[i], tostring(o.cseq)} end
  end
end
local out = {'removed'}
for i = 1, #entries, 2 do
  redis.call('HDEL', hash, entries[i])
  redis.call('ZREM', zset, name .. '\\n' .. entries[i])
  table.insert(out, entries[i + 1])
end
if redis.call('HLEN', hash) == 0 then redis.call('DEL', hash) end
return out
`;

/**
 * KEYS: expiry zset. ARGV: hash key prefix, now, batch size. Removes up to a
 * batch of expired bindings; returns {members seen, name, record, name, record...}.
 */
const SWEEP_LUA = `
local zset, base, now = KEYS[1], ARGV[1], tonumber(ARGV[2])
local members = redis.call('ZRANGEBYSCORE', zset, '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {tostring(#members)}
for _, m in ipairs(members) do
  local at = string.find(m, '\\n', 1, true)
  redis.call('ZREM', zset, m)
  if at then
    local name, contact = string.sub(m, 1, at - 1), string.sub(m, at + 1)
    local hash = base .. name
    local v = redis.call('HGET', hash, contact)
    if v then
      local e = cjson.decode(v).expiresAt
      if e <= now then
        redis.call('HDEL', hash, contact)
        if redis.call('HLEN', hash) == 0 then redis.call('DEL', hash) end
        table.insert(out, name)
        table.insert(out, v)
      else
        redis.call('ZADD', zset, e, m)
      end
    end
  end
end
return out
`;

interface RegistrationCommands {
  cpRegBind(hash: string, zset: string, ...args: (string | number)[]): Promise<string[]>;
  cpRegUnbind(hash: string, zset: string, ...args: (string | number)[]): Promise<string[]>;
  cpRegSweep(zset: string, base: string, now: number, batch: number): Promise<string[]>;
}

export const DEFAULT_MAX_CONTACTS = 10;

/**
 * Told when an account is registered (called on every successful bind, with
 * the latest expiry of its bindings) and when it has no binding left (usage
 * peaks, spec 13.1.3). Must not throw.
 */
export type AccountObserver = (
  account: { name: string; owner: string },
  registered: boolean,
  expiresAt: number,
) => Promise<void>;

const toBinding = (r: BindingRecord): Binding => ({
  contact: r.contact,
  source: r.source,
  transport: r.transport,
  expiresAt: r.expiresAt,
  callId: r.callId,
  cseq: r.cseq,
  ...(r.userAgent !== undefined ? { userAgent: r.userAgent } : {}),
  ...(r.path !== undefined ? { path: r.path } : {}),
});

const newestFirst = (a: BindingRecord, b: BindingRecord): number =>
  b.registeredAt - a.registeredAt || b.expiresAt - a.expiresAt;

export class RegistrationStore {
  private readonly cmd: RegistrationCommands;
  private readonly maxContacts: number;
  private readonly now: () => number;

  private readonly onAccount: AccountObserver | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly events: EventPublisher,
    opts: { maxContacts?: number; now?: () => number; onAccount?: AccountObserver } = {},
  ) {
    this.onAccount = opts.onAccount;
    this.maxContacts = opts.maxContacts ?? DEFAULT_MAX_CONTACTS;
    if (!Number.isSafeInteger(this.maxContacts) || this.maxContacts < 1)
      throw new RangeError('maxContacts must be a positive integer');
    this.now = opts.now ?? Date.now;
    redis.defineCommand('cpRegBind', { numberOfKeys: 2, lua: BIND_LUA });
    redis.defineCommand('cpRegUnbind', { numberOfKeys: 2, lua: UNBIND_LUA });
    redis.defineCommand('cpRegSweep', { numberOfKeys: 1, lua: SWEEP_LUA });
    this.cmd = redis as unknown as RegistrationCommands;
  }

  private hashKey(name: string): string {
    return `${this.prefix}reg:b:${name}`;
  }

  private get expiryKey(): string {
    return `${this.prefix}reg:exp`;
  }

  /**
   * Adds or refreshes the binding of `b.contact` (expires 0 removes it) and
   * returns the account's current bindings, newest first. Throws
   * RegistrationOrderError for an out-of-order REGISTER (RFC 3261 §10.3 step 6).
   */
  async bind(account: RegistrationAccount, b: BindRequest): Promise<Binding[]> {
    if (!account.name || account.name.includes('\n')) throw new RangeError('an account name is required');
    if (!b.contact || b.contact.includes('\n')) throw new RangeError('a Contact URI is required');
    if (!Number.isSafeInteger(b.expires) || b.expires < 0)
      throw new RangeError('expires must be seconds >= 0');
    if (!Number.isSafeInteger(b.cseq) || b.cseq < 0) throw new RangeError('cseq must be an integer >= 0');
    const now = Math.floor(this.now());
    const expiresAt = b.expires === 0 ? now : now + b.expires * 1000;
    const record: BindingRecord = {
      contact: b.contact,
      source: b.source,
      transport: b.transport,
      expiresAt,
      callId: b.callId,
      cseq: b.cseq,
      ...(b.userAgent !== undefined ? { userAgent: b.userAgent } : {}),
      ...(b.path !== undefined && b.path.length > 0 ? { path: b.path } : {}),
      owner: account.owner,
      domain: account.domain,
      registeredAt: now,
    };
    const [status, changed = '', count = '0', ...rest] = await this.cmd.cpRegBind(
      this.hashKey(account.name),
      this.expiryKey,
      account.name,
      b.contact,
      JSON.stringify(record),
      b.callId,
      b.cseq,
      expiresAt,
      now,
      this.maxContacts,
    );
    if (status === 'order') throw new RegistrationOrderError(b.contact, Number(changed), b.cseq);
    const dropped = rest.slice(0, Number(count));
    for (const d of dropped) await this.unregistered(account.name, JSON.parse(d) as BindingRecord);
    if (status === 'removed') await this.unregistered(account.name, JSON.parse(changed) as BindingRecord);
    if (status === 'bound') {
      // spec 7.15.4: contact = the registration origin, expire = absolute seconds.
      await this.events.publish({ users: [account.owner] }, 'sip_register', {
        user: account.name,
        domain: account.domain,
        contact: b.source,
        expire: Math.floor(expiresAt / 1000),
      });
    }
    if (status !== 'bound') return this.bindings(account.name);
    // The script's own view of the account right after the bind: no second read.
    // The script's live records are unexpired by the same clock.
    const live = [record, ...rest.slice(dropped.length).map((v) => JSON.parse(v) as BindingRecord)].sort(
      newestFirst,
    );
    await this.onAccount?.(account, true, Math.max(...live.map((l) => l.expiresAt)));
    return live.map(toBinding);
  }

  /** Removes one binding; false when there was none. */
  async unbind(account: RegistrationAccount, contact: string, order?: RegisterOrder): Promise<boolean> {
    return (await this.remove(account, contact, order)) > 0;
  }

  /** `Contact: *` with `Expires: 0`: removes every binding of the account; returns how many. */
  async unbindAll(account: RegistrationAccount, order?: RegisterOrder): Promise<number> {
    return this.remove(account, '', order);
  }

  private async remove(
    account: RegistrationAccount,
    contact: string,
    order?: RegisterOrder,
  ): Promise<number> {
    const [status, ...rest] = await this.cmd.cpRegUnbind(
      this.hashKey(account.name),
      this.expiryKey,
      account.name,
      contact,
      order?.callId ?? '',
      order?.cseq ?? 0,
    );
    if (status === 'order')
      throw new RegistrationOrderError(rest[0] ?? contact, Number(rest[1]), order?.cseq ?? 0);
    for (const r of rest) await this.unregistered(account.name, JSON.parse(r) as BindingRecord);
    return rest.length;
  }

  /** The account's bindings that have not expired, the most recently registered first. */
  async bindings(name: string): Promise<Binding[]> {
    return (await this.live(name)).map(toBinding);
  }

  /** The newest live binding of each of `names` (one round trip), for GET /api/sip. */
  async newest(names: readonly string[]): Promise<Map<string, Binding>> {
    const out = new Map<string, Binding>();
    if (names.length === 0) return out;
    const pipeline = this.redis.pipeline();
    for (const n of names) pipeline.hvals(this.hashKey(n));
    const res = (await pipeline.exec()) ?? [];
    const now = this.now();
    names.forEach((n, i) => {
      const values = (res[i]?.[1] as string[] | undefined) ?? [];
      const best = values
        .map((v) => JSON.parse(v) as BindingRecord)
        .filter((r) => r.expiresAt > now)
        .sort(newestFirst)[0];
      if (best) out.set(n, toBinding(best));
    });
    return out;
  }

  /** How many bindings of all accounts are live now (one ZCOUNT). */
  async count(): Promise<number> {
    return this.redis.zcount(this.expiryKey, `(${Math.floor(this.now())}`, '+inf');
  }

  /**
   * The live bindings of `names`, or of every account when `names` is
   * omitted (read from the expiry index), ordered by account, newest first.
   */
  async list(names?: readonly string[]): Promise<AccountBinding[]> {
    const now = Math.floor(this.now());
    let accounts: string[];
    if (names) {
      accounts = [...new Set(names)];
    } else {
      const members = await this.redis.zrangebyscore(this.expiryKey, `(${now}`, '+inf');
      accounts = [...new Set(members.map((m) => m.slice(0, Math.max(0, m.indexOf('\n')))))].filter(
        (n) => n !== '',
      );
    }
    accounts.sort();
    const out: AccountBinding[] = [];
    for (let i = 0; i < accounts.length; i += SWEEP_BATCH) {
      const batch = accounts.slice(i, i + SWEEP_BATCH);
      const pipeline = this.redis.pipeline();
      for (const n of batch) pipeline.hvals(this.hashKey(n));
      const res = (await pipeline.exec()) ?? [];
      batch.forEach((account, j) => {
        const values = (res[j]?.[1] as string[] | undefined) ?? [];
        const live = values
          .map((v) => JSON.parse(v) as BindingRecord)
          .filter((r) => r.expiresAt > now)
          .sort(newestFirst);
        for (const r of live)
          out.push({
            account,
            owner: r.owner,
            domain: r.domain,
            registeredAt: r.registeredAt,
            ...toBinding(r),
          });
      });
    }
    return out;
  }

  private async live(name: string): Promise<BindingRecord[]> {
    const now = this.now();
    return (await this.redis.hvals(this.hashKey(name)))
      .map((v) => JSON.parse(v) as BindingRecord)
      .filter((r) => r.expiresAt > now)
      .sort(newestFirst);
  }

  /**
   * Removes the expired bindings of all accounts and publishes sip_unregister
   * for each; returns how many. Safe to run on every node at once: each
   * binding is removed (and reported) by exactly one of them.
   */
  async sweep(): Promise<number> {
    const now = Math.floor(this.now());
    let removed = 0;
    for (;;) {
      const [seen = '0', ...pairs] = await this.cmd.cpRegSweep(
        this.expiryKey,
        `${this.prefix}reg:b:`,
        now,
        SWEEP_BATCH,
      );
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        await this.unregistered(pairs[i]!, JSON.parse(pairs[i + 1]!) as BindingRecord);
        removed++;
      }
      if (Number(seen) < SWEEP_BATCH) return removed;
    }
  }

  /** spec 7.15.5 */
  private async unregistered(name: string, r: BindingRecord): Promise<void> {
    await this.events.publish({ users: [r.owner] }, 'sip_unregister', {
      user: name,
      domain: r.domain,
      contact: r.source,
    });
    if (this.onAccount && (await this.live(name)).length === 0) {
      await this.onAccount({ name, owner: r.owner }, false, 0);
    }
  }
}
