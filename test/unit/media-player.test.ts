import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dtmfTone, goertzelPower, InbandDtmfDetector } from '../../src/telephony/embedded/media/dtmf.js';
import { MediaPacer } from '../../src/telephony/embedded/media/pacer.js';
import {
  Player,
  TONES,
  type AudioSource,
  type PlayOptions,
} from '../../src/telephony/embedded/media/player.js';
import { readWav, WavFormatError, writeWav } from '../../src/telephony/embedded/media/wav.js';
import { decode, encode, type G711Codec } from '../../src/telephony/embedded/rtp/g711.js';
import { FakeClock, rms, sines, Sink, zeroCrossingHz, type SentPacket } from './media-fixtures.js';

const PROMPT = path.join(import.meta.dirname, '../../sounds/de/enter-pin.wav');
const PCMU: PlayOptions = { codec: 'PCMU' };

function setup(): { clock: FakeClock; pacer: MediaPacer; player: Player; sink: Sink } {
  const clock = new FakeClock();
  const pacer = new MediaPacer({ clock });
  return { clock, pacer, player: new Player({ pacer }), sink: new Sink(clock) };
}

function pcmOf(sent: SentPacket[], codec: G711Codec = 'PCMU'): Int16Array {
  const out = new Int16Array(sent.length * 160);
  sent.forEach((p, i) => out.set(decode(codec, p.payload), i * 160));
  return out;
}

/** Whether each 20 ms frame is on (RMS above 300). */
const onOff = (pcm: Int16Array): boolean[] =>
  Array.from({ length: pcm.length / 160 }, (_, i) => rms(pcm, i * 160, i * 160 + 160) > 300);

/** Waits (in real time: file reads) until cond holds. */
async function until(cond: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Player', () => {
  it('plays a 1 kHz tone: first packet at once, then one every 20 ms, +160 per timestamp, marker on the first', async () => {
    const { clock, player, sink } = setup();
    const t0 = clock.t;
    const h = player.play(sink, [{ kind: 'tone', frequencies: [1000], durationMs: 1000 }], PCMU);
    expect(sink.sent).toHaveLength(1);
    expect(sink.sent[0]!.at).toBe(t0);
    clock.advance(1200);
    await expect(h.done).resolves.toBe('finished');
    expect(sink.sent).toHaveLength(50);
    expect(h.framesSent).toBe(50);
    sink.sent.forEach((p, i) => {
      expect(p.at - t0).toBe(20 * i);
      expect(p.payloadType).toBe(0);
      expect(p.payload).toHaveLength(160);
      expect(p.marker).toBe(i === 0);
      expect(p.timestamp).toBe((sink.sent[0]!.timestamp + 160 * i) >>> 0);
    });
    const pcm = pcmOf(sink.sent);
    expect(zeroCrossingHz(pcm)).toBeCloseTo(1000, 0);
    expect(rms(pcm)).toBeGreaterThan(4000); // -10 dBm0 is about 5100 RMS
    expect(clock.pending).toBe(0);
  });

  it('plays the ringing tone cadence, 425 Hz 1 s on and 4 s off, until stopped', async () => {
    const { clock, player, sink } = setup();
    const h = player.play(sink, [TONES.ringback], { codec: 'PCMA' });
    clock.advance(10_500);
    h.stop();
    h.stop();
    await expect(h.done).resolves.toBe('stopped');
    const n = sink.sent.length;
    clock.advance(1000);
    expect(sink.sent).toHaveLength(n);
    expect(new Set(sink.sent.map((p) => p.payloadType))).toEqual(new Set([8]));
    const pcm = pcmOf(sink.sent, 'PCMA');
    const frames = onOff(pcm);
    const expected = frames.map((_, i) => i % 250 < 50);
    // The 2 ms ramps may leave the edge frames either way.
    const wrong = frames.filter((on, i) => on !== expected[i] && i % 250 !== 0 && i % 250 !== 49);
    expect(wrong).toEqual([]);
    // On for 0-1 s, 5-6 s and 10-10.5 s.
    expect(Math.abs(frames.filter(Boolean).length - 125)).toBeLessThanOrEqual(2);
    expect(zeroCrossingHz(pcm.subarray(0, 8000))).toBeGreaterThan(425 * 0.99);
    expect(zeroCrossingHz(pcm.subarray(0, 8000))).toBeLessThan(425 * 1.01);
  });

  it('plays DTMF tones a detector recognises after G.711', async () => {
    const { clock, player, sink } = setup();
    const h = player.play(
      sink,
      [...'15#D'].map((d) => dtmfTone(d, 80, 80)),
      { codec: 'PCMA' },
    );
    clock.advance(1000);
    await h.done;
    const det = new InbandDtmfDetector();
    const digits = [...det.push(pcmOf(sink.sent, 'PCMA')), ...det.flush()].map((d) => d.digit);
    expect(digits.join('')).toBe('15#D');
  });

  it('plays samples, silence and samples back to back, the last frame padded with silence', async () => {
    const { clock, player, sink } = setup();
    const a = sines([500], 50); // 400 samples: 2.5 frames
    const b = sines([700], 30);
    const h = player.play(
      sink,
      [
        { kind: 'samples', pcm: a },
        { kind: 'silence', durationMs: 100 },
        { kind: 'samples', pcm: b },
      ],
      PCMU,
    );
    clock.advance(500);
    await h.done;
    const total = 400 + 800 + 240;
    expect(sink.sent).toHaveLength(Math.ceil(total / 160));
    const pcm = pcmOf(sink.sent);
    expect(rms(pcm, 0, 400)).toBeGreaterThan(3000);
    expect(rms(pcm, 400, 1200)).toBe(0);
    expect(rms(pcm, 1200, 1440)).toBeGreaterThan(3000);
    expect(rms(pcm, 1440)).toBe(0);
    expect(sink.sent.filter((p) => p.marker)).toHaveLength(1);
  });

  it('loops the whole list without a gap between rounds', async () => {
    const { clock, player, sink } = setup();
    const ramp = Int16Array.from({ length: 400 }, (_, i) => (i - 200) * 50);
    const h = player.play(sink, [{ kind: 'samples', pcm: ramp }], { codec: 'PCMU', loop: true });
    clock.advance(20 * 19);
    h.stop();
    await expect(h.done).resolves.toBe('stopped');
    const pcm = pcmOf(sink.sent);
    expect(sink.sent).toHaveLength(20);
    for (let i = 0; i + 400 <= pcm.length; i += 400) {
      expect(pcm.subarray(i, i + 400)).toEqual(pcm.subarray(0, 400));
    }
  });

  it('mixes the ringing tone under an announcement (mix_ringtone), and ends with the announcement', async () => {
    const { clock, player, sink } = setup();
    const prompt = await readWav(PROMPT);
    await player.preload([{ kind: 'file', path: PROMPT }]);
    const h = player.play(sink, [{ kind: 'file', path: PROMPT }], { codec: 'PCMU', mix: [TONES.ringback] });
    expect(sink.sent).toHaveLength(1); // preloaded: the first frame at once
    clock.advance(prompt.length / 8 + 500);
    await expect(h.done).resolves.toBe('finished');
    expect(sink.sent).toHaveLength(Math.ceil(prompt.length / 160));
    const pcm = pcmOf(sink.sent);
    // 425 Hz in the first second (tone on), not in the second (tone off), and the prompt throughout.
    const p425 = (from: number): number => goertzelPower(pcm.subarray(from, from + 4000), 425);
    const ref425 = (from: number): number => goertzelPower(prompt.subarray(from, from + 4000), 425);
    expect(p425(2000)).toBeGreaterThan(50 * ref425(2000));
    const off = 8000 + 2000;
    const residual = Int16Array.from(pcm.subarray(off, off + 4000), (v, i) => v - prompt[off + i]!);
    expect(rms(residual)).toBeLessThan(rms(prompt.subarray(off, off + 4000)) / 10);
  });

  it('starts a file that is not cached as soon as it is read', async () => {
    const { clock, player, sink } = setup();
    const h = player.play(sink, [{ kind: 'file', path: PROMPT }], PCMU);
    expect(sink.sent).toHaveLength(0);
    await until(() => sink.sent.length > 0);
    expect(sink.sent).toHaveLength(1);
    clock.advance(60);
    expect(sink.sent).toHaveLength(4);
    h.stop();
    await expect(h.done).resolves.toBe('stopped');
  });

  it('rejects done for a missing or malformed file, and plays nothing more', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-player-'));
    try {
      const { clock, player, sink } = setup();
      const missing = player.play(sink, [{ kind: 'file', path: path.join(dir, 'nope.wav') }], PCMU);
      await expect(missing.done).rejects.toThrow(/ENOENT/);
      const bad = path.join(dir, 'bad.wav');
      await fs.writeFile(bad, 'RIFF....WAVEjunk');
      const tone = sines([440], 100);
      const h = player.play(
        sink,
        [
          { kind: 'samples', pcm: tone },
          { kind: 'file', path: bad },
        ],
        PCMU,
      );
      await player.load(bad).catch(() => undefined); // failed by the time its turn comes
      clock.advance(200);
      await expect(h.done).rejects.toBeInstanceOf(WavFormatError);
      const n = sink.sent.length;
      clock.advance(200);
      expect(sink.sent).toHaveLength(n);
      expect(n).toBe(5);
      // A file replaced under the same path is read again.
      const file = path.join(dir, 'prompt.wav');
      await writeWav(file, sines([300], 40));
      expect(await player.load(file)).toHaveLength(320);
      await writeWav(file, sines([300], 60));
      expect(await player.load(file)).toHaveLength(480);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('does not leave an unhandled rejection when a failed playback is only ever stopped', async () => {
    const { player, sink } = setup();
    const missing = path.join(os.tmpdir(), `media-player-missing-${process.pid}.wav`);
    const h = player.play(sink, [{ kind: 'file', path: missing }], PCMU);
    await player.load(missing).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20)); // vitest fails the run on an unhandled rejection
    h.stop();
    expect(sink.sent).toEqual([]);
  });

  it('after frames the clock skipped, jumps the timestamp with the marker set and loses no audio', async () => {
    const { clock, player, sink } = setup();
    // Each frame at its own level, so a lost or repeated frame shows.
    const steps30 = Int16Array.from({ length: 160 * 30 }, (_, i) => Math.floor(i / 160) * 800 - 12000);
    const h = player.play(sink, [{ kind: 'samples', pcm: steps30 }], PCMU);
    clock.advance(95);
    clock.stall = 300; // the tick at 100 ms leaves the next one 300 ms late
    clock.advance(5);
    clock.advance(1000);
    await h.done;
    expect(sink.sent).toHaveLength(30);
    const steps = sink.sent.slice(1).map((p, i) => (p.timestamp - sink.sent[i]!.timestamp) / 160);
    const jump = steps.findIndex((s) => s > 1);
    expect(jump).toBeGreaterThan(0);
    expect(steps[jump]).toBeGreaterThan(10);
    expect(sink.sent.filter((p) => p.marker).map((p) => sink.sent.indexOf(p))).toEqual([0, jump + 1]);
    expect(pcmOf(sink.sent)).toEqual(decode('PCMU', encode('PCMU', steps30)));
  });

  it('gives back-to-back playbacks on one leg increasing timestamps, each starting with the marker', async () => {
    const { clock, player, sink } = setup();
    const beep = player.play(sink, [TONES.beep], PCMU);
    clock.advance(300);
    await beep.done;
    const n = sink.sent.length;
    const next = player.play(sink, [{ kind: 'silence', durationMs: 100 }], PCMU);
    clock.advance(200);
    await next.done;
    const second = sink.sent.slice(n);
    expect(second[0]!.marker).toBe(true);
    expect(second[0]!.timestamp - sink.sent[n - 1]!.timestamp).toBeGreaterThanOrEqual(160);
    expect(second[0]!.timestamp - sink.sent[n - 1]!.timestamp).toBeLessThanOrEqual(160 * 3);
  });

  it('refuses bad sources and options before sending anything', () => {
    const { player, sink } = setup();
    const bad: [AudioSource[], PlayOptions][] = [
      [[{ kind: 'tone', frequencies: [], durationMs: 100 }], PCMU],
      [[{ kind: 'tone', frequencies: [4500], durationMs: 100 }], PCMU],
      [[{ kind: 'tone', frequencies: [400], durationMs: 0 }], PCMU],
      [[{ kind: 'silence', durationMs: -1 }], PCMU],
      [[{ kind: 'samples', pcm: [1, 2] as unknown as Int16Array }], PCMU],
      [[TONES.beep], { codec: 'G729' as G711Codec }],
      [[TONES.beep], { codec: 'PCMU', payloadType: 128 }],
    ];
    for (const [sources, opts] of bad) expect(() => player.play(sink, sources, opts)).toThrow();
    expect(sink.sent).toEqual([]);
  });
});
