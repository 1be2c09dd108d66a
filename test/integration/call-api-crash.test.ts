/**
 * Call-API calls of a telephony process that crashed (issue 16 on the crash
 * reaper of issue 14), on a real Redis and database: the reaper that claims
 * the dead process stores each of its call-API calls as ended (status
 * hangup, cause 41, ended at the last heartbeat), its owner's subscribed
 * sessions get the last call_update, and it leaves the live list — answered
 * calls (in the journal) and unanswered ones (not) alike; a live process's
 * calls stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallApiView } from '../../src/domain/call/call-api.js';
import { CRASH_Q850, type RecoveryEntry } from '../../src/domain/call/recovery.js';
import { newId, randomToken } from '../../src/lib/ids.js';
import { RedisRecoveryJournal } from '../../src/store/redis/recovery-journal.js';
import { endCrashedApiCalls } from '../../src/telephony/engine/call-api.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { callApiSink } from '../../src/telephony/node.js';
import { CrashReaper } from '../../src/telephony/recovery.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

async function callUpdates(u: TestUser): Promise<Array<Record<string, unknown>>> {
  const r = await h.call('GET', '/api/event?next=0&timeout=0', { sid: u.sid });
  expect(r.status).toBe('ok');
  return (r.event as Array<Record<string, unknown>>).filter((e) => e.event === 'call_update');
}

function entry(call: string, recording: RecoveryEntry['recording'] = null): RecoveryEntry {
  return {
    call,
    cdr: {
      id: newId(),
      userId: null,
      phone: '+4922155501',
      service: 'call',
      startMs: 1_000_000,
      answerMs: 1_002_000,
    },
    snapshot: { callId: `${call}@test` },
    recording,
  };
}

describe('the crash reaper and the call API', () => {
  it('stores the call-API calls of a dead process as ended (cause 41) and sends their last call_update', async () => {
    const user = await h.user();
    expect((await h.call('GET', '/api/call/event', { sid: user.sid })).status).toBe('ok');
    const bus = h.services.callApiBus;
    const node = `n${randomToken(4)}`;
    const dead = new RedisRecoveryJournal(h.redis, h.config.redisPrefix, node, { heartbeatMs: 60_000 });
    const alive = new RedisRecoveryJournal(h.redis, h.config.redisPrefix, `l${randomToken(4)}`);
    await dead.start();
    await alive.start();
    const now = Math.floor(Date.now() / 1000);
    const answered = newId();
    const ringing = newId();
    const other = newId();
    const answeredView: CallApiView = {
      incoming: true,
      to: '+4922155501',
      from: '+4930123456',
      clir: false,
      status: 'answered',
      create_time: now - 20,
      answer_time: now - 15,
      current_control_id: 'music',
      last_control_id: 'hook-off',
      record_on: true,
      bridge: ringing,
    };
    const ringingView: CallApiView = {
      incoming: false,
      to: '+4940111222',
      from: '+4922155501',
      clir: false,
      status: 'ringing',
      create_time: now - 10,
      record_on: false,
    };
    await bus.put({ uuid: answered, owner: user.uuid, node, process: dead.process, view: answeredView });
    await bus.put({ uuid: ringing, owner: user.uuid, node, process: dead.process, view: ringingView });
    await bus.put({ uuid: other, owner: user.uuid, node: 'l', process: alive.process, view: ringingView });
    // Only the answered call has a leg in the journal (with a recording in progress).
    dead.put('k1', entry(answered, { path: '/rec.wav', owner: user.uuid, from: 'a', to: 'b' }));
    await dead.flush();
    const lastSeen = Number(await h.redis.get(`${h.config.redisPrefix}recovery:seen:${dead.process}`));
    const listed = await h.call('GET', '/api/call', { sid: user.sid });
    expect(Object.keys(listed.call).sort()).toEqual([answered, ringing, other].sort());
    await h.redis.del(`${h.config.redisPrefix}recovery:alive:${dead.process}`); // the heartbeat expired

    const sink = callApiSink(h.services);
    const reaper = new CrashReaper({
      claims: new RedisRecoveryJournal(h.redis, h.config.redisPrefix, `m${randomToken(4)}`),
      port: { snapshot: () => null, terminate: async () => undefined },
      cdrSink: { record: async () => undefined },
      saveRecording: async (r) => (r.path === '/rec.wav' ? 'ba65e460-867b-11e2-9c3b-0024e8f90cc0' : null),
      liveCalls: null,
      callApi: (p, endMs, recordings) => endCrashedApiCalls(sink, p, endMs, CRASH_Q850, recordings),
      log: silentLogger,
      now: () => lastSeen + 60_000,
    });
    expect(await reaper.sweep()).toBe(1);

    const endS = Math.floor(lastSeen / 1000);
    const ended = await h.call('GET', '/api/call', { sid: user.sid, query: { state: 'hangup' } });
    expect(ended.call).toEqual({
      [answered]: {
        incoming: true,
        to: '+4922155501',
        from: '+4930123456',
        clir: false,
        status: 'hangup',
        create_time: now - 20,
        answer_time: now - 15,
        hangup_time: endS,
        hangup_cause: 41,
        last_control_id: 'music',
        record_on: false,
        recording: 'ba65e460-867b-11e2-9c3b-0024e8f90cc0',
      },
      [ringing]: { ...ringingView, status: 'hangup', hangup_time: endS, hangup_cause: 41 },
    });
    // Gone from the live list; the live process's call stays.
    expect(Object.keys((await h.call('GET', '/api/call', { sid: user.sid })).call)).toEqual([other]);
    const updates = await callUpdates(user);
    expect(updates.map((e) => e['call'])).toEqual(
      expect.arrayContaining([
        {
          [answered]: {
            status: 'hangup',
            hangup_time: endS,
            hangup_cause: 41,
            current_control_id: '',
            last_control_id: 'music',
            record_on: false,
            recording: 'ba65e460-867b-11e2-9c3b-0024e8f90cc0',
            bridge: '',
          },
        },
        { [ringing]: { status: 'hangup', hangup_time: endS, hangup_cause: 41 } },
      ]),
    );
    expect(updates).toHaveLength(2);
    // A control now finds the call ended.
    const late = await h.call('POST', `/api/call/${answered}/control`, {
      sid: user.sid,
      body: { controls: [{ control: 'hangup' }] },
    });
    expect(late.status).toBe('illegal-state');
    // Nothing left for a second pass; the dead process is forgotten.
    expect(await reaper.sweep()).toBe(0);
    expect(await h.redis.sismember(`${h.config.redisPrefix}recovery:processes`, dead.process)).toBe(0);
    await alive.stop();
  });

  it('keeps the dead process claimed for a later pass when its call-API calls cannot be ended', async () => {
    const user = await h.user();
    const node = `f${randomToken(4)}`;
    const dead = new RedisRecoveryJournal(h.redis, h.config.redisPrefix, node, { heartbeatMs: 60_000 });
    await dead.start();
    const uuid = newId();
    const view: CallApiView = {
      incoming: true,
      to: '+4922155501',
      from: '+4930123456',
      clir: false,
      status: 'calling',
      create_time: Math.floor(Date.now() / 1000),
      record_on: false,
    };
    await h.services.callApiBus.put({ uuid, owner: user.uuid, node, process: dead.process, view });
    await h.redis.del(`${h.config.redisPrefix}recovery:alive:${dead.process}`);
    const sink = callApiSink(h.services);
    let failing = true;
    const reaper = (claimMs: number) =>
      new CrashReaper({
        claims: new RedisRecoveryJournal(h.redis, h.config.redisPrefix, `m${randomToken(4)}`, { claimMs }),
        port: { snapshot: () => null, terminate: async () => undefined },
        cdrSink: { record: async () => undefined },
        saveRecording: async () => null,
        liveCalls: null,
        callApi: async (p, endMs, recordings) => {
          if (failing) throw new Error('database down');
          return endCrashedApiCalls(sink, p, endMs, CRASH_Q850, recordings);
        },
        log: silentLogger,
      });
    await reaper(100).sweep();
    expect(await h.redis.sismember(`${h.config.redisPrefix}recovery:processes`, dead.process)).toBe(1);
    expect((await h.call('GET', '/api/call', { sid: user.sid, query: { uuid } })).call[uuid].status).toBe(
      'calling',
    );
    failing = false;
    await new Promise((r) => setTimeout(r, 150)); // the first claim lapses
    await reaper(60_000).sweep();
    expect((await h.call('GET', '/api/call', { sid: user.sid, query: { uuid } })).call[uuid]).toMatchObject({
      status: 'hangup',
      hangup_cause: 41,
    });
    expect(await h.redis.sismember(`${h.config.redisPrefix}recovery:processes`, dead.process)).toBe(0);
  });
});
