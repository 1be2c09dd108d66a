import { describe, expect, it } from 'vitest';
import { isSilent, LevelMeter, SILENCE } from '../../src/media/processors/audio-silence.js';

const RATE = 8000;

/** `seconds` of a sine at `dbfs` (8 kHz mono s16). */
function sine(seconds: number, dbfs: number, frequency = 1000): Int16Array {
  const amp = 32768 * 10 ** (dbfs / 20);
  return Int16Array.from({ length: Math.round(seconds * RATE) }, (_, i) =>
    Math.round(amp * Math.sin((2 * Math.PI * frequency * i) / RATE)),
  );
}

function measure(...parts: Int16Array[]) {
  const meter = new LevelMeter(RATE);
  for (const p of parts) meter.push(p);
  return meter.result();
}

describe('LevelMeter', () => {
  it('measures peak and RMS of a sine (RMS 3 dB below peak)', () => {
    const levels = measure(sine(1, -12));
    expect(levels.durationSeconds).toBe(1);
    expect(levels.peakDbfs).toBeCloseTo(-12, 1);
    expect(levels.rmsDbfs).toBeCloseTo(-15, 1);
    expect(levels.activeSeconds).toBeCloseTo(1, 5);
  });

  it('gives the same result whatever the chunk sizes', () => {
    const signal = new Int16Array([...sine(0.5, -40), ...sine(0.7, -20), ...sine(0.3, -70)]);
    const whole = measure(signal);
    const pieces: Int16Array[] = [];
    for (let i = 0, n = 1; i < signal.length; i += n, n = (n * 7) % 331 || 1)
      pieces.push(signal.subarray(i, i + n));
    expect(measure(...pieces)).toEqual(whole);
    expect(whole.activeSeconds).toBeCloseTo(1.2, 1);
  });

  it('treats an empty signal as silence', () => {
    const levels = measure(new Int16Array(0));
    expect(levels).toEqual({ durationSeconds: 0, peakDbfs: -Infinity, rmsDbfs: -Infinity, activeSeconds: 0 });
    expect(isSilent(levels)).toBe(true);
  });

  it('averages interleaved channels per frame', () => {
    const mono = sine(0.5, -20);
    const stereo = new Int16Array(mono.length * 2);
    mono.forEach((s, i) => {
      stereo[2 * i] = s;
      stereo[2 * i + 1] = 0;
    });
    const meter = new LevelMeter(RATE, 2);
    meter.push(stereo);
    const levels = meter.result();
    expect(levels.durationSeconds).toBeCloseTo(0.5, 5);
    // One silent channel halves the power: 3 dB below the mono RMS.
    expect(levels.rmsDbfs).toBeCloseTo(-26, 1);
  });
});

describe('isSilent', () => {
  it(`needs ${SILENCE.minActiveSeconds}s above ${SILENCE.activeDbfs} dBFS`, () => {
    expect(isSilent(measure(sine(5, -60)))).toBe(true);
    expect(isSilent(measure(sine(5, -40)))).toBe(false);
    // A click (40 ms) in silence is not a message; 200 ms of speech level is.
    expect(isSilent(measure(sine(1, -90), sine(0.04, -10), sine(1, -90)))).toBe(true);
    expect(isSilent(measure(sine(1, -90), sine(0.2, -25), sine(1, -90)))).toBe(false);
  });
});
