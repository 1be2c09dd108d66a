/**
 * The event surface's wake-ups on the real Redis (events/event-log.ts,
 * waiter.ts, session-events.ts): one append to many sessions is one notify
 * message; reads of one turn are one command; a poll that goes on from
 * what this process handed out, with no append heard of since, waits
 * without reading, and still gets what is appended later or was appended
 * in between; a lost subscriber connection makes every poll read again.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createEventSystem, type EventSystem } from '../../src/events/index.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { SessionStore } from '../../src/services/session-store.js';
import { deleteKeys } from '../helpers/redis-keys.js';

let redis: Redis;
let listener: Redis;
let events: EventSystem;
let sessions: SessionStore;
const prefix = `cpt:${randomToken(8)}:`;
const heard: string[] = [];

beforeAll(async () => {
  const config = loadConfig({ REDIS_PREFIX: prefix, REDIS_URL: process.env['REDIS_URL'] });
  redis = await connectRedis(config.redisUrl);
  sessions = new SessionStore(redis, prefix, 3600);
  events = createEventSystem(redis, config, sessions);
  listener = redis.duplicate();
  listener.on('message', (_c: string, m: string) => heard.push(m));
  await listener.subscribe(events.log.notifyChannel);
});

afterAll(async () => {
  await events.close();
  listener.disconnect();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

/** Publishes to one session and waits until its notify has gone round (this process heard it too). */
async function publishHeard(sid: string, event: string): Promise<void> {
  heard.length = 0;
  await events.publisher.publish({ sessions: [sid] }, event);
  await vi.waitFor(() => expect(heard).toContain(sid));
  await new Promise((r) => setTimeout(r, 10));
}

async function newSessions(n: number): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, async () => (await sessions.create({ language: 'en' })).sid));
}

describe('event wake-ups', () => {
  it('an event for many sessions is one append command and one notify naming them all', async () => {
    const sids = await newSessions(50);
    heard.length = 0;
    const many = vi.spyOn(redis as unknown as { cpAppendEventMany: () => unknown }, 'cpAppendEventMany');
    await events.publisher.publish({ sessions: sids }, 'hello', { n: 1 });
    expect(many).toHaveBeenCalledTimes(1);
    many.mockRestore();
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    expect(heard[0]!.split(' ').sort()).toEqual([...sids].sort());
    for (const sid of sids.slice(0, 3)) {
      expect(await events.log.read(sid, 0)).toEqual([
        { id: 0, event: 'hello', time: expect.any(Number), n: 1 },
      ]);
    }
  });

  it('a very large audience goes in commands of 1,000 sessions, each session getting the event once', async () => {
    const sids = Array.from({ length: 2500 }, (_, i) => `big${i}${randomToken(6)}`);
    const many = vi.spyOn(redis as unknown as { cpAppendEventMany: () => unknown }, 'cpAppendEventMany');
    await events.log.appendMany(sids.map((sid) => ({ sid, body: '{"event":"big","time":1}' })));
    expect(many).toHaveBeenCalledTimes(3);
    many.mockRestore();
    const got = await Promise.all(
      [sids[0]!, sids[999]!, sids[1000]!, sids[2499]!].map((s) => events.log.read(s, 0)),
    );
    for (const list of got) expect(list).toEqual([{ id: 0, event: 'big', time: 1 }]);
  });

  it('reads made together go to Redis as one command, each with its own answer', async () => {
    const sids = await newSessions(20);
    await Promise.all(sids.map((sid, i) => events.publisher.publish({ sessions: [sid] }, 'e', { i })));
    const batched = vi.spyOn(redis as unknown as { cpReadEvents: () => unknown }, 'cpReadEvents');
    const single = vi.spyOn(redis, 'xrange');
    const got = await Promise.all(sids.map((sid) => events.log.read(sid, 0)));
    expect(batched).toHaveBeenCalledTimes(1);
    expect(single).not.toHaveBeenCalled();
    batched.mockRestore();
    single.mockRestore();
    got.forEach((list, i) => expect(list.map((e) => e['i'])).toEqual([i]));
  });

  it('a poll going on from what it was handed waits without reading, and is woken by the next append', async () => {
    const [sid] = await newSessions(1);
    await publishHeard(sid!, 'first');
    const first = await events.reader.poll(sid!, 0, 1000, undefined, false);
    expect(first.map((e) => e.event)).toEqual(['first']);
    const read = vi.spyOn(events.log, 'read');
    const polling = events.reader.poll(sid!, 1, 5000, undefined, false);
    await new Promise((r) => setTimeout(r, 50));
    expect(read).not.toHaveBeenCalled(); // parked without a read
    await events.publisher.publish({ sessions: [sid!] }, 'second');
    expect((await polling).map((e) => e.event)).toEqual(['second']);
    expect(read).toHaveBeenCalledTimes(1); // the read after the wake-up
    read.mockRestore();
  });

  it('an append between two polls is answered at once by the second', async () => {
    const [sid] = await newSessions(1);
    await publishHeard(sid!, 'one');
    expect((await events.reader.poll(sid!, 0, 1000, undefined, false)).map((e) => e.event)).toEqual(['one']);
    await publishHeard(sid!, 'two'); // heard by this process's waiter too, with no poll parked
    const t0 = Date.now();
    const second = await events.reader.poll(sid!, 1, 5000, undefined, false);
    expect(second.map((e) => e.event)).toEqual(['two']);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a poll from another cursor than the one handed out reads', async () => {
    const [sid] = await newSessions(1);
    await events.publisher.publish({ sessions: [sid!] }, 'a');
    await events.publisher.publish({ sessions: [sid!] }, 'b');
    expect((await events.reader.poll(sid!, 0, 1000, undefined, false)).map((e) => e.id)).toEqual([0, 1]);
    // The client lost that answer and asks again from 0.
    expect((await events.reader.poll(sid!, 0, 1000, undefined, false)).map((e) => e.id)).toEqual([0, 1]);
  });

  it('after the subscriber connection was lost, polls read again and parked polls are woken', async () => {
    const [sid] = await newSessions(1);
    await publishHeard(sid!, 'x');
    await events.reader.poll(sid!, 0, 1000, undefined, false);
    const read = vi.spyOn(events.log, 'read');
    const polling = events.reader.poll(sid!, 1, 3000, undefined, false);
    await new Promise((r) => setTimeout(r, 30));
    expect(read).not.toHaveBeenCalled();
    // What ioredis emits when the connection drops and comes back (appends may have gone unheard).
    const sub = (events.waiter as unknown as { subscriber: Redis }).subscriber;
    sub.emit('close');
    sub.emit('ready');
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(1)); // woken, read, parked again
    const again = events.reader.poll(sid!, 1, 200, undefined, false);
    expect(await again).toEqual([]);
    expect(read.mock.calls.length).toBeGreaterThanOrEqual(2);
    read.mockRestore();
    await events.publisher.publish({ sessions: [sid!] }, 'y');
    expect((await polling).map((e) => e.event)).toEqual(['y']);
  });

  it('a session that may hold partner CDRs reads and confirms on every poll', async () => {
    const [sid] = await newSessions(1);
    await events.publisher.publish({ sessions: [sid!] }, 'c');
    await events.reader.poll(sid!, 0, 1000, undefined, true);
    const read = vi.spyOn(events.log, 'read');
    const confirm = vi.spyOn(events.partnerCdr, 'confirm');
    expect(await events.reader.poll(sid!, 1, 100, undefined, true)).toEqual([]);
    expect(read).toHaveBeenCalled();
    expect(confirm).toHaveBeenCalledWith(sid, 1, undefined);
    read.mockRestore();
    confirm.mockRestore();
  });
});
