import type { Redis } from 'ioredis';
import type { Audience, EventPublisher, PublishOptions } from '../events/types.js';

/**
 * A short-lived per-process cache of rendered `GET /api/user` profiles, the
 * hottest read of the API. Entries are dropped on every node when the user's
 * data changes: every such change publishes `user_modify` (spec 7.1.3), and
 * the publisher wrapper below broadcasts the invalidation over Redis pub/sub.
 * The TTL bounds what has no event of its own (storage used by new objects).
 */
export class ProfileCache<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();
  private subscriber: Redis | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  private listen(): void {
    if (this.subscriber || this.ttlMs <= 0) return;
    const sub = this.redis.duplicate();
    sub.on('error', () => undefined);
    sub.on('message', (_c: string, userId: string) => this.entries.delete(userId));
    void sub.subscribe(this.channel).catch(() => undefined);
    this.subscriber = sub;
  }

  async get(userId: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = this.entries.get(userId);
    const now = Date.now();
    if (hit && hit.expires > now) return hit.value;
    this.listen();
    const value = await load();
    if (value !== undefined && this.ttlMs > 0) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(userId, { value, expires: now + this.ttlMs });
    }
    return value;
  }

  /** Drops the users' entries here and on every other node. */
  async invalidate(userIds: readonly string[]): Promise<void> {
    for (const u of userIds) {
      this.entries.delete(u);
      await this.redis.publish(this.channel, u);
    }
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.entries.clear();
  }
}

/** A publisher that invalidates cached profiles whenever `user_modify` goes out. */
export function invalidatingPublisher<T>(inner: EventPublisher, cache: ProfileCache<T>): EventPublisher {
  return {
    async publish(
      audience: Audience,
      event: string,
      payload?: Record<string, unknown>,
      opts?: PublishOptions,
    ): Promise<void> {
      if (event === 'user_modify' && 'users' in audience) await cache.invalidate(audience.users);
      await inner.publish(audience, event, payload, opts);
    },
  };
}
