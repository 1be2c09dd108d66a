/**
 * The event surface's wake-ups on the real Redis (events/event-log.ts,
 * waiter.ts, session-events.ts): one append to many sessions is one notice
 * carrying each session's event id and the shared body once; reads of one
 * turn are one command; a poll that goes on from what this process handed
 * out waits without reading, and gets what is appended later or was
 * appended in between from the notices, as a read would have given it; a
 * notice out of sequence or a lost subscriber connection makes polls read
 * again.
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

/** The sessions a notice names (first line: sid, event id, body number triples). */
function noticeSids(notice: string): string[] {
  return notice
    .split('\n')[0]!
    .split(' ')
    .filter((_, i) => i % 3 === 0);
}

/** Publishes to one session and waits until its notify has gone round (this process heard it too). */
async function publishHeard(sid: string, event: string): Promise<void> {
  heard.length = 0;
  await events.publisher.publish({ sessions: [sid] }, event);
  await vi.waitFor(() => expect(heard.some((m) => noticeSids(m).includes(sid))).toBe(true));
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
    expect(noticeSids(heard[0]!).sort()).toEqual([...sids].sort());
    // Each session's event id, and the body they share once.
    const [head, ...bodies] = heard[0]!.split('\n');
    expect(head!.split(' ').filter((_, i) => i % 3 === 1)).toEqual(sids.map(() => '0'));
    expect(head!.split(' ').filter((_, i) => i % 3 === 2)).toEqual(sids.map(() => '1'));
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0]!)).toEqual({ event: 'hello', time: expect.any(Number), n: 1 });
    for (const sid of sids.slice(0, 3)) {
      expect(await events.log.read(sid, 0)).toEqual([
        { id: 0, event: 'hello', time: expect.any(Number), n: 1 },
      ]);
    }
  });

  it('an event to users is one command for their sessions without a filter; filtered ones are judged', async () => {
    const user = `u-${randomToken(6)}`;
    const [plain, picky, choosy, dead] = await newSessions(4);
    for (const sid of [plain, picky, choosy, dead]) {
      const s = (await sessions.get(sid!))!;
      await sessions.save({ ...s, kind: 'user', userId: user });
    }
    await redis.del(`${prefix}session:${dead}`); // expired: it leaves the user's set
    await events.filters.attach(picky!, { op: 'equal', key: 'n', value: 1 });
    await events.filters.attach(choosy!, { op: 'equal', key: 'n', value: 2 });
    const users = vi.spyOn(redis as unknown as { cpAppendEventUsers: () => unknown }, 'cpAppendEventUsers');
    const many = vi.spyOn(redis as unknown as { cpAppendEventMany: () => unknown }, 'cpAppendEventMany');
    await events.publisher.publish({ users: [user, user] }, 'u', { n: 1 });
    expect(users).toHaveBeenCalledTimes(1);
    expect(many).toHaveBeenCalledTimes(1); // the filtered sessions' share
    vi.restoreAllMocks();
    const one = [{ id: 0, event: 'u', time: expect.any(Number), n: 1 }];
    expect(await events.log.read(plain!, 0)).toEqual(one);
    expect(await events.log.read(picky!, 0)).toEqual(one);
    expect(await events.log.read(choosy!, 0)).toEqual([]);
    expect(await events.log.read(dead!, 0)).toEqual([]);
    expect((await redis.smembers(`${prefix}user-sessions:${user}`)).sort()).toEqual(
      [plain!, picky!, choosy!].sort(),
    );
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

  it('a poll going on from what it was handed waits without reading, and is answered from the next notice', async () => {
    const [sid] = await newSessions(1);
    await publishHeard(sid!, 'first');
    const first = await events.reader.poll(sid!, 0, 1000, undefined, false);
    expect(first.map((e) => e.event)).toEqual(['first']);
    const read = vi.spyOn(events.log, 'readRaw');
    const polling = events.reader.poll(sid!, 1, 5000, undefined, false);
    await new Promise((r) => setTimeout(r, 50));
    expect(read).not.toHaveBeenCalled(); // parked without a read
    await events.publisher.publish({ sessions: [sid!] }, 'second', { n: 2 });
    const got = await polling;
    expect(read).not.toHaveBeenCalled(); // the notice carried it
    read.mockRestore();
    expect(got).toEqual(await events.log.read(sid!, 1));
    expect(got).toEqual([{ id: 1, event: 'second', time: expect.any(Number), n: 2 }]);
  });

  it('events heard while no poll was parked come from memory, in order, as a read gives them', async () => {
    const [sid] = await newSessions(1);
    expect(await events.reader.poll(sid!, 0, 50, undefined, false)).toEqual([]); // followed from 0 on
    for (const n of [1, 2, 3]) await publishHeard(sid!, `e${n}`);
    const read = vi.spyOn(events.log, 'readRaw');
    const got = await events.reader.poll(sid!, 0, 1000, undefined, false);
    const next = await events.reader.poll(sid!, 2, 1000, undefined, false); // the client kept only two
    expect(read).not.toHaveBeenCalled();
    read.mockRestore();
    expect(got).toEqual(await events.log.read(sid!, 0));
    expect(got.map((e) => e.event)).toEqual(['e1', 'e2', 'e3']);
    expect(next.map((e) => e.id)).toEqual([2]);
    // Asking again for what memory has let go of (before the last cursor) reads.
    expect((await events.reader.poll(sid!, 0, 1000, undefined, false)).map((e) => e.id)).toEqual([0, 1, 2]);
  });

  it("this process's own append is answered at once, and its notice coming round adds nothing", async () => {
    const [sid] = await newSessions(1);
    expect(await events.reader.poll(sid!, 0, 50, undefined, false)).toEqual([]); // followed from 0 on
    heard.length = 0;
    await events.publisher.publish({ sessions: [sid!] }, 'mine');
    // No wait for the notice: a client polling right after its own change sees it.
    const got = await events.reader.poll(sid!, 0, 0, undefined, false);
    expect(got.map((e) => e.event)).toEqual(['mine']);
    await vi.waitFor(() => expect(heard.some((m) => noticeSids(m).includes(sid!))).toBe(true));
    await new Promise((r) => setTimeout(r, 10));
    const read = vi.spyOn(events.log, 'readRaw');
    expect(await events.reader.poll(sid!, 0, 0, undefined, false)).toEqual(got);
    expect(await events.reader.poll(sid!, 1, 50, undefined, false)).toEqual([]);
    expect(read).not.toHaveBeenCalled();
    read.mockRestore();
  });

  it('a notice out of sequence makes the next poll read', async () => {
    const [sid] = await newSessions(1);
    await publishHeard(sid!, 'one');
    await events.reader.poll(sid!, 0, 1000, undefined, false); // followed from 1 on
    // A notice of event 5 (4 unheard): memory cannot say what 1…4 are.
    const sub = (events.waiter as unknown as { subscriber: Redis }).subscriber;
    sub.emit('message', events.log.notifyChannel, `${sid} 5 1\n{"event":"ghost","time":1}`);
    await publishHeard(sid!, 'two');
    const read = vi.spyOn(events.log, 'readRaw');
    const got = await events.reader.poll(sid!, 1, 1000, undefined, false);
    expect(read).toHaveBeenCalledTimes(1);
    read.mockRestore();
    expect(got.map((e) => e.event)).toEqual(['two']);
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
    const read = vi.spyOn(events.log, 'readRaw');
    const polling = events.reader.poll(sid!, 1, 3000, undefined, false);
    await new Promise((r) => setTimeout(r, 30));
    expect(read).not.toHaveBeenCalled();
    // What ioredis emits when the connection drops and comes back (appends may have gone unheard).
    const sub = (events.waiter as unknown as { subscriber: Redis }).subscriber;
    sub.emit('close');
    sub.emit('ready');
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(1)); // woken, read, parked again
    // That read, made after the connection was back, is followed in memory again.
    const again = events.reader.poll(sid!, 1, 200, undefined, false);
    expect(await again).toEqual([]);
    expect(read).toHaveBeenCalledTimes(1);
    read.mockRestore();
    await events.publisher.publish({ sessions: [sid!] }, 'y');
    expect((await polling).map((e) => e.event)).toEqual(['y']);
  });

  it('a session that may hold partner CDRs confirms on every poll', async () => {
    const [sid] = await newSessions(1);
    await events.publisher.publish({ sessions: [sid!] }, 'c');
    await events.reader.poll(sid!, 0, 1000, undefined, true);
    const confirm = vi.spyOn(events.partnerCdr, 'confirm');
    expect(await events.reader.poll(sid!, 1, 100, undefined, true)).toEqual([]);
    expect(confirm).toHaveBeenCalledWith(sid, 1, undefined);
    await events.publisher.publish({ sessions: [sid!] }, 'd');
    expect((await events.reader.poll(sid!, 1, 1000, undefined, true)).map((e) => e.event)).toEqual(['d']);
    expect(confirm).toHaveBeenCalledWith(sid, 1, 2);
    confirm.mockRestore();
  });

  it('a saved session renews its event stream and did with it, so the stream never goes first', async () => {
    const session = await sessions.create({ language: 'en' });
    await events.publisher.publish({ sessions: [session.sid] }, 'first');
    const keys = [
      events.log.key('next', session.sid),
      events.log.key('log', session.sid),
      `${prefix}did:${session.did}`,
    ];
    for (const k of keys) expect(await redis.expire(k, 5)).toBe(1); // as if renewed long ago
    await sessions.save({ ...session, language: 'de' });
    for (const k of keys) expect(await redis.ttl(k)).toBeGreaterThan(3000);
  });

  it('a parked poll ends at its timeout even when the timer fires before the wall clock reaches it', async () => {
    const [sid] = await newSessions(1);
    expect(await events.reader.poll(sid!, 0, 50, undefined, false)).toEqual([]); // followed from 0 on: the next one parks
    const realNow = Date.now.bind(Date);
    const t0 = realNow();
    const polling = events.reader.poll(sid!, 0, 100, undefined, false);
    // The wall clock 30 ms behind the timers from here on (timers run on a monotonic clock).
    const lag = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 30);
    try {
      const got = await Promise.race([polling, new Promise((r) => setTimeout(() => r('hung'), 2000))]);
      expect(got).toEqual([]);
      expect(realNow() - t0).toBeLessThan(1000);
    } finally {
      lag.mockRestore();
    }
  });
});
