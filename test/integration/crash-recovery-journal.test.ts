/**
 * The recovery journal and the crash reaper on a real Redis (issue 14):
 * batched writes (a leg shorter than a flush costs nothing), a dead process
 * claimed by one node only, an earlier run of the same node recognised by
 * its heartbeat standing still, and the reaper settling each entry — far
 * end ended, recording kept, CDR written with cause 41 at the last
 * heartbeat, live summary gone, journal empty.
 */
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSummary } from '../../src/domain/call/live-call.js';
import type { RecoveryEntry, RecoveryJournal } from '../../src/domain/call/recovery.js';
import { RedisLiveCalls } from '../../src/store/redis/live-calls.js';
import { RedisRecoveryJournal } from '../../src/store/redis/recovery-journal.js';
import type { Leg, LegSnapshot, RecoveryPort } from '../../src/telephony/adapter.js';
import type { EndCause } from '../../src/telephony/causes.js';
import { CdrWriter } from '../../src/telephony/engine/cdr-writer.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { CrashReaper } from '../../src/telephony/recovery.js';
import { randomToken } from '../../src/lib/ids.js';

let redis: Redis;
const prefix = `cpt:${Math.random().toString(36).slice(2)}:`;

beforeAll(() => {
  redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

function entry(call: string, over: Partial<RecoveryEntry> = {}): RecoveryEntry {
  return {
    call,
    cdr: {
      id: '0a1b2c3d-ef48-11f1-9c61-8336e9d61c8d',
      userId: null,
      phone: '+4922155501',
      service: 'call',
      a_number: '+4930123',
      startMs: 1_000_000,
      answerMs: 1_002_000,
    },
    snapshot: { callId: `${call}@test` },
    recording: null,
    ...over,
  };
}

const legsKey = (j: RedisRecoveryJournal) => `${prefix}recovery:legs:${j.process}`;

describe('the recovery journal', () => {
  it('writes entries in batches: one put and removed before a flush never reaches Redis', async () => {
    const j = new RedisRecoveryJournal(redis, prefix, `n${randomToken(4)}`, { flushMs: 60_000 });
    await j.start();
    j.put('short', entry('c1'));
    j.remove('short');
    j.put('long', entry('c2'));
    await j.flush();
    expect(Object.keys(await redis.hgetall(legsKey(j)))).toEqual(['long']);
    j.remove('long');
    await j.flush();
    expect(await redis.hlen(legsKey(j))).toBe(0);
    await j.stop();
    expect(await redis.exists(`${prefix}recovery:alive:${j.process}`)).toBe(0);
  });

  it('lets one node claim a process whose heartbeat stopped, and forgets it once settled', async () => {
    const dead = new RedisRecoveryJournal(redis, prefix, `a${randomToken(4)}`, { heartbeatMs: 60_000 });
    await dead.start();
    dead.put('k1', entry('c1'));
    await dead.flush();
    const b = new RedisRecoveryJournal(redis, prefix, `b${randomToken(4)}`);
    const c = new RedisRecoveryJournal(redis, prefix, `c${randomToken(4)}`);
    // Alive: nobody claims it.
    expect(await b.claimDead()).toBeNull();
    await redis.del(`${prefix}recovery:alive:${dead.process}`); // the heartbeat expired
    const claimed = await b.claimDead();
    expect(claimed?.process).toBe(dead.process);
    expect(claimed?.lastSeenMs).toBeGreaterThan(Date.now() - 60_000);
    expect([...claimed!.entries.values()]).toEqual([entry('c1')]);
    expect(await c.claimDead()).toBeNull(); // claimed by b
    await b.release(claimed!); // an entry left: the claim stays, to lapse
    expect(await redis.sismember(`${prefix}recovery:processes`, dead.process)).toBe(1);
    await b.settle(claimed!, 'k1');
    await b.release(claimed!);
    expect(await redis.sismember(`${prefix}recovery:processes`, dead.process)).toBe(0);
    expect(await redis.exists(legsKey(dead))).toBe(0);
  });

  it('recognises an earlier run of its own node by a heartbeat that stands still', async () => {
    const node = `n${randomToken(4)}`;
    const earlier = new RedisRecoveryJournal(redis, prefix, node, {
      heartbeatMs: 60_000,
      deadAfterMs: 60_000,
    });
    await earlier.start();
    earlier.put('k', entry('c9'));
    await earlier.flush();
    const other = new RedisRecoveryJournal(redis, prefix, `x${randomToken(4)}`, { heartbeatMs: 100 });
    const restarted = new RedisRecoveryJournal(redis, prefix, node, { heartbeatMs: 100 });
    expect(await restarted.claimDead()).toBeNull(); // first look
    await new Promise((r) => setTimeout(r, 200));
    expect(await other.claimDead()).toBeNull(); // another node waits for the heartbeat to expire
    const claimed = await restarted.claimDead();
    expect(claimed?.process).toBe(earlier.process);
    await restarted.settle(claimed!, 'k');
    await restarted.release(claimed!);
  });
});

describe('the crash reaper', () => {
  it('ends the far end, keeps the recording, writes the CDR at the last heartbeat and clears the call', async () => {
    const dead = new RedisRecoveryJournal(redis, prefix, `d${randomToken(4)}`, { heartbeatMs: 60_000 });
    await dead.start();
    const live = new RedisLiveCalls(redis, prefix);
    const summary: CallSummary = {
      uuid: 'call-1',
      node: 'd',
      owner: null,
      number: '+4922155501',
      incoming: true,
      from: '+4930123',
      to: '+4922155501',
      clip: null,
      clir: false,
      state: 'answered',
      createdAt: 1_000_000,
      answeredAt: 1_002_000,
      endedAt: null,
      hangupCause: null,
    };
    await live.put(summary);
    dead.put('k1', entry('call-1', { recording: { path: '/rec.wav', owner: 'u', from: 'a', to: 'b' } }));
    await dead.flush();
    const lastSeen = Number(await redis.get(`${prefix}recovery:seen:${dead.process}`));
    await redis.del(`${prefix}recovery:alive:${dead.process}`);

    const ended: Array<[LegSnapshot, EndCause]> = [];
    const port: RecoveryPort = {
      snapshot: () => null,
      terminate: async (s, cause) => {
        ended.push([s, cause]);
      },
    };
    const cdrs: unknown[] = [];
    const me = new RedisRecoveryJournal(redis, prefix, `m${randomToken(4)}`);
    const reaper = new CrashReaper({
      claims: me,
      port,
      cdrSink: { record: async (c) => cdrs.push(c) },
      saveRecording: async (r) => (r.path === '/rec.wav' ? 'rec-uuid' : null),
      liveCalls: live,
      log: silentLogger,
      now: () => lastSeen + 60_000,
    });
    expect(await reaper.sweep()).toBe(1);
    expect(ended).toEqual([[{ callId: 'call-1@test' }, { q850: 41 }]]);
    expect(cdrs).toEqual([
      expect.objectContaining({
        id: '0a1b2c3d-ef48-11f1-9c61-8336e9d61c8d',
        service: 'call',
        startMs: 1_000_000,
        answerMs: 1_002_000,
        endMs: lastSeen,
        q850: 41,
        recording_id: 'rec-uuid',
      }),
    ]);
    expect(await live.get('call-1')).toBeNull();
    expect(await redis.exists(legsKey(dead))).toBe(0);
    expect(await reaper.sweep()).toBe(0);
  });

  it('writes the CDR while the far end has not answered its BYE yet', async () => {
    const dead = new RedisRecoveryJournal(redis, prefix, `b${randomToken(4)}`, { heartbeatMs: 60_000 });
    await dead.start();
    dead.put('k1', entry('call-3'));
    await dead.flush();
    await redis.del(`${prefix}recovery:alive:${dead.process}`);
    // A far end that answers the BYE only when told (a transaction that would time out after 32 s).
    let answer: () => void = () => undefined;
    const port: RecoveryPort = {
      snapshot: () => null,
      terminate: () => new Promise<void>((r) => (answer = r)),
    };
    const cdrs: unknown[] = [];
    const reaper = new CrashReaper({
      claims: new RedisRecoveryJournal(redis, prefix, `m${randomToken(4)}`),
      port,
      cdrSink: { record: async (c) => cdrs.push(c) },
      saveRecording: async () => null,
      liveCalls: new RedisLiveCalls(redis, prefix),
      log: silentLogger,
    });
    const sweeping = reaper.sweep();
    for (let i = 0; i < 100 && cdrs.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(cdrs).toHaveLength(1); // written before the BYE was answered
    answer();
    expect(await sweeping).toBe(1);
    expect(await redis.exists(legsKey(dead))).toBe(0);
  });

  it('keeps an entry whose CDR could not be written, for a later pass', async () => {
    const dead = new RedisRecoveryJournal(redis, prefix, `e${randomToken(4)}`, { heartbeatMs: 60_000 });
    await dead.start();
    dead.put('k1', entry('call-2'));
    await dead.flush();
    await redis.del(`${prefix}recovery:alive:${dead.process}`);
    const reaper = new CrashReaper({
      claims: new RedisRecoveryJournal(redis, prefix, `m${randomToken(4)}`),
      port: { snapshot: () => null, terminate: async () => undefined },
      cdrSink: {
        record: async () => {
          throw new Error('database down');
        },
      },
      saveRecording: async () => null,
      liveCalls: null,
      log: silentLogger,
    });
    expect(await reaper.sweep()).toBe(0);
    expect(await redis.hlen(legsKey(dead))).toBe(1);
  });
});

describe('the CDR writer journals answered legs', () => {
  class TestLeg extends EventEmitter {
    id = 'leg-1';
    call = 'call-3';
    state: Leg['state'] = 'ringing';
    startedAt = 5000;
    answeredAt: number | null = null;
    endedAt: number | null = null;
    endCause: EndCause | null = null;
  }

  it('puts the entry when the leg is answered, notes the recording, removes it once the CDR is written', async () => {
    const ops: Array<[string, string, RecoveryEntry?]> = [];
    const journal: RecoveryJournal = {
      put: (k, e) => ops.push(['put', k, structuredClone(typeof e === 'function' ? e() : e)]),
      remove: (k) => ops.push(['remove', k]),
    };
    let written: (() => void) | null = null;
    const writer = new CdrWriter(
      {
        newId: () => 'cdr-1',
        record: () =>
          new Promise((r) => {
            written = () => r(undefined);
          }),
      },
      silentLogger,
      { journal, snapshot: () => ({ dialog: 'd' }) },
    );
    const leg = new TestLeg();
    const id = writer.track(leg as unknown as Leg, { phone: '+49221', userId: null, service: 'call' });
    expect(ops).toEqual([]); // not answered: nothing to end after a crash
    leg.state = 'answered';
    leg.answeredAt = 6000;
    leg.emit('answered');
    writer.recording(id, { path: '/r.wav', owner: 'u', from: 'a', to: 'b' });
    expect(ops.map((o) => o[0])).toEqual(['put', 'put']);
    expect(ops[1]![2]).toEqual({
      call: 'call-3',
      cdr: { id: 'cdr-1', phone: '+49221', userId: null, service: 'call', startMs: 5000, answerMs: 6000 },
      snapshot: { dialog: 'd' },
      recording: { path: '/r.wav', owner: 'u', from: 'a', to: 'b' },
    });
    leg.state = 'ended';
    leg.endedAt = 9000;
    leg.emit('ended', { q850: 16 }, 'remote');
    await new Promise((r) => setImmediate(r));
    expect(ops).toHaveLength(2); // removed only once written
    written!();
    await new Promise((r) => setImmediate(r));
    expect(ops[2]).toEqual(['remove', 'cdr-1']);
  });
  it('journals a conference participant as one: a crash writes its CDR with service and conference', () => {
    const ops: Array<[string, string, RecoveryEntry?]> = [];
    const journal: RecoveryJournal = {
      put: (k, e) => ops.push(['put', k, structuredClone(typeof e === 'function' ? e() : e)]),
      remove: (k) => ops.push(['remove', k]),
    };
    const writer = new CdrWriter({ newId: () => 'cdr-2', record: async () => undefined }, silentLogger, {
      journal,
      snapshot: () => ({ dialog: 'd' }),
    });
    const leg = new TestLeg();
    leg.state = 'answered';
    leg.answeredAt = 6000;
    const id = writer.track(leg as unknown as Leg, { phone: '+49221', userId: null, service: 'call' });
    writer.note(id, { service: 'conference', conference_id: '9fe1cc2a-8ab6-11e0-b368-0024e8f90cc0' });
    expect(ops.map((o) => o[0])).toEqual(['put', 'put']);
    expect(ops[1]![2]!.cdr).toMatchObject({
      service: 'conference',
      conference_id: '9fe1cc2a-8ab6-11e0-b368-0024e8f90cc0',
    });
    writer.note('unknown', { service: 'conference' });
    expect(ops).toHaveLength(2);
  });
});
