import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { AuthFailureGuard, DEFAULT_AUTH_GUARD } from '../../src/store/redis/auth-guard.js';
import { deleteKeys } from '../helpers/redis-keys.js';

let a: Redis;
let b: Redis;
const prefix = `cpt:${randomToken(8)}:`;
beforeAll(async () => {
  a = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  b = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  await deleteKeys(a, prefix);
  a.disconnect();
  b.disconnect();
});

describe('AuthFailureGuard (SIP digest password guessing)', () => {
  it('defaults to 10 failures in 60 s blocking for 300 s', () => {
    expect(DEFAULT_AUTH_GUARD).toEqual({ maxFailures: 10, windowSeconds: 60, blockSeconds: 300 });
  });

  it('blocks an address after maxFailures counted on any node, for blockSeconds; others stay free', async () => {
    const node1 = new AuthFailureGuard(a, prefix);
    const node2 = new AuthFailureGuard(b, prefix);
    const ip = '203.0.113.7';
    for (let i = 0; i < 9; i++) await (i % 2 ? node1 : node2).failure(ip);
    expect(await node1.blocked(ip)).toBe(false);
    await node2.failure(ip);
    expect(await node1.blocked(ip)).toBe(true);
    expect(await node2.blocked(ip)).toBe(true);
    expect(await a.ttl(`${prefix}sipauth:block:${ip}`)).toBeGreaterThan(295);
    expect(await node1.blocked('203.0.113.8')).toBe(false);
    // A success does not lift a block.
    await node1.success(ip);
    expect(await node1.blocked(ip)).toBe(true);
  });

  it('counts parallel failures atomically', async () => {
    const guard = new AuthFailureGuard(a, prefix, { maxFailures: 50 });
    const ip = '2001:DB8::1';
    await Promise.all(Array.from({ length: 49 }, () => guard.failure(ip)));
    expect(await guard.blocked('2001:db8::1')).toBe(false);
    await guard.failure('2001:db8::1');
    expect(await guard.blocked(ip)).toBe(true);
  });

  it('forgets failures after a success and after the window', async () => {
    const guard = new AuthFailureGuard(a, prefix, { maxFailures: 3, windowSeconds: 1, blockSeconds: 1 });
    const ip = '198.51.100.1';
    await guard.failure(ip);
    await guard.failure(ip);
    await guard.success(ip);
    await guard.failure(ip);
    await guard.failure(ip);
    expect(await guard.blocked(ip)).toBe(false);
    expect(await a.ttl(`${prefix}sipauth:fail:${ip}`)).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    await guard.failure(ip);
    await guard.failure(ip);
    expect(await guard.blocked(ip)).toBe(false);
    await guard.failure(ip);
    expect(await guard.blocked(ip)).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await guard.blocked(ip)).toBe(false);
  });

  it('refuses nonsense options', () => {
    expect(() => new AuthFailureGuard(a, prefix, { maxFailures: 0 })).toThrow(RangeError);
    expect(() => new AuthFailureGuard(a, prefix, { blockSeconds: 1.5 })).toThrow(RangeError);
  });
});
