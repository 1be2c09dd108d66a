/**
 * MediaChannel over real UDP: one packet listener per session fanning out to
 * the bridge relay, a recording and DTMF listeners at once; digits sent as
 * RFC 4733 (or in-band without telephone-event) arrive with their durations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaChannel, mediaFormat } from '../../src/telephony/embedded/media-channel.js';
import { DtmfReceiver, type DtmfDigit } from '../../src/telephony/embedded/media/dtmf.js';
import { Player } from '../../src/telephony/embedded/media/player.js';
import { readWav } from '../../src/telephony/embedded/media/wav.js';
import { RtpPortPool, type RtpSession } from '../../src/telephony/embedded/rtp/index.js';
import type { SdpCodec } from '../../src/telephony/embedded/sip/sdp.js';
import type { DtmfEvent } from '../../src/telephony/adapter.js';
import { zeroCrossingHz } from '../unit/media-fixtures.js';

// Real UDP on 127.0.0.1; this file owns RTP ports 43400-43499.
const HOST = '127.0.0.1';
const pool = new RtpPortPool({ host: HOST, min: 43400, max: 43499 });
const player = new Player();
const PCMU_TE: SdpCodec[] = [
  { payloadType: 0, name: 'PCMU', clockRate: 8000 },
  { payloadType: 101, name: 'TELEPHONE-EVENT', clockRate: 8000, fmtp: '0-16' },
];
const PCMA_ONLY: SdpCodec[] = [{ payloadType: 8, name: 'PCMA', clockRate: 8000 }];

const opened: { close(): unknown }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Two sessions pointed at each other: `a` is the leg, `b` the phone. */
async function pair(): Promise<[RtpSession, RtpSession]> {
  const a = await pool.open();
  const b = await pool.open();
  opened.push(a, b);
  a.setRemote({ address: HOST, port: b.localPort });
  b.setRemote({ address: HOST, port: a.localPort });
  return [a, b];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('MediaChannel', () => {
  it('picks the first G.711 codec and the telephone-event type of the negotiated list', () => {
    expect(mediaFormat(PCMU_TE)).toEqual({ codec: 'PCMU', payloadType: 0, telephoneEvent: 101 });
    expect(mediaFormat(PCMA_ONLY)).toEqual({ codec: 'PCMA', payloadType: 8, telephoneEvent: null });
    expect(mediaFormat(null)).toEqual({ codec: 'PCMU', payloadType: 0, telephoneEvent: null });
  });

  it('sends RFC 4733 digits with the durations asked, detected on the far side', async () => {
    const [a, b] = await pair();
    const ch = new MediaChannel(a, () => PCMU_TE, player);
    const rx = new DtmfReceiver({ telephoneEventPayloadType: 101 });
    const got: DtmfDigit[] = [];
    b.onPacket((pkt, h) => got.push(...rx.push(pkt, h)));
    await ch.sendDigits('19#', { durationMs: 160, pauseMs: 60 });
    await sleep(60);
    expect(got.map((d) => d.digit).join('')).toBe('19#');
    for (const d of got) {
      expect(d.source).toBe('rfc4733');
      expect(d.durationMs).toBe(160);
    }
  });

  it('sends in-band tones when telephone-event was not agreed', async () => {
    const [a, b] = await pair();
    const ch = new MediaChannel(a, () => PCMA_ONLY, player);
    const rx = new DtmfReceiver();
    const got: DtmfDigit[] = [];
    b.onPacket((pkt, h) => got.push(...rx.push(pkt, h)));
    await ch.sendDigits('5*', { durationMs: 120, pauseMs: 100 });
    await sleep(60);
    got.push(...rx.flush());
    expect(got.map((d) => d.digit).join('')).toBe('5*');
    for (const d of got) {
      expect(d.source).toBe('inband');
      expect(Math.abs(d.durationMs - 120)).toBeLessThanOrEqual(15);
    }
  });

  it('relays, records and listens for digits on the same packets at once', async () => {
    const [a, phoneA] = await pair();
    const [c, phoneC] = await pair();
    const chA = new MediaChannel(a, () => PCMU_TE, player);
    const relayed: number[] = [];
    phoneC.onPacket((_pkt, h) => relayed.push(h.sequence));
    chA.relayTo(c);
    const digits: DtmfEvent[] = [];
    const off = chA.onDtmf((d) => digits.push(d));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-channel-'));
    dirs.push(dir);
    const file = path.join(dir, 'nested', 'rec.wav');
    const rec = chA.record({ file, maxSeconds: 2 });
    // The phone speaks a 700 Hz tone for 600 ms, then presses 3.
    const phoneCh = new MediaChannel(phoneA, () => PCMU_TE, player);
    await phoneCh.play([{ kind: 'tone', frequencies: [700], durationMs: 600 }]).done;
    await phoneCh.sendDigits('3', { durationMs: 100, pauseMs: 0 });
    await sleep(80);
    rec.stop();
    const r = await rec.done;
    off();
    expect(digits.map((d) => d.digit)).toEqual(['3']);
    expect(r.media?.location).toEqual({ kind: 'file', path: file });
    expect(r.silenceOnly).toBe(false);
    const pcm = await readWav(file);
    expect(Math.abs(zeroCrossingHz(pcm.subarray(0, 4000)) - 700)).toBeLessThan(15);
    // Every packet the phone sent (30 audio + the digit's events) reached the other leg.
    expect(relayed.length).toBeGreaterThanOrEqual(30 + 5);
  });

  it('a new playback stops the one before; close() ends playback and recordings', async () => {
    const [a] = await pair();
    const ch = new MediaChannel(a, () => PCMU_TE, player);
    const first = ch.play([{ kind: 'tone', frequencies: [440], durationMs: 5000 }]);
    const second = ch.play([{ kind: 'tone', frequencies: [880], durationMs: 5000 }]);
    await expect(first.done).resolves.toBe('stopped');
    const rec = ch.record({ file: path.join(os.tmpdir(), 'never-written.wav'), maxSeconds: 10 });
    ch.close();
    await expect(second.done).resolves.toBe('stopped');
    await expect(rec.done).resolves.toMatchObject({ reason: 'hangup', media: null });
    await expect(ch.play([{ kind: 'silence', durationMs: 100 }]).done).resolves.toBe('stopped');
  });

  it('a missing prompt file ends the playback as failed instead of throwing', async () => {
    const [a] = await pair();
    const ch = new MediaChannel(a, () => PCMU_TE, player);
    await expect(ch.play([{ kind: 'file', path: '/nonexistent/prompt.wav' }]).done).resolves.toBe('failed');
  });

  it('digits by SIP INFO reach the listeners like RTP ones', () => {
    const ch = new MediaChannel({ onPacket: () => undefined } as unknown as RtpSession, () => null, player);
    const got: DtmfEvent[] = [];
    ch.onDtmf((d) => got.push(d));
    ch.injectDigit({ digit: '7', durationMs: 250, source: 'info' });
    expect(got).toEqual([{ digit: '7', durationMs: 250, source: 'info' }]);
  });
});
