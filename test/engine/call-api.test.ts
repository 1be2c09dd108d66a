/**
 * The call API on the engine (spec 3.24, 7.18) with the fake adapter and a
 * fake clock: the call_update sequence of each flow asserted field by field
 * and in order, break interrupting a running tone, illegal-state, the idle
 * timeout, dial through the trunk gate, bridge and split, recording and
 * DTMF collection.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseControlRequest } from '../../src/domain/call/call-api.js';
import { parseCallFilter } from '../../src/domain/policy/call-filter.js';
import { parseZoneFilter } from '../../src/domain/policy/zone-filter.js';
import { re2CallFilterCompiler } from '../../src/lib/re2-call-filter.js';
import type { CallApiReply } from '../../src/domain/call/call-api-bus.js';
import type { CallApiEngine } from '../../src/telephony/engine/call-api.js';
import { newId } from '../../src/lib/ids.js';
import type { FakeInboundLeg } from '../fakes/fake-adapter.js';
import { engineHarness, type EngineHarness } from '../fakes/engine-harness.js';
import { settle, tick, until, useEngineClock } from './clock.js';

let h: EngineHarness;
let api: CallApiEngine;
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const S0 = T0 / 1000;

beforeAll(async () => {
  h = await engineHarness();
  api = h.engine.callApi!;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  useEngineClock();
  vi.setSystemTime(T0);
  h.adapter.outbound.length = 0;
  h.cdrs.length = 0;
  h.apiEvents.length = 0;
  h.apiFinished.length = 0;
});
afterEach(() => {
  h.registry.hangupAll();
  vi.useRealTimers();
});

let n = 0;
function apiNumber(owner = 'u1'): string {
  n += 1;
  const number = `+4930${String(6660000 + n)}`;
  h.directory.numbers.set(number, {
    owner,
    phone: { call_enable: true, fax_enable: false, recording_enable: false, conference_enable: false },
  });
  return number;
}

/** An incoming call to a call-API number, served (its first call_update published). */
async function incoming(owner = 'u1'): Promise<{ leg: FakeInboundLeg; uuid: string; to: string }> {
  const to = apiNumber(owner);
  const leg = h.adapter.dialIn({
    called: to.slice(1),
    caller: { number: '+4989123456', display: null, clir: false },
  });
  await until(() => api.get(leg.call) !== undefined, 'served');
  await settle();
  return { leg, uuid: leg.call, to };
}

function control(uuid: string, body: unknown, owner = 'u1'): CallApiReply {
  const r = parseControlRequest(body);
  if ('problem' in r) throw new Error(r.problem.message);
  return api.control({ uuid, owner, request: r.request, objects: {} });
}

/** The call_update changes of one call, in order. */
const updates = (uuid: string): Array<Record<string, unknown>> =>
  h.apiEvents
    .filter((e) => e.event === 'call_update')
    .map((e) => (e.payload['call'] as Record<string, Record<string, unknown>>)[uuid])
    .filter((c): c is Record<string, unknown> => c !== undefined);

describe('call API: incoming calls', () => {
  it('ring, answer, tone, hangup: the call_update sequence, exactly', async () => {
    const { leg, uuid, to } = await incoming();
    expect(updates(uuid)).toEqual([
      {
        incoming: true,
        to,
        from: '+4989123456',
        clir: false,
        status: 'calling',
        create_time: S0,
        record_on: false,
      },
    ]);
    expect(h.apiEvents[0]!.owner).toBe('u1');
    expect(
      control(uuid, {
        controls: [
          { id: 'let-it-ring', control: 'ring' },
          { control: 'sleep', duration: 2000 },
          { id: 'hook-off', control: 'answer' },
          { id: 'beep', control: 'tone', frequency: 440, duration: 1000 },
        ],
      }),
    ).toEqual({ ok: true });
    await settle();
    expect(leg.state).toBe('ringing');
    await tick(2000);
    expect(leg.state).toBe('answered');
    expect(h.adapter.media.nowPlaying(leg)).toEqual([{ kind: 'tone', frequencies: [440], durationMs: 1000 }]);
    await tick(1000);
    expect(control(uuid, { controls: [{ id: 'bye', control: 'hangup', hangup_cause: 17 }] })).toEqual({
      ok: true,
    });
    await settle();
    expect(leg.state).toBe('ended');
    expect(leg.endCause?.q850).toBe(17);
    await until(() => h.apiFinished.length === 1, 'stored');
    expect(updates(uuid).slice(1)).toEqual([
      { current_control_id: 'let-it-ring' },
      { status: 'ringing' },
      { current_control_id: '', last_control_id: 'let-it-ring' },
      { current_control_id: 'hook-off' },
      { status: 'answered', answer_time: S0 + 2 },
      { current_control_id: '', last_control_id: 'hook-off' },
      { current_control_id: 'beep' },
      { current_control_id: '', last_control_id: 'beep' },
      { current_control_id: 'bye' },
      {
        status: 'hangup',
        hangup_time: S0 + 3,
        hangup_cause: 17,
        current_control_id: '',
        last_control_id: 'bye',
      },
    ]);
    expect(h.apiFinished[0]).toEqual({
      uuid,
      owner: 'u1',
      view: {
        incoming: true,
        to,
        from: '+4989123456',
        clir: false,
        status: 'hangup',
        create_time: S0,
        answer_time: S0 + 2,
        hangup_time: S0 + 3,
        hangup_cause: 17,
        last_control_id: 'bye',
        record_on: false,
      },
    });
    expect(h.cdrs).toMatchObject([{ service: 'call', q850: 17 }]);
  });

  it('break interrupts an endless tone at once; clear lets it run', async () => {
    const { leg, uuid } = await incoming();
    control(uuid, {
      controls: [
        { control: 'answer' },
        { id: 'long', control: 'tone', frequency: 425, duration: 1000, interval: 4000, loop: 0 },
      ],
    });
    await tick(60_000);
    expect(api.get(uuid)!.view().current_control_id).toBe('long');
    control(uuid, { queue: 'clear', controls: [{ id: 'later', control: 'silence', duration: 100 }] });
    await tick(10_000);
    expect(api.get(uuid)!.view().current_control_id).toBe('long');
    control(uuid, { queue: 'break', controls: [{ id: 'quiet', control: 'silence', duration: 500 }] });
    await settle();
    // No time passed: the tone stopped, the silence runs.
    expect(api.get(uuid)!.view()).toMatchObject({ current_control_id: 'quiet', last_control_id: 'long' });
    expect(h.adapter.media.nowPlaying(leg)).toEqual([{ kind: 'silence', durationMs: 500 }]);
    await tick(500);
    expect(api.get(uuid)!.view()).toMatchObject({ last_control_id: 'quiet' });
    expect(api.get(uuid)!.view().current_control_id).toBeUndefined();
  });

  it('refuses what the call state does not allow (illegal-state), and foreign or unknown calls (wrong-call)', async () => {
    const { uuid } = await incoming();
    expect(control(uuid, { controls: [{ control: 'tone', frequency: 440, duration: 10 }] })).toMatchObject({
      ok: false,
      status: 'illegal-state',
    });
    expect(control(uuid, { controls: [{ control: 'answer' }] })).toEqual({ ok: true });
    await settle();
    expect(control(uuid, { controls: [{ control: 'ring' }] })).toMatchObject({
      ok: false,
      status: 'illegal-state',
    });
    expect(control(uuid, { controls: [{ control: 'split' }] })).toMatchObject({
      ok: false,
      status: 'illegal-state',
    });
    expect(control(uuid, { controls: [{ control: 'answer' }] }, 'u2')).toMatchObject({
      ok: false,
      status: 'wrong-call',
    });
    expect(control(newId(), { controls: [{ control: 'answer' }] })).toMatchObject({
      ok: false,
      status: 'wrong-call',
    });
    // append is checked against what the queue will have done: answer queued, then tone is fine.
    const second = await incoming();
    control(second.uuid, { controls: [{ control: 'sleep', duration: 1000 }, { control: 'answer' }] });
    expect(control(second.uuid, { controls: [{ control: 'tone', frequency: 440, duration: 10 }] })).toEqual({
      ok: true,
    });
  });

  it('an incoming call without control is rejected after the idle time with cause 102', async () => {
    const { leg, uuid } = await incoming();
    await tick(29_999);
    expect(leg.state).not.toBe('ended');
    await tick(1);
    expect(leg.state).toBe('ended');
    expect(leg.endCause?.q850).toBe(102);
    expect(updates(uuid).at(-1)).toEqual({ status: 'hangup', hangup_time: S0 + 30, hangup_cause: 102 });
  });

  it('a finished call the store cannot keep is logged, not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    h.apiFaults.store = new Error('Connection is closed.');
    try {
      const { leg, uuid } = await incoming();
      leg.remoteHangup();
      await until(() => api.get(uuid) === undefined, 'finished');
      // Unhandled rejections are reported after the microtask queue drains.
      await settle();
      expect(unhandled).toEqual([]);
      expect(h.apiFinished).toEqual([]);
    } finally {
      h.apiFaults.store = null;
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('drain() waits until the calls that are ending are kept (a stop before Redis and the database go)', async () => {
    let release!: () => void;
    h.apiFaults.slow = new Promise<void>((r) => (release = r));
    try {
      const { uuid } = await incoming();
      h.registry.hangupAll();
      let drained = false;
      const draining = api.drain().then(() => (drained = true));
      await settle();
      expect(drained).toBe(false);
      release();
      await draining;
      expect(h.apiFinished.map((f) => f.uuid)).toEqual([uuid]);
      expect(api.get(uuid)).toBeUndefined();
    } finally {
      h.apiFaults.slow = null;
    }
  });

  it('record_start / record_stop: record_on, then the recording object in a call_update; dtmf_collect sends call_dtmf', async () => {
    const { leg, uuid } = await incoming();
    control(uuid, {
      controls: [
        { control: 'answer' },
        { control: 'dtmf_collect', enable: true },
        { id: 'rec', control: 'record_start', limit: 60 },
      ],
    });
    await settle();
    leg.saying = 'speech';
    await tick(3000);
    h.adapter.media.digits(leg, '4#');
    control(uuid, { controls: [{ control: 'record_stop' }, { control: 'dtmf_collect', enable: false }] });
    await settle();
    h.adapter.media.digits(leg, '9');
    await until(() => h.voice.saved.length === 1, 'saved');
    await settle();
    const recordOn = updates(uuid).filter((u) => 'record_on' in u || 'recording' in u);
    expect(recordOn.slice(1)).toEqual([{ record_on: true }, { record_on: false }, { recording: 'rec-1' }]);
    expect(h.apiEvents.filter((e) => e.event === 'call_dtmf').map((e) => e.payload)).toEqual([
      { call: uuid, digit: '4', duration: 100 },
      { call: uuid, digit: '#', duration: 100 },
    ]);
    expect(h.voice.saved[0]).toMatchObject({ owner: 'u1', from: '+4989123456' });
  });

  it('a call that ends while recording and bridged: one last call_update, then the recording; it is stored with it', async () => {
    const { leg, uuid } = await incoming();
    const other = await incoming();
    control(other.uuid, { controls: [{ control: 'answer' }] });
    control(uuid, {
      controls: [
        { control: 'answer' },
        { control: 'bridge', call: other.uuid, hangup_both: false },
        { id: 'rec', control: 'record_start', limit: 60 },
      ],
    });
    await settle();
    expect(api.get(uuid)!.view()).toMatchObject({ bridge: other.uuid, record_on: true });
    leg.saying = 'speech';
    await tick(2000);
    leg.remoteHangup();
    await until(() => h.apiFinished.some((f) => f.uuid === uuid), 'stored');
    await settle();
    const saved = h.apiFinished.find((f) => f.uuid === uuid)!.view;
    expect(saved).toMatchObject({ status: 'hangup', record_on: false, last_control_id: 'rec' });
    expect(saved.recording).toMatch(/^rec-/);
    expect(updates(uuid).slice(-2)).toEqual([
      { status: 'hangup', hangup_time: S0 + 2, hangup_cause: 16, record_on: false, bridge: '' },
      { recording: saved.recording },
    ]);
  });
});

describe('call API: dial, bridge, split', () => {
  it('dial: init, calling, ringing, answered through the trunk; CDR service call; a refused destination ends at once', async () => {
    const from = apiNumber();
    const uuid = newId();
    expect(await api.dial({ uuid, owner: 'u1', from, to: '+4940111222', clip: null, clir: false })).toEqual({
      ok: true,
    });
    const out = await h.adapter.nextOutbound(0);
    expect(out.request.target).toEqual({ kind: 'trunk', number: '+4940111222' });
    expect(out.request.from).toMatchObject({ number: from, clir: false });
    await tick(1000);
    out.ring();
    await tick(1000);
    out.answer();
    await settle();
    expect(control(uuid, { controls: [{ control: 'dtmf_send', digits: '12' }] })).toEqual({ ok: true });
    await tick(1000);
    expect(out.digitsSent).toEqual(['1', '2']);
    out.remoteHangup();
    await until(() => h.apiFinished.length === 1, 'stored');
    expect(updates(uuid)).toEqual([
      {
        incoming: false,
        to: '+4940111222',
        from,
        clir: false,
        status: 'init',
        create_time: S0,
        record_on: false,
      },
      { status: 'calling' },
      { status: 'ringing' },
      { status: 'answered', answer_time: S0 + 2 },
      { status: 'hangup', hangup_time: S0 + 3, hangup_cause: 16 },
    ]);
    expect(h.cdrs).toMatchObject([{ service: 'call', phone: from, b_number: '+4940111222' }]);

    const refused = newId();
    await api.dial({ uuid: refused, owner: 'u9', from, to: '12', clip: null, clir: false });
    await until(() => h.apiFinished.some((f) => f.uuid === refused), 'refused');
    expect(updates(refused).at(-1)).toEqual({ status: 'hangup', hangup_time: S0 + 3, hangup_cause: 28 });
  });

  it('dial refusals of the trunk gate: call filter (21), call limit (34), credit (31) end the call before anything is dialled', async () => {
    const refusedWith = async (owner: string): Promise<Array<Record<string, unknown>>> => {
      const uuid = newId();
      const from = apiNumber(owner);
      expect(await api.dial({ uuid, owner, from, to: '+4940777000', clip: null, clir: false })).toEqual({
        ok: true,
      });
      await until(() => h.apiFinished.some((f) => f.uuid === uuid), `${owner} refused`);
      await settle();
      return updates(uuid);
    };
    const first = (from: string) => ({
      incoming: false,
      to: '+4940777000',
      from,
      clir: false,
      status: 'init',
      create_time: S0,
      record_on: false,
    });
    h.directory.policies.set('uf', {
      callFilter: parseCallFilter(
        [{ operator: 'match', key: '^\\+4940777', pass: false }],
        re2CallFilterCompiler,
      ),
    });
    const filtered = await refusedWith('uf');
    expect(filtered).toEqual([
      first(filtered[0]!['from'] as string),
      { status: 'hangup', hangup_time: S0, hangup_cause: 21 },
    ]);
    h.directory.policies.set('ul', { usergroup: `grp-${newId()}`, callLimit: 0 });
    expect((await refusedWith('ul')).at(-1)).toEqual({ status: 'hangup', hangup_time: S0, hangup_cause: 34 });
    const poor = `grp-${newId()}`;
    await h.credit.add(poor, 50); // less than the first minute's 100
    h.directory.policies.set('uz', {
      usergroup: poor,
      zoneFilter: parseZoneFilter([{ prefix: ['+49'], cost: 100, increment: 60 }]),
    });
    expect((await refusedWith('uz')).at(-1)).toEqual({ status: 'hangup', hangup_time: S0, hangup_cause: 31 });
    expect(h.adapter.outbound).toHaveLength(0);
    expect(h.cdrs).toEqual([]);
  });

  it('bridge with hangup_both false: both calls show the bridge; one hangs up, the other stays with an empty bridge', async () => {
    const a = await incoming();
    control(a.uuid, { controls: [{ control: 'answer' }] });
    const b = newId();
    await api.dial({ uuid: b, owner: 'u1', from: a.to, to: '+4940333444', clip: '+4980012345', clir: false });
    const out = await h.adapter.nextOutbound(0);
    expect(out.request.from.number).toBe('+4980012345');
    out.answer();
    await settle();
    expect(control(a.uuid, { controls: [{ control: 'bridge', call: b, hangup_both: false }] })).toEqual({
      ok: true,
    });
    await settle();
    expect(h.adapter.media.bridgedWith(a.leg)).toBe(out);
    expect(api.get(a.uuid)!.view().bridge).toBe(b);
    expect(api.get(b)!.view().bridge).toBe(a.uuid);
    control(b, { controls: [{ control: 'split' }] });
    await settle();
    expect(h.adapter.media.bridgedWith(a.leg)).toBeNull();
    expect(updates(b).filter((u) => 'bridge' in u)).toEqual([{ bridge: a.uuid }, { bridge: '' }]);
    control(a.uuid, { controls: [{ control: 'bridge', call: b, hangup_both: false }] });
    await settle();
    a.leg.remoteHangup();
    await settle();
    expect(out.state).toBe('answered');
    expect(
      updates(b)
        .filter((u) => 'bridge' in u)
        .at(-1),
    ).toEqual({ bridge: '' });
    // With hangup_both (the default) the other leg ends with it.
    const c = await incoming();
    control(c.uuid, { controls: [{ control: 'answer' }, { control: 'bridge', call: b }] });
    await settle();
    c.leg.remoteHangup();
    await settle();
    expect(out.state).toBe('ended');
  });
});
