import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileCaller,
  compileDialplanV2,
  cyclicStart,
  escapeDanglingPlus,
  evaluateDialplanV2,
} from '../../src/domain/routing/dialplan-v2.js';
import type { DialplanV2, IncomingCall, Route } from '../../src/domain/routing/types.js';
import { re2Compiler } from '../../src/events/filters.js';
import {
  SPEC_DIALPLAN_V2,
  SPEC_DIALPLAN_V2_BUSY,
  at,
  callArb,
  counterArb,
  dialplanV2Arb,
  nowArb,
} from './routing-fixtures.js';

const compile = (dp: DialplanV2) => compileDialplanV2(dp, re2Compiler);
const call = (caller: string | null, clir = false): IncomingCall => ({ caller, clir });
const spec = compile(SPEC_DIALPLAN_V2);
const legsOf = (r: Route): string[] =>
  r.kind === 'ring'
    ? r.legs.map((l) =>
        l.target.type === 'phone'
          ? l.target.number
          : l.target.type === 'sip'
            ? l.target.account
            : 'callreverse',
      )
    : [];

describe('dialplan v2: the spec example (4.1)', () => {
  it('profile 0: caller +49221… on a weekday morning rings linearly', () => {
    const r = evaluateDialplanV2(spec, call('+4922155555'), at('2015-06-10T08:00'));
    expect(r).toEqual({
      profile: 0,
      route: {
        kind: 'ring',
        strategy: 'linear',
        timeout: 7,
        legs: [
          { target: { type: 'sip', account: 'joe_05' }, timeout: 5 },
          { target: { type: 'phone', number: '+491771234567' }, timeout: 4 },
        ],
        ringback: { announcement: '91e85f5c-b9eb-11e1-8b7e-0024e8f90cc0', mix: true },
        onTimeout: { kind: 'hangup' },
        onBusy: { kind: 'hangup' },
        onUnavailable: { kind: 'hangup' },
      },
    });
  });

  it('profile 0 matches a CLIR caller as anonymous, and the other listed number', () => {
    expect(evaluateDialplanV2(spec, call('+4922155555', true), at('2015-06-10T08:00')).profile).toBe(0);
    expect(evaluateDialplanV2(spec, call(null), at('2015-06-10T08:00')).profile).toBe(0);
    expect(evaluateDialplanV2(spec, call('+4830123456'), at('2015-06-10T08:00')).profile).toBe(0);
  });

  it('profile 1: another caller on 11.06.2015 in the window rings in parallel', () => {
    const r = evaluateDialplanV2(spec, call('+4930123'), at('2015-06-11T08:00'));
    expect(r.profile).toBe(1);
    expect(r.route).toMatchObject({ kind: 'ring', strategy: 'parallel', timeout: 10 });
    expect(legsOf(r.route)).toEqual(['joe_04', '+491771234567']);
    if (r.route.kind === 'ring') expect(r.route.legs.every((l) => l.timeout === null)).toBe(true);
  });

  it('profile 2: otherwise cyclic, its start rotating with the counter', () => {
    const now = at('2015-06-11T14:00');
    const order = (c: number) => legsOf(evaluateDialplanV2(spec, call('+4930123'), now, c).route);
    expect(evaluateDialplanV2(spec, call('+4930123'), now, 0).profile).toBe(2);
    expect(order(0)).toEqual(['joe_08', '+491771234567']);
    expect(order(1)).toEqual(['+491771234567', 'joe_08']);
    expect(order(2)).toEqual(['joe_08', '+491771234567']);
    const r = evaluateDialplanV2(spec, call('+4930123'), now, 1).route;
    expect(r).toMatchObject({ strategy: 'cyclic', timeout: 7 });
    if (r.kind === 'ring') expect(r.legs.map((l) => l.timeout)).toEqual([5, 4]);
  });

  it('the GET example rejects', () => {
    expect(evaluateDialplanV2(compile(SPEC_DIALPLAN_V2_BUSY), call('+49123'), 0)).toEqual({
      profile: 0,
      route: { kind: 'reject', reason: 'dialplan-reject' },
    });
  });
});

describe('dialplan v2: caller regexes', () => {
  const CASES: [string, IncomingCall, boolean][] = [
    ['anonymous', call(null, true), true],
    ['anonymous', call('+49221', true), true],
    ['anonymous', call('+49221'), false],
    ['anonymous', call(null), true],
    ['+49.*', call('+4922112345'), true],
    ['+49.*', call('+4322112345'), false],
    ['+49.*', call(null, true), false],
    ['\\+4922112345', call('+4922112345'), true],
    ['\\+4922112345', call('+49221123456'), false],
    ['\\+4922112345', call('+14922112345'), false],
    ['\\+49221.*|\\+4830123456|anonymous', call('+4830123456'), true],
    ['\\+49221.*|\\+4830123456|anonymous', call('+48301234567'), false],
    ['(?i)ANONYMOUS', call('+4930', true), true],
    ['\\+49(30|40)[0-9]+', call('+4940123'), true],
    ['\\+49(30|40)[0-9]+', call('+4950123'), false],
  ];
  it.each(CASES)('%s against %o is %s', (caller, c, expected) => {
    const dp = compile({ profiles: [{ filter: { caller }, reject: {} }] });
    expect(evaluateDialplanV2(dp, c, 0).profile).toBe(expected ? 0 : null);
  });

  it('a regex that does not compile makes its profile match nothing', () => {
    expect(compileCaller('(', re2Compiler)).toBeNull();
    const dp = compile({ profiles: [{ filter: { caller: '(' }, reject: {} }, { record: {} }] });
    expect(evaluateDialplanV2(dp, call('+49'), 0, 0, 'a-uuid')).toEqual({
      profile: 1,
      route: { kind: 'voicebox', announcement: 'a-uuid', record: true },
    });
  });

  it('escapes only a + with nothing to repeat', () => {
    expect(escapeDanglingPlus('+49.*')).toBe('\\+49.*');
    expect(escapeDanglingPlus('a|+1|(+2)')).toBe('a|\\+1|(\\+2)');
    expect(escapeDanglingPlus('\\+4[0-9]+')).toBe('\\+4[0-9]+');
  });
});

describe('dialplan v2: actions and decisions', () => {
  it('no profile (or none matching) rejects with no-profile-matched', () => {
    expect(evaluateDialplanV2(compile({}), call('+49'), 0).route).toEqual({
      kind: 'reject',
      reason: 'no-profile-matched',
    });
    const dp = compile({ profiles: [{ filter: { caller: 'anonymous' }, reject: {} }] });
    expect(evaluateDialplanV2(dp, call('+49'), 0)).toEqual({
      profile: null,
      route: { kind: 'reject', reason: 'no-profile-matched' },
    });
  });

  it('timeouts of 0 or less, fractions below 1 and absent ones ring until the network gives up', () => {
    const dp = compile({
      profiles: [
        {
          linear: {
            timeout: -3,
            targets: [
              { target: 'joe_01', timeout: 0 },
              { target: 'joe_02' },
              { target: 'joe_03', timeout: 0.5 },
              { target: 'joe_04', timeout: 1 },
            ],
          },
        },
      ],
    });
    const r = evaluateDialplanV2(dp, call('+49'), 0).route;
    expect(r).toMatchObject({ timeout: null });
    if (r.kind === 'ring') expect(r.legs.map((l) => l.timeout)).toEqual([null, null, null, 1]);
  });

  it("record uses its own announcement before the number's", () => {
    const dp = compile({ profiles: [{ record: { announcement: 'own' } }] });
    expect(evaluateDialplanV2(dp, call('+49'), 0, 0, 'number').route).toEqual({
      kind: 'voicebox',
      announcement: 'own',
      record: true,
    });
  });

  it('targets without a target field are skipped; none left rejects no-target', () => {
    const dp = compile({ profiles: [{ cyclic: { targets: [{ timeout: 4 }] } }] });
    expect(evaluateDialplanV2(dp, call('+49'), 0).route).toEqual({ kind: 'reject', reason: 'no-target' });
  });

  it('a profile without an action is skipped', () => {
    const dp = compile({ profiles: [{ filter: {} }, { reject: {} }] });
    expect(evaluateDialplanV2(dp, call('+49'), 0).profile).toBe(1);
  });
});

describe('dialplan v2: properties', () => {
  it('evaluation is total and deterministic on any valid dialplan', () => {
    fc.assert(
      fc.property(dialplanV2Arb, callArb, nowArb, counterArb, (dp, c, now, counter) => {
        const a = evaluateDialplanV2(compile(dp), c, now, counter, null);
        const b = evaluateDialplanV2(compile(structuredClone(dp)), { ...c }, now, counter, null);
        expect(b).toEqual(a);
        if (a.profile !== null) {
          const p = dp.profiles?.[a.profile];
          expect(p).toBeDefined();
          // No earlier profile was unconditional.
          for (const q of dp.profiles?.slice(0, a.profile) ?? []) expect(q.filter).toBeDefined();
        } else {
          expect(a.route).toEqual({ kind: 'reject', reason: 'no-profile-matched' });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('cyclic rotation is a permutation, periodic in n, and starts at every target once per n calls', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: -1e6, max: 1e6 }), (n, c) => {
        const targets = Array.from({ length: n }, (_, i) => ({ target: `t${i}_0${i}`, timeout: i + 1 }));
        const dp = compile({ profiles: [{ cyclic: { targets } }] });
        const order = (k: number) => legsOf(evaluateDialplanV2(dp, call('+49'), 0, k).route);
        expect([...order(c)].sort()).toEqual(targets.map((t) => t.target).sort());
        expect(order(c + n)).toEqual(order(c));
        const starts = new Set(Array.from({ length: n }, (_, k) => order(c + k)[0]));
        expect(starts.size).toBe(n);
        expect(cyclicStart(c, n)).toBeGreaterThanOrEqual(0);
        expect(cyclicStart(c, n)).toBeLessThan(n);
      }),
    );
  });

  it('cyclicStart is total', () => {
    expect(cyclicStart(Number.NaN, 3)).toBe(0);
    expect(cyclicStart(5, 0)).toBe(0);
    expect(cyclicStart(-1, 3)).toBe(2);
    expect(cyclicStart(Number.MAX_SAFE_INTEGER, 2)).toBe(1);
  });
});
