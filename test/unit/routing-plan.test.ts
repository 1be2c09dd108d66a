import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDialplanV2 } from '../../src/domain/routing/dialplan-v2.js';
import { phoneFlags, routingPlan, type RoutingInput } from '../../src/domain/routing/routing-plan.js';
import type { PhoneConfig, RouteSource } from '../../src/domain/routing/types.js';
import { re2Compiler } from '../../src/events/filters.js';
import {
  SPEC_DIALPLAN_V1,
  SPEC_DIALPLAN_V2,
  at,
  callArb,
  counterArb,
  dialplanV1Arb,
  dialplanV2Arb,
  nowArb,
  phoneArb,
} from './routing-fixtures.js';

const DP = 'c0ffee00-0000-4000-8000-000000000001';
const IVR = 'ce19884c-8fed-11e2-93fe-0024e8f90cc2';
const spec = compileDialplanV2(SPEC_DIALPLAN_V2, re2Compiler);
const input = (phone: PhoneConfig, extra: Partial<RoutingInput> = {}): RoutingInput => ({
  number: '+492216698712',
  phone,
  call: { caller: '+4922155555', clir: false },
  nowMs: at('2015-06-10T08:00'),
  dialplanV2: spec,
  dialplanV1: SPEC_DIALPLAN_V1,
  ...extra,
});
const source = (phone: PhoneConfig, extra?: Partial<RoutingInput>): RouteSource =>
  routingPlan(input(phone, extra)).source;

describe('routing plan: precedence of the phone configuration (spec 3.9)', () => {
  const ALL_ON = {
    dialplan_enable: true,
    call_enable: true,
    fax_enable: true,
    recording_enable: true,
    conference_enable: true,
  };
  const OFF = { fax_enable: false, recording_enable: false, conference_enable: false };
  const TABLE: [string, PhoneConfig, Partial<RoutingInput>, RouteSource][] = [
    [
      'unlock code beats everything',
      { ...ALL_ON, unlock_code: '7649', dialplan: DP, ivr: IVR },
      {},
      'unlock',
    ],
    ['dialplan v2 beats dialplan_enable', { ...ALL_ON, dialplan: DP, ivr: IVR }, {}, 'dialplan-v2'],
    ['dialplan null is off', { ...ALL_ON, dialplan: null }, {}, 'dialplan-v1'],
    ['a deleted dialplan v2 falls through', { ...ALL_ON, dialplan: DP }, { dialplanV2: null }, 'dialplan-v1'],
    ['dialplan_enable beats call and the other flags', { ...ALL_ON, ivr: IVR }, {}, 'dialplan-v1'],
    ['call API when call_enable is the only switch', { call_enable: true, ...OFF, ivr: IVR }, {}, 'call-api'],
    ['call_enable with the default switches is not the call API', { call_enable: true }, {}, 'phone-flags'],
    [
      'call_enable with fax is not the call API',
      { call_enable: true, ...OFF, fax_enable: true },
      {},
      'phone-flags',
    ],
    ['call_enable blocks the IVR', { call_enable: true, ivr: IVR }, {}, 'phone-flags'],
    ['IVR when call and dialplan are off', { ivr: IVR }, {}, 'ivr'],
    ['IVR null is off', { ivr: null }, {}, 'phone-flags'],
    ['defaults: voice box, fax and conference', {}, {}, 'phone-flags'],
  ];
  it.each(TABLE)('%s', (_n, phone, extra, expected) => {
    expect(source(phone, extra)).toBe(expected);
  });

  it('defaults of the switches', () => {
    expect(phoneFlags({})).toEqual({
      dialplan: false,
      call: false,
      fax: true,
      recording: true,
      conference: true,
      playAnnouncementOnly: false,
    });
  });

  it('unlock prompts for the code', () => {
    expect(routingPlan(input({ unlock_code: '7649', on_hold_music: null }))).toEqual({
      number: '+492216698712',
      source: 'unlock',
      profile: null,
      onHoldMusic: null,
      route: { kind: 'unlock', code: '7649' },
    });
  });

  it('dialplan v2 carries the matched profile, ringback and on-hold music', () => {
    const p = routingPlan(input({ dialplan: DP, on_hold_music: 'moh' }, { cyclicCounter: 1 }));
    expect(p).toMatchObject({
      source: 'dialplan-v2',
      profile: 0,
      onHoldMusic: 'moh',
      route: {
        kind: 'ring',
        strategy: 'linear',
        ringback: { announcement: '91e85f5c-b9eb-11e1-8b7e-0024e8f90cc0', mix: true },
      },
    });
  });

  it('dialplan v1 without a stored dialplan rejects no-target', () => {
    expect(routingPlan(input({ dialplan_enable: true }, { dialplanV1: null })).route).toEqual({
      kind: 'reject',
      reason: 'no-target',
    });
  });

  it('voice box, fax and conference by their flags', () => {
    expect(routingPlan(input({ announcement: { uuid: 'ann', description: 'x' } })).route).toEqual({
      kind: 'answer',
      announcement: 'ann',
      voicebox: { record: true },
      fax: true,
      conference: true,
    });
    expect(
      routingPlan(
        input({
          announcement: 'ann',
          play_announcement_only: true,
          fax_enable: false,
          conference_enable: false,
        }),
      ).route,
    ).toEqual({
      kind: 'answer',
      announcement: 'ann',
      voicebox: { record: false },
      fax: false,
      conference: false,
    });
    expect(routingPlan(input({ recording_enable: false, conference_enable: false })).route).toMatchObject({
      voicebox: null,
      fax: true,
      conference: false,
    });
    expect(
      routingPlan(input({ fax_enable: false, recording_enable: false, conference_enable: false })).route,
    ).toEqual({
      kind: 'reject',
      reason: 'no-service',
    });
  });
});

describe('routing plan: properties', () => {
  const inputArb = fc.record({
    phone: phoneArb,
    call: callArb,
    nowMs: nowArb,
    v2: fc.option(dialplanV2Arb),
    v1: fc.option(dialplanV1Arb),
    counter: counterArb,
  });

  it('is total, deterministic, and respects the precedence', () => {
    fc.assert(
      fc.property(inputArb, ({ phone, call, nowMs, v2, v1, counter }) => {
        const make = (): RoutingInput => ({
          number: '+4930123456',
          phone: structuredClone(phone),
          call: { ...call },
          nowMs,
          dialplanV2: v2 === null ? null : compileDialplanV2(structuredClone(v2), re2Compiler),
          dialplanV1: v1 === null ? null : structuredClone(v1),
          cyclicCounter: counter,
        });
        const plan = routingPlan(make());
        expect(routingPlan(make())).toEqual(plan);
        expect(plan.onHoldMusic).toBe(phone.on_hold_music ?? null);
        const f = phoneFlags(phone);
        if (phone.unlock_code !== undefined) expect(plan.source).toBe('unlock');
        else if (typeof phone.dialplan === 'string' && v2 !== null) expect(plan.source).toBe('dialplan-v2');
        else if (f.dialplan) expect(plan.source).toBe('dialplan-v1');
        if (plan.source === 'call-api')
          expect([f.call, f.fax, f.recording, f.conference]).toEqual([true, false, false, false]);
        if (plan.source === 'ivr') expect([f.call, f.dialplan]).toEqual([false, false]);
        if (plan.source !== 'dialplan-v2') expect(plan.profile).toBeNull();
      }),
      { numRuns: 400 },
    );
  });
});
