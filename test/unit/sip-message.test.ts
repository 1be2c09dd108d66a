import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isParseFailure,
  parseMessage,
  parseVia,
  SipRequest,
  SipResponse,
  StreamFramer,
  tagOf,
} from '../../src/telephony/embedded/sip/message.js';
import { parseNameAddr, parseUri } from '../../src/telephony/embedded/sip/uri.js';
import { answerCodecs, buildSdp, parseSdp } from '../../src/telephony/embedded/sip/sdp.js';

const INVITE = [
  'INVITE sip:+492216698711@sip.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport',
  'v: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKabc, SIP/2.0/TCP proxy.example.com;branch=z9hG4bKdef',
  'Max-Forwards: 70',
  'To: <sip:+492216698711@sip.example.com>',
  'f: "Alice, A." <sip:+492216698499@carrier.example>;tag=1928301774',
  'i: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@10.0.0.1:5060>',
  'Subject: folded',
  ' header value',
  'c: application/sdp',
  'l: 4',
  '',
  'v=0\r\nextra',
].join('\r\n');

describe('SIP message parser (RFC 3261 §7)', () => {
  it('parses a request with compact forms, folding and comma-joined Vias', () => {
    const m = parseMessage(Buffer.from(INVITE));
    expect(m).toBeInstanceOf(SipRequest);
    const r = m as SipRequest;
    expect(r.method).toBe('INVITE');
    expect(r.uri).toBe('sip:+492216698711@sip.example.com');
    expect(r.getAll('via')).toHaveLength(3);
    expect(r.callId).toBe('a84b4c76e66710@pc33.example.com');
    expect(r.cseq).toEqual({ seq: 314159, method: 'INVITE' });
    expect(r.get('subject')).toBe('folded header value');
    expect(r.get('content-type')).toBe('application/sdp');
    // Content-Length cuts the body.
    expect(r.body.toString()).toBe('v=0\r');
    expect(tagOf(r.get('from'))).toBe('1928301774');
    const from = parseNameAddr(r.get('from') ?? '');
    expect(from?.display).toBe('Alice, A.');
    expect(parseUri(from?.uri ?? '')?.user).toBe('+492216698499');
  });

  it('round-trips through toBuffer', () => {
    const m = parseMessage(Buffer.from(INVITE)) as SipRequest;
    const again = parseMessage(m.toBuffer()) as SipRequest;
    expect(again.getAll('via')).toEqual(m.getAll('via'));
    expect(again.get('from')).toBe(m.get('from'));
    expect(again.body.equals(m.body)).toBe(true);
  });

  it('spells header names on the wire, including names that are Object properties', () => {
    const raw = [
      'OPTIONS sip:a@example.com SIP/2.0',
      'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1',
      'From: <sip:b@example.com>;tag=1',
      'To: <sip:a@example.com>',
      'Max-Forwards: 70',
      'call-id: c1',
      'cseq: 1 OPTIONS',
      'constructor: x',
      '__proto__: y',
      'x-custom-thing: z',
      '',
      '',
    ].join('\r\n');
    const msg = parseMessage(Buffer.from(raw));
    if (isParseFailure(msg)) throw new Error(msg.error);
    const text = msg.toString();
    expect(text).toContain('\r\nCall-ID: c1\r\n');
    expect(text).toContain('\r\nCSeq: 1 OPTIONS\r\n');
    expect(text).toContain('\r\nConstructor: x\r\n');
    expect(text).toContain('\r\n__proto__: y\r\n');
    expect(text).toContain('\r\nX-Custom-Thing: z\r\n');
  });

  it('parses responses', () => {
    const raw =
      'SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';
    const m = parseMessage(Buffer.from(raw));
    expect(m).toBeInstanceOf(SipResponse);
    expect((m as SipResponse).status).toBe(486);
    expect((m as SipResponse).reason).toBe('Busy Here');
  });

  it.each([
    ['no Via', INVITE.replace(/^Via:.*\r\n/m, '').replace(/^v:.*\r\n/m, '')],
    ['bad CSeq', INVITE.replace('CSeq: 314159 INVITE', 'CSeq: x INVITE')],
    ['CSeq method mismatch', INVITE.replace('CSeq: 314159 INVITE', 'CSeq: 1 BYE')],
    ['short body', INVITE.replace('l: 4', 'l: 400')],
    ['bad request line', INVITE.replace('SIP/2.0\r\n', 'SIP/3.0\r\n')],
    ['header without colon', INVITE.replace('Max-Forwards: 70', 'Max-Forwards 70')],
  ])('rejects %s', (_name, raw) => {
    const r = parseMessage(Buffer.from(raw));
    expect(isParseFailure(r)).toBe(true);
  });

  it('keeps a partial request for a 400 when the core headers are readable', () => {
    const r = parseMessage(Buffer.from(INVITE.replace('l: 4', 'l: 400')));
    expect(isParseFailure(r) && r.partial?.callId).toBe('a84b4c76e66710@pc33.example.com');
  });

  it('never throws on random bytes or mutated messages (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        parseMessage(Buffer.from(bytes));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: INVITE.length - 1 }),
        fc.string({ maxLength: 20 }),
        (at, junk) => {
          const mutated = INVITE.slice(0, at) + junk + INVITE.slice(at + 1);
          const r = parseMessage(Buffer.from(mutated));
          if (!isParseFailure(r)) r.toBuffer();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('parses a hostile 60 kB header quickly', () => {
    const t = Date.now();
    const raw = `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nX: ${'"<'.repeat(30_000)}\r\n\r\n`;
    parseMessage(Buffer.from(raw));
    expect(Date.now() - t).toBeLessThan(500);
  });
});

describe('Via, URIs, name-addr', () => {
  it('parses Via with rport and received', () => {
    const v = parseVia('SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport;received=10.0.0.1');
    expect(v).toMatchObject({ transport: 'UDP', host: '192.0.2.1', port: 5070 });
    expect(v?.params.get('rport')).toBe('');
    expect(v?.params.get('received')).toBe('10.0.0.1');
    expect(parseVia('garbage')).toBeNull();
  });

  it('parses URIs with params and rejects junk', () => {
    expect(parseUri('sip:joe_01@sip.example.com:5080;transport=tcp')).toMatchObject({
      user: 'joe_01',
      host: 'sip.example.com',
      port: 5080,
    });
    expect(parseUri('sip:[::1]:5060')?.host).toBe('[::1]');
    expect(parseUri('http://x')).toBeNull();
    expect(parseUri('sip:a@b:99999')).toBeNull();
    expect(parseNameAddr('<sip:a@b')).toBeNull();
  });

  it('never throws on random URIs (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        parseUri(s);
        parseNameAddr(s);
        parseVia(s);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('TCP framing (RFC 3261 §18.3)', () => {
  it('splits a stream at Content-Length, across chunk borders, skipping keep-alive CRLFs', () => {
    const one = 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 3\r\n\r\nabc';
    const stream = Buffer.from(`\r\n\r\n${one}${one}`);
    const f = new StreamFramer();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 7) out.push(...f.push(stream.subarray(i, i + 7)).messages);
    expect(out.map((b) => b.toString())).toEqual([one, one]);
  });

  it('flags a stream that is not SIP as broken', () => {
    const f = new StreamFramer();
    expect(f.push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).broken).toBe(true);
  });
});

describe('SDP (RFC 4566, RFC 3264)', () => {
  const offer = [
    'v=0',
    'o=- 1 1 IN IP4 10.0.0.1',
    's=-',
    'c=IN IP4 10.0.0.1',
    't=0 0',
    'm=audio 40000 RTP/AVP 9 8 0 101',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=sendrecv',
    'm=video 40002 RTP/AVP 96',
  ].join('\r\n');

  it('parses the audio stream and answers with the first supported codec', () => {
    const sdp = parseSdp(offer);
    expect(sdp?.audio).toMatchObject({ address: '10.0.0.1', port: 40000, direction: 'sendrecv' });
    expect(sdp?.audio?.codecs.map((c) => c.name)).toEqual(['PCMA', 'PCMU', 'TELEPHONE-EVENT']);
    expect(sdp?.otherMedia).toEqual(['video']);
    const answer = answerCodecs(sdp!.audio!.codecs);
    expect(answer?.map((c) => c.payloadType)).toEqual([8, 101]);
    const text = buildSdp({
      address: '127.0.0.1',
      port: 20000,
      codecs: answer!,
      sessionId: '1',
      version: 1,
      rejected: ['video'],
    });
    const back = parseSdp(text);
    expect(back?.audio?.port).toBe(20000);
    expect(text).toContain('m=video 0 RTP/AVP 0');
  });

  it('returns null for unusable SDP and never throws (fuzz)', () => {
    expect(parseSdp('hello')).toBeNull();
    expect(parseSdp('v=0\r\nm=audio 1 RTP/AVP 0\r\n')).toBeNull();
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'v=0',
            'o=- 1 1 IN IP4 1.2.3.4',
            'c=IN IP4 1.2.3.4',
            'm=audio 5 RTP/AVP 0 8',
            'a=rtpmap:0 PCMU/8000',
            'a=sendonly',
            'x',
            'm=audio 99999999 RTP/AVP x',
          ),
          { maxLength: 12 },
        ),
        fc.string({ maxLength: 50 }),
        (lines, junk) => {
          parseSdp(lines.join('\r\n') + junk);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
