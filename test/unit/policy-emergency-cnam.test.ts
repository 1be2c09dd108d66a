import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isCnamName,
  isE164,
  parseCnamPageQuery,
  resolveCallingName,
  sipDisplayName,
} from '../../src/domain/policy/cnam.js';
import { inCreditRange, parseCreditChange, parseCreditRange } from '../../src/domain/policy/credit-rules.js';
import { applyEmergencyUpdate, routeEmergency } from '../../src/domain/policy/emergency.js';
import { PolicyError } from '../../src/domain/policy/errors.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof PolicyError) return err.code;
    throw err;
  }
  return 'ok';
};

/** Spec 9.1.5 example. */
const SPEC_EMERGENCY = {
  uui_header: '001D73306138F193FFFF4A6F6C696F742D43757269652D5374722E',
  emergency_police: '221CC00',
  emergency_rescue: '221CC02',
};

describe('emergency routing (spec 9.1.5)', () => {
  it('110 goes to the police control centre with the UUI', () => {
    expect(routeEmergency('110', SPEC_EMERGENCY)).toEqual({
      service: 'police',
      dialled: '110',
      destination: '221CC00',
      uui: SPEC_EMERGENCY.uui_header,
    });
  });

  it('112 goes to the rescue control centre', () => {
    expect(routeEmergency('112', SPEC_EMERGENCY)).toMatchObject({
      service: 'rescue',
      destination: '221CC02',
    });
  });

  it.each<[string, string, Record<string, string> | null]>([
    ['no entry at all', '112', null],
    ['112 without a rescue entry', '112', { emergency_police: '221CC00' }],
    ['110 without a police entry', '110', { emergency_rescue: '221CC02', uui_header: 'AB' }],
    ['not an emergency number', '1100', SPEC_EMERGENCY],
    ['rewritten form is not matched', '+49112', SPEC_EMERGENCY],
  ])('routes normally: %s', (_name, dialled, info) => {
    expect(routeEmergency(dialled, info)).toBeNull();
  });

  it('carries no UUI without one', () => {
    expect(routeEmergency('110', { emergency_police: '221CC00' })).not.toHaveProperty('uui');
  });

  it('applies updates: set, keep, and empty deletes', () => {
    const stored = applyEmergencyUpdate({}, SPEC_EMERGENCY);
    expect(stored).toEqual(SPEC_EMERGENCY);
    expect(applyEmergencyUpdate(stored, { emergency_police: '', uui_header: 'AB' })).toEqual({
      uui_header: 'AB',
      emergency_rescue: '221CC02',
    });
  });

  it.each<[string, string, unknown]>([
    ['police 11 chars', 'wrong-syntax', { emergency_police: '12345678901' }],
    ['rescue a number', 'wrong-syntax', { emergency_rescue: 112 }],
    ['uui 201 chars', 'wrong-syntax', { uui_header: 'A'.repeat(201) }],
    ['uui with a newline', 'wrong-syntax', { uui_header: 'A\nB' }],
    ['not an object', 'wrong-syntax', 'x'],
    ['uui 200 chars', 'ok', { uui_header: 'A'.repeat(200) }],
    ['empty body', 'ok', {}],
  ])('%s -> %s', (_name, code, body) => {
    expect(codeOf(() => applyEmergencyUpdate({}, body))).toBe(code);
  });
});

describe('calling names (spec 10)', () => {
  const user = new Map([['+492216698712', 'John Doe']]);
  const usergroup = new Map([
    ['+492216698712', 'Accounting'],
    ['+492216698713', 'Jane Doe'],
  ]);
  const enterprise = (phone: string) => (phone.startsWith('+49221') ? 'Company' : undefined);

  it.each<[string, string, string | null, string | null]>([
    ['user table first', '+492216698712', 'John Doe', 'user'],
    ['then the usergroup', '+492216698713', 'Jane Doe', 'usergroup'],
    ['then the enterprise', '+492216698799', 'Company', 'enterprise'],
    ['nothing', '+4930123', null, null],
  ])('%s', (_name, phone, name, scope) => {
    const got = resolveCallingName(phone, { user, usergroup, enterprise });
    expect(got).toEqual(name === null ? null : { name, scope });
  });

  it('skips missing tables', () => {
    expect(resolveCallingName('+492216698712', { user: null, enterprise })).toEqual({
      name: 'Company',
      scope: 'enterprise',
    });
  });

  it.each<[string, boolean]>([
    ['John Doe', true],
    ["O'Brien & Sons (Ltd.) *+,-./:;@[]_", true],
    ['x'.repeat(100), true],
    ['x'.repeat(101), false],
    ['', false],
    ['Jürgen', false],
    ['"quoted"', false],
    ['back\\slash', false],
    ['tab\there', false],
    ['a#b', false],
    ['50%', false],
  ])('name %j valid: %s', (name, valid) => {
    expect(isCnamName(name)).toBe(valid);
  });

  it('every valid name is a safe SIP display-name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9&'()*+,./:;@[\]_ -]{1,100}$/), (name) => {
        expect(isCnamName(name)).toBe(true);
        expect(sipDisplayName(name)).toBe(`"${name}"`);
      }),
    );
    expect(sipDisplayName('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it.each<[string, boolean]>([
    ['+492216698712', true],
    ['+1', false],
    ['+12', true],
    ['+0123', false],
    ['492216698712', false],
    ['+1234567890123456', false],
  ])('phone %s is E.164: %s', (phone, ok) => {
    expect(isE164(phone)).toBe(ok);
  });

  it('parses page queries', () => {
    expect(parseCnamPageQuery({})).toEqual({ next: null, count: 50 });
    expect(parseCnamPageQuery({ next: '+492216698714', count: '500' })).toEqual({
      next: '+492216698714',
      count: 500,
    });
    for (const raw of [{ count: '0' }, { count: '501' }, { count: 'x' }, { next: 'abc' }])
      expect(codeOf(() => parseCnamPageQuery(raw))).toBe('wrong-syntax');
  });
});

describe('credit request rules (spec 9.1.6)', () => {
  it.each<[string, unknown, number | string]>([
    ['spec example', { add: 10000 }, 10000],
    ['subtract', { subtract: 5 }, -5],
    ['both', { add: 10, subtract: 3 }, 7],
    ['neither', {}, 'missing-element'],
    ['fraction', { add: 1.5 }, 'wrong-syntax'],
    ['string', { add: '10' }, 'wrong-syntax'],
    ['huge', { add: 1e16 }, 'wrong-syntax'],
    ['not an object', [], 'wrong-syntax'],
  ])('%s', (_name, body, expected) => {
    if (typeof expected === 'string') expect(codeOf(() => parseCreditChange(body))).toBe(expected);
    else expect(parseCreditChange(body)).toBe(expected);
  });

  it('parses min/max with min < max', () => {
    expect(parseCreditRange({})).toEqual({});
    expect(parseCreditRange({ min: '0', max: '10' })).toEqual({ min: 0, max: 10 });
    for (const raw of [{ min: '-1' }, { max: 'x' }, { min: '5', max: '5' }, { min: '6', max: '5' }])
      expect(codeOf(() => parseCreditRange(raw))).toBe('wrong-syntax');
  });

  it('bounds are inclusive', () => {
    expect(inCreditRange(10, { min: 10, max: 20 })).toBe(true);
    expect(inCreditRange(20, { min: 10, max: 20 })).toBe(true);
    expect(inCreditRange(9, { min: 10 })).toBe(false);
    expect(inCreditRange(21, { max: 20 })).toBe(false);
    expect(inCreditRange(-5, {})).toBe(true);
  });
});
