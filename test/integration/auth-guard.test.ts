import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { AuthFailureGuard, DEFAULT_AUTH_GUARD, isAllowEntry } from '../../src/store/redis/auth-guard.js';
import { deleteKeys } from '../helpers/redis-keys.js';

let a: Redis;
let b: Redis;
const prefixes: string[] = [];
/** Each test its own key prefix: blocks of one never leak into another. */
const fresh = (): string => {
  const p = `cpt:${randomToken(8)}:`;
  prefixes.push(p);
  return p;
};
beforeAll(async () => {
  a = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  b = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(a, p);
  a.disconnect();
  b.disconnect();
});

describe('AuthFailureGuard (SIP digest password guessing)', () => {
  it('defaults: 5 per address and account, 30 per address, 20 per account in 300 s; 60 s doubling to 1 h', () => {
    expect(DEFAULT_AUTH_GUARD).toMatchObject({
      maxFailures: 5,
      sourceMaxFailures: 30,
      accountMaxFailures: 20,
      windowSeconds: 300,
      blockSeconds: 60,
      maxBlockSeconds: 3600,
    });
  });

  it('blocks an (address, account) pair counted on any node, with exponential back-off', async () => {
    const prefix = fresh();
    const node1 = new AuthFailureGuard(a, prefix);
    const node2 = new AuthFailureGuard(b, prefix);
    const ip = '203.0.113.7';
    for (let i = 0; i < 4; i++) await (i % 2 ? node1 : node2).failure(ip, 'alice_01');
    expect(await node1.blocked(ip, 'alice_01')).toBe(false);
    await node2.failure(ip, 'alice_01');
    expect(await node1.blocked(ip, 'alice_01')).toBe(true);
    expect(await node2.blocked(ip, 'ALICE_01')).toBe(true);
    expect(await a.ttl(`${prefix}sipauth:block:pair:${ip}|alice_01`)).toBeGreaterThan(55);
    // The same address for another account, the same account from another address: free.
    expect(await node1.blocked(ip, 'bob_01')).toBe(false);
    expect(await node1.blocked('203.0.113.8', 'alice_01')).toBe(false);
    expect(await node1.blocked(ip, null)).toBe(false);
    // The next block of the same pair lasts twice as long.
    await a.del(`${prefix}sipauth:block:pair:${ip}|alice_01`);
    for (let i = 0; i < 5; i++) await node1.failure(ip, 'alice_01');
    expect(await a.ttl(`${prefix}sipauth:block:pair:${ip}|alice_01`)).toBeGreaterThan(115);
  });

  it("is not reset by another account's success (issue 14: guesses interleaved with own logins)", async () => {
    const guard = new AuthFailureGuard(a, fresh());
    const ip = '198.51.100.20';
    let accepted = 0;
    for (let i = 0; i < 50; i++) {
      if (await guard.attempt(ip, 'victim_01', false)) accepted += 1;
      await guard.attempt(ip, 'mine_01', true);
    }
    expect(accepted).toBe(5);
    expect(await guard.blocked(ip, 'mine_01')).toBe(false);
  });

  it('refuses the right password of a blocked pair, counting nothing and clearing nothing', async () => {
    const guard = new AuthFailureGuard(a, fresh());
    const ip = '198.51.100.22';
    for (let i = 0; i < 5; i++) expect(await guard.attempt(ip, 'slow_01', false)).toBe(true);
    expect(await guard.attempt(ip, 'slow_01', true)).toBe(false);
    expect(await guard.attempt(ip, 'slow_01', false)).toBe(false);
    expect(await guard.blocked(ip, 'slow_01')).toBe(true);
    expect(guard.stats).toEqual({ failures: 5, refused: 3, blocks: 1 });
  });

  it('a success of the same pair clears its failures', async () => {
    const guard = new AuthFailureGuard(a, fresh());
    const ip = '198.51.100.21';
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) await guard.failure(ip, 'typo_01');
      await guard.attempt(ip, 'typo_01', true);
    }
    expect(await guard.blocked(ip, 'typo_01')).toBe(false);
  });

  it('blocks guesses spread over many addresses per account; the owner it knows keeps logging in', async () => {
    const guard = new AuthFailureGuard(a, fresh());
    await guard.attempt('192.0.2.1', 'target_01', true);
    let accepted = 0;
    for (let i = 0; i < 50; i++) {
      const ip = `198.18.0.${i + 1}`;
      for (let k = 0; k < 2; k++) {
        if (await guard.attempt(ip, 'target_01', false)) accepted += 1;
      }
    }
    expect(accepted).toBe(20);
    expect(await guard.blocked('198.18.1.1', 'target_01')).toBe(true);
    expect(await guard.blocked('192.0.2.1', 'target_01')).toBe(false);
    expect(await guard.blocked('198.18.1.1', 'other_01')).toBe(false);
  });

  it('blocks an address guessing many accounts, but not the phone behind it that logged in before', async () => {
    const guard = new AuthFailureGuard(a, fresh());
    const ip = '203.0.113.50';
    await guard.attempt(ip, 'phone_01', true);
    for (let i = 0; i < 30; i++) await guard.failure(ip, `guess${i}_01`);
    expect(await guard.blocked(ip, 'guess99_01')).toBe(true);
    expect(await guard.blocked(ip, null)).toBe(true);
    expect(await guard.blocked(ip, 'phone_01')).toBe(false);
    // Its own typos count for its own pair only.
    for (let i = 0; i < 4; i++) await guard.failure(ip, 'phone_01');
    expect(await guard.blocked(ip, 'phone_01')).toBe(false);
  });

  it('never blocks allow-listed addresses and networks', async () => {
    const guard = new AuthFailureGuard(a, fresh(), {
      allow: ['203.0.113.9', '10.1.0.0/16', '2001:db8::/32'],
    });
    for (const ip of ['203.0.113.9', '10.1.200.3', '2001:db8::77']) {
      for (let i = 0; i < 40; i++) await guard.failure(ip, 'x_01');
      expect(await guard.blocked(ip, 'x_01')).toBe(false);
    }
    for (let i = 0; i < 5; i++) await guard.failure('10.2.0.1', 'x_01');
    expect(await guard.blocked('10.2.0.1', 'x_01')).toBe(true);
    expect(['10.0.0.0/8', '::1', '2001:db8::/129', 'host.example', '1.2.3.4/x'].map(isAllowEntry)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(() => new AuthFailureGuard(a, fresh(), { allow: ['nope'] })).toThrow(RangeError);
  });

  it('lists the blocks and lifts them by address or account', async () => {
    const prefix = fresh();
    const guard = new AuthFailureGuard(a, prefix, {
      maxFailures: 2,
      sourceMaxFailures: 4,
      accountMaxFailures: 3,
    });
    for (let i = 0; i < 4; i++) await guard.failure('192.0.2.10', `acc${i}_01`);
    for (let i = 0; i < 2; i++) await guard.failure('192.0.2.11', 'weird|*_01');
    const listed = await guard.listBlocked();
    expect(listed.map((e) => [e.kind, e.source, e.account])).toEqual(
      expect.arrayContaining([
        ['source', '192.0.2.10', undefined],
        ['pair', '192.0.2.11', 'weird|*_01'],
      ]),
    );
    expect(listed.every((e) => e.seconds > 0)).toBe(true);
    expect(await guard.unblock('192.0.2.10')).toBe(1);
    expect(await guard.blocked('192.0.2.10', 'acc9_01')).toBe(false);
    expect(await guard.unblock('weird|*_01')).toBe(1);
    expect(await guard.blocked('192.0.2.11', 'weird|*_01')).toBe(false);
    expect(await guard.listBlocked()).toEqual([]);
    expect(await guard.unblock('nobody_01')).toBe(0);
  });

  it('counts parallel failures atomically', async () => {
    const guard = new AuthFailureGuard(a, fresh(), {
      maxFailures: 50,
      sourceMaxFailures: 500,
      accountMaxFailures: 500,
    });
    const ip = '2001:DB8::1';
    await Promise.all(Array.from({ length: 49 }, () => guard.failure(ip, 'p_01')));
    expect(await guard.blocked('2001:db8::1', 'p_01')).toBe(false);
    await guard.failure('2001:db8::1', 'p_01');
    expect(await guard.blocked(ip, 'p_01')).toBe(true);
  });

  it('refuses nonsense options', () => {
    expect(() => new AuthFailureGuard(a, 'x:', { maxFailures: 0 })).toThrow(RangeError);
    expect(() => new AuthFailureGuard(a, 'x:', { blockSeconds: 1.5 })).toThrow(RangeError);
  });
});
