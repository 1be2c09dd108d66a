import type { Redis } from 'ioredis';

/**
 * Channel subscriptions of sessions (conference events, call API events):
 * sub:<channel> is a sorted set of sid -> expiry (ms since epoch). A member is
 * live while its expiry is in the future and its session still exists; dead
 * members are pruned when the channel is resolved.
 */
export class ChannelSubscriptions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly sessionExists: (sids: string[]) => Promise<boolean[]>,
  ) {}

  private key(channel: string): string {
    return `${this.prefix}sub:${channel}`;
  }

  /** Subscribes (or renews) a session; without ttl the subscription lasts as long as the session. */
  async subscribe(channel: string, sid: string, ttlSeconds?: number): Promise<void> {
    const expiry = ttlSeconds === undefined ? Number.MAX_SAFE_INTEGER : Date.now() + ttlSeconds * 1000;
    await this.redis.zadd(this.key(channel), String(expiry), sid);
  }

  async unsubscribe(channel: string, sid: string): Promise<void> {
    await this.redis.zrem(this.key(channel), sid);
  }

  async isSubscribed(channel: string, sid: string): Promise<boolean> {
    const score = await this.redis.zscore(this.key(channel), sid);
    return score !== null && Number(score) > Date.now();
  }

  /** Live subscribers of a channel, oldest subscription first. */
  async sessionsOf(channel: string): Promise<string[]> {
    const key = this.key(channel);
    // Prune and read in one round trip: this is on every channel event's publish path.
    const res = await this.redis
      .pipeline()
      .zremrangebyscore(key, '-inf', String(Date.now()))
      .zrange(key, '0', '-1')
      .exec();
    const failed = res?.find(([err]) => err)?.[0];
    if (failed) throw failed;
    const sids = (res?.[1]?.[1] ?? []) as string[];
    if (sids.length === 0) return [];
    const alive = await this.sessionExists(sids);
    const dead = sids.filter((_, i) => !alive[i]);
    if (dead.length) await this.redis.zrem(key, ...dead);
    return sids.filter((_, i) => alive[i]);
  }
}
