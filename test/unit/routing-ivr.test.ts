import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IVR_LIMITS, startIvr, stepIvr, type IvrEvent, type IvrStep } from '../../src/domain/routing/ivr.js';
import type { IvrConfig } from '../../src/domain/routing/types.js';
import { SPEC_IVR } from './routing-fixtures.js';

const ID = 'db19884c-8fed-11e2-93fe-0024e8f90aa3';
const finished: IvrEvent = { type: 'announcement-finished' };
const timeout: IvrEvent = { type: 'timeout' };
const digit = (d: string): IvrEvent => ({ type: 'digit', digit: d });

/** Runs events from the start; returns every step's action kind (and the last step). */
function run(ivr: IvrConfig, events: IvrEvent[]): { actions: string[]; last: IvrStep } {
  let step = startIvr(ID, ivr);
  const actions = [step.action.kind];
  for (const e of events) {
    step = stepIvr(step.state, ivr, e);
    actions.push(step.action.kind);
  }
  return { actions, last: step };
}

describe('IVR state machine (spec 5.1.1)', () => {
  it('starts by playing the announcement, then waits timeout.seconds', () => {
    const s = startIvr(ID, SPEC_IVR);
    expect(s.action).toEqual({ kind: 'play', announcement: 'ce19884c-8fed-11e2-93fe-0024e8f90cc1' });
    expect(stepIvr(s.state, SPEC_IVR, finished).action).toEqual({ kind: 'wait', seconds: 10 });
  });

  const DIGITS: [string, IvrEvent[], unknown][] = [
    [
      '1 runs the IVR it names',
      [finished, digit('1')],
      { kind: 'goto-ivr', ivr: 'ce19884c-8fed-11e2-93fe-0024e8f90cc2' },
    ],
    [
      '* runs the IVR it names',
      [digit('*')],
      { kind: 'goto-ivr', ivr: 'ce19884c-8fed-11e2-93fe-0024e8f90cc5' },
    ],
    ['4 redirects', [finished, digit('4')], { kind: 'redirect', phone: '+4922116696000' }],
    ['barge-in during the announcement', [digit('4')], { kind: 'redirect', phone: '+4922116696000' }],
    [
      'other digit repeats',
      [finished, digit('9')],
      { kind: 'repeat', announcement: 'ce19884c-8fed-11e2-93fe-0024e8f90cc1' },
    ],
    ['a non-DTMF digit is ignored', [finished, digit('A')], { kind: 'none' }],
    [
      'timeout plays the timeout announcement',
      [finished, timeout],
      { kind: 'play', announcement: 'ce19884c-8fed-11e2-93fe-0024e8f90cc2' },
    ],
    ['after the timeout announcement the call ends', [finished, timeout, finished], { kind: 'hangup' }],
    [
      'a digit during the timeout announcement still counts',
      [finished, timeout, digit('4')],
      { kind: 'redirect', phone: '+4922116696000' },
    ],
    ['a timeout while playing changes nothing', [timeout], { kind: 'none' }],
    ['nothing happens after the end', [digit('4'), digit('1')], { kind: 'none' }],
  ];
  it.each(DIGITS)('%s', (_n, events, expected) => {
    expect(run(SPEC_IVR, events).last.action).toEqual(expected);
  });

  it('timeout actions repeat and call; other redirects; without other a digit is ignored', () => {
    const base: IvrConfig = { announcement: 'a', '1': '+4911111' };
    expect(
      run({ ...base, timeout: { seconds: 5, action: 'repeat' } }, [finished, timeout]).last.action,
    ).toEqual({
      kind: 'repeat',
      announcement: 'a',
    });
    expect(
      run({ ...base, timeout: { seconds: 5, action: 'call', phone: '+4922222' } }, [finished, timeout]).last
        .action,
    ).toEqual({
      kind: 'redirect',
      phone: '+4922222',
    });
    expect(run({ ...base, other: '+4933333' }, [digit('5')]).last.action).toEqual({
      kind: 'redirect',
      phone: '+4933333',
    });
    expect(run(base, [digit('5')]).last.action).toEqual({ kind: 'none' });
    expect(run(base, [finished]).last.action).toEqual({ kind: 'wait', seconds: null });
    expect(run(base, [finished, timeout]).last.action).toEqual({ kind: 'none' });
  });

  it(`repeats at most ${IVR_LIMITS.maxRepeats} times, then hangs up`, () => {
    const ivr: IvrConfig = { announcement: 'a', '1': '+4911111', timeout: { seconds: 5, action: 'repeat' } };
    const events = Array.from({ length: IVR_LIMITS.maxRepeats + 1 }, () => [finished, timeout]).flat();
    const { actions, last } = run(ivr, events);
    expect(actions.filter((a) => a === 'repeat')).toHaveLength(IVR_LIMITS.maxRepeats);
    expect(last.action).toEqual({ kind: 'hangup' });
    expect(last.state.phase).toBe('done');
  });

  it('is total and deterministic; done is absorbing (property)', () => {
    const event: fc.Arbitrary<IvrEvent> = fc.oneof(
      fc.constant(finished),
      fc.constant(timeout),
      fc.constantFrom('0', '1', '2', '4', '5', '*', '#', 'x', '').map(digit),
    );
    const ivrArb: fc.Arbitrary<IvrConfig> = fc.record(
      {
        announcement: fc.uuid(),
        other: fc.constantFrom('repeat', '+4912345'),
        timeout: fc.oneof(
          fc.record({ seconds: fc.integer({ min: 1, max: 60 }), action: fc.constant('repeat' as const) }),
          fc.record({
            seconds: fc.integer({ min: 1, max: 60 }),
            action: fc.constant('call' as const),
            phone: fc.constant('+4955555'),
          }),
          fc.record({
            seconds: fc.integer({ min: 1, max: 60 }),
            action: fc.constant('play' as const),
            announcement: fc.uuid(),
          }),
        ),
        '1': fc.uuid(),
        '#': fc.constant('+4966666'),
      },
      { requiredKeys: ['announcement'] },
    );
    fc.assert(
      fc.property(ivrArb, fc.array(event, { maxLength: 60 }), (ivr, events) => {
        const a = run(ivr, events);
        expect(run(structuredClone(ivr), events)).toEqual(a);
        expect(a.last.state.repeats).toBeLessThanOrEqual(IVR_LIMITS.maxRepeats);
        if (a.last.state.phase === 'done')
          for (const e of [finished, timeout, digit('1')])
            expect(stepIvr(a.last.state, ivr, e).action).toEqual({ kind: 'none' });
      }),
      { numRuns: 300 },
    );
  });
});
