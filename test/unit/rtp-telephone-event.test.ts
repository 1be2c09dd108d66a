import { describe, expect, it } from 'vitest';
import {
  buildTelephoneEvent,
  digitToEvent,
  eventToDigit,
  parseTelephoneEvent,
} from '../../src/telephony/embedded/rtp/telephone-event.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('telephone-event payload (RFC 4733 §2.3)', () => {
  it('parses a digit in progress and its end', () => {
    // Digit 1 at -10 dBm0: 20 ms into the event, then the end at 100 ms (8 kHz clock).
    expect(parseTelephoneEvent(hex('01 0a 00 a0'))).toEqual({
      event: 1,
      end: false,
      volume: 10,
      duration: 160,
    });
    expect(parseTelephoneEvent(hex('01 8a 03 20'))).toEqual({
      event: 1,
      end: true,
      volume: 10,
      duration: 800,
    });
  });

  it('ignores the reserved bit and reads the full duration range', () => {
    expect(parseTelephoneEvent(hex('0b ff ff ff'))).toEqual({
      event: 11,
      end: true,
      volume: 63,
      duration: 65535,
    });
    expect(parseTelephoneEvent(hex('0b 7f 00 00'))).toEqual({
      event: 11,
      end: false,
      volume: 63,
      duration: 0,
    });
  });

  it('answers null for a payload shorter than one event', () => {
    expect(parseTelephoneEvent(hex(''))).toBeNull();
    expect(parseTelephoneEvent(hex('01 8a 03'))).toBeNull();
  });

  it('builds the four octets with R clear', () => {
    expect(buildTelephoneEvent({ event: 1, end: true, volume: 10, duration: 800 }).toString('hex')).toBe(
      '018a0320',
    );
    expect(buildTelephoneEvent({ event: 16, end: false, volume: 0, duration: 0 }).toString('hex')).toBe(
      '10000000',
    );
    for (const e of [
      { event: 5, end: false, volume: 63, duration: 1 },
      { event: 255, end: true, volume: 0, duration: 65535 },
    ]) {
      expect(parseTelephoneEvent(buildTelephoneEvent(e))).toEqual(e);
    }
  });

  it('refuses fields that do not fit', () => {
    expect(() => buildTelephoneEvent({ event: 256, end: false, volume: 0, duration: 0 })).toThrow(RangeError);
    expect(() => buildTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(RangeError);
    expect(() => buildTelephoneEvent({ event: 1, end: false, volume: 0, duration: 65536 })).toThrow(
      RangeError,
    );
    expect(() => buildTelephoneEvent({ event: -1, end: false, volume: 0, duration: 0 })).toThrow(RangeError);
  });
});

describe('DTMF events (RFC 4733 §3.2)', () => {
  it('maps 0-9 * # A-D to events 0-15 and back', () => {
    const digits = '0123456789*#ABCD';
    [...digits].forEach((d, i) => {
      expect(digitToEvent(d)).toBe(i);
      expect(eventToDigit(i)).toBe(d);
    });
    expect(digitToEvent('a')).toBe(12);
    expect(digitToEvent('d')).toBe(15);
  });

  it('answers null for anything else', () => {
    expect(eventToDigit(16)).toBeNull(); // a tone event, not a digit
    expect(eventToDigit(-1)).toBeNull();
    expect(eventToDigit(1.5)).toBeNull();
    expect(digitToEvent('E')).toBeNull();
    expect(digitToEvent('')).toBeNull();
    expect(digitToEvent('12')).toBeNull();
  });
});
