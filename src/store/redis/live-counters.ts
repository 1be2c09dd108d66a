import type { Redis } from 'ioredis';

/**
 * What is live right now, per scope, for the peaks of usage statistics
 * (spec 13.1.3-13.1.4): `<prefix>usage:live:<kind>:<scope>` is a sorted set of
 * live item ids (a SIP account with a binding, a call) scored by when the
 * item lapses (ms). Entering and leaving are idempotent, and an item whose
 * leave never came (a node crashed) lapses by itself instead of inflating
 * the counts forever. Each enter also keeps the day's maximum of every scope
 * in `<prefix>usage:max:<day>` and returns the scopes whose maximum it
 * raised, so the database is written only when a peak actually rises.
 */
export type LiveKind = 'registrations' | 'calls';

const ENTER_LUA = `
local now, lapse, id, day_key = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], KEYS[1]
local raised = {}
for i = 2, #KEYS do
  local set, scope = KEYS[i], ARGV[2 + i]
  redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
  redis.call('ZADD', set, lapse, id)
  local top = redis.call('ZRANGE', set, -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', set, math.max(tonumber(top[2]), lapse))
  local n = redis.call('ZCARD', set)
  local was = tonumber(redis.call('HGET', day_key, scope) or '0')
  if n > was then
    redis.call('HSET', day_key, scope, n)
    table.insert(raised, scope)
    table.insert(raised, tostring(n))
  end
end
redis.call('PEXPIRE', day_key, 3 * 86400000)
return raised
`;

interface LiveCommands {
  cpLiveEnter(...args: Array<string | number>): Promise<string[]>;
}

export class LiveCounters {
  private readonly cmd: LiveCommands;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('cpLiveEnter', { lua: ENTER_LUA });
    this.cmd = redis as unknown as LiveCommands;
  }

  private set(kind: LiveKind, scope: string): string {
    return `${this.prefix}usage:live:${kind}:${scope}`;
  }

  /**
   * `id` is live in every scope until `lapseMs` (or leave). Returns the scopes
   * whose count for `day` rose to a new maximum, with that maximum.
   */
  async enter(
    kind: LiveKind,
    id: string,
    scopes: readonly string[],
    lapseMs: number,
    day: string,
    now = Date.now(),
  ): Promise<Array<{ scope: string; count: number }>> {
    const keys = [`${this.prefix}usage:max:${day}:${kind}`, ...scopes.map((s) => this.set(kind, s))];
    const out = await this.cmd.cpLiveEnter(keys.length, ...keys, now, lapseMs, id, ...scopes);
    const raised: Array<{ scope: string; count: number }> = [];
    for (let i = 0; i + 1 < out.length; i += 2) raised.push({ scope: out[i]!, count: Number(out[i + 1]) });
    return raised;
  }

  async leave(kind: LiveKind, id: string, scopes: readonly string[]): Promise<void> {
    if (scopes.length === 0) return;
    const p = this.redis.pipeline();
    for (const s of scopes) p.zrem(this.set(kind, s), id);
    await p.exec();
  }

  /** Live items of a scope now. */
  async count(kind: LiveKind, scope: string, now = Date.now()): Promise<number> {
    return this.redis.zcount(this.set(kind, scope), `(${now}`, '+inf');
  }
}
