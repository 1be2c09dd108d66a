import type { Redis } from 'ioredis';

/**
 * Concurrent call limit per usergroup (spec 9.1.6 .../limit), shared by all
 * telephony nodes: `<prefix>policy:calls:<group-uuid>` is a sorted set of the
 * group's live call ids, scored by lease expiry (ms, Redis clock).
 *
 * A call takes a slot with acquire() before it is placed, renews the lease
 * while it lasts (every leaseMs / 3 is a good pace) and releases it at the end.
 * A node that crashes stops renewing; its leases lapse and the next acquire
 * prunes them, so a crash holds slots for at most one lease, never forever.
 * Times come from Redis (TIME), so node clocks do not matter.
 *
 * The limit itself is configuration (SQL, via the API); pass null when the
 * group has none: the call is still counted, so a limit set later sees the
 * calls already running. A limit of 0 refuses every call (spec).
 */
const NOW_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** Keeps the key alive as long as its longest lease, never shorter. */
const EXTEND_TTL_LUA = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl < lease then redis.call('PEXPIRE', KEYS[1], lease) end
`;

const ACQUIRE_LUA = `${NOW_LUA}
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = redis.call('ZCARD', KEYS[1])
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  local limit = tonumber(ARGV[2])
  if limit >= 0 and n >= limit then return {0, n} end
  n = n + 1
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
${EXTEND_TTL_LUA}
return {1, n}
`;

/**
 * ACQUIRE_LUA with the credit check of the call in the same round trip
 * (trunk-gate.ts): KEYS[2] is the group's credit (credit.ts), ARGV[4] the
 * amount the first tick needs. A balance below it refuses the call without
 * taking a slot ({2, n}); a missing credit key means no limit. Returns
 * {1, n} when the slot is taken, {0, n} at the limit.
 */
const ADMIT_LUA = `${NOW_LUA}
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = redis.call('ZCARD', KEYS[1])
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not held then
  local limit = tonumber(ARGV[2])
  if limit >= 0 and n >= limit then return {0, n} end
end
local balance = redis.call('GET', KEYS[2])
if balance and tonumber(balance) < tonumber(ARGV[4]) then return {2, n} end
if not held then n = n + 1 end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
${EXTEND_TTL_LUA}
return {1, n}
`;

const RENEW_LUA = `${NOW_LUA}
local lease = tonumber(ARGV[2])
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry then return 0 end
if tonumber(expiry) <= now then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[1])
${EXTEND_TTL_LUA}
return 1
`;

const COUNT_LUA = `${NOW_LUA}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
`;

interface LimitCommands {
  cpLimitAcquire(key: string, callId: string, limit: number, leaseMs: number): Promise<[number, number]>;
  cpLimitAdmit(
    key: string,
    creditKey: string,
    callId: string,
    limit: number,
    leaseMs: number,
    need: number,
  ): Promise<[number, number]>;
  cpLimitRenew(key: string, callId: string, leaseMs: number): Promise<number>;
  cpLimitCount(key: string): Promise<number>;
}

export const DEFAULT_CALL_LEASE_MS = 90_000;

export interface AcquireResult {
  /** false: the group is at its limit (or, for admit(), short of credit); the call must not be placed. */
  ok: boolean;
  /** Why a call was refused by admit(). */
  refused?: 'limit' | 'credit';
  /** Live calls of the group, this one included when ok. */
  active: number;
}

export class CallLimiter {
  private readonly cmd: LimitCommands;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly leaseMs: number = DEFAULT_CALL_LEASE_MS,
  ) {
    redis.defineCommand('cpLimitAcquire', { numberOfKeys: 1, lua: ACQUIRE_LUA });
    redis.defineCommand('cpLimitAdmit', { numberOfKeys: 2, lua: ADMIT_LUA });
    redis.defineCommand('cpLimitRenew', { numberOfKeys: 1, lua: RENEW_LUA });
    redis.defineCommand('cpLimitCount', { numberOfKeys: 1, lua: COUNT_LUA });
    this.cmd = redis as unknown as LimitCommands;
  }

  key(groupId: string): string {
    return `${this.prefix}policy:calls:${groupId}`;
  }

  /**
   * Takes a slot for `callId` unless the group already has `limit` live calls
   * (null = no limit). Idempotent: acquiring a held slot again renews it.
   */
  async acquire(
    groupId: string,
    callId: string,
    limit: number | null,
    leaseMs = this.leaseMs,
  ): Promise<AcquireResult> {
    checkLease(leaseMs);
    if (limit !== null && (!Number.isSafeInteger(limit) || limit < 0))
      throw new RangeError('limit must be an integer >= 0 or null');
    const [ok, active] = await this.cmd.cpLimitAcquire(this.key(groupId), callId, limit ?? -1, leaseMs);
    return { ok: ok === 1, active };
  }

  /**
   * acquire() and the credit check of a rated call in one round trip: the
   * slot is taken only when the group is under its limit and its credit at
   * `creditKey` (CreditStore.key) holds at least `need` (no credit
   * configured: no limit). The limit is checked first.
   */
  async admit(
    groupId: string,
    callId: string,
    limit: number | null,
    credit: { key: string; need: number },
    leaseMs = this.leaseMs,
  ): Promise<AcquireResult> {
    checkLease(leaseMs);
    if (limit !== null && (!Number.isSafeInteger(limit) || limit < 0))
      throw new RangeError('limit must be an integer >= 0 or null');
    if (!Number.isSafeInteger(credit.need) || credit.need < 0)
      throw new RangeError('need must be an integer >= 0');
    const [code, active] = await this.cmd.cpLimitAdmit(
      this.key(groupId),
      credit.key,
      callId,
      limit ?? -1,
      leaseMs,
      credit.need,
    );
    if (code === 1) return { ok: true, active };
    return { ok: false, active, refused: code === 0 ? 'limit' : 'credit' };
  }

  /**
   * Extends the lease. false when it had already lapsed (the slot may have been
   * given to another call): the caller re-acquires, which may be refused.
   */
  async renew(groupId: string, callId: string, leaseMs = this.leaseMs): Promise<boolean> {
    checkLease(leaseMs);
    return (await this.cmd.cpLimitRenew(this.key(groupId), callId, leaseMs)) === 1;
  }

  /** Frees the slot; false when the call held none. */
  async release(groupId: string, callId: string): Promise<boolean> {
    return (await this.redis.zrem(this.key(groupId), callId)) > 0;
  }

  /** Live calls of the group (expired leases not counted). */
  active(groupId: string): Promise<number> {
    return this.cmd.cpLimitCount(this.key(groupId));
  }
}

function checkLease(leaseMs: number): void {
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 1)
    throw new RangeError('lease must be a positive integer of ms');
}
