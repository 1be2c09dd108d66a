import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { cyclicStart } from '../../src/domain/routing/dialplan-v2.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { CyclicCounter } from '../../src/store/redis/cyclic-counter.js';

let a: Redis;
let b: Redis;
const prefix = `cpt:${randomToken(8)}:`;
beforeAll(async () => {
  a = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  b = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  const keys = await a.keys(`${prefix}*`);
  if (keys.length) await a.del(...keys);
  a.disconnect();
  b.disconnect();
});

describe('cyclic ringing counter (spec 4.1 cyclic, shared by all nodes)', () => {
  it('gives two nodes interleaved calls consecutive positions, so the start target rotates', async () => {
    const node1 = new CyclicCounter(a, prefix);
    const node2 = new CyclicCounter(b, prefix);
    const dp = '1de7257a-4f34-11e0-ab6e-0024e8f90cc0';
    const values = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? node1 : node2).next(dp)));
    expect([...values].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const starts = values.map((v) => cyclicStart(v, 3));
    expect(starts.filter((s) => s === 0)).toHaveLength(10);
    expect(starts.filter((s) => s === 1)).toHaveLength(10);
    expect(await node1.next('2de7257a-4f34-11e0-ab6e-0024e8f90cc0')).toBe(0);
  });
});
