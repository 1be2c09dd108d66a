import { describe, expect, it } from 'vitest';
import { dtmfFrequencies, type DtmfDigit } from '../../src/telephony/embedded/media/dtmf.js';
import { MediaPacer } from '../../src/telephony/embedded/media/pacer.js';
import { renderTone } from '../../src/telephony/embedded/media/player.js';
import { record, type RecordOptions } from '../../src/telephony/embedded/media/recorder.js';
import { decode, encode } from '../../src/telephony/embedded/rtp/g711.js';
import { buildTelephoneEvent } from '../../src/telephony/embedded/rtp/telephone-event.js';
import { concat, FakeClock, noise, rms, silence, sines, Source } from './media-fixtures.js';

const TS0 = 0xffff_fb00; // wraps during the recording

function setup(opts: Partial<RecordOptions> = {}) {
  const clock = new FakeClock();
  const pacer = new MediaPacer({ clock });
  const source = new Source();
  const previous = (): void => undefined;
  source.onPacket(previous);
  const rec = record(source, { codec: 'PCMU', maxSeconds: 30, pacer, ...opts });
  /** Sends frame i of pcm (PCMU) as RTP packet i, 20 ms of clock later than the last. */
  const frame = (
    pcm: Int16Array,
    i: number,
    o: { ts?: number; ssrc?: number; advance?: boolean } = {},
  ): void => {
    if (o.advance ?? true) clock.advance(20);
    source.deliver(
      { payloadType: 0, sequence: i & 0xffff, timestamp: o.ts ?? TS0 + i * 160, ssrc: o.ssrc },
      encode('PCMU', pcm.subarray(i * 160, i * 160 + 160)),
    );
  };
  return { clock, source, rec, frame, previous };
}

/** What the recorder should hold for pcm: its G.711 version. */
const g711 = (pcm: Int16Array): Int16Array => decode('PCMU', encode('PCMU', pcm));

describe('recorder', () => {
  it('places packets by timestamp: a lost packet leaves 20 ms of silence, not a shorter recording', async () => {
    const { rec, frame, source, previous } = setup();
    expect(source.packetListener).not.toBe(previous);
    const tone = sines([440], 1000, 8000);
    for (let i = 0; i < 50; i += 1) if (i !== 10) frame(tone, i);
    rec.stop();
    const r = await rec.done;
    expect(r.reason).toBe('stopped');
    expect(r.samples).toHaveLength(50 * 160);
    expect(r.durationMs).toBe(1000);
    expect(rms(r.samples, 1600, 1760)).toBe(0);
    const expected = g711(tone);
    expected.fill(0, 1600, 1760);
    expect(r.samples).toEqual(expected);
    expect(r.silenceOnly).toBe(false);
    // The listener it found is back.
    expect(source.packetListener).toBe(previous);
  });

  it('lets a late packet fill its gap and drops duplicates and packets from before the start', async () => {
    const { rec, frame } = setup();
    const tone = sines([600], 400, 8000);
    const other = sines([1500], 400, 8000);
    frame(tone, 1);
    frame(tone, 0); // before the first packet: dropped
    frame(tone, 2);
    frame(tone, 4);
    frame(tone, 5);
    frame(tone, 3); // late, fills the gap
    frame(other, 4); // a duplicate timestamp with other content: dropped
    frame(tone, 6);
    rec.stop();
    const r = await rec.done;
    expect(r.samples).toEqual(g711(tone).subarray(160, 7 * 160));
  });

  it('stops after silenceSeconds of silence once speech started', async () => {
    const { rec, frame } = setup({ silenceSeconds: 1 });
    const speech = concat(sines([300, 900], 1000, 5000), noise(8000 * 5, 30));
    for (let i = 0; i < 300; i += 1) frame(speech, i);
    const r = await rec.done;
    expect(r.reason).toBe('silence');
    expect(r.durationMs).toBe(2000);
    expect(r.silenceOnly).toBe(false);
  });

  it('records silence to the end and says so: silenceOnly with reason max', async () => {
    const { rec, frame } = setup({ maxSeconds: 1, silenceSeconds: 0.5 });
    const hiss = noise(8000 * 2, 40); // line noise, about -58 dBFS
    for (let i = 0; i < 100; i += 1) frame(hiss, i);
    const r = await rec.done;
    expect(r.reason).toBe('max');
    expect(r.durationMs).toBe(1000);
    expect(r.silenceOnly).toBe(true);
  });

  it('ends by the wall clock when packets stop: max without any, silence after speech', async () => {
    const quiet = setup({ maxSeconds: 2 });
    quiet.clock.advance(2000);
    let ended = false;
    void quiet.rec.done.then(() => (ended = true));
    await Promise.resolve();
    expect(ended).toBe(false);
    quiet.clock.advance(300);
    const r = await quiet.rec.done;
    expect([r.reason, r.samples.length, r.silenceOnly]).toEqual(['max', 0, true]);

    const muted = setup({ maxSeconds: 60, silenceSeconds: 2 });
    const speech = sines([500], 500, 6000);
    for (let i = 0; i < 25; i += 1) muted.frame(speech, i);
    muted.clock.advance(2300);
    const m = await muted.rec.done;
    expect([m.reason, m.durationMs]).toEqual(['silence', 500]);
  });

  it('ends on the digit onDtmf accepts, cut where the key began, and reports the others', async () => {
    const digits: DtmfDigit[] = [];
    const { rec, frame, source, clock } = setup({ onDtmf: (d) => (digits.push(d), d.digit === '#') });
    const speech = sines([400], 2000, 6000);
    for (let i = 0; i < 50; i += 1) frame(speech, i);
    // Key 2 then # as RFC 4733 events while the audio goes on.
    let seq = 100;
    const key = (event: number, at: number): void => {
      for (let k = 1; k <= 5; k += 1) {
        clock.advance(20);
        const end = k === 5;
        for (let r = 0; r < (end ? 3 : 1); r += 1) {
          source.deliver(
            { payloadType: 101, sequence: seq++, timestamp: TS0 + at * 160, marker: k === 1 },
            buildTelephoneEvent({ event, end, volume: 10, duration: k * 160 }),
          );
        }
      }
    };
    key(2, 50);
    for (let i = 50; i < 60; i += 1) frame(speech, i, { advance: false });
    key(11, 60);
    const r = await rec.done;
    expect(digits.map((d) => [d.digit, d.durationMs, d.source])).toEqual([
      ['2', 100, 'rfc4733'],
      ['#', 100, 'rfc4733'],
    ]);
    expect(r.reason).toBe('dtmf');
    expect(r.samples).toHaveLength(60 * 160);
    expect(r.samples).toEqual(g711(speech).subarray(0, 60 * 160));
  });

  it('hears in-band keys too, and leaves the key tone out of the recording', async () => {
    const digits: string[] = [];
    const { rec, frame } = setup({ onDtmf: (d) => (digits.push(d.digit), true) });
    const [row, col] = dtmfFrequencies('#');
    const pcm = concat(
      sines([300], 1000, 6000),
      renderTone({ kind: 'tone', frequencies: [row, col], durationMs: 100, levelDbm0: -7 }),
      silence(500),
    );
    for (let i = 0; i * 160 < pcm.length; i += 1) frame(pcm, i);
    const r = await rec.done;
    expect(digits).toEqual(['#']);
    expect(r.reason).toBe('dtmf');
    expect(Math.abs(r.durationMs - 1000)).toBeLessThanOrEqual(7);
  });

  it('carries on where it stands when the SSRC changes or the timestamps restart', async () => {
    const { rec, frame } = setup();
    const tone = sines([440], 600, 8000);
    for (let i = 0; i < 10; i += 1) frame(tone, i);
    for (let i = 10; i < 20; i += 1) frame(tone, i, { ssrc: 0x9999, ts: 777 + (i - 10) * 160 });
    for (let i = 20; i < 30; i += 1) frame(tone, i, { ssrc: 0x9999, ts: 0x4000_0000 + (i - 20) * 160 });
    rec.stop();
    const r = await rec.done;
    expect(r.samples).toEqual(g711(tone).subarray(0, 30 * 160));
  });

  it('ignores payload types other than G.711 and telephone-event', async () => {
    const { rec, source, clock } = setup();
    for (const pt of [3, 13, 18, 96]) {
      clock.advance(20);
      source.deliver({ payloadType: pt, sequence: pt, timestamp: pt * 160 }, Buffer.alloc(20, 0x55));
    }
    rec.stop();
    expect((await rec.done).samples).toHaveLength(0);
  });

  it('refuses bad options', () => {
    const source = new Source();
    expect(() => record(source, { codec: 'PCMU', maxSeconds: 0 })).toThrow(RangeError);
    expect(() => record(source, { codec: 'PCMU', maxSeconds: 10, silenceSeconds: -1 })).toThrow(RangeError);
    expect(source.packetListener).toBeNull();
  });
});
