/**
 * The call API on real calls (spec 3.24, 7.18): a sipp UAC plays the carrier
 * calling a call_enable number, driven over HTTP (ring, answer, tone,
 * dtmf_collect, hangup) with its RFC 4733 pcap digits arriving as call_dtmf;
 * and a dial to a sipp UAS that answers, whose tone is measured at the far
 * end's RTP socket.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../helpers/harness.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { RtpPeer, toneShare } from '../helpers/rtp-peer.js';
import { runSipp, SIPP_AVAILABLE, SIPP_PCAP_DIR, startSipp } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
const peers: RtpPeer[] = [];

beforeAll(async () => {
  h = await createTelephonyHarness();
}, 180_000);
afterAll(async () => {
  for (const p of peers) p.close();
  await h?.close();
});

async function events(u: TestUser): Promise<Array<Record<string, any>>> {
  const r = await h.call('GET', '/api/event?next=0&timeout=0', { sid: u.sid });
  return r.status === 'ok' ? r.event : [];
}

async function control(u: TestUser, uuid: string, controls: unknown[], queue = 'append'): Promise<void> {
  const r = await h.call('POST', `/api/call/${uuid}/control`, { sid: u.sid, body: { queue, controls } });
  expect(r.status, JSON.stringify(r)).toBe('ok');
}

const statusesOf = (evs: Array<Record<string, any>>, uuid: string): string[] =>
  evs
    .filter((e) => e.event === 'call_update' && e.call[uuid]?.status)
    .map((e) => e.call[uuid].status as string);

describe.skipIf(!SIPP_AVAILABLE)('call API on the embedded engine (sipp)', () => {
  it('incoming: ring, answer, tone, dtmf_collect (pcap digits arrive as call_dtmf), hangup', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, {
      call_enable: true,
      fax_enable: false,
      recording_enable: false,
      conference_enable: false,
    });
    expect((await h.call('GET', '/api/call/event', { sid: user.sid })).status).toBe('ok');
    const pcap = (d: string) => path.join(SIPP_PCAP_DIR, `dtmf_2833_${d}.pcap`);
    const media = ['1', '2']
      .map(
        (d, i) =>
          `  <pause milliseconds="${i === 0 ? 1500 : 600}" />\n` +
          `  <nop><action><exec play_pcap_audio="${pcap(d)}" /></action></nop>`,
      )
      .join('\n');
    const caller = runSipp({
      scenario: 'uac-dtmf',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: h.carrierPort,
      service: number.slice(1),
      timeoutSeconds: 30,
      template: { media },
      vars: { from_user: '+492215550177', hold_ms: '15000' },
    });
    const uuid = await eventually(async () => {
      const e = (await events(user)).find((x) => x.event === 'call_update');
      return e ? Object.keys(e.call)[0] : null;
    }, 'call_update calling');
    await control(user, uuid, [
      { id: 'ring', control: 'ring' },
      { control: 'sleep', duration: 300 },
      { id: 'answer', control: 'answer' },
      { control: 'dtmf_collect', enable: true },
      { id: 'beep', control: 'tone', frequency: 440, duration: 500 },
    ]);
    const digits = await eventually(
      async () => {
        const d = (await events(user)).filter((e) => e.event === 'call_dtmf');
        return d.length >= 2 ? d : null;
      },
      'two call_dtmf',
      10_000,
    );
    expect(digits.map((d) => [d.call, d.digit])).toEqual([
      [uuid, '1'],
      [uuid, '2'],
    ]);
    expect(digits.every((d) => typeof d.duration === 'number' && d.duration > 0)).toBe(true);
    await control(user, uuid, [{ id: 'bye', control: 'hangup' }], 'break');
    const res = await caller;
    expect(res.successful, res.errors).toBe(1);
    expect(res.stats['remote_bye(C)']).toBe('1');
    const all = await eventually(async () => {
      const evs = await events(user);
      return statusesOf(evs, uuid).includes('hangup') ? evs : null;
    }, 'hangup');
    expect(statusesOf(all, uuid)).toEqual(['calling', 'ringing', 'answered', 'hangup']);
    const first = all.find((e) => e.event === 'call_update')!.call[uuid];
    expect(first).toMatchObject({
      incoming: true,
      from: '+492215550177',
      to: number,
      clir: false,
      record_on: false,
    });
    const stored = await h.call('GET', '/api/call', { sid: user.sid, query: { uuid } });
    expect(stored.call[uuid]).toMatchObject({ status: 'hangup', hangup_cause: 16, last_control_id: 'bye' });
  }, 40_000);

  it('dial: the far end answers; a tone control is heard there; hangup ends it', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const p = await RtpPeer.open();
    peers.push(p);
    const far = startSipp({
      scenario: 'uas-answer',
      localPort: h.trunkPort,
      vars: { rtp_port: String(p.port) },
      timeoutSeconds: 30,
    });
    await far.ready;
    const d = await h.call('POST', '/api/call/dial', {
      sid: user.sid,
      body: { to: '+4930777888', from: numbers[0] },
    });
    expect(d.status).toBe('ok');
    const uuid = d.uuid as string;
    await eventually(async () => {
      const c = await h.call('GET', '/api/call', { sid: user.sid, query: { uuid } });
      return c.call[uuid]?.status === 'answered';
    }, 'answered');
    const sent = Date.now();
    await control(user, uuid, [{ id: 'tone', control: 'tone', frequency: 1000, duration: 800 }]);
    const heard = await eventually(async () => {
      const pk = p.audioPackets(sent);
      return pk.length >= 30 ? pk : null;
    }, 'the tone at the far end');
    const roundTrip = heard[0]!.atMs - sent;
    console.info(`call API: POST control -> first RTP packet of the tone at the far end: ${roundTrip} ms`);
    expect(roundTrip).toBeLessThan(500);
    expect(toneShare(p.audio(heard[0]!.atMs, heard[0]!.atMs + 600), 1000)).toBeGreaterThan(0.8);
    // break: a 60 s tone stops within 100 ms of the request.
    await new Promise((r) => setTimeout(r, 900));
    const longFrom = Date.now();
    await control(user, uuid, [{ id: 'long', control: 'tone', frequency: 1000, duration: 60_000 }]);
    await eventually(async () => p.audioPackets(longFrom).length >= 25 || null, 'the long tone');
    const breakAt = Date.now();
    await control(user, uuid, [{ id: 'quiet', control: 'silence', duration: 2000 }], 'break');
    await new Promise((r) => setTimeout(r, 600));
    const isTone = (pk: { atMs: number }) => toneShare(p.audio(pk.atMs, pk.atMs + 1), 1000, 160) > 0.5;
    // The same check finds the tone before the break (it can fail), and nothing of it 100 ms after.
    expect(p.audioPackets(longFrom, breakAt).filter(isTone).length).toBeGreaterThanOrEqual(20);
    const loud = p.audioPackets(breakAt, breakAt + 600).filter(isTone);
    const lastLoud = loud.at(-1)?.atMs ?? breakAt;
    console.info(`call API: break -> last packet of the 60 s tone: ${lastLoud - breakAt} ms`);
    expect(lastLoud - breakAt).toBeLessThan(100);
    const state = await h.call('GET', '/api/call', { sid: user.sid, query: { uuid } });
    expect(state.call[uuid]).toMatchObject({ current_control_id: 'quiet', last_control_id: 'long' });
    await control(user, uuid, [{ control: 'hangup' }]);
    const callee = await far.done;
    expect(callee.successful, callee.errors).toBe(1);
    const c = await eventually(async () => {
      const l = await h.call('GET', '/api/call', { sid: user.sid, query: { uuid } });
      return l.call[uuid]?.status === 'hangup' ? l.call[uuid] : null;
    }, 'hangup');
    expect(c).toMatchObject({ incoming: false, from: numbers[0], to: '+4930777888', hangup_cause: 16 });
  }, 40_000);
});
