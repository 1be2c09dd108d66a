/**
 * Conference dial-in on real calls (spec 3.17, issue 17): three sipp
 * callers from the carrier, each with the test's own RTP socket sending a
 * tone of its own, key the PIN as RFC 4733 events and are mixed by the
 * embedded engine. Each hears the other two tones and not its own; a
 * member muted through the API is heard by nobody; a kicked member's call
 * ends with a BYE from the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { RtpPeer, toneShare } from '../helpers/rtp-peer.js';
import { freeUdpPort, SIPP_AVAILABLE, startSipp, type SippHandle } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
const peers: RtpPeer[] = [];
const sipps: SippHandle[] = [];

beforeAll(async () => {
  // Every port of 127.0.0.1 is the carrier: three sipp callers need a port each.
  h = await createTelephonyHarness({ SIP_TRUNK: '127.0.0.1' });
});
afterAll(async () => {
  for (const s of sipps) s.kill();
  for (const p of peers) p.close();
  await h?.close();
});

const FREQS = [440, 880, 1320] as const;

async function caller(
  number: string,
  from: string,
  holdMs: number,
): Promise<{ peer: RtpPeer; sipp: SippHandle }> {
  const peer = await RtpPeer.open();
  peers.push(peer);
  const sipp = startSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: await freeUdpPort(),
    service: number.slice(1),
    timeoutSeconds: 30,
    vars: { from_user: from, rtp_port: String(peer.port), hold_ms: String(holdMs) },
  });
  sipps.push(sipp);
  return { peer, sipp };
}

describe.skipIf(!SIPP_AVAILABLE)('conference dial-in (sipp callers, embedded mixer)', () => {
  it('three callers join by PIN: each hears the other two; mute removes one; kick ends a call with BYE', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, {
      conference_enable: true,
      fax_enable: false,
      recording_enable: false,
    });
    const created = await h.call('POST', '/api/conference', {
      sid: user.sid,
      body: { description: 'e2e', pin: '4711', active: true },
    });
    const uuid = created['uuid'] as string;
    const rooms = h.telephony.conferences!;
    const phones = ['+492215550201', '+492215550202', '+492215550203'];

    const calls = [];
    for (const [i, freq] of FREQS.entries()) {
      // The third is kicked; the others hang up on their own after the measurements.
      const c = await caller(number, phones[i]!, i === 2 ? 20_000 : 7_000);
      // The PIN prompt reaches the peer: it then knows where to send, keys the PIN and talks.
      await eventually(async () => c.peer.audioPackets().length > 5, `caller ${i} hears the PIN prompt`);
      c.peer.send(freq);
      c.peer.digits('4711');
      await eventually(
        async () => (rooms.rooms.get(uuid.toLowerCase())?.size ?? 0) === i + 1,
        `caller ${i} in the room`,
      );
      calls.push(c);
    }
    const room = rooms.rooms.get(uuid.toLowerCase())!;
    const idOf = (phone: string): string =>
      Object.entries(room.members).find(([, m]) => m.phone === phone)![0];

    // 1.2 s of everyone talking, after the join tone.
    await new Promise((r) => setTimeout(r, 400));
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 1200));
    const t1 = Date.now();
    for (const [i, c] of calls.entries()) {
      const heard = c.peer.audio(t0, t1);
      expect(heard.length).toBeGreaterThan(8000 * 0.8);
      const shares = FREQS.map((f) => toneShare(heard, f));
      expect(shares[i], `caller ${i} hears itself: ${shares.join(', ')}`).toBeLessThan(0.02);
      for (const [j] of FREQS.entries()) {
        if (j !== i) expect(shares[j], `caller ${i} hears ${FREQS[j]} Hz`).toBeGreaterThan(0.25);
      }
    }

    // Muting the first caller: the others no longer hear 440 Hz.
    const mute = await h.call('POST', `/api/conference/${uuid}/member`, {
      sid: user.sid,
      body: { update: { [idOf(phones[0]!)]: { mute: true } } },
    });
    expect(mute['status']).toBe('ok');
    await new Promise((r) => setTimeout(r, 300));
    const m0 = Date.now();
    await new Promise((r) => setTimeout(r, 800));
    const m1 = Date.now();
    for (const i of [1, 2]) {
      const heard = calls[i]!.peer.audio(m0, m1);
      expect(toneShare(heard, 440), `caller ${i} still hears the muted caller`).toBeLessThan(0.02);
      expect(toneShare(heard, FREQS[3 - i]!)).toBeGreaterThan(0.5);
    }

    // Kicking the third caller: the engine sends it a BYE.
    const kick = await h.call('POST', `/api/conference/${uuid}/member`, {
      sid: user.sid,
      body: { delete: [idOf(phones[2]!)] },
    });
    expect(kick['status']).toBe('ok');
    const kicked = await calls[2]!.sipp.done;
    expect(kicked.stats['remote_bye(C)']).toBe('1');
    expect(kicked.successful, kicked.errors).toBe(1);
    await eventually(async () => room.size === 2, 'two left');

    const [a, b] = await Promise.all([calls[0]!.sipp.done, calls[1]!.sipp.done]);
    expect(a.successful, a.errors).toBe(1);
    expect(b.successful, b.errors).toBe(1);
    await eventually(async () => room.closed, 'the room ends with its last member');
    const cdrs = await eventually(async () => {
      const rows = await h.services.db.selectFrom('cdrs').selectAll().where('phone', '=', number).execute();
      return rows.length === 3 ? rows : null;
    }, 'three CDRs');
    expect(cdrs.map((r) => (r as Record<string, unknown>)['service'])).toEqual([
      'conference',
      'conference',
      'conference',
    ]);
  }, 40_000);
});
