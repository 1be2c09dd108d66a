import { describe, expect, it } from 'vitest';
import {
  crashedView,
  checkControls,
  pageCalls,
  parseControlRequest,
  viewChanges,
  type CallApiView,
  type CallFacts,
  type Control,
} from '../../src/domain/call/call-api.js';

const parse = (body: unknown) => parseControlRequest(body);
const ok = (body: unknown): Control[] => {
  const r = parse(body);
  if ('problem' in r) throw new Error(r.problem.message);
  return r.request.controls;
};
const status = (body: unknown): string | null => {
  const r = parse(body);
  return 'problem' in r ? r.problem.status : null;
};

describe('call API control requests (spec 3.24)', () => {
  it('takes the spec example with its defaults: queue append, hangup cause 16, hangup_both true, dtmf 100 ms', () => {
    const r = parse({
      controls: [
        { control: 'ring' },
        { control: 'silence', duration: 1000 },
        { id: 'hook-off', control: 'answer' },
        { control: 'hangup' },
        { control: 'bridge', call: '0CDE3F60-8683-11E2-99BD-0024E8F90CC0' },
        { control: 'dtmf_send', digits: '*123#' },
        { control: 'record_stop' },
        { control: 'record_start' },
      ],
    });
    expect(r).toEqual({
      request: {
        queue: 'append',
        controls: [
          { control: 'ring' },
          { control: 'silence', duration: 1000 },
          { id: 'hook-off', control: 'answer' },
          { control: 'hangup', hangup_cause: 16 },
          { control: 'bridge', call: '0cde3f60-8683-11e2-99bd-0024e8f90cc0', hangup_both: true },
          { control: 'dtmf_send', digits: '*123#', duration: 100 },
          { control: 'record_stop', discard: false },
          { control: 'record_start', limit: 3600 },
        ],
      },
    });
  });

  it('keeps tone parameters as given', () => {
    expect(
      ok({
        queue: 'break',
        controls: [{ control: 'tone', duration: 1000, frequency: 440, interval: 4000, loop: 10 }],
      }),
    ).toEqual([{ control: 'tone', duration: 1000, frequency: 440, interval: 4000, loop: 10 }]);
  });

  it.each([
    [{ queue: 'later', controls: [] }, 'wrong-syntax'],
    [{ controls: {} }, 'wrong-syntax'],
    [{}, 'missing-element'],
    [{ controls: [{}] }, 'missing-element'],
    [{ controls: [{ control: 'dance' }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'ring', duration: 3 }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'sleep' }] }, 'missing-element'],
    [{ controls: [{ control: 'sleep', duration: 0 }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'sleep', duration: 3_600_001 }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'tone', duration: 10, frequency: 40_001 }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'tone', duration: 10, frequency: 440, loop: 1001 }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'tone', duration: 10 }] }, 'missing-element'],
    [{ controls: [{ control: 'hangup', hangup_cause: 200 }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'play', object: 'nope' }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'record_start', limit: 3601 }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'dtmf_send', digits: '12a' }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'dtmf_send', digits: '1', duration: 49 }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'dtmf_collect' }] }, 'missing-element'],
    [{ controls: [{ control: 'ring', id: 'x'.repeat(101) }] }, 'wrong-syntax'],
    [{ controls: [{ control: 'bridge', call: 'x', hangup_both: true }] }, 'wrong-syntax'],
    [
      { controls: [{ control: 'bridge', call: '0cde3f60-8683-11e2-99bd-0024e8f90cc0', hangup_both: 1 }] },
      'wrong-syntax',
    ],
    ['text', 'wrong-syntax'],
  ])('refuses %j with %s', (body, expected) => {
    expect(status(body)).toBe(expected);
  });
});

describe('illegal-state rules', () => {
  const incoming = (s: CallFacts['status']): CallFacts => ({
    incoming: true,
    status: s,
    bridged: false,
    recording: false,
  });
  const outgoing = (s: CallFacts['status']): CallFacts => ({
    incoming: false,
    status: s,
    bridged: false,
    recording: false,
  });

  it('refuses ring on an answered call, and any control on an ended one', () => {
    expect(checkControls(incoming('answered'), ok({ controls: [{ control: 'ring' }] }))).toMatchObject({
      ok: false,
      index: 0,
    });
    expect(checkControls(incoming('hangup'), ok({ controls: [{ control: 'hangup' }] }))).toMatchObject({
      ok: false,
    });
  });

  it('follows the list: answer then tone is fine on a calling call, tone then answer is not', () => {
    const tone = { control: 'tone', frequency: 440, duration: 100 };
    expect(checkControls(incoming('calling'), ok({ controls: [{ control: 'answer' }, tone] }))).toMatchObject(
      {
        ok: true,
        facts: { status: 'answered' },
      },
    );
    expect(checkControls(incoming('calling'), ok({ controls: [tone, { control: 'answer' }] }))).toMatchObject(
      { ok: false, index: 0 },
    );
    expect(
      checkControls(incoming('calling'), ok({ controls: [{ control: 'progress' }, tone] })),
    ).toMatchObject({ ok: true });
  });

  it('ring, progress and answer are for incoming calls only; media controls need an answered outgoing call', () => {
    for (const c of ['ring', 'progress', 'answer'])
      expect(checkControls(outgoing('ringing'), ok({ controls: [{ control: c }] }))).toMatchObject({
        ok: false,
      });
    expect(
      checkControls(outgoing('ringing'), ok({ controls: [{ control: 'silence', duration: 5 }] })),
    ).toMatchObject({ ok: false });
    expect(
      checkControls(outgoing('ringing'), ok({ controls: [{ control: 'sleep', duration: 5 }] })),
    ).toMatchObject({ ok: true });
    expect(
      checkControls(outgoing('answered'), ok({ controls: [{ control: 'dtmf_send', digits: '1' }] })),
    ).toMatchObject({ ok: true });
  });

  it('split needs a bridge, record_stop a recording, record_start none running', () => {
    expect(checkControls(incoming('answered'), ok({ controls: [{ control: 'split' }] }))).toMatchObject({
      ok: false,
    });
    expect(
      checkControls(
        incoming('answered'),
        ok({
          controls: [
            { control: 'bridge', call: '0cde3f60-8683-11e2-99bd-0024e8f90cc0' },
            { control: 'split' },
          ],
        }),
      ),
    ).toMatchObject({ ok: true, facts: { bridged: false } });
    expect(checkControls(incoming('answered'), ok({ controls: [{ control: 'record_stop' }] }))).toMatchObject(
      { ok: false },
    );
    expect(
      checkControls(
        incoming('answered'),
        ok({ controls: [{ control: 'record_start' }, { control: 'record_start' }] }),
      ),
    ).toMatchObject({ ok: false, index: 1 });
  });
});

describe('call_update payloads (spec 7.18.1)', () => {
  const base: CallApiView = {
    incoming: true,
    to: '+492216695888',
    from: '+498001234567',
    clir: false,
    status: 'calling',
    create_time: 100,
    record_on: false,
  };

  it('carries only what changed; a cleared control or bridge is an empty string', () => {
    expect(viewChanges(null, base)).toEqual(base);
    const running = {
      ...base,
      status: 'answered' as const,
      answer_time: 105,
      current_control_id: 'x',
      bridge: 'b',
    };
    expect(viewChanges(base, running)).toEqual({
      status: 'answered',
      answer_time: 105,
      current_control_id: 'x',
      bridge: 'b',
    });
    const { current_control_id: _c, bridge: _b, ...rest } = running;
    expect(viewChanges(running, { ...rest, last_control_id: 'x' })).toEqual({
      current_control_id: '',
      last_control_id: 'x',
      bridge: '',
    });
    expect(viewChanges(base, { ...base })).toEqual({});
  });
});

describe('GET /api/call paging', () => {
  const v = (t: number): CallApiView => ({
    incoming: true,
    to: 'a',
    from: 'b',
    clir: false,
    status: 'hangup',
    create_time: t,
    record_on: false,
  });
  const calls = [1, 2, 3, 4, 5].map((t) => ({ uuid: `c${t}`, view: v(t * 10) }));
  const ids = (l: Array<{ uuid: string }>) => l.map((c) => c.uuid);

  it('from/to bound the times, start is exclusive and overrides from (asc) or to (desc)', () => {
    expect(ids(pageCalls(calls, { order: 'asc', count: 10, from: 20, to: 40 }))).toEqual(['c2', 'c3', 'c4']);
    expect(ids(pageCalls(calls, { order: 'desc', count: 2 }))).toEqual(['c5', 'c4']);
    expect(ids(pageCalls(calls, { order: 'asc', count: 10, from: 40, start: 'c1' }))).toEqual([
      'c2',
      'c3',
      'c4',
      'c5',
    ]);
    expect(ids(pageCalls(calls, { order: 'desc', count: 10, to: 20, start: 'c4' }))).toEqual([
      'c3',
      'c2',
      'c1',
    ]);
  });
});

describe('crashedView (the crash reaper ends a call-API call)', () => {
  const answered: CallApiView = {
    incoming: false,
    to: '+4940111222',
    from: '+4922155501',
    clir: false,
    status: 'answered',
    create_time: 1000,
    answer_time: 1010,
    current_control_id: 'music',
    last_control_id: 'hook-off',
    record_on: true,
    bridge: 'b1',
  };

  it('ends it at the last heartbeat with the cause; the running control is the last one; no bridge, no recording on', () => {
    expect(crashedView(answered, 1_020_999, 41, 'rec-1')).toEqual({
      incoming: false,
      to: '+4940111222',
      from: '+4922155501',
      clir: false,
      status: 'hangup',
      create_time: 1000,
      answer_time: 1010,
      hangup_time: 1020,
      hangup_cause: 41,
      last_control_id: 'music',
      record_on: false,
      recording: 'rec-1',
    });
  });

  it('never ends before the answer (a heartbeat older than the call), and keeps the last control when none ran', () => {
    const { current_control_id: _c, ...idle } = answered;
    const v = crashedView(idle, 900_000, 41);
    expect(v).toMatchObject({ hangup_time: 1010, last_control_id: 'hook-off' });
    expect(v.recording).toBeUndefined();
    const { answer_time: _a, ...calling } = { ...idle, status: 'calling' as const };
    expect(crashedView(calling, 900_000, 41).hangup_time).toBe(1000);
  });
});
