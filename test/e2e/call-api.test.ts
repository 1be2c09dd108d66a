/**
 * The call API on real calls (spec 3.24, 7.18): a sipp UAC plays the carrier
 * calling a call_enable number and a sipp UAS the far end of dialled calls;
 * the test's own RTP sockets (RtpPeer) send and measure the audio. Driven
 * over HTTP: ring, progress, play, answer, tone, dtmf_collect (RFC 4733 pcap
 * digits arrive as call_dtmf), record_start / record_stop (the recording
 * holds the caller's audio; discard leaves none), bridge (audio both ways),
 * split, hangup_both, break on a 60 s tone, hangup — each flow's call_update
 * sequence asserted exactly.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { renderTone } from '../../src/telephony/embedded/media/player.js';
import { encodeWav, readWav } from '../../src/telephony/embedded/media/wav.js';
import { waitIdle } from '../helpers/audio-api.js';
import type { TestUser } from '../helpers/harness.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { RtpPeer, toneShare } from '../helpers/rtp-peer.js';
import { runSipp, SIPP_AVAILABLE, SIPP_PCAP_DIR, startSipp, type SippResult } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
let worker: RunningMediaWorker;
const peers: RtpPeer[] = [];

beforeAll(async () => {
  h = await createTelephonyHarness();
  worker = startMediaWorker(h.services, { concurrency: 1 });
}, 180_000);
afterAll(async () => {
  for (const p of peers) p.close();
  await worker?.close();
  await h?.close();
});

const CALLER = '+492215550177';
const T = expect.any(Number);

async function peer(): Promise<RtpPeer> {
  const p = await RtpPeer.open();
  peers.push(p);
  return p;
}

/** Every event of the session so far (paged from the start). */
async function events(u: TestUser): Promise<Array<Record<string, any>>> {
  const out: Array<Record<string, any>> = [];
  let next = 0;
  for (;;) {
    const r = await h.call('GET', `/api/event?next=${next}&timeout=0`, { sid: u.sid });
    if (r.status !== 'ok') return out;
    out.push(...r.event);
    next = r.next;
  }
}

/** The call_update changes of one call, in order. */
async function updates(u: TestUser, uuid: string): Promise<Array<Record<string, unknown>>> {
  return (await events(u)).filter((e) => e.event === 'call_update' && e.call[uuid]).map((e) => e.call[uuid]);
}

async function control(u: TestUser, uuid: string, controls: unknown[], queue = 'append'): Promise<void> {
  const r = await h.call('POST', `/api/call/${uuid}/control`, { sid: u.sid, body: { queue, controls } });
  expect(r.status, JSON.stringify(r)).toBe('ok');
}

async function callOf(u: TestUser, uuid: string): Promise<Record<string, any> | undefined> {
  return (await h.call('GET', '/api/call', { sid: u.sid, query: { uuid } })).call[uuid];
}

/** Waits until GET /api/call shows the call matching `check`. */
function callUntil(u: TestUser, uuid: string, what: string, check: (c: Record<string, any>) => boolean) {
  return eventually(
    async () => {
      const c = await callOf(u, uuid);
      return c && check(c) ? c : null;
    },
    what,
    10_000,
  );
}

/** A user with a call_enable number, subscribed to call API events. */
async function apiUser(): Promise<{ user: TestUser; number: string }> {
  const { user, numbers } = await userWithNumbers(h);
  const number = numbers[0]!;
  await updatePhone(h, user.sid, number, {
    call_enable: true,
    fax_enable: false,
    recording_enable: false,
    conference_enable: false,
  });
  expect((await h.call('GET', '/api/call/event', { sid: user.sid })).status).toBe('ok');
  return { user, number };
}

/**
 * The uuid of the first incoming call the user's events show. The carrier's
 * sipp ending first fails at once with what it saw; beside a loaded suite
 * the call may take a while to arrive (sipp's start, the INVITE).
 */
async function incomingCall(u: TestUser, caller: Promise<SippResult>): Promise<string> {
  let ended: SippResult | undefined;
  void caller.then(
    (r) => (ended = r),
    () => undefined,
  );
  return eventually(
    async () => {
      const e = (await events(u)).find(
        (x) => x.event === 'call_update' && Object.values(x.call as object)[0]?.incoming === true,
      );
      if (e) return Object.keys(e.call)[0];
      if (ended) {
        throw new Error(
          `the carrier ended before its call showed: ${ended.failed} failed\n${ended.errors}\n${ended.stderr}`,
        );
      }
      return null;
    },
    'call_update calling',
    15_000,
  );
}

/** The carrier calling `number` with its media on the peer's socket; it hangs up after `holdMs` unless ended first. */
function carrier(number: string, p: RtpPeer, holdMs: number) {
  return runSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: number.slice(1),
    timeoutSeconds: 40,
    vars: { from_user: CALLER, hold_ms: String(holdMs), rtp_port: String(p.port) },
  });
}

/** An announcement of the user (a tone), uploaded as a WAV and converted by the media worker. */
async function announcement(u: TestUser, freq: number, ms: number): Promise<string> {
  const obj = await h.services.announcements.create(u.uuid, 'e2e');
  const pcm = renderTone({ kind: 'tone', frequencies: [freq], durationMs: ms, levelDbm0: -10 });
  await h.services.announcements.upload(u.uuid, obj.uuid, encodeWav(pcm));
  await waitIdle(h);
  return obj.uuid;
}

/** Packets of `p` from `from` on whose 20 ms carry mostly `freq`. */
const tonepackets = (p: RtpPeer, freq: number, from: number, to = Infinity) =>
  p.audioPackets(from, to).filter((pk) => toneShare(p.audio(pk.atMs, pk.atMs + 1), freq, 160) > 0.5);

describe.skipIf(!SIPP_AVAILABLE)('call API on the embedded engine (sipp)', () => {
  it('incoming: ring, answer, tone, dtmf_collect (pcap digits arrive as call_dtmf), hangup', async () => {
    const { user, number } = await apiUser();
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
      vars: { from_user: CALLER, hold_ms: '15000' },
    });
    const uuid = await incomingCall(user, caller);
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
    await callUntil(user, uuid, 'hangup', (c) => c.status === 'hangup');
    expect(await updates(user, uuid)).toEqual([
      {
        incoming: true,
        to: number,
        from: CALLER,
        clir: false,
        status: 'calling',
        create_time: T,
        record_on: false,
      },
      { current_control_id: 'ring' },
      { status: 'ringing' },
      { current_control_id: '', last_control_id: 'ring' },
      { current_control_id: 'answer' },
      { status: 'answered', answer_time: T },
      { current_control_id: '', last_control_id: 'answer' },
      { current_control_id: 'beep' },
      { current_control_id: '', last_control_id: 'beep' },
      { current_control_id: 'bye' },
      { status: 'hangup', hangup_time: T, hangup_cause: 16, current_control_id: '', last_control_id: 'bye' },
    ]);
    expect(await callOf(user, uuid)).toMatchObject({
      status: 'hangup',
      hangup_cause: 16,
      last_control_id: 'bye',
    });
  }, 40_000);

  it('incoming: ring, progress, play, answer, record_start/stop holds the caller’s audio, a discarded one leaves nothing', async () => {
    const { user, number } = await apiUser();
    const ann = await announcement(user, 600, 600);
    const p = await peer();
    p.send(440); // from the engine's first packet on: the caller's voice
    const caller = carrier(number, p, 20_000);
    const uuid = await incomingCall(user, caller);
    const started = Date.now();
    await control(user, uuid, [
      { id: 'ring', control: 'ring' },
      { control: 'sleep', duration: 200 },
      { id: 'early', control: 'progress' },
      { id: 'ann', control: 'play', object: ann },
      { id: 'hook-off', control: 'answer' },
    ]);
    await callUntil(user, uuid, 'answered', (c) => c.last_control_id === 'hook-off');
    // The announcement reached the caller as early media, before the answer.
    expect(toneShare(p.audio(started), 600)).toBeGreaterThan(0.6);
    await control(user, uuid, [
      { id: 'rec', control: 'record_start', limit: 30 },
      { id: 'listen', control: 'silence', duration: 1500 },
      { id: 'rec-stop', control: 'record_stop' },
    ]);
    const withRecording = await callUntil(
      user,
      uuid,
      'the recording',
      (c) => typeof c.recording === 'string',
    );
    const recording = withRecording.recording as string;
    expect(withRecording).toMatchObject({ record_on: false, last_control_id: 'rec-stop' });
    await control(user, uuid, [
      { id: 'rec2', control: 'record_start' },
      { control: 'silence', duration: 500 },
      { id: 'drop', control: 'record_stop', discard: true },
      { id: 'bye', control: 'hangup' },
    ]);
    const res = await caller;
    p.stopSending();
    expect(res.successful, res.errors).toBe(1);
    expect(res.stats['remote_bye(C)']).toBe('1');
    // A finished call is stored once its recordings are saved or discarded.
    const stored = await callUntil(user, uuid, 'stored', (c) => c.status === 'hangup');
    expect(stored).toMatchObject({ recording, record_on: false, hangup_cause: 16, last_control_id: 'bye' });
    expect(await updates(user, uuid)).toEqual([
      {
        incoming: true,
        to: number,
        from: CALLER,
        clir: false,
        status: 'calling',
        create_time: T,
        record_on: false,
      },
      { current_control_id: 'ring' },
      { status: 'ringing' },
      { current_control_id: '', last_control_id: 'ring' },
      { current_control_id: 'early' },
      { current_control_id: '', last_control_id: 'early' },
      { current_control_id: 'ann' },
      { current_control_id: '', last_control_id: 'ann' },
      { current_control_id: 'hook-off' },
      { status: 'answered', answer_time: T },
      { current_control_id: '', last_control_id: 'hook-off' },
      { current_control_id: 'rec' },
      { record_on: true },
      { current_control_id: '', last_control_id: 'rec' },
      { current_control_id: 'listen' },
      { current_control_id: '', last_control_id: 'listen' },
      { current_control_id: 'rec-stop' },
      { record_on: false },
      { current_control_id: '', last_control_id: 'rec-stop' },
      { recording },
      { current_control_id: 'rec2' },
      { record_on: true },
      { current_control_id: '', last_control_id: 'rec2' },
      { current_control_id: 'drop' },
      { record_on: false },
      { current_control_id: '', last_control_id: 'drop' },
      { current_control_id: 'bye' },
      { status: 'hangup', hangup_time: T, hangup_cause: 16, current_control_id: '', last_control_id: 'bye' },
    ]);
    // One recording object (the discarded one left none), holding the caller's 440 Hz for about 1.5 s.
    const rows = await h.services.db
      .selectFrom('objects')
      .select('uuid')
      .where('owner', '=', user.uuid)
      .where('type', '=', 'recording')
      .execute();
    expect(rows.map((r) => r.uuid)).toEqual([recording]);
    await waitIdle(h);
    const rec = await h.call('GET', `/api/recording/${recording}`, { sid: user.sid });
    expect(rec['recording']).toMatchObject({ from: CALLER, to: number, status: 'ok' });
    const pcm = await readWav(h.services.recordings.telephonyWav(recording));
    // The caller's tone, window by window (a relay that paces by its own clock, as FreeSWITCH's
    // does, may put a frame of silence where a packet came late).
    const share = toneShare(pcm, 440);
    console.info(
      `call API: recording of ${(pcm.length / 8000).toFixed(2)} s, 440 Hz share ${share.toFixed(2)}`,
    );
    expect(share).toBeGreaterThan(0.9);
    expect(pcm.length / 8000).toBeGreaterThan(1.0);
    expect(pcm.length / 8000).toBeLessThan(2.5);
  }, 60_000);

  it('dial: the far end answers; a tone control is heard there; break cuts a 60 s tone short; hangup ends it', async () => {
    const { user, numbers } = await userWithNumbers(h);
    expect((await h.call('GET', '/api/call/event', { sid: user.sid })).status).toBe('ok');
    const p = await peer();
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
    await callUntil(user, uuid, 'answered', (c) => c.status === 'answered');
    const sent = Date.now();
    await control(user, uuid, [{ id: 'tone', control: 'tone', frequency: 1000, duration: 800 }]);
    const heard = await eventually(async () => {
      const pk = p.audioPackets(sent);
      return pk.length >= 30 ? pk : null;
    }, 'the tone at the far end');
    const roundTrip = heard[0]!.atMs - sent;
    console.info(`call API: POST control -> first RTP packet of the tone at the far end: ${roundTrip} ms`);
    expect(roundTrip).toBeLessThan(1000);
    expect(toneShare(p.audio(heard[0]!.atMs, heard[0]!.atMs + 600), 1000)).toBeGreaterThan(0.8);
    await callUntil(user, uuid, 'the tone done', (c) => c.last_control_id === 'tone');
    // break: a 60 s tone stops and the next control (a 600 Hz tone) starts at once.
    const longFrom = Date.now();
    await control(user, uuid, [{ id: 'long', control: 'tone', frequency: 1000, duration: 60_000 }]);
    await eventually(async () => p.audioPackets(longFrom).length >= 25 || null, 'the long tone');
    const breakAt = Date.now();
    await control(user, uuid, [{ id: 'next', control: 'tone', frequency: 600, duration: 1000 }], 'break');
    const next = await eventually(async () => tonepackets(p, 600, breakAt)[0] ?? null, 'the next tone');
    await callUntil(user, uuid, 'the next tone done', (c) => c.last_control_id === 'next');
    // The same check finds the long tone before the break (it can fail), and how long it lasted after.
    expect(tonepackets(p, 1000, longFrom, breakAt).length).toBeGreaterThanOrEqual(20);
    const lastLong = tonepackets(p, 1000, breakAt).at(-1)?.atMs ?? breakAt;
    console.info(
      `call API: break -> last packet of the 60 s tone ${lastLong - breakAt} ms, ` +
        `first packet of the next control ${next.atMs - breakAt} ms`,
    );
    expect(lastLong - breakAt).toBeLessThan(1000);
    expect(next.atMs - breakAt).toBeLessThan(1000);
    await control(user, uuid, [{ control: 'hangup' }]);
    const callee = await far.done;
    expect(callee.successful, callee.errors).toBe(1);
    const c = await callUntil(user, uuid, 'hangup', (x) => x.status === 'hangup');
    expect(c).toMatchObject({ incoming: false, from: numbers[0], to: '+4930777888', hangup_cause: 16 });
    expect(await updates(user, uuid)).toEqual([
      {
        incoming: false,
        to: '+4930777888',
        from: numbers[0],
        clir: false,
        status: 'init',
        create_time: T,
        record_on: false,
      },
      { status: 'calling' },
      { status: 'ringing' },
      { status: 'answered', answer_time: T },
      { current_control_id: 'tone' },
      { current_control_id: '', last_control_id: 'tone' },
      { current_control_id: 'long' },
      { current_control_id: '', last_control_id: 'long' },
      { current_control_id: 'next' },
      { current_control_id: '', last_control_id: 'next' },
      { status: 'hangup', hangup_time: T, hangup_cause: 16 },
    ]);
  }, 40_000);

  it('bridge: an incoming call and a dialled one hear each other; split stops the relay; hangup_both false keeps the other leg, true ends it', async () => {
    const { user, number } = await apiUser();
    const pa = await peer();
    const pb = await peer();
    // The far end takes two dialled calls (B, then C), both with their media on pb.
    const far = startSipp({
      scenario: 'uas-answer',
      localPort: h.trunkPort,
      vars: { rtp_port: String(pb.port) },
      calls: 2,
      timeoutSeconds: 40,
    });
    await far.ready;
    const caller = carrier(number, pa, 30_000);
    const a = await incomingCall(user, caller);
    await control(user, a, [
      { id: 'early', control: 'progress' },
      { id: 'hook-off', control: 'answer' },
      { id: 'hello', control: 'tone', frequency: 600, duration: 300 },
    ]);
    const dialled = await h.call('POST', '/api/call/dial', {
      sid: user.sid,
      body: { to: '+4930777999', from: number },
    });
    expect(dialled.status).toBe('ok');
    const b = dialled.uuid as string;
    await callUntil(user, b, 'B answered', (c) => c.status === 'answered');
    await control(user, b, [{ id: 'hello', control: 'tone', frequency: 600, duration: 300 }]);
    await callUntil(user, a, 'A greeted', (c) => c.last_control_id === 'hello');
    await callUntil(user, b, 'B greeted', (c) => c.last_control_id === 'hello');
    // Each peer now knows where the engine's media comes from: the caller speaks 440 Hz, the callee 880 Hz.
    pa.send(440);
    pb.send(880);

    await control(user, a, [{ id: 'join', control: 'bridge', call: b, hangup_both: false }]);
    await callUntil(user, a, 'bridged', (c) => c.bridge === b);
    expect((await callOf(user, b))?.bridge).toBe(a);
    const bridgedAt = Date.now();
    await eventually(
      async () =>
        (tonepackets(pa, 880, bridgedAt).length >= 25 && tonepackets(pb, 440, bridgedAt).length >= 25) ||
        null,
      'audio both ways',
    );
    const atA = tonepackets(pa, 880, bridgedAt).length;
    const atB = tonepackets(pb, 440, bridgedAt).length;
    console.info(`call API bridge: 880 Hz packets at the caller ${atA}, 440 Hz packets at the callee ${atB}`);
    expect(toneShare(pa.audio(bridgedAt + 100), 880)).toBeGreaterThan(0.8);
    expect(toneShare(pb.audio(bridgedAt + 100), 440)).toBeGreaterThan(0.8);

    // split: both calls stay up, the relay stops.
    await control(user, b, [{ id: 'apart', control: 'split' }]);
    await callUntil(user, b, 'split', (c) => c.bridge === undefined && c.last_control_id === 'apart');
    const splitAt = Date.now();
    await new Promise((r) => setTimeout(r, 800));
    const afterA = tonepackets(pa, 880, splitAt + 100).length;
    const afterB = tonepackets(pb, 440, splitAt + 100).length;
    console.info(`call API split: relayed packets 100...800 ms after the split: ${afterA} and ${afterB}`);
    expect([afterA, afterB]).toEqual([0, 0]);
    expect((await callOf(user, a))?.status).toBe('answered');
    expect((await callOf(user, b))?.status).toBe('answered');

    // hangup_both false: A hangs up, B stays with its bridge gone.
    await control(user, b, [{ id: 'rejoin', control: 'bridge', call: a, hangup_both: false }]);
    await callUntil(user, a, 'bridged again', (c) => c.bridge === b);
    await control(user, a, [{ id: 'bye', control: 'hangup' }]);
    const res = await caller;
    expect(res.successful, res.errors).toBe(1);
    expect(res.stats['remote_bye(C)']).toBe('1');
    await callUntil(user, a, 'A ended', (c) => c.status === 'hangup');
    await new Promise((r) => setTimeout(r, 300));
    expect(await callOf(user, b)).toMatchObject({ status: 'answered' });
    expect((await callOf(user, b))?.bridge).toBeUndefined();

    // hangup_both true (the default): C bridged to B hangs up, B ends with it.
    const third = await h.call('POST', '/api/call/dial', {
      sid: user.sid,
      body: { to: '+4930777998', from: number },
    });
    const c = third.uuid as string;
    await callUntil(user, c, 'C answered', (x) => x.status === 'answered');
    await control(user, c, [{ id: 'join', control: 'bridge', call: b }]);
    await callUntil(user, b, 'B bridged to C', (x) => x.bridge === c);
    await control(user, c, [{ id: 'bye', control: 'hangup' }]);
    const bEnd = await callUntil(user, b, 'B ended with C', (x) => x.status === 'hangup');
    expect(bEnd.hangup_cause).toBe(16);
    const callee = await far.done;
    expect(callee.successful, callee.errors).toBe(2);

    expect(await updates(user, a)).toEqual([
      {
        incoming: true,
        to: number,
        from: CALLER,
        clir: false,
        status: 'calling',
        create_time: T,
        record_on: false,
      },
      { current_control_id: 'early' },
      { status: 'progress' },
      { current_control_id: '', last_control_id: 'early' },
      { current_control_id: 'hook-off' },
      { status: 'answered', answer_time: T },
      { current_control_id: '', last_control_id: 'hook-off' },
      { current_control_id: 'hello' },
      { current_control_id: '', last_control_id: 'hello' },
      { current_control_id: 'join' },
      { bridge: b },
      { current_control_id: '', last_control_id: 'join' },
      { bridge: '' },
      { bridge: b },
      { current_control_id: 'bye' },
      {
        status: 'hangup',
        hangup_time: T,
        hangup_cause: 16,
        current_control_id: '',
        last_control_id: 'bye',
        bridge: '',
      },
    ]);
    expect(await updates(user, b)).toEqual([
      {
        incoming: false,
        to: '+4930777999',
        from: number,
        clir: false,
        status: 'init',
        create_time: T,
        record_on: false,
      },
      { status: 'calling' },
      { status: 'ringing' },
      { status: 'answered', answer_time: T },
      { current_control_id: 'hello' },
      { current_control_id: '', last_control_id: 'hello' },
      { bridge: a },
      { current_control_id: 'apart' },
      { bridge: '' },
      { current_control_id: '', last_control_id: 'apart' },
      { current_control_id: 'rejoin' },
      { bridge: a },
      { current_control_id: '', last_control_id: 'rejoin' },
      { bridge: '' },
      { bridge: c },
      { status: 'hangup', hangup_time: T, hangup_cause: 16, bridge: '' },
    ]);
  }, 60_000);
});
