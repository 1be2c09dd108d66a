/**
 * Idempotency keys (beyond the spec; issue 16): the first request with a key
 * claims it (SET NX) and stores its answer; a retry with the same key within
 * the key's lifetime, on any API node, gets that answer and starts nothing.
 * `<prefix>idem:<scope>:<key>` holds "pending" while the first request runs,
 * then the answer (JSON).
 */
import type { Redis } from 'ioredis';

export const IDEMPOTENCY_TTL_S = 24 * 3600;
const PENDING = 'pending';

export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlS = IDEMPOTENCY_TTL_S,
  ) {}

  private key(scope: string, key: string): string {
    return `${this.prefix}idem:${scope}:${key}`;
  }

  /** true: this request owns the key and must store its answer (or release it). */
  async claim(scope: string, key: string): Promise<boolean> {
    return (await this.redis.set(this.key(scope, key), PENDING, 'EX', this.ttlS, 'NX')) === 'OK';
  }

  /** The stored answer; null while the first request still runs (or when the key is unknown). */
  async answer(
    scope: string,
    key: string,
  ): Promise<{ state: 'pending' | 'none' } | { state: 'done'; answer: unknown }> {
    const text = await this.redis.get(this.key(scope, key));
    if (text === null) return { state: 'none' };
    if (text === PENDING) return { state: 'pending' };
    try {
      return { state: 'done', answer: JSON.parse(text) as unknown };
    } catch {
      return { state: 'none' };
    }
  }

  async store(scope: string, key: string, answer: unknown): Promise<void> {
    await this.redis.set(this.key(scope, key), JSON.stringify(answer), 'EX', this.ttlS);
  }

  /** The first request failed without an answer to keep: a retry may run it again. */
  async release(scope: string, key: string): Promise<void> {
    await this.redis.del(this.key(scope, key));
  }
}
