/**
 * Sessions kept in memory per process (services/session-store.ts, cache:
 * true), on the real Redis with two stores as two API nodes: a session read
 * again is served without Redis; a save or delete on one node reaches the
 * other at once; the node that made the change never serves the old one;
 * callers get copies; a lost subscription means reading Redis again.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { SessionStore } from '../../src/services/session-store.js';
import { deleteKeys } from '../helpers/redis-keys.js';

let redis: Redis;
let redisB: Redis;
let a: SessionStore;
let b: SessionStore;
const prefix = `cpt:${randomToken(8)}:`;

beforeAll(async () => {
  redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  redisB = redis.duplicate();
  a = new SessionStore(redis, prefix, 3600, { cache: true });
  b = new SessionStore(redisB, prefix, 3600, { cache: true });
  // Both subscribed before the tests start.
  await a.get('none');
  await b.get('none');
  await vi.waitFor(() =>
    expect(
      (a as unknown as { listening: boolean }).listening &&
        (b as unknown as { listening: boolean }).listening,
    ).toBe(true),
  );
});

afterAll(async () => {
  await a.close();
  await b.close();
  await deleteKeys(redis, prefix);
  redisB.disconnect();
  redis.disconnect();
});

describe('sessions in memory', () => {
  it('a session read again is served from memory, as a copy', async () => {
    const s = await a.create({ language: 'en' });
    expect((await a.get(s.sid))?.sid).toBe(s.sid);
    const get = vi.spyOn(redis, 'get');
    const mget = vi.spyOn(redis, 'mget');
    const pipeline = vi.spyOn(redis, 'pipeline');
    const again = await a.get(s.sid);
    expect(get).not.toHaveBeenCalled();
    expect(mget).not.toHaveBeenCalled();
    expect(pipeline).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(again).toEqual({ ...s });
    again!.kind = 'partner'; // a caller's change, not saved
    expect((await a.get(s.sid))?.kind).toBe('anonymous');
  });

  it('a delete on one node ends the session on the other at once', async () => {
    const s = await a.create({ language: 'en' });
    expect(await a.get(s.sid)).not.toBeNull();
    expect(await b.get(s.sid)).not.toBeNull();
    await b.delete(s);
    expect(await b.get(s.sid)).toBeNull(); // the node that deleted it: no wait at all
    await vi.waitFor(async () => expect(await a.get(s.sid)).toBeNull(), { timeout: 1000, interval: 5 });
  });

  it('a save on one node is what the other serves next', async () => {
    const s = await a.create({ language: 'de' });
    expect((await a.get(s.sid))?.kind).toBe('anonymous');
    await b.save({ ...s, kind: 'user', userId: 'u-1' });
    await vi.waitFor(async () => expect((await a.get(s.sid))?.kind).toBe('user'), {
      timeout: 1000,
      interval: 5,
    });
    await a.save({ ...s, kind: 'user', userId: 'u-1', language: 'en' });
    expect((await a.get(s.sid))?.language).toBe('en');
  });

  it('without its subscription a node reads Redis every time', async () => {
    const s = await a.create({ language: 'en' });
    await a.get(s.sid);
    const sub = (a as unknown as { subscriber: Redis }).subscriber;
    sub.emit('close'); // what ioredis emits when the connection drops
    const mget = vi.spyOn(redis, 'mget');
    const get = vi.spyOn(redis, 'get');
    await a.get(s.sid);
    await a.get(s.sid);
    expect(get.mock.calls.length + mget.mock.calls.length).toBe(2);
    vi.restoreAllMocks();
    sub.emit('ready'); // back: subscribes again, then keeps sessions again
    await vi.waitFor(() => expect((a as unknown as { listening: boolean }).listening).toBe(true));
  });
});
