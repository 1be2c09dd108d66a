/**
 * The sipp runner and the scenarios of test/e2e/scenarios/, validated sipp
 * against sipp (no callplane in between), so that a later failure against the
 * B2BUA is the B2BUA's. Also the pcap reader/writer the media checks rely on.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePcmu,
  dominantFrequency,
  encodePcmu,
  g711Packets,
  parseRtp,
  readPcapRtp,
  readPcapRtpPackets,
  tonePcmu,
  writeRtpPcap,
  type RtpHeader,
} from '../helpers/pcap.js';
import {
  SIPP_AVAILABLE,
  SCENARIO_DIR,
  SIPP_PCAP_DIR,
  freePorts,
  runSipp,
  startSipp,
  type SippHandle,
  type SippOptions,
  type SippResult,
} from '../helpers/sipp.js';

const G711A = path.join(SIPP_PCAP_DIR, 'g711a.pcap');

let workDir: string;
beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipp-selftest-'));
});
afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** A 1 kHz PCMU tone of `ms` as a pcap sipp can play. */
function tonePcap(ms: number): string {
  const file = path.join(workDir, `tone-${ms}.pcap`);
  writeRtpPcap(file, g711Packets(tonePcmu(1000, ms), { pt: 0 }));
  return file;
}

describe('pcap helper', () => {
  it.skipIf(!fs.existsSync(G711A))("reads the RTP of sip-tester's g711a.pcap", () => {
    const summary = readPcapRtp(G711A);
    expect(summary.count).toBe(236);
    expect(summary.payloadTypes).toEqual([8]);
    expect(summary.durationMs).toBeCloseTo(7049.6, 0);
  });

  it('encodes μ-law as G.711 does and decodes it within one quantisation step', () => {
    // Reference points of G.711: silence is 0xFF, full scale positive 0x80, negative 0x00.
    expect([...encodePcmu([0, 32767, -32768])]).toEqual([0xff, 0x80, 0x00]);
    for (const x of [-20000, -1000, -50, 0, 37, 999, 8159, 30000]) {
      const back = decodePcmu(encodePcmu([x]))[0]!;
      expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.max(4, Math.abs(x) / 16));
    }
  });

  it('writes an RTP pcap that reads back packet for packet, with the tone in it', () => {
    const file = tonePcap(3000);
    const summary = readPcapRtp(file);
    expect(summary).toEqual({ count: 150, durationMs: 2980, payloadTypes: [0] });
    const packets = readPcapRtpPackets(file);
    expect(packets[0]!.marker).toBe(true);
    expect(packets[1]!.seq - packets[0]!.seq).toBe(1);
    expect(packets[1]!.ts - packets[0]!.ts).toBe(160);
    const audio = decodePcmu(Buffer.concat(packets.map((p) => p.payload)));
    expect(dominantFrequency(audio)).toBeCloseTo(1000, -1);
  });

  it('tells RTP from RTCP and from other UDP', () => {
    const rtp = Buffer.from([0x80, 0x08, 0, 1, 0, 0, 0, 160, 0, 0, 0, 7, 0xd5]);
    expect(parseRtp(rtp)).toMatchObject({ pt: 8, seq: 1, ts: 160, ssrc: 7, marker: false });
    expect(parseRtp(Buffer.from([0x80, 0xc8, 0, 6, 0, 0, 0, 7, 0, 0, 0, 0]))).toBeNull(); // RTCP SR
    expect(parseRtp(Buffer.from('INVITE sip:x SIP/2.0'))).toBeNull();
  });
});

/** A UDP socket standing in for a media endpoint: it keeps the RTP it receives. */
async function rtpSink(): Promise<{ port: number; packets: RtpHeader[]; close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  const packets: RtpHeader[] = [];
  sock.on('message', (msg) => {
    const rtp = parseRtp(msg);
    if (rtp) packets.push({ ...rtp, payload: Buffer.from(rtp.payload) });
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return { port: sock.address().port, packets, close: () => new Promise((r) => sock.close(() => r())) };
}

type Side = Omit<SippOptions, 'localPort' | 'remote'>;

/**
 * Starts the UAS, waits until it listens, runs the UAC against it, and returns
 * both results. `stopServer` for a UAS whose scenario does not end by itself.
 */
async function pair(
  uas: Side,
  uac: Side,
  opts: { stopServer?: boolean } = {},
): Promise<{ client: SippResult; server: SippResult }> {
  const [uasPort, uacPort] = await freePorts(2);
  const server = startSipp({ timeoutSeconds: 20, ...uas, localPort: uasPort! });
  await server.ready;
  const client = await runSipp({
    timeoutSeconds: 20,
    ...uac,
    localPort: uacPort!,
    remote: `127.0.0.1:${uasPort}`,
  });
  if (opts.stopServer) server.kill();
  return { client, server: await server.done };
}

/** What a failed expectation should show: sipp's own account of the call. */
const why = (r: SippResult): string => `${r.errors}\n${r.stderr}`.trim().slice(-3000);

describe.skipIf(!SIPP_AVAILABLE)(
  'sipp scenarios, sipp against sipp (sip-tester; scripts/setup.sh --test installs it)',
  () => {
    it("uac-call against uas-answer: answered, and the pcap's RTP reaches the socket the callee advertised", async () => {
      const sink = await rtpSink();
      try {
        const pcap = readPcapRtp(G711A);
        const { client, server } = await pair(
          { scenario: 'uas-answer', vars: { rtp_port: String(sink.port) } },
          {
            scenario: 'uac-call',
            service: '100',
            pcap: G711A,
            vars: { hold_ms: String(Math.ceil(pcap.durationMs) + 600) },
          },
        );
        expect(client.successful, why(client)).toBe(1);
        expect(client.failed).toBe(0);
        expect(client.code).toBe(0);
        expect(server.successful, why(server)).toBe(1);
        expect(sink.packets.length).toBeGreaterThanOrEqual(Math.floor(pcap.count * 0.9));
        expect(new Set(sink.packets.map((p) => p.pt))).toEqual(new Set([8]));
        expect(client.messages).toMatch(new RegExp(`m=audio ${sink.port} RTP/AVP 8 0 101`));
      } finally {
        await sink.close();
      }
    });

    it('plays a generated 1 kHz PCMU pcap: the tone arrives at the socket', async () => {
      const sink = await rtpSink();
      try {
        const file = tonePcap(3000);
        const { client } = await pair(
          { scenario: 'uas-answer', vars: { rtp_port: String(sink.port) } },
          { scenario: 'uac-call', service: '100', pcap: file, vars: { hold_ms: '3600' } },
        );
        expect(client.successful, why(client)).toBe(1);
        expect(sink.packets.length).toBeGreaterThanOrEqual(135); // 90% of 150
        expect(new Set(sink.packets.map((p) => p.pt))).toEqual(new Set([0]));
        const audio = decodePcmu(Buffer.concat(sink.packets.map((p) => p.payload)));
        expect(dominantFrequency(audio)).toBeCloseTo(1000, -1);
      } finally {
        await sink.close();
      }
    });

    it('uac-call-expect-fail with 486 passes against uas-busy, and fails when another status was expected', async () => {
      const busy = await pair(
        { scenario: 'uas-busy' },
        { scenario: 'uac-call-expect-fail', service: '100', vars: { expected: '486' } },
      );
      expect(busy.client.successful, why(busy.client)).toBe(1);
      expect(busy.server.successful, why(busy.server)).toBe(1);

      const declined = await pair(
        { scenario: 'uas-busy', vars: { status: '603' } },
        { scenario: 'uac-call-expect-fail', service: '100', vars: { expected: '603' } },
      );
      expect(declined.client.successful, why(declined.client)).toBe(1);
      expect(declined.client.messages).toMatch(/SIP\/2\.0 603 Decline/);

      const wrong = await pair(
        { scenario: 'uas-busy' },
        { scenario: 'uac-call-expect-fail', service: '100', vars: { expected: '404' } },
      );
      expect(wrong.client.failed).toBe(1);
      expect(wrong.client.errors).toMatch(/expected status 404, received 486/);
      expect(wrong.server.successful, why(wrong.server)).toBe(1); // the rejection was still ACKed
    });

    it('uac-call-expect-fail fails, and hangs up, when the call is answered', async () => {
      const { client, server } = await pair(
        { scenario: 'uas-answer' },
        { scenario: 'uac-call-expect-fail', service: '100' },
      );
      expect(client.failed).toBe(1);
      expect(client.stats['FailedStrcmpDoesntMatch(C)']).toBe('1');
      expect(server.successful, why(server)).toBe(1);
    });

    it('uac-cancel against uas-noanswer: CANCEL, 200, 487, ACK', async () => {
      const { client, server } = await pair(
        { scenario: 'uas-noanswer' },
        { scenario: 'uac-cancel', service: '100', vars: { ring_ms: '200' } },
      );
      expect(client.successful, why(client)).toBe(1);
      expect(server.successful, why(server)).toBe(1);
      expect(client.messages).toMatch(/SIP\/2\.0 487 Request Terminated[^]*CSeq: 1 INVITE/);
    });

    it('a failing scenario reports failed = 1: uac-call expects 200 and gets 486', async () => {
      const { client } = await pair({ scenario: 'uas-busy' }, { scenario: 'uac-call', service: '100' });
      expect(client.successful).toBe(0);
      expect(client.failed).toBe(1);
      expect(client.code).toBe(1);
      expect(client.stats['FailedUnexpectedMessage(C)']).toBe('1');
    });

    it('uas-answer-bye: the callee hangs up, the caller answers the BYE', async () => {
      const { client, server } = await pair(
        { scenario: 'uas-answer-bye', vars: { hold_ms: '200' } },
        { scenario: 'uac-call', service: '100', vars: { hold_ms: '5000' } },
      );
      expect(client.successful, why(client)).toBe(1);
      expect(client.stats['remote_bye(C)']).toBe('1');
      expect(server.successful, why(server)).toBe(1);
    });

    it('uac-call against uas-answer over TCP', async () => {
      const { client, server } = await pair(
        { scenario: 'uas-answer', transport: 't1' },
        { scenario: 'uac-call', service: '100', transport: 't1', vars: { hold_ms: '100' } },
      );
      expect(client.successful, why(client)).toBe(1);
      expect(server.successful, why(server)).toBe(1);
      expect(client.messages).toMatch(/^INVITE sip:100@[^]*Via: SIP\/2\.0\/TCP /m);
    });

    it('uas-fork answers after its delay, or takes a CANCEL while it rings', async () => {
      const won = await pair(
        { scenario: 'uas-fork', vars: { answer_delay_ms: '300' } },
        { scenario: 'uac-call', service: '100', vars: { hold_ms: '100' } },
      );
      expect(won.client.successful, why(won.client)).toBe(1);
      expect(won.server.stats['answered(C)']).toBe('1');

      const lost = await pair(
        { scenario: 'uas-fork', vars: { answer_delay_ms: '5000' } },
        { scenario: 'uac-cancel', service: '100', vars: { ring_ms: '100' } },
      );
      expect(lost.client.successful, why(lost.client)).toBe(1);
      expect(lost.server.successful, why(lost.server)).toBe(1);
      expect(lost.server.stats['cancelled(C)']).toBe('1');
    });

    it('uac-call answers a 401 with digest credentials; wrong ones get 403', async () => {
      const good = await pair(
        { scenario: 'uas-auth-server', vars: { user: 'alice', password: 'secret' } },
        {
          scenario: 'uac-call',
          service: '100',
          auth: { username: 'alice', password: 'secret' },
          vars: { hold_ms: '100' },
        },
      );
      expect(good.client.successful, why(good.client)).toBe(1);
      expect(good.server.successful, why(good.server)).toBe(1);
      expect(good.client.messages).toMatch(/Authorization: Digest username="alice"/);

      const bad = await pair(
        { scenario: 'uas-auth-server', vars: { user: 'alice', password: 'secret' } },
        {
          scenario: 'uac-call-expect-fail',
          service: '100',
          auth: { username: 'alice', password: 'wrong' },
          vars: { expected: '403' },
        },
        { stopServer: true },
      );
      expect(bad.client.successful, why(bad.client)).toBe(1);
    });

    it('register: digest-authenticated REGISTER with the Expires given, then Expires 0', async () => {
      const { client, server } = await pair(
        { scenario: 'uas-auth-server' },
        {
          scenario: 'register',
          auth: { username: 'alice', password: 'secret' },
          vars: { user: 'alice', expires: '120', unregister: '1', hold_ms: '100' },
        },
      );
      expect(client.successful, why(client)).toBe(1);
      expect(server.successful, why(server)).toBe(1); // the registrar's call ends on Expires: 0
      expect(client.messages).toMatch(/Expires: 120/);
      expect(client.messages).toMatch(/Expires: 0/);
    });

    it('register-fail passes on a refused password and fails on an accepted one', async () => {
      const refused = await pair(
        { scenario: 'uas-auth-server' },
        {
          scenario: 'register-fail',
          auth: { username: 'alice', password: 'wrong' },
          vars: { user: 'alice' },
        },
        { stopServer: true },
      );
      expect(refused.client.successful, why(refused.client)).toBe(1);
      expect(refused.client.messages).toMatch(/SIP\/2\.0 403 Forbidden/);

      const accepted = await pair(
        { scenario: 'uas-auth-server' },
        {
          scenario: 'register-fail',
          auth: { username: 'alice', password: 'secret' },
          vars: { user: 'alice' },
        },
        { stopServer: true },
      );
      expect(accepted.client.failed).toBe(1);
    });

    it('uac-register-call: registers, then calls with credentials, on two Call-IDs', async () => {
      const { client, server } = await pair(
        { scenario: 'uas-auth-server' },
        {
          scenario: 'uac-register-call',
          service: '0301234567',
          auth: { username: 'alice', password: 'secret' },
          vars: { user: 'alice', hold_ms: '100', unregister: '1' },
        },
      );
      expect(client.successful, why(client)).toBe(1);
      expect(server.successful, why(server)).toBe(1);
      const callIds = new Set([...client.messages.matchAll(/^Call-ID: (.*)$/gm)].map((m) => m[1]));
      expect(callIds.size).toBe(2);
      expect(client.messages).toMatch(/INVITE sip:0301234567@[^]*From: <sip:alice@/);
    });

    it('uas-registered: registers, takes a call to its contact, unregisters', async () => {
      const [registrarPort, phonePort, callerPort] = await freePorts(3);
      const registrar = startSipp({
        scenario: 'uas-auth-server',
        localPort: registrarPort!,
        timeoutSeconds: 20,
      });
      let phone: SippHandle | undefined;
      try {
        await registrar.ready;
        phone = startSipp({
          scenario: 'uas-registered',
          oocScenario: 'uas-answer',
          remote: `127.0.0.1:${registrarPort}`,
          localPort: phonePort!,
          auth: { username: 'alice', password: 'secret' },
          vars: { user: 'alice', unregister: '1' },
          timeoutSeconds: 20,
        });
        await phone.waitForMessage(/SIP\/2\.0 200 OK[^]*?CSeq: \d+ REGISTER/);
        const caller = await runSipp({
          scenario: 'uac-call',
          remote: `127.0.0.1:${phonePort}`,
          localPort: callerPort!,
          service: 'alice',
          vars: { hold_ms: '100' },
          timeoutSeconds: 20,
        });
        expect(caller.successful, why(caller)).toBe(1);
        const phoneResult = await phone.done;
        expect(phoneResult.successful, why(phoneResult)).toBe(1);
        expect((await registrar.done).successful).toBe(1);
      } finally {
        phone?.kill();
        registrar.kill();
      }
    });

    it('uac-fast against uas-fast: 200 calls at 200 per second', async () => {
      const { client, server } = await pair(
        { scenario: 'uas-fast', calls: 200, traceMessages: false },
        { scenario: 'uac-fast', service: '100', calls: 200, rate: 200, traceMessages: false },
      );
      expect(client.successful, why(client)).toBe(200);
      expect(client.failed).toBe(0);
      expect(server.successful, why(server)).toBe(200);
    });

    it('fills a scenario template for what sipp only takes literally (a status code)', async () => {
      const template = path.join(workDir, 'uas-reject-template.xml');
      const text = fs.readFileSync(path.join(SCENARIO_DIR, 'uas-busy.xml'), 'latin1');
      fs.writeFileSync(
        template,
        text.replace('SIP/2.0 486 Busy Here', 'SIP/2.0 {{code}} {{reason}}'),
        'latin1',
      );
      const { client } = await pair(
        { scenario: template, template: { code: '480', reason: 'Temporarily Unavailable' } },
        { scenario: 'uac-call-expect-fail', service: '100', vars: { expected: '480' } },
      );
      expect(client.successful, why(client)).toBe(1);
      expect(() => startSipp({ scenario: template, localPort: 5, template: { code: '480' } })).toThrow(
        /no value for \{\{reason\}\}/,
      );
    });

    it('refuses a variable the scenario does not declare, before sipp would', () => {
      expect(() => startSipp({ scenario: 'uas-busy', localPort: 5, vars: { stauts: '603' } })).toThrow(
        /uas-busy\.xml declares no global "stauts" \(declared: status\)/,
      );
    });

    it('ends a run that cannot finish at its timeout, and kill() stops a waiting UAS', async () => {
      const [nobody, uacPort, uasPort] = await freePorts(3);
      const t0 = Date.now();
      const stuck = await runSipp({
        scenario: 'uac-call',
        remote: `127.0.0.1:${nobody}`,
        localPort: uacPort!,
        timeoutSeconds: 2,
      });
      expect(stuck.code).not.toBe(0);
      expect(stuck.successful).toBe(0);
      expect(Date.now() - t0).toBeLessThan(6000);

      const waiting = startSipp({ scenario: 'uas-answer', localPort: uasPort! });
      await waiting.ready;
      const t1 = Date.now();
      waiting.kill();
      const stopped = await waiting.done;
      expect(stopped.successful).toBe(0);
      expect(Date.now() - t1).toBeLessThan(3000);
    });
  },
);
