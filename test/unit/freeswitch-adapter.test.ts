/**
 * The drachtio + FreeSWITCH adapter's parts that need no server: its
 * configuration, the clear failure when the servers do not answer, tone
 * strings, speech detection of recordings, routes to registered devices,
 * and the shim that lets the embedded registrar answer through drachtio.
 * The whole adapter runs the contract suite against real servers
 * (test/contract/freeswitch.contract.fs.ts).
 */
import net from 'node:net';
import type Srf from 'drachtio-srf';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { CAUSE } from '../../src/telephony/causes.js';
import { FreeswitchAdapter } from '../../src/telephony/freeswitch/adapter.js';
import { DrachtioExchange, readRequest } from '../../src/telephony/freeswitch/exchange.js';
import { holdsSpeech, toneStream } from '../../src/telephony/freeswitch/media.js';
import { routeTo } from '../../src/telephony/freeswitch/signaling.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';

const INVITE = [
  'INVITE sip:4930900@sip.test SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK1',
  'From: "Bob" <sip:+4940111@carrier.test>;tag=a1',
  'To: <sip:4930900@sip.test>',
  'Call-ID: c1@test',
  'CSeq: 1 INVITE',
  'Contact: <sip:bob@127.0.0.1:5090>',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function fakeReq(raw: string): Srf.SrfRequest {
  return {
    raw,
    protocol: 'udp',
    source_address: '127.0.0.1',
    source_port: '5090',
  } as unknown as Srf.SrfRequest;
}

function fakeRes(): Srf.SrfResponse & { sent: unknown[][] } {
  const res = {
    sent: [] as unknown[][],
    finalResponseSent: false,
    send(...args: unknown[]) {
      res.sent.push(args);
      if ((args[0] as number) >= 200) res.finalResponseSent = true;
    },
  };
  return res as unknown as Srf.SrfResponse & { sent: unknown[][] };
}

/** A TCP port nobody listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('TELEPHONY=freeswitch configuration', () => {
  it('takes the servers’ addresses, with loopback defaults', () => {
    const c = loadConfig({
      TELEPHONY: 'freeswitch',
      DRACHTIO_URL: 'drachtio:9022',
      FREESWITCH_ESL: 'fs:8021',
    });
    expect(c.telephony).toBe('freeswitch');
    expect(c.freeswitch).toEqual({
      drachtio: { host: 'drachtio', port: 9022, secret: 'cymru' },
      esl: { host: 'fs', port: 8021, password: 'ClueCon' },
      listen: { address: '127.0.0.1', port: 0 },
      profile: 'drachtio_mrf',
    });
  });

  it('refuses an address without a port, naming the variable', () => {
    expect(() => loadConfig({ TELEPHONY: 'freeswitch', DRACHTIO_URL: 'drachtio' })).toThrow(/DRACHTIO_URL/);
    expect(() => loadConfig({ TELEPHONY: 'asterisk' })).toThrow(/TELEPHONY/);
  });

  it('sends FreeSWITCH to FREESWITCH_ESL_ADVERTISE instead of the listening address when set', () => {
    const c = loadConfig({
      TELEPHONY: 'freeswitch',
      FREESWITCH_ESL_LISTEN: '0.0.0.0:8085',
      FREESWITCH_ESL_ADVERTISE: 'callplane:8085',
    });
    expect(c.freeswitch.listen).toEqual({ address: '0.0.0.0', port: 8085 });
    expect(c.freeswitch.advertise).toEqual({ address: 'callplane', port: 8085 });
    // Without a port: the listening one (fsmrf's default when none is advertised).
    const bare = loadConfig({ TELEPHONY: 'freeswitch', FREESWITCH_ESL_ADVERTISE: 'callplane' });
    expect(bare.freeswitch.advertise).toEqual({ address: 'callplane', port: 0 });
    expect(() => loadConfig({ FREESWITCH_ESL_ADVERTISE: 'tcp://callplane:8085' })).toThrow(
      /FREESWITCH_ESL_ADVERTISE/,
    );
  });
});

describe('FreeswitchAdapter.start', () => {
  it('fails with a clear error when drachtio-server does not answer', async () => {
    const port = await closedPort();
    const adapter = await FreeswitchAdapter.create(
      {
        drachtio: { host: '127.0.0.1', port, secret: 'cymru' },
        esl: { host: '127.0.0.1', port: await closedPort(), password: 'ClueCon' },
        listen: { address: '127.0.0.1', port: 0 },
        profile: 'drachtio_mrf',
        trunks: [],
        domains: ['sip.test'],
        nonceSecret: Buffer.alloc(32),
        digestAlgorithms: ['MD5'],
        minExpires: 60,
        recordingDir: '/tmp/callplane-fs-unit',
        connectTimeoutMs: 500,
      },
      {
        accounts: { credentials: async () => null },
        mailboxes: { summary: async () => ({ newMessages: 0, oldMessages: 0 }) },
        location: {
          bind: async () => [],
          unbind: async () => undefined,
          unbindAll: async () => undefined,
          bindings: async () => [],
        },
        authGuard: {
          attempt: async () => true,
          failure: async () => undefined,
        },
        watchers: { watchersOf: async () => [] },
        media: { locate: async () => null },
        log: silentLogger,
      },
    );
    const started = Date.now();
    await expect(adapter.start()).rejects.toThrow(
      `drachtio-server at 127.0.0.1:${port} did not answer within 0.5 s`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    // Legs asked for meanwhile end at once instead of hanging.
    const leg = adapter.signaling.originate({
      call: 'c',
      target: { kind: 'trunk', number: '+4930' },
      from: { number: null, display: null, clir: false },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(leg.state).toBe('ended');
    expect(leg.endCause).toEqual(CAUSE.congestion);
    await adapter.stop();
  });
});

describe('tone strings', () => {
  it('writes FreeSWITCH tone_stream TGML: on, off, frequencies, loops and level', () => {
    expect(toneStream({ kind: 'tone', frequencies: [425], durationMs: 1000, intervalMs: 4000 }, false)).toBe(
      'tone_stream://%(1000,4000,425)',
    );
    expect(
      toneStream(
        { kind: 'tone', frequencies: [350, 440], durationMs: 500, loop: true, levelDbm0: -13 },
        false,
      ),
    ).toBe('tone_stream://v=-13;%(500,0,350,440);loops=-1');
  });

  it('refuses what cannot be a tone', () => {
    expect(() => toneStream({ kind: 'tone', frequencies: [], durationMs: 100 }, false)).toThrow(RangeError);
    expect(() => toneStream({ kind: 'tone', frequencies: [5000], durationMs: 100 }, false)).toThrow(
      RangeError,
    );
    expect(() => toneStream({ kind: 'tone', frequencies: [440], durationMs: 0 }, false)).toThrow(RangeError);
  });
});

describe('speech in a recording', () => {
  const tone = (dbfs: number) =>
    Int16Array.from({ length: 8000 }, (_, i) =>
      Math.round(32767 * 10 ** (dbfs / 20) * Math.sin((2 * Math.PI * 440 * i) / 8000)),
    );

  it('a tone above -45 dBFS is speech, line noise below it is not', () => {
    expect(holdsSpeech(tone(-30))).toBe(true);
    expect(holdsSpeech(tone(-55))).toBe(false);
    expect(holdsSpeech(new Int16Array(8000))).toBe(false);
  });
});

describe('routes to registered devices', () => {
  it('back over the flow the device registered from', () => {
    expect(
      routeTo({ contact: 'sip:a@10.0.0.5:5062', source: '198.51.100.7:40123', transport: 'udp' }),
    ).toEqual({
      uri: 'sip:a@10.0.0.5:5062',
      proxy: 'sip:198.51.100.7:40123;transport=udp',
    });
  });

  it('through the edge proxy of its Path, with the Path as Route', () => {
    const path = ['<sip:10.1.0.1:5060;lr;transport=tcp>', '<sip:10.1.0.2;lr>'];
    expect(routeTo({ contact: 'sip:a@x', source: '10.1.0.1:5060', transport: 'tcp', path })).toEqual({
      uri: 'sip:a@x',
      proxy: 'sip:10.1.0.1:5060;transport=tcp',
      headers: { Route: path.join(', ') },
    });
  });

  it('none for a source without a port', () => {
    expect(routeTo({ contact: 'sip:a@x', source: 'nowhere', transport: 'udp' })).toBeNull();
  });
});

describe('the drachtio exchange', () => {
  it('reads drachtio’s raw request with the embedded parser, and its sender', () => {
    const x = DrachtioExchange.of(fakeReq(INVITE), fakeRes());
    expect(x?.request.method).toBe('INVITE');
    expect(x?.request.callId).toBe('c1@test');
    expect(x?.peer).toEqual({ transport: 'udp', address: '127.0.0.1', port: 5090 });
    expect(readRequest(fakeReq('garbage'))).toBeNull();
  });

  it('answers once, repeated headers joined', () => {
    const res = fakeRes();
    const x = DrachtioExchange.of(fakeReq(INVITE), res)!;
    x.respond(401, 'Unauthorized', { toTag: 't', headers: { 'www-authenticate': ['Digest a', 'Digest b'] } });
    x.respond(500, 'late');
    expect(res.sent).toEqual([
      [401, 'Unauthorized', { headers: { 'www-authenticate': 'Digest a, Digest b' } }],
    ]);
  });

  it('leaves out a header with no values (the 200 to an unregister lists no Contact)', () => {
    const res = fakeRes();
    const x = DrachtioExchange.of(fakeReq(INVITE), res)!;
    x.respond(200, 'OK', { headers: { contact: [], date: 'Sun, 06 Dec 2026 00:43:15 GMT' } });
    // drachtio-server cannot send a response with an empty Contact header, and answers 500 itself.
    expect(res.sent).toEqual([[200, 'OK', { headers: { date: 'Sun, 06 Dec 2026 00:43:15 GMT' } }]]);
  });
});
