import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dialplanV1Targets, evaluateDialplanV1 } from '../../src/domain/routing/dialplan-v1.js';
import type { DialplanV1, Route } from '../../src/domain/routing/types.js';
import { SPEC_DIALPLAN_V1, dialplanV1Arb } from './routing-fixtures.js';

const names = (r: Route): string[] =>
  r.kind === 'ring'
    ? r.legs.map((l) =>
        l.target.type === 'phone'
          ? l.target.number
          : l.target.type === 'sip'
            ? l.target.account
            : 'callreverse',
      )
    : [];

describe('dialplan v1 (spec 4.2)', () => {
  it('the GET example rings the active pool entries and the SIP pool in parallel', () => {
    expect(evaluateDialplanV1(SPEC_DIALPLAN_V1, 'number-ann')).toEqual({
      kind: 'ring',
      strategy: 'parallel',
      timeout: 20,
      legs: [
        { target: { type: 'phone', number: '+492216698991' }, timeout: null },
        { target: { type: 'sip', account: 'joe_08' }, timeout: null },
        { target: { type: 'sip', account: 'joe_13' }, timeout: null },
      ],
      ringback: { announcement: '1de1227a-4f34-11e0-ab6e-0024e8f90cc1', mix: false },
      onTimeout: { kind: 'voicebox', announcement: 'number-ann' },
      onBusy: { kind: 'forward', target: { type: 'sip', account: 'joe_07' } },
      onUnavailable: { kind: 'forward', target: { type: 'phone', number: '+492216698998' } },
    });
  });

  it('call-reverse is an additional target', () => {
    expect(names(evaluateDialplanV1({ ...SPEC_DIALPLAN_V1, callreverse_enable: true }))).toEqual([
      '+492216698991',
      'joe_08',
      'joe_13',
      'callreverse',
    ]);
  });

  const TABLE: [string, DialplanV1, string[]][] = [
    [
      'redirect rings phone first',
      { ...SPEC_DIALPLAN_V1, action: 'redirect' },
      ['+492216698999', '+492216698991', 'joe_08', 'joe_13'],
    ],
    [
      'sip rings sip first',
      { ...SPEC_DIALPLAN_V1, action: 'sip' },
      ['joe_01', '+492216698991', 'joe_08', 'joe_13'],
    ],
    [
      'duplicates ring once',
      { action: 'sip', sip: 'joe_08', sip_pool: ['joe_08', 'joe_09', 'joe_09'] },
      ['joe_08', 'joe_09'],
    ],
    ['inactive pool entries are skipped', { phone_pool: { '+4911111': false, '+4922222': false } }, []],
    [
      'pool entries in number order',
      { phone_pool: { '+4933333': true, '+4911111': true } },
      ['+4911111', '+4933333'],
    ],
    ['redirect without phone rings only the pools', { action: 'redirect', sip_pool: ['joe_02'] }, ['joe_02']],
  ];
  it.each(TABLE)('%s', (_n, dp, expected) => {
    const r = evaluateDialplanV1(dp);
    if (expected.length > 0) expect(names(r)).toEqual(expected);
    else expect(r.kind).not.toBe('ring');
  });

  it('reject and record ignore the pools', () => {
    expect(evaluateDialplanV1({ ...SPEC_DIALPLAN_V1, action: 'reject' })).toEqual({
      kind: 'reject',
      reason: 'dialplan-reject',
    });
    expect(evaluateDialplanV1({ ...SPEC_DIALPLAN_V1, action: 'record' }, 'a')).toEqual({
      kind: 'voicebox',
      announcement: 'a',
      record: true,
    });
  });

  it('nothing to ring runs the unavailable action, or rejects', () => {
    expect(evaluateDialplanV1({ unavailable: { action: 'redirect', phone: '+4912345' } })).toMatchObject({
      kind: 'ring',
      legs: [{ target: { type: 'phone', number: '+4912345' }, timeout: null }],
    });
    expect(evaluateDialplanV1({ unavailable: { action: 'record' } }, 'x')).toEqual({
      kind: 'voicebox',
      announcement: 'x',
      record: true,
    });
    expect(evaluateDialplanV1({})).toEqual({ kind: 'reject', reason: 'no-target' });
  });

  it('sub-actions: none / missing field hang up; timeout 0 rings until network disconnect', () => {
    const r = evaluateDialplanV1({
      sip_pool: ['joe_01'],
      timeout: { action: 'redirect', timeout: 0 },
      busy: { action: 'none' },
      unavailable: { action: 'reject' },
    });
    expect(r).toMatchObject({
      timeout: null,
      onTimeout: { kind: 'hangup' },
      onBusy: { kind: 'hangup' },
      onUnavailable: { kind: 'reject' },
    });
  });

  it('only active pool entries, never a duplicate, and deterministic (property)', () => {
    fc.assert(
      fc.property(dialplanV1Arb, (dp) => {
        const a = evaluateDialplanV1(dp, null);
        expect(evaluateDialplanV1(structuredClone(dp), null)).toEqual(a);
        const t = dialplanV1Targets(dp);
        const keys = t.map((x) => JSON.stringify(x));
        expect(new Set(keys).size).toBe(keys.length);
        for (const x of t)
          if (
            x.type === 'phone' &&
            x.number in (dp.phone_pool ?? {}) &&
            !(dp.action === 'redirect' && dp.phone === x.number)
          )
            expect(dp.phone_pool?.[x.number]).toBe(true);
        expect(t.some((x) => x.type === 'callreverse')).toBe(dp.callreverse_enable === true);
      }),
      { numRuns: 300 },
    );
  });
});
