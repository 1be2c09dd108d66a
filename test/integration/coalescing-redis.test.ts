/**
 * The commands of one turn of the event loop leave in one socket write
 * (CoalescingRedis, src/lib/redis.ts), against the real Redis: counted at
 * the socket's own write methods, which Node calls once per flush.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoalescingRedis, connectRedis } from '../../src/lib/redis.js';
import { randomToken } from '../../src/lib/ids.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `test:coalesce:${randomToken(8)}:`;
let client: Redis;

/** Counts the flushes of the client's socket: `_write` for one chunk, `_writev` for several. */
function countFlushes(c: Redis): { writes: number; writevs: number; chunks: number } {
  const socket = c.stream as Socket & {
    _write: (...a: unknown[]) => void;
    _writev: (chunks: unknown[], cb: unknown) => void;
  };
  const n = { writes: 0, writevs: 0, chunks: 0 };
  const write = socket._write.bind(socket);
  const writev = socket._writev.bind(socket);
  socket._write = (...a: unknown[]) => {
    n.writes++;
    n.chunks++;
    write(...a);
  };
  socket._writev = (chunks, cb) => {
    n.writevs++;
    n.chunks += chunks.length;
    writev(chunks, cb);
  };
  return n;
}

beforeAll(async () => {
  client = await connectRedis(REDIS_URL);
});

afterAll(async () => {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
});

describe('CoalescingRedis', () => {
  it('is what connectRedis gives', () => {
    expect(client).toBeInstanceOf(CoalescingRedis);
  });

  it('sends the commands of one turn in one write, and answers each', async () => {
    const flushes = countFlushes(client);
    const sets = Array.from({ length: 100 }, (_, i) => client.set(`${prefix}k${i}`, String(i)));
    const gets = Array.from({ length: 100 }, (_, i) => client.get(`${prefix}k${i}`));
    expect(client.stream.writableCorked).toBeGreaterThan(0); // held until the turn ends
    expect(await Promise.all(sets)).toEqual(Array(100).fill('OK'));
    expect(await Promise.all(gets)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect(flushes).toEqual({ writes: 0, writevs: 1, chunks: 200 });
  });

  it('sends a command of a turn of its own without waiting for anything else', async () => {
    const flushes = countFlushes(client);
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      expect(await client.incr(`${prefix}counter`)).toBe(i + 1);
      expect(performance.now() - t).toBeLessThan(1000);
    }
    expect(flushes.writes + flushes.writevs).toBe(5);
    expect(client.stream.writableCorked).toBe(0);
  });

  it('gathers what I/O callbacks of the same turn send (each reply answered by another command)', async () => {
    // 50 replies arrive together and each continuation sends one command: they leave together.
    const firsts = await Promise.all(Array.from({ length: 50 }, (_, i) => client.set(`${prefix}c${i}`, 'x')));
    expect(firsts).toHaveLength(50);
    const flushes = countFlushes(client);
    const chained = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        client.get(`${prefix}c${i}`).then(() => client.exists(`${prefix}c${i}`)),
      ),
    );
    expect(chained).toEqual(Array(50).fill(1));
    // Two rounds of 50 commands: the gets, then the exists; far fewer writes than 100.
    expect(flushes.chunks).toBe(100);
    expect(flushes.writes + flushes.writevs).toBeLessThanOrEqual(10);
  });

  it('keeps MULTI, pipelines and scripts whole', async () => {
    const multi = await client.multi().set(`${prefix}m`, '1').incr(`${prefix}m`).get(`${prefix}m`).exec();
    expect(multi).toEqual([
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ]);
    const pipe = await client.pipeline().incr(`${prefix}p`).incr(`${prefix}p`).exec();
    expect(pipe).toEqual([
      [null, 1],
      [null, 2],
    ]);
    expect(await client.eval('return redis.call("INCRBY", KEYS[1], ARGV[1])', 1, `${prefix}p`, '40')).toBe(
      42,
    );
  });

  it('sends commands given before the connection was ready', async () => {
    const lazy = new CoalescingRedis(REDIS_URL, { lazyConnect: true });
    try {
      // The first command connects; both wait in the offline queue until the connection is ready.
      const pending = [lazy.set(`${prefix}lazy`, 'v'), lazy.get(`${prefix}lazy`)];
      expect(lazy.status).not.toBe('ready');
      expect(await Promise.all(pending)).toEqual(['OK', 'v']);
    } finally {
      lazy.disconnect();
    }
  });

  it('gives plain clients as duplicates (subscribers and blocking pops)', () => {
    const dup = client.duplicate({ lazyConnect: true });
    expect(dup).not.toBeInstanceOf(CoalescingRedis);
    dup.disconnect();
  });
});
