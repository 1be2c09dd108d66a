/**
 * Events past EVENT_MAX_AGE_SECONDS on the real Redis (events/event-log.ts):
 * an append looks at the stream's oldest event only every AGE_CHECK_EVERY
 * appends, so Redis may hold an event past its age for a while; reads never
 * hand it out, and the next look trims it.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGE_CHECK_EVERY, EventLog } from '../../src/events/event-log.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { deleteKeys } from '../helpers/redis-keys.js';

let redis: Redis;
let log: EventLog;
const prefix = `cpt:${randomToken(8)}:`;
const MAX_AGE = 60;

beforeAll(async () => {
  redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  log = new EventLog(redis, { prefix, maxEvents: 1000, maxAgeSeconds: MAX_AGE, idleSeconds: 3600 });
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const append = (sid: string, n: number) => log.appendMany([{ sid, body: JSON.stringify({ event: 'e', n }) }]);

describe('events past their age', () => {
  it('are never read, and are trimmed at the next look', async () => {
    const sid = randomToken(20);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-06T10:00:00Z') });
    for (let i = 0; i < 3; i++) await append(sid, i); // ids 0, 1, 2 (0 looked at the age)
    expect((await log.readRaw(sid, 0)).map((e) => e.id)).toEqual([0, 1, 2]);

    vi.setSystemTime(Date.now() + (MAX_AGE + 1) * 1000);
    expect(await log.readRaw(sid, 0)).toEqual([]); // all three past their age: none read
    await append(sid, 3); // id 3: no look, the three stay in Redis
    expect(await redis.xlen(log.key('log', sid))).toBe(4);
    expect((await log.readRaw(sid, 0)).map((e) => e.id)).toEqual([3]);
    expect((await log.read(sid, 1))[0]).toMatchObject({ id: 3, event: 'e', n: 3 });

    for (let i = 4; i < AGE_CHECK_EVERY; i++) await append(sid, i);
    expect(await redis.xlen(log.key('log', sid))).toBe(AGE_CHECK_EVERY);
    await append(sid, AGE_CHECK_EVERY); // a look: the three old ones go
    expect(await redis.xlen(log.key('log', sid))).toBe(AGE_CHECK_EVERY - 2);
    const ids = (await log.readRaw(sid, 0)).map((e) => e.id);
    expect(ids[0]).toBe(3);
    expect(ids.at(-1)).toBe(AGE_CHECK_EVERY);
  });

  it('a young stream is read whole', async () => {
    const sid = randomToken(20);
    for (let i = 0; i < AGE_CHECK_EVERY + 2; i++) await append(sid, i);
    expect(await log.readRaw(sid, 0)).toHaveLength(AGE_CHECK_EVERY + 2);
  });
});
