import type { Redis } from 'ioredis';
import { inCreditRange, type CreditRange } from '../../domain/policy/credit-rules.js';
import { PolicyError } from '../../domain/policy/errors.js';

/**
 * Usergroup credit (spec 9.1.6 .../credit, .../zonefilter): one integer per
 * usergroup at `<prefix>policy:credit:<group-uuid>`.
 *
 * Redis is the system of record for credit, not a cache of a SQL column:
 * every telephony node debits it once per call per tick, and a second copy
 * could only lag behind it. So the SQL schema holds nothing about credit, and
 * Redis must persist (docker-compose runs it with `--appendonly yes`).
 * Deleting a usergroup must call `delete()`.
 *
 * A missing key means "no credit configured" (GET answers no-credit) and, as
 * the spec's DELETE "credit limit" wording says, no limit: debits succeed with
 * balance null. Partner adjustments may take the balance below zero (it is
 * their accounting); debits never do.
 *
 * All changes are single Lua scripts, so concurrent debits from any number of
 * nodes serialise in Redis: a debit either takes the whole tick or nothing,
 * and two calls can never spend the same credit.
 */
const DEBIT_LUA = `
local v = redis.call('GET', KEYS[1])
if not v then return {2, 0} end
local amount = tonumber(ARGV[1])
local balance = tonumber(v)
if amount == 0 then return {1, balance} end
if amount > balance then return {0, balance} end
return {1, redis.call('DECRBY', KEYS[1], amount)}
`;

const ADJUST_LUA = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local nxt = cur + tonumber(ARGV[1])
if nxt > 9007199254740991 or nxt < -9007199254740991 then return {0, cur} end
return {1, redis.call('INCRBY', KEYS[1], ARGV[1])}
`;

interface CreditCommands {
  cpCreditDebit(key: string, amount: number): Promise<[number, number]>;
  cpCreditAdjust(key: string, delta: number): Promise<[number, number]>;
}

export interface DebitResult {
  /** false: the balance cannot pay this amount; nothing was taken and the call must end. */
  ok: boolean;
  /** Balance after the debit (or the unchanged balance when refused); null = no credit configured (no limit). */
  balance: number | null;
}

export class CreditStore {
  private readonly cmd: CreditCommands;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('cpCreditDebit', { numberOfKeys: 1, lua: DEBIT_LUA });
    redis.defineCommand('cpCreditAdjust', { numberOfKeys: 1, lua: ADJUST_LUA });
    this.cmd = redis as unknown as CreditCommands;
  }

  key(groupId: string): string {
    return `${this.prefix}policy:credit:${groupId}`;
  }

  /** Takes `amount` (a tick, spec 9.1.6) atomically, or nothing when the balance is short. */
  async debit(groupId: string, amount: number): Promise<DebitResult> {
    if (!Number.isSafeInteger(amount) || amount < 0)
      throw new RangeError('debit amount must be an integer >= 0');
    const [code, balance] = await this.cmd.cpCreditDebit(this.key(groupId), amount);
    if (code === 2) return { ok: true, balance: null };
    return { ok: code === 1, balance };
  }

  /**
   * Adds `delta` (negative: subtracts), creating the credit at 0 first if the
   * group has none. Returns the new balance. Throws PolicyError wrong-syntax
   * when the balance would leave the exact-integer range.
   */
  async adjust(groupId: string, delta: number): Promise<number> {
    if (!Number.isSafeInteger(delta))
      throw new PolicyError('wrong-syntax', 'credit change must be an integer');
    const [ok, balance] = await this.cmd.cpCreditAdjust(this.key(groupId), delta);
    if (ok !== 1) throw new PolicyError('wrong-syntax', 'the credit would exceed the supported range');
    return balance;
  }

  add(groupId: string, amount: number): Promise<number> {
    return this.adjust(groupId, amount);
  }

  subtract(groupId: string, amount: number): Promise<number> {
    return this.adjust(groupId, -amount);
  }

  /** The balance, or null when the group has no credit configured (spec: no-credit). */
  async get(groupId: string): Promise<number | null> {
    const v = await this.redis.get(this.key(groupId));
    return v === null ? null : Number(v);
  }

  /** Removes the credit (and with it the limit). Returns whether there was one. */
  async delete(groupId: string): Promise<boolean> {
    return (await this.redis.del(this.key(groupId))) > 0;
  }

  /**
   * Balances of the given groups that have credit and lie within the range
   * (GET /api/partner/usergroup/credit), in the order of `groupIds`.
   */
  async list(groupIds: readonly string[], range: CreditRange = {}): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (let i = 0; i < groupIds.length; i += 1000) {
      const chunk = groupIds.slice(i, i + 1000);
      const values = await this.redis.mget(chunk.map((g) => this.key(g)));
      chunk.forEach((g, j) => {
        const v = values[j];
        if (v === null || v === undefined) return;
        const balance = Number(v);
        if (inCreditRange(balance, range)) out[g] = balance;
      });
    }
    return out;
  }
}
