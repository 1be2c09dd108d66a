/**
 * baresip, a real softphone (Debian package), registered to the embedded
 * engine: it takes a call from a sipp carrier and places one to the carrier.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/telephony/embedded/rtp/g711.js';
import { parseRtp } from '../../src/telephony/embedded/rtp/packet.js';
import { BARESIP_AVAILABLE, startBaresip } from '../helpers/baresip.js';
import { dominantFrequency } from '../helpers/pcap.js';
import { dialplanV2, sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { G711A_PCAP, runSipp, startSipp, SIPP_AVAILABLE } from '../helpers/sipp.js';
import {
  cdrsOf,
  createTelephonyHarness,
  eventually,
  freePort,
  type TelephonyHarness,
} from '../helpers/telephony.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Peak absolute sample of a 16-bit PCM WAV file (baresip's sndfile recordings). */
function peak(file: string): number {
  const b = fs.readFileSync(file);
  let max = 0;
  for (let i = 44; i + 1 < b.length; i += 2) max = Math.max(max, Math.abs(b.readInt16LE(i)));
  return max;
}

describe.skipIf(!SIPP_AVAILABLE || !BARESIP_AVAILABLE)('baresip softphone', () => {
  it('registers, takes a carrier call and hears the caller', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const account = await sipAccount(h, user.sid);
    const dialplan = await dialplanV2(h, user.sid, { profiles: [{ parallel: { targets: [account.name] } }] });
    await updatePhone(h, user.sid, numbers[0]!, { dialplan });
    const phone = startBaresip({
      ...account,
      account: account.name,
      registrarPort: h.sipPort,
      localPort: await freePort(),
    });
    try {
      await eventually(
        async () => {
          const sip = (await h.call('GET', '/api/sip', { sid: user.sid }))['sip'] as Record<
            string,
            Record<string, unknown>
          >;
          return sip[account.name]!['contact'];
        },
        'baresip to register',
        20_000, // a softphone starting beside the whole suite can take its time
      );
      const caller = await runSipp({
        scenario: 'uac-call',
        remote: `127.0.0.1:${h.sipPort}`,
        localPort: h.carrierPort,
        service: numbers[0]!.slice(1),
        pcap: G711A_PCAP,
        vars: { hold_ms: '3000' },
        timeoutSeconds: 20,
      });
      expect(caller.successful, caller.errors + phone.output().slice(-2000)).toBe(1);
      await phone.waitFor(/terminated|closed/i, 5000);
      const cdrs = await eventually(async () => {
        const c = await cdrsOf(h, numbers[0]!);
        return c.length === 2 ? c : null;
      }, 'two CDRs');
      expect(Number(cdrs[1]!['t_post'])).toBeGreaterThanOrEqual(2);
      // The caller's audio (the pcap's speech) reached baresip's decoder.
      const heard = phone.recordings().filter((f) => /dec/.test(f));
      expect(heard.length).toBeGreaterThan(0);
      expect(Math.max(...heard.map(peak))).toBeGreaterThan(1000);
    } finally {
      await phone.stop();
    }
  });

  it('places a call to the carrier through the trunk', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const account = await sipAccount(h, user.sid);
    // The carrier's media goes to a socket of the test, which keeps what baresip sends.
    const sink = dgram.createSocket('udp4');
    const audio: Int16Array[] = [];
    sink.on('message', (m) => {
      const rtp = parseRtp(m);
      if (rtp && (rtp.payloadType === 0 || rtp.payloadType === 8))
        audio.push(
          decode(
            rtp.payloadType === 0 ? 'PCMU' : 'PCMA',
            m.subarray(rtp.payloadOffset, rtp.payloadOffset + rtp.payloadLength),
          ),
        );
    });
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    const carrier = startSipp({
      scenario: 'uas-answer-bye',
      localPort: h.trunkPort,
      vars: { hold_ms: '2000', rtp_port: String(sink.address().port) },
      timeoutSeconds: 20,
    });
    await carrier.ready;
    const phone = startBaresip({
      ...account,
      account: account.name,
      registrarPort: h.sipPort,
      localPort: await freePort(),
      commands: [`/dial sip:+4930123456@${account.domain}`],
    });
    try {
      const far = await carrier.done;
      expect(far.successful, far.errors + phone.output().slice(-2000)).toBe(1);
      expect(far.messages).toMatch(new RegExp(`From: .*sip:\\${numbers[0]}@`));
      const cdrs = await eventually(async () => {
        const c = await cdrsOf(h, numbers[0]!);
        return c.length === 2 ? c : null;
      }, 'two CDRs');
      expect(cdrs[0]).toMatchObject({ a_number: account.name });
      expect(cdrs[1]).toMatchObject({ b_number: '+4930123456' });
      // baresip's 1 kHz "microphone" crossed the B2BUA to the carrier.
      const samples = Int16Array.from(audio.flatMap((a) => Array.from(a)));
      expect(samples.length).toBeGreaterThan(8000);
      expect(Math.abs(dominantFrequency(samples.subarray(samples.length - 8000)) - 1000)).toBeLessThan(20);
    } finally {
      sink.close();
      await phone.stop();
    }
  });
});
