import { describe, expect, it } from 'vitest';
import {
  CAUSE,
  causeOfRingFailure,
  reasonHeader,
  ringFailure,
  worstFailure,
  worstRingFailure,
} from '../../src/telephony/causes.js';
import {
  formatQ850Reason,
  parseQ850Reason,
  Q850_CAUSES,
  q850ToSip,
  sipToQ850,
} from '../../src/domain/cdr/q850.js';
import { causeOfSipStatus, sipStatusOf } from '../../src/errors/sip.js';

describe('Q.850 cause -> SIP status (RFC 3398 §7.2.4.1)', () => {
  it.each([
    [1, 404, 'unallocated number'],
    [2, 404, 'no route to network'],
    [3, 404, 'no route to destination'],
    [17, 486, 'user busy'],
    [18, 408, 'no user responding'],
    [19, 480, 'no answer from the user'],
    [20, 480, 'subscriber absent'],
    [21, 403, 'call rejected'],
    [22, 410, 'number changed'],
    [23, 410, 'redirection to new destination'],
    [26, 404, 'non-selected user clearing'],
    [27, 502, 'destination out of order'],
    [28, 484, 'address incomplete'],
    [29, 501, 'facility rejected (the RFC misprints 510)'],
    [31, 480, 'normal, unspecified'],
    [34, 503, 'no circuit available'],
    [38, 503, 'network out of order'],
    [41, 503, 'temporary failure'],
    [42, 503, 'switching equipment congestion'],
    [47, 503, 'resource unavailable'],
    [55, 403, 'incoming calls barred within CUG'],
    [57, 403, 'bearer capability not authorized'],
    [58, 503, 'bearer capability not presently available'],
    [65, 488, 'bearer capability not implemented'],
    [70, 488, 'only restricted digital information'],
    [79, 501, 'service or option not implemented'],
    [87, 403, 'user not member of CUG'],
    [88, 503, 'incompatible destination'],
    [102, 504, 'recovery on timer expiry'],
    [111, 500, 'protocol error'],
    [127, 500, 'interworking'],
  ])('%i -> %i (%s)', (cause, status) => {
    expect(q850ToSip(cause)).toBe(status);
  });

  it('gives 603 Decline for a call rejected at the user (RFC 3398 note)', () => {
    expect(q850ToSip(21, { userLocation: true })).toBe(603);
    expect(q850ToSip(17, { userLocation: true })).toBe(486);
  });

  it('answers 16 normal clearing with 480 when an INVITE still needs a final response', () => {
    expect(q850ToSip(16)).toBe(480);
  });

  it.each([
    [0, 480, 'class 0 -> 31'],
    [9, 480, 'class 0 -> 31'],
    [24, 480, 'class 1 -> 31'],
    [44, 503, 'class 2 -> 47'],
    [50, 503, 'class 3 -> 63'],
    [66, 501, 'class 4 -> 79'],
    [81, 500, 'class 5 -> 95'],
    [96, 500, 'class 6 -> 111'],
    [120, 500, 'class 7 -> 127'],
  ])('maps %i without a row like its class (%s)', (cause, status) => {
    expect(q850ToSip(cause)).toBe(status);
  });

  it.each([-1, 128, 1.5, Number.NaN])('rejects %s as a cause', (cause) => {
    expect(() => q850ToSip(cause)).toThrow(RangeError);
  });
});

describe('SIP status -> Q.850 cause (RFC 3398 §8.2.6.1)', () => {
  it.each([
    [200, 16],
    [400, 41],
    [401, 21],
    [402, 21],
    [403, 21],
    [404, 1],
    [405, 63],
    [406, 79],
    [407, 21],
    [408, 102],
    [410, 22],
    [413, 127],
    [414, 127],
    [415, 79],
    [416, 127],
    [420, 127],
    [421, 127],
    [423, 127],
    [480, 18],
    [481, 41],
    [482, 25],
    [483, 25],
    [484, 28],
    [485, 1],
    [486, 17],
    [487, 16],
    [488, 31],
    [500, 41],
    [501, 79],
    [502, 38],
    [503, 41],
    [504, 102],
    [505, 127],
    [513, 127],
    [600, 17],
    [603, 21],
    [604, 1],
    [606, 31],
  ])('%i -> %i', (status, cause) => {
    expect(sipToQ850(status)).toBe(cause);
  });

  it('maps codes without a row to 31 normal, unspecified', () => {
    expect(sipToQ850(302)).toBe(31);
    expect(sipToQ850(422)).toBe(31);
    expect(sipToQ850(580)).toBe(31);
  });

  it.each([100, 180, 199, 700, 0, 486.5])('rejects %s as a final status', (status) => {
    expect(() => sipToQ850(status)).toThrow(RangeError);
  });

  it('round-trips the causes a call ends with most', () => {
    for (const cause of [1, 17, 21]) expect(sipToQ850(q850ToSip(cause))).toBe(cause);
  });
});

describe('Reason header (RFC 3326)', () => {
  it.each([
    [16, undefined, 'Q.850;cause=16;text="Normal call clearing"'],
    [17, undefined, 'Q.850;cause=17;text="User busy"'],
    [31, 'Terminated', 'Q.850;cause=31;text="Terminated"'],
    [21, 'say "no" \\ now', 'Q.850;cause=21;text="say \\"no\\" \\\\ now"'],
    [21, 'two\r\nlines', 'Q.850;cause=21;text="two lines"'],
    [24, undefined, 'Q.850;cause=24'],
  ])('formats cause %i text %j', (cause, text, header) => {
    expect(formatQ850Reason(cause, text)).toBe(header);
  });

  it('names every cause it formats from Q.850 Table 1', () => {
    expect(Q850_CAUSES[127]).toBe('Interworking, unspecified');
    expect(formatQ850Reason(34)).toBe('Q.850;cause=34;text="No circuit/channel available"');
  });

  it('rejects a cause outside 0...127', () => {
    expect(() => formatQ850Reason(128)).toThrow(RangeError);
  });

  it.each([
    ['Q.850;cause=16;text="Normal call clearing"', { cause: 16, text: 'Normal call clearing' }],
    ['Q.850 ;cause=16 ;text="Terminated"', { cause: 16, text: 'Terminated' }],
    ['q.850;CAUSE=17', { cause: 17 }],
    ['SIP;cause=200;text="Call completed elsewhere", Q.850;cause=26', { cause: 26 }],
    ['SIP ;cause=600 ;text="a, b; c", Q.850 ;cause=17 ;text="User busy"', { cause: 17, text: 'User busy' }],
    ['Q.850;cause=21;text="say \\"no\\" \\\\ now"', { cause: 21, text: 'say "no" \\ now' }],
    ['Q.850;text="x";cause=41;foo=bar', { cause: 41, text: 'x' }],
  ])('parses %s', (header, expected) => {
    expect(parseQ850Reason(header)).toEqual(expected);
  });

  it.each([
    '',
    'SIP;cause=200',
    'Q.850',
    'Q.850;cause=',
    'Q.850;cause=abc',
    'Q.850;cause=128',
    'Q.850;cause=16;text="unterminated',
    'Q.8500;cause=16',
  ])('finds no Q.850 reason in %j', (header) => {
    expect(parseQ850Reason(header)).toBeNull();
  });

  it('parses what it formats', () => {
    for (const cause of [1, 16, 17, 21, 127]) {
      expect(parseQ850Reason(formatQ850Reason(cause))).toEqual({ cause, text: Q850_CAUSES[cause] });
    }
    expect(parseQ850Reason(formatQ850Reason(21, 'a "quoted", text'))).toEqual({
      cause: 21,
      text: 'a "quoted", text',
    });
  });
});

describe('how rung targets failed (spec 4.1 fallbacks)', () => {
  it('reads the node’s own congestion apart from a far end that is unavailable', () => {
    expect(ringFailure(CAUSE.congestion)).toBe('congestion');
    expect(ringFailure(causeOfSipStatus(503))).toBe('unavailable');
    expect(ringFailure(CAUSE.callLimit)).toBe('unavailable');
  });

  it('hears busy, then no answer, then unavailable, then congestion', () => {
    expect(worstRingFailure(['congestion', 'busy', 'unavailable'])).toBe('busy');
    expect(worstRingFailure(['congestion', 'no-answer'])).toBe('no-answer');
    expect(worstRingFailure(['congestion', 'unavailable'])).toBe('unavailable');
    expect(worstRingFailure(['congestion', 'congestion'])).toBe('congestion');
    expect(worstRingFailure([])).toBe('unavailable');
    expect(worstFailure([CAUSE.congestion, CAUSE.noAnswer])).toBe(CAUSE.noAnswer);
    expect(worstFailure([])).toBe(CAUSE.unavailable);
  });

  it('sends the cause’s own text in Reason, so a proxy tells the call limit from congestion', () => {
    expect(reasonHeader(CAUSE.callLimit)).toBe('Q.850;cause=34;text="call limit reached"');
    expect(reasonHeader(CAUSE.congestion)).toBe('Q.850;cause=34;text="No circuit/channel available"');
    expect(reasonHeader(CAUSE.normal)).toBe('Q.850;cause=16;text="Normal call clearing"');
  });

  it('ends a call on congestion with 503 and Q.850 34', () => {
    const c = causeOfRingFailure('congestion');
    expect([c.q850, sipStatusOf(c)]).toEqual([34, 503]);
    expect(sipStatusOf(causeOfRingFailure('unavailable'))).toBe(480);
  });
});
