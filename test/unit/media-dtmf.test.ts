import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DtmfReceiver,
  dtmfFrequencies,
  InbandDtmfDetector,
  sendDtmf,
  TelephoneEventDetector,
  type DtmfDigit,
} from '../../src/telephony/embedded/media/dtmf.js';
import { MediaPacer } from '../../src/telephony/embedded/media/pacer.js';
import { renderTone } from '../../src/telephony/embedded/media/player.js';
import { readWav } from '../../src/telephony/embedded/media/wav.js';
import { encode } from '../../src/telephony/embedded/rtp/g711.js';
import { buildRtp, parseRtp } from '../../src/telephony/embedded/rtp/packet.js';
import {
  buildTelephoneEvent,
  parseTelephoneEvent,
} from '../../src/telephony/embedded/rtp/telephone-event.js';
import { add, concat, FakeClock, noise, rms, silence, sines, Sink, speechLike } from './media-fixtures.js';

const DIGITS = '0123456789*#ABCD';
const SOUNDS = path.join(import.meta.dirname, '../../sounds');

/** A DTMF burst as the player renders it (2 ms ramps), -10 dBm0 per tone. */
const key = (digit: string, ms: number, levelDbm0 = -10): Int16Array =>
  renderTone({ kind: 'tone', frequencies: dtmfFrequencies(digit), durationMs: ms, levelDbm0 });

/** Feeds the signal in 20 ms frames, as it arrives from RTP, and flushes at the end. */
function detect(pcm: Int16Array): DtmfDigit[] {
  const d = new InbandDtmfDetector();
  const out: DtmfDigit[] = [];
  for (let i = 0; i < pcm.length; i += 160) out.push(...d.push(pcm.subarray(i, i + 160)));
  out.push(...d.flush());
  return out;
}

describe('RFC 4733 events to digits', () => {
  const ev = (event: number, duration: number, end = false): Buffer =>
    buildTelephoneEvent({ event, end, volume: 10, duration });

  it('reports each event once, at its end, with the duration in ms, despite the 3 end packets', () => {
    const det = new TelephoneEventDetector();
    const h = { timestamp: 48000, ssrc: 9 };
    const got: DtmfDigit[] = [];
    for (let d = 160; d < 960; d += 160) got.push(...det.push(h, ev(5, d)));
    expect(got).toEqual([]);
    for (let i = 0; i < 3; i += 1) got.push(...det.push(h, ev(5, 960, true)));
    expect(got).toEqual([{ digit: '5', durationMs: 120, timestamp: 48000, source: 'rfc4733' }]);
    // The same key again is a new event: a new timestamp.
    const h2 = { timestamp: 49600, ssrc: 9 };
    got.push(
      ...det.push(h2, ev(5, 160)),
      ...det.push(h2, ev(5, 800, true)),
      ...det.push(h2, ev(5, 800, true)),
    );
    expect(got.map((d) => [d.digit, d.durationMs])).toEqual([
      ['5', 120],
      ['5', 100],
    ]);
    // A late packet of the first event changes nothing.
    expect(det.push(h, ev(5, 640))).toEqual([]);
  });

  it('a marker starts a new event even on a reported timestamp (a replayed capture), retransmissions do not', () => {
    const det = new TelephoneEventDetector();
    // sipp's dtmf_2833_*.pcap all carry timestamp 13280 and one SSRC; here played one after the other.
    const start = { timestamp: 13280, ssrc: 7, marker: true };
    const cont = { timestamp: 13280, ssrc: 7, marker: false };
    const press = (event: number) => [
      ...det.push(start, ev(event, 0)),
      ...det.push(cont, ev(event, 320)),
      ...det.push(cont, ev(event, 640, true)),
      ...det.push(cont, ev(event, 640, true)),
    ];
    expect(press(1).map((d) => d.digit)).toEqual(['1']);
    expect(press(2).map((d) => d.digit)).toEqual(['2']);
    expect(press(2).map((d) => d.digit)).toEqual(['2']);
    // An end packet that arrives again, marker or not, is the reported event.
    expect(det.push(cont, ev(2, 640, true))).toEqual([]);
    expect(det.push(start, ev(2, 640, true))).toEqual([]);
  });

  it('reports an event whose end packets were all lost: at the next event, on expiry, or on flush', () => {
    const det = new TelephoneEventDetector();
    det.push({ timestamp: 1000, ssrc: 1 }, ev(1, 160));
    det.push({ timestamp: 1000, ssrc: 1 }, ev(1, 480));
    expect(det.push({ timestamp: 5000, ssrc: 1 }, ev(2, 160)).map((d) => [d.digit, d.durationMs])).toEqual([
      ['1', 60],
    ]);
    // Audio 100 ms past the event's last update: still running; 300 ms: over.
    expect(det.expire(5000 + 160 + 800)).toEqual([]);
    expect(det.expire(5000 + 160 + 2400).map((d) => d.digit)).toEqual(['2']);
    det.push({ timestamp: 9000, ssrc: 1 }, ev(11, 160));
    expect(det.flush().map((d) => d.digit)).toEqual(['#']);
    expect(det.flush()).toEqual([]);
  });

  it('ignores non-DTMF events and short payloads', () => {
    const det = new TelephoneEventDetector();
    expect(det.push({ timestamp: 1, ssrc: 1 }, ev(16, 800, true))).toEqual([]); // flash
    expect(det.push({ timestamp: 1, ssrc: 1 }, Buffer.from([1, 0x80]))).toEqual([]);
  });
});

describe('in-band DTMF (Goertzel)', () => {
  it('detects all 16 digits, 100 ms each, in one stream, with their durations', () => {
    const pcm = concat(...[...DIGITS].map((d) => concat(key(d, 100), silence(60))));
    const got = detect(pcm);
    expect(got.map((d) => d.digit).join('')).toBe(DIGITS);
    for (const d of got) {
      expect(d.source).toBe('inband');
      expect(Math.abs(d.durationMs - 100)).toBeLessThanOrEqual(13);
    }
    // Start positions: each key 160 ms after the previous one.
    got.forEach((d, i) => expect(Math.abs(d.timestamp - i * 160 * 8)).toBeLessThanOrEqual(60));
  });

  it('detects every digit at the 40 ms minimum wherever it falls in the blocks, and nothing under 25 ms', () => {
    for (const d of DIGITS) {
      for (let offset = 0; offset < 102; offset += 17) {
        const at = concat(new Int16Array(offset), key(d, 40), silence(100));
        expect(detect(at).map((x) => x.digit)).toEqual([d]);
        expect(detect(concat(new Int16Array(offset), key(d, 25), silence(100)))).toEqual([]);
      }
    }
  });

  it('detects digits in white noise at 10 dB SNR', () => {
    for (const d of DIGITS) {
      const tone = concat(silence(50), key(d, 60), silence(100));
      const n = noise(tone.length, rms(key(d, 60)) / Math.sqrt(10), d.charCodeAt(0));
      expect(detect(add(tone, n)).map((x) => x.digit)).toEqual([d]);
    }
  });

  it('keeps keys apart: the same key 4 times and 4 keys, 50 ms on and 40 ms off (Q.24)', () => {
    const keys = (s: string): Int16Array => concat(...[...s].map((d) => concat(key(d, 50), silence(40))));
    expect(
      detect(keys('5555'))
        .map((d) => d.digit)
        .join(''),
    ).toBe('5555');
    expect(
      detect(keys('19#*'))
        .map((d) => d.digit)
        .join(''),
    ).toBe('19#*');
  });

  it('takes the twist Q.24 allows, and not more', () => {
    const pair = (rowDbm0: number, colDbm0: number): Int16Array => {
      const [row, col] = dtmfFrequencies('8');
      const a = renderTone({ kind: 'tone', frequencies: [row], durationMs: 100, levelDbm0: rowDbm0 });
      const b = renderTone({ kind: 'tone', frequencies: [col], durationMs: 100, levelDbm0: colDbm0 });
      return concat(add(a, b), silence(100));
    };
    expect(detect(pair(-16, -10))).toHaveLength(1); // high group 6 dB up
    expect(detect(pair(-10, -13))).toHaveLength(1); // low group 3 dB up
    expect(detect(pair(-22, -10))).toEqual([]); // 12 dB
    expect(detect(pair(-10, -17))).toEqual([]); // 7 dB reverse
    expect(detect(pair(-30, -30))).toHaveLength(1);
    expect(detect(pair(-42, -42))).toEqual([]); // too faint
  });

  it('does not fire on a 1 kHz tone, a single DTMF frequency, a chord, noise or speech', () => {
    expect(detect(sines([1000], 3000, 12000))).toEqual([]);
    expect(detect(sines([697], 1000))).toEqual([]);
    expect(detect(sines([1336], 1000))).toEqual([]);
    expect(detect(sines([440, 554, 659], 3000, 5000))).toEqual([]);
    expect(detect(sines([697, 1209, 852], 1000, 5000))).toEqual([]); // three DTMF tones at once
    expect(detect(noise(8000 * 5, 4000))).toEqual([]);
    expect(detect(speechLike(60_000, 7))).toEqual([]);
    expect(detect(speechLike(60_000, 1234))).toEqual([]);
  });

  it('does not fire on the shipped voice prompts, and finds a key pressed while one plays', async () => {
    let prompts = 0;
    for (const lang of ['de', 'en']) {
      for (const f of fs.readdirSync(path.join(SOUNDS, lang))) {
        const pcm = await readWav(path.join(SOUNDS, lang, f));
        expect(detect(pcm), `${lang}/${f}`).toEqual([]);
        prompts += 1;
      }
    }
    expect(prompts).toBeGreaterThanOrEqual(10);
    const speech = await readWav(path.join(SOUNDS, 'en', 'enter-pin.wav'));
    const pressed = add(speech, concat(silence(500), key('7', 80, -7)));
    expect(detect(pressed).map((d) => d.digit)).toEqual(['7']);
  });
});

describe('sending RFC 4733 events', () => {
  it('sends a packet every 20 ms with growing duration, then the end 3 times, all with the start timestamp', async () => {
    const clock = new FakeClock();
    const pacer = new MediaPacer({ clock });
    const sink = new Sink(clock);
    const t0 = clock.t;
    const done = sendDtmf(sink, '#', { durationMs: 120, pacer });
    let finished = false;
    void done.then(() => (finished = true));
    expect(sink.sent).toHaveLength(1);
    clock.advance(200);
    await Promise.resolve();
    expect(finished).toBe(true);
    const events = sink.sent.map((p) => ({ ...parseTelephoneEvent(p.payload)!, at: p.at - t0, m: p.marker }));
    expect(events.map((e) => [e.at, e.duration, e.end, e.m])).toEqual([
      [0, 160, false, true],
      [20, 320, false, false],
      [40, 480, false, false],
      [60, 640, false, false],
      [80, 800, false, false],
      [100, 960, true, false],
      [120, 960, true, false],
      [140, 960, true, false],
    ]);
    expect(new Set(events.map((e) => e.event))).toEqual(new Set([11]));
    expect(new Set(events.map((e) => e.volume))).toEqual(new Set([10]));
    expect(new Set(sink.sent.map((p) => p.timestamp)).size).toBe(1);
    expect(new Set(sink.sent.map((p) => p.payloadType))).toEqual(new Set([101]));
    expect(clock.pending).toBe(0);
  });

  it('rejects what it cannot send', () => {
    const sink = new Sink();
    expect(() => sendDtmf(sink, 'x')).toThrow(RangeError);
    expect(() => sendDtmf(sink, '1', { durationMs: 9000 })).toThrow(RangeError);
    expect(() => sendDtmf(sink, '1', { volume: 64 })).toThrow(RangeError);
    expect(sink.sent).toEqual([]);
  });
});

describe('DtmfReceiver', () => {
  const rtp = (
    pt: number,
    seq: number,
    ts: number,
    payload: Buffer,
    ssrc = 77,
  ): [Buffer, ReturnType<typeof parseRtp>] => {
    const pkt = buildRtp({ payloadType: pt, sequence: seq, timestamp: ts, ssrc }, payload);
    return [pkt, parseRtp(pkt)];
  };

  it('hears in-band keys in PCMA audio and gives them RTP timestamps', () => {
    const rx = new DtmfReceiver();
    const pcm = concat(silence(200), key('9', 100), silence(200));
    const got: DtmfDigit[] = [];
    for (let i = 0; i * 160 < pcm.length; i += 1) {
      const [pkt, h] = rtp(8, i, 100_000 + i * 160, encode('PCMA', pcm.subarray(i * 160, i * 160 + 160)));
      got.push(...rx.push(pkt, h!));
    }
    expect(got.map((d) => [d.digit, d.source])).toEqual([['9', 'inband']]);
    expect(Math.abs(got[0]!.timestamp - (100_000 + 1600))).toBeLessThanOrEqual(60);
  });

  it('reports a key once when the phone sends it both as events and as tones', () => {
    const rx = new DtmfReceiver();
    const tone = concat(key('3', 100), silence(200));
    const got: DtmfDigit[] = [];
    let seq = 0;
    for (let i = 0; i * 160 < tone.length; i += 1) {
      const [a, ha] = rtp(0, seq++, 8000 + i * 160, encode('PCMU', tone.subarray(i * 160, i * 160 + 160)));
      got.push(...rx.push(a, ha!));
      if (i < 5) {
        const end = i === 4;
        const [e, he] = rtp(
          101,
          seq++,
          8000,
          buildTelephoneEvent({ event: 3, end, volume: 10, duration: (i + 1) * 160 }),
        );
        got.push(...rx.push(e, he!));
        if (end) for (let r = 0; r < 2; r += 1) got.push(...rx.push(e, he!));
      }
    }
    got.push(...rx.flush());
    expect(got.map((d) => [d.digit, d.source, d.durationMs])).toEqual([['3', 'rfc4733', 100]]);
  });
});
