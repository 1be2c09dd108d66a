import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRtp, isRtcp, parseRtp } from '../../src/telephony/embedded/rtp/packet.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('RTP header (RFC 3550 §5.1)', () => {
  it('parses a PCMU packet', () => {
    const pkt = hex('80 00 12 34  00 00 03 e8  de ad be ef  ff ff ff ff');
    expect(parseRtp(pkt)).toEqual({
      version: 2,
      padding: false,
      extension: false,
      csrcCount: 0,
      marker: false,
      payloadType: 0,
      sequence: 0x1234,
      timestamp: 1000,
      ssrc: 0xdeadbeef,
      payloadOffset: 12,
      payloadLength: 4,
    });
  });

  it('reads the marker bit apart from the payload type', () => {
    const h = parseRtp(hex('80 e5 ff ff  ff ff ff ff  00 00 00 01  01 0a 00 a0'));
    expect(h).toMatchObject({
      marker: true,
      payloadType: 101,
      sequence: 65535,
      timestamp: 0xffffffff,
      ssrc: 1,
    });
  });

  it('skips the CSRC list and the header extension (§5.3.1) to find the payload', () => {
    // CC=2, X=1: 12 + 8 octets of CSRC, then a one-word extension (RFC 8285 0xBEDE).
    const pkt = hex(
      '92 08 00 01  00 00 00 a0  00 00 00 02  00 00 00 0a  00 00 00 0b  be de 00 01  10 ff 00 00  d5 d5',
    );
    expect(parseRtp(pkt)).toMatchObject({
      extension: true,
      csrcCount: 2,
      payloadType: 8,
      payloadOffset: 28,
      payloadLength: 2,
    });
  });

  it('leaves the padding out of the payload, the count octet included', () => {
    const pkt = hex('a0 00 00 01  00 00 00 00  00 00 00 01  aa bb  00 00 00 04');
    expect(parseRtp(pkt)).toMatchObject({ padding: true, payloadOffset: 12, payloadLength: 2 });
  });

  it('answers null for what is not RTP version 2 or does not fit its own header', () => {
    expect(parseRtp(hex(''))).toBeNull();
    expect(parseRtp(hex('80 00 00 01  00 00 00 00  00 00 00'))).toBeNull(); // 11 octets
    expect(parseRtp(hex('40 00 00 01  00 00 00 00  00 00 00 01'))).toBeNull(); // version 1
    expect(parseRtp(hex('c0 00 00 01  00 00 00 00  00 00 00 01'))).toBeNull(); // version 3
    expect(parseRtp(hex('81 00 00 01  00 00 00 00  00 00 00 01  00 00 00'))).toBeNull(); // CC=1, 3 octets
    expect(parseRtp(hex('90 00 00 01  00 00 00 00  00 00 00 01  be de'))).toBeNull(); // extension header cut
    expect(parseRtp(hex('90 00 00 01  00 00 00 00  00 00 00 01  be de 00 02  00 00 00 00'))).toBeNull();
    expect(parseRtp(hex('a0 00 00 01  00 00 00 00  00 00 00 01  aa 00'))).toBeNull(); // padding count 0
    expect(parseRtp(hex('a0 00 00 01  00 00 00 00  00 00 00 01  aa 03'))).toBeNull(); // more padding than payload
    expect(parseRtp(hex('a0 00 00 01  00 00 00 00  00 00 00 01  aa 01'))).toMatchObject({ payloadLength: 1 });
  });

  it('builds the header byte for byte', () => {
    const pkt = buildRtp(
      { payloadType: 0, sequence: 0x1234, timestamp: 1000, ssrc: 0xdeadbeef },
      hex('ff ff'),
    );
    expect(pkt.toString('hex')).toBe('80001234000003e8deadbeefffff');
    const marked = buildRtp({ payloadType: 101, marker: true, sequence: 0, timestamp: 0, ssrc: 0 }, hex(''));
    expect(marked.toString('hex')).toBe('80e5' + '00'.repeat(10));
  });

  it('refuses header fields that do not fit their width', () => {
    const base = { payloadType: 0, sequence: 0, timestamp: 0, ssrc: 0 };
    const p = Buffer.alloc(0);
    expect(() => buildRtp({ ...base, payloadType: 128 }, p)).toThrow(RangeError);
    expect(() => buildRtp({ ...base, sequence: 65536 }, p)).toThrow(RangeError);
    expect(() => buildRtp({ ...base, timestamp: -1 }, p)).toThrow(RangeError);
    expect(() => buildRtp({ ...base, ssrc: 2 ** 32 }, p)).toThrow(RangeError);
    expect(() => buildRtp({ ...base, sequence: 1.5 }, p)).toThrow(RangeError);
  });

  it('tells RTCP on the RTP port by packet types 200-204 (RFC 5761 §4)', () => {
    expect(isRtcp(hex('80 c8 00 06'))).toBe(true); // SR
    expect(isRtcp(hex('81 c9 00 07'))).toBe(true); // RR
    expect(isRtcp(hex('81 cc 00 02'))).toBe(true); // APP
    expect(isRtcp(hex('80 cd 00 02'))).toBe(false); // 205 RTPFB is not in 72-76
    expect(isRtcp(hex('80 00 00 01'))).toBe(false);
    expect(isRtcp(hex('80 e5 00 01'))).toBe(false);
    expect(isRtcp(hex('80'))).toBe(false);
  });

  it('never throws on random datagrams, and what it accepts lies inside the buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, forceV2) => {
        const buf = Buffer.from(bytes);
        if (forceV2 && buf.length > 0) buf[0] = (buf[0]! & 0x3f) | 0x80;
        const h = parseRtp(buf);
        if (h === null) return;
        expect(h.version).toBe(2);
        expect(h.payloadOffset).toBeGreaterThanOrEqual(12 + 4 * h.csrcCount);
        expect(h.payloadLength).toBeGreaterThanOrEqual(0);
        expect(h.payloadOffset + h.payloadLength).toBeLessThanOrEqual(buf.length);
      }),
      { numRuns: 5000 },
    );
  });

  it('parses back what it builds', () => {
    fc.assert(
      fc.property(
        fc.record({
          payloadType: fc.integer({ min: 0, max: 127 }),
          marker: fc.boolean(),
          sequence: fc.integer({ min: 0, max: 0xffff }),
          timestamp: fc.integer({ min: 0, max: 0xffffffff }),
          ssrc: fc.integer({ min: 0, max: 0xffffffff }),
        }),
        fc.uint8Array({ maxLength: 200 }),
        (init, payload) => {
          const pkt = buildRtp(init, Buffer.from(payload));
          const h = parseRtp(pkt);
          expect(h).toMatchObject({ ...init, version: 2, csrcCount: 0, payloadOffset: 12 });
          expect(pkt.subarray(h!.payloadOffset, h!.payloadOffset + h!.payloadLength)).toEqual(
            Buffer.from(payload),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
