import type { Redis } from 'ioredis';

/**
 * Round-robin position of cyclic ringing (spec 4.1 `cyclic`), shared by every
 * telephony node: one Redis counter per dialplan, so consecutive calls start
 * at consecutive targets whichever node takes them. The choice of the start
 * target from the counter is pure (`cyclicStart` in domain/routing).
 */
export class CyclicCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Idle dialplans forget their position after this long. */
    private readonly ttlSeconds = 30 * 86400,
  ) {}

  private key(dialplanUuid: string): string {
    return `${this.prefix}routing:cyclic:${dialplanUuid.toLowerCase()}`;
  }

  /** The counter value for this call (0 for the first call of a dialplan). */
  async next(dialplanUuid: string): Promise<number> {
    const res = await this.redis
      .multi()
      .incr(this.key(dialplanUuid))
      .expire(this.key(dialplanUuid), this.ttlSeconds)
      .exec();
    return Number(res?.[0]?.[1] ?? 1) - 1;
  }
}
