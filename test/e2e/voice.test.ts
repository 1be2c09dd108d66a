/**
 * The voice features on real calls (spec 3.9, 3.14, 4.1, 5): a sipp UAC plays
 * the carrier calling a platform number. Audio the engine sends goes to the
 * test's own RTP socket (`rtp_port` in the caller's offer) where it is
 * measured; digits come from sipp's RFC 4733 pcaps; recordings and
 * announcements go through the real media worker.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.js';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { renderTone } from '../../src/telephony/embedded/media/player.js';
import { encodeWav, readWav } from '../../src/telephony/embedded/media/wav.js';
import { buildTelephoneEvent, digitToEvent } from '../../src/telephony/embedded/rtp/telephone-event.js';
import { waitIdle } from '../helpers/audio-api.js';
import { dominantFrequency, writeRtpPcap, type RtpPacketSpec } from '../helpers/pcap.js';
import { dialplanV2, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { audibleShare, RtpPeer, toneShare } from '../helpers/rtp-peer.js';
import { G711A_PCAP, runSipp, SIPP_AVAILABLE, startSipp, type SippOptions } from '../helpers/sipp.js';
import { cdrsOf, createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';
import type { TestUser } from '../helpers/harness.js';

let h: TelephonyHarness;
let worker: RunningMediaWorker;
const peers: RtpPeer[] = [];

beforeAll(async () => {
  h = await createTelephonyHarness();
  worker = startMediaWorker(h.services, { concurrency: 1 });
});
afterAll(async () => {
  for (const p of peers) p.close();
  await worker?.close();
  await h?.close();
});

const CALLER = '+492215550101';

async function peer(): Promise<RtpPeer> {
  const p = await RtpPeer.open();
  peers.push(p);
  return p;
}

/** The carrier calling `number` from the trunk's source port. */
function carrier(number: string, extra: Partial<SippOptions> = {}) {
  return runSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: number.slice(1),
    timeoutSeconds: 30,
    ...extra,
    vars: { from_user: CALLER, ...(extra.vars ?? {}) },
  });
}

/** The carrier calling and playing RFC 4733 digits (sipp's pcaps), `gapMs` apart; a space waits a second more. */
/**
 * The carrier calls `number` and keys `digits` as RFC 4733 events (a space:
 * a second's pause): `firstMs` after the answer, `gapMs` from one digit's
 * start to the next. The events are one pcap written for the call, each
 * digit on its own RTP timestamp as a phone sends them (a receiver takes
 * a repeated timestamp for the same digit, RFC 4733 §2.5.1.2).
 */
function dialer(number: string, digits: string, opts: { firstMs: number; gapMs: number; holdMs: number }) {
  const file = path.join(os.tmpdir(), `callplane-dtmf-${randomUUID()}.pcap`);
  const rand = randomBytes(10);
  let seq = rand.readUInt16BE(0);
  const ts0 = rand.readUInt32BE(2);
  const ssrc = rand.readUInt32BE(6);
  const packets: RtpPacketSpec[] = [];
  let at = 0;
  let first = true;
  for (const d of digits) {
    if (d === ' ') {
      at += 1000;
      continue;
    }
    if (!first) at += opts.gapMs;
    first = false;
    const event = digitToEvent(d);
    if (event === null) throw new RangeError(`not a DTMF digit: ${d}`);
    // 100 ms of the event, its end sent three times (RFC 4733 §2.5.1.4).
    for (let k = 1; k <= 8; k++) {
      packets.push({
        timeMs: at + (k - 1) * 20,
        pt: 101,
        seq: seq++,
        ts: ts0 + at * 8,
        ssrc,
        marker: k === 1,
        payload: buildTelephoneEvent({ event, end: k > 5, volume: 10, duration: Math.min(k, 5) * 160 }),
      });
    }
  }
  writeRtpPcap(file, packets);
  const length = (packets.at(-1)?.timeMs ?? 0) + 100;
  const media =
    `  <pause milliseconds="${opts.firstMs}" />\n` +
    `  <nop><action><exec play_pcap_audio="${file}" /></action></nop>\n` +
    `  <pause milliseconds="${length}" />`;
  return runSipp({
    scenario: 'uac-dtmf',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: number.slice(1),
    timeoutSeconds: 40,
    template: { media },
    vars: { from_user: CALLER, hold_ms: String(opts.holdMs) },
  }).finally(() => fs.rmSync(file, { force: true }));
}

/** The carrier's far end: a sipp UAS on the trunk port, its media on `rtpPort` when given. */
function trunkPhone(vars: Record<string, string> = {}) {
  return startSipp({ scenario: 'uas-answer', localPort: h.trunkPort, vars, timeoutSeconds: 40 });
}

/** An announcement of the user, uploaded as a WAV and converted by the media worker. */
async function announcement(u: TestUser, pcm: Int16Array): Promise<string> {
  const obj = await h.services.announcements.create(u.uuid, 'e2e');
  await h.services.announcements.upload(u.uuid, obj.uuid, encodeWav(pcm));
  await waitIdle(h);
  const got = await h.call('GET', `/api/announcement/${obj.uuid}`, { sid: u.sid });
  expect(got['announcement'].status).toBe('ok');
  return obj.uuid;
}

function tone(freq: number, ms: number): Int16Array {
  return renderTone({ kind: 'tone', frequencies: [freq], durationMs: ms, levelDbm0: -10 });
}

async function recordingsOf(
  u: TestUser,
): Promise<Array<{ uuid: string; tags: string[]; data: Record<string, unknown> }>> {
  const rows = await h.services.db
    .selectFrom('objects')
    .selectAll()
    .where('owner', '=', u.uuid)
    .where('type', '=', 'recording')
    .execute();
  const out = [];
  for (const r of rows) {
    const obj = await h.services.recordings.get(u.uuid, r.uuid);
    out.push({ uuid: obj.uuid, tags: [...obj.tags], data: obj.data });
  }
  return out;
}

/** A number the user has just taken from the pool: reserved until its unlock code is entered. */
async function reservedNumber(): Promise<{ number: string; code: string; user: TestUser }> {
  const { user, numbers } = await userWithNumbers(h);
  const area = numbers[0]!.slice(3, 6);
  const spare = `+49${area}6698${String(200 + Math.floor(Math.random() * 700))}`;
  await runAdminCommand(h.services, { op: 'numbers.add', area, numbers: [spare] });
  const created = await h.call('POST', '/api/phone', { sid: user.sid, body: { create: true } });
  const code = (created[spare] as { unlock_code: string } | undefined)?.unlock_code;
  if (!code) throw new Error(`no reserved number: ${JSON.stringify(created)}`);
  return { number: spare, code, user };
}

/** The first time (ms) from which `freq` dominates 100 ms of the peer's audio, searching from `from`. */
function onsetOf(p: RtpPeer, freq: number, from: number): number | null {
  const pkts = p.audioPackets(from);
  for (let i = 0; i + 5 <= pkts.length; i++) {
    const t = pkts[i]!.atMs;
    if (toneShare(p.audio(t, t + 100), freq) > 0.6) return t;
  }
  return null;
}

describe.skipIf(!SIPP_AVAILABLE)('voice features on the embedded engine (sipp)', () => {
  it('voice box: announcement, beep, then the caller’s audio is recorded into the inbox', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    const ann = await announcement(user, tone(600, 1000));
    await updatePhone(h, user.sid, number, { announcement: ann, recording_enable: true });
    const p = await peer();
    p.send(440);
    const started = Date.now();
    const caller = await carrier(number, { vars: { rtp_port: String(p.port), hold_ms: '4500' } });
    p.stopSending();
    expect(caller.successful, caller.errors).toBe(1);

    // What the caller heard: the announcement (600 Hz), then the beep (1 kHz).
    const annAt = onsetOf(p, 600, started);
    expect(annAt).not.toBeNull();
    const beepAt = onsetOf(p, 1000, annAt!);
    expect(beepAt).not.toBeNull();
    expect(beepAt! - annAt!).toBeGreaterThan(800);
    expect(beepAt! - annAt!).toBeLessThan(1400);

    const recs = await eventually(
      async () => {
        const r = await recordingsOf(user);
        return r.length > 0 && r.every((x) => x.data['status'] !== 'convert') ? r : null;
      },
      'the voicemail recording, converted',
      20_000,
    );
    expect(recs).toHaveLength(1);
    const rec = recs[0]!;
    const system = (await h.services.users.byId(user.uuid))!.system_tags;
    expect(rec.tags).toEqual(expect.arrayContaining([system.tag_inbox, system.tag_unread]));
    await waitIdle(h);
    const api = await h.call('GET', `/api/recording/${rec.uuid}`, { sid: user.sid });
    expect(api['recording']).toMatchObject({ from: CALLER, to: number, status: 'ok' });
    // The message is the caller's 440 Hz, about 4.5 s minus announcement and beep.
    const pcm = await readWav(h.services.recordings.telephonyWav(rec.uuid));
    expect(Math.abs(dominantFrequency(pcm) - 440)).toBeLessThan(10);
    expect(pcm.length / 8000).toBeGreaterThan(2.5);
    expect(pcm.length / 8000).toBeLessThan(4.5);

    const cdr = await eventually(async () => (await cdrsOf(h, number))[0], 'the CDR');
    expect(cdr).toMatchObject({ service: 'call', recording_id: rec.uuid });
  }, 60_000);

  it('voice box: a message of sipp’s speech pcap is stored with its energy, silence only ends empty', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    const ann = await announcement(user, tone(600, 400));
    await updatePhone(h, user.sid, number, { announcement: ann });
    // sipp itself plays g711a.pcap (speech, ~7 s) from the ACK on; the recording starts after 0.65 s.
    const speech = await carrier(number, { pcap: G711A_PCAP, vars: { hold_ms: '5000' } });
    expect(speech.successful, speech.errors).toBe(1);
    const p = await peer();
    p.send(0);
    const quiet = await carrier(number, { vars: { rtp_port: String(p.port), hold_ms: '3000' } });
    p.stopSending();
    expect(quiet.successful, quiet.errors).toBe(1);
    const recs = await eventually(
      async () => {
        const r = await recordingsOf(user);
        return r.length === 2 && r.every((x) => x.data['status'] !== 'convert') ? r : null;
      },
      'two recordings, converted',
      20_000,
    );
    await waitIdle(h);
    const statuses = [];
    for (const r of recs) {
      statuses.push((await h.call('GET', `/api/recording/${r.uuid}`, { sid: user.sid }))['recording'].status);
    }
    expect([...statuses].sort()).toEqual(['empty', 'ok']);
    const ok = recs[statuses.indexOf('ok')]!;
    const pcm = await readWav(h.services.recordings.telephonyWav(ok.uuid));
    expect(audibleShare(pcm)).toBeGreaterThan(0.3);
  }, 60_000);

  it('dialplan v2 record: the profile’s announcement, then the message is recorded', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    const ann = await announcement(user, tone(650, 500));
    const dialplan = await dialplanV2(h, user.sid, {
      description: 'after hours',
      profiles: [{ record: { announcement: ann } }],
    });
    await updatePhone(h, user.sid, number, { dialplan });
    const p = await peer();
    p.send(520);
    const started = Date.now();
    const caller = await carrier(number, { vars: { rtp_port: String(p.port), hold_ms: '2500' } });
    p.stopSending();
    expect(caller.successful, caller.errors).toBe(1);
    expect(onsetOf(p, 650, started)).not.toBeNull();
    const recs = await eventually(
      async () => {
        const r = await recordingsOf(user);
        return r.length > 0 && r.every((x) => x.data['status'] !== 'convert') ? r : null;
      },
      'the recording, converted',
      20_000,
    );
    const pcm = await readWav(h.services.recordings.telephonyWav(recs[0]!.uuid));
    expect(Math.abs(dominantFrequency(pcm) - 520)).toBeLessThan(10);
  }, 40_000);

  it('play_announcement_only plays the announcement and hangs up without recording', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    const ann = await announcement(user, tone(700, 800));
    await updatePhone(h, user.sid, number, { announcement: ann, play_announcement_only: true });
    const p = await peer();
    const started = Date.now();
    const caller = await carrier(number, { vars: { rtp_port: String(p.port), hold_ms: '5000' } });
    expect(caller.successful, caller.errors).toBe(1);
    expect(caller.stats['remote_bye(C)']).toBe('1');
    const heard = p.audio(started);
    expect(toneShare(heard, 700)).toBeGreaterThan(0.8);
    expect(heard.length / 8000).toBeGreaterThan(0.7);
    expect(heard.length / 8000).toBeLessThan(1.2);
    expect(await recordingsOf(user)).toHaveLength(0);
  }, 30_000);

  it('IVR: digits navigate two levels deep, then redirect the call to a number via the trunk', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    const annA = await announcement(user, tone(500, 3000));
    const annB = await announcement(user, tone(900, 3000));
    const level2 = await h.call('POST', '/api/ivr', {
      sid: user.sid,
      body: { description: 'level 2', announcement: annB, '2': '+493012345678' },
    });
    const level1 = await h.call('POST', '/api/ivr', {
      sid: user.sid,
      body: { description: 'level 1', announcement: annA, '1': level2['uuid'] },
    });
    await updatePhone(h, user.sid, number, { ivr: level1['uuid'] });
    const far = trunkPhone();
    await far.ready;
    const caller = await dialer(number, '12', { firstMs: 800, gapMs: 1200, holdMs: 1500 });
    const callee = await far.done;
    expect(caller.successful, caller.errors).toBe(1);
    expect(callee.successful, callee.errors).toBe(1);
    expect(callee.messages).toMatch(/INVITE sip:\+493012345678@/);
    const cdrs = await eventually(async () => {
      const c = await cdrsOf(h, number);
      return c.length === 2 ? c : null;
    }, 'two CDRs');
    expect(cdrs.find((c) => c['b_number'] === '+493012345678')).toBeDefined();
  }, 60_000);

  it('unlock code: calling a reserved number and keying its code activates it', async () => {
    const { number, code, user } = await reservedNumber();
    const wrong = code === '0000' ? '1111' : '0000';
    // A wrong code first (rejected with the wrong-pin prompt), then the right one.
    const caller = await dialer(number, `${wrong}   ${code}`, { firstMs: 400, gapMs: 350, holdMs: 4000 });
    expect(caller.successful, caller.errors).toBe(1);
    const phones = (await h.call('GET', '/api/phone', { sid: user.sid }))['phone'];
    expect(phones[number]).toBeDefined();
    expect(phones[number]['unlock_code']).toBeUndefined();
  }, 60_000);

  it('hold: while the caller holds, the other party hears the number’s on-hold music', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    const music = await announcement(user, tone(880, 2000));
    const dialplan = await dialplanV2(h, user.sid, {
      description: 'hold',
      profiles: [{ parallel: { targets: ['+493055512345'] } }],
    });
    await updatePhone(h, user.sid, number, { dialplan, on_hold_music: music });
    const p = await peer();
    const far = trunkPhone({ rtp_port: String(p.port) });
    await far.ready;
    const started = Date.now();
    const caller = await runSipp({
      scenario: 'uac-hold',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: h.carrierPort,
      service: number.slice(1),
      vars: { talk_ms: '1000', held_ms: '2500', after_ms: '1200' },
      timeoutSeconds: 15,
    });
    if (caller.successful !== 1) far.kill();
    const callee = await far.done;
    expect(caller.successful, caller.errors).toBe(1);
    expect(callee.successful, callee.errors).toBe(1);
    const musicAt = onsetOf(p, 880, started);
    expect(musicAt).not.toBeNull();
    const last = p.audioPackets(started).at(-1)!.atMs;
    // About the 2.5 s of the hold, and nothing after the call was taken back.
    expect(last - musicAt!).toBeGreaterThan(2000);
    expect(last - musicAt!).toBeLessThan(3000);
    expect(toneShare(p.audio(musicAt!, last), 880)).toBeGreaterThan(0.8);
  }, 40_000);

  it('ringback: a 183 with the ringtone announcement mixed with the ring tone while the target rings', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    const ring = await announcement(user, tone(1200, 600));
    const dialplan = await dialplanV2(h, user.sid, {
      description: 'ringback',
      ringtone: { announcement: ring, mix: true },
      profiles: [{ parallel: { targets: ['+493055512399'], timeout: 20 } }],
    });
    await updatePhone(h, user.sid, number, { dialplan });
    const far = trunkPhone({ answer_delay_ms: '2500' });
    await far.ready;
    const p = await peer();
    const started = Date.now();
    const caller = await carrier(number, { vars: { rtp_port: String(p.port), hold_ms: '500' } });
    const callee = await far.done;
    expect(caller.successful, caller.errors).toBe(1);
    expect(callee.successful, callee.errors).toBe(1);
    expect(caller.messages).toMatch(/SIP\/2.0 183 [^]*m=audio/);
    const early = p.audio(started, started + 2300);
    expect(early.length / 8000).toBeGreaterThan(1.5);
    // The announcement loops (1.2 kHz) and the 425 Hz ring tone is mixed under it.
    expect(toneShare(early.subarray(0, 4000), 1200)).toBeGreaterThan(0.2);
    expect(toneShare(early.subarray(0, 4000), 425)).toBeGreaterThan(0.2);
  }, 40_000);
});

describe('recordings written by the voice box', () => {
  it('the scratch folder holds nothing after a call', () => {
    const dir = path.join(h.config.objectDir, 'tmp', 'recordings');
    const left = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    expect(left).toEqual([]);
  });
});
