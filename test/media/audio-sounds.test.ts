import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSilent, measureWav } from '../../src/media/processors/audio-silence.js';
import { PROMPTS, SOUNDS_DIR, TONES, type SoundEntry } from '../../scripts/make-sounds.js';
import { ffprobe } from '../helpers/audio-fixtures.js';

const index = JSON.parse(fs.readFileSync(path.join(SOUNDS_DIR, 'index.json'), 'utf8')) as {
  sounds: SoundEntry[];
};

function wavsOnDisk(dir = SOUNDS_DIR, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.isDirectory()) return wavsOnDisk(path.join(dir, d.name), `${prefix}${d.name}/`);
    return d.name.endsWith('.wav') ? [`${prefix}${d.name}`] : [];
  });
}

describe('sounds/ (committed system prompts)', () => {
  it('lists every prompt in de and en and every tone, and nothing else', () => {
    const expected = [
      ...Object.keys(PROMPTS).flatMap((n) => [`de/${n}.wav`, `en/${n}.wav`]),
      ...Object.keys(TONES).map((n) => `tones/${n}.wav`),
    ].sort();
    expect(index.sounds.map((s) => s.file).sort()).toEqual(expected);
    expect(wavsOnDisk().sort()).toEqual(expected);
    for (const name of [
      'enter-pin',
      'wrong-pin',
      'not-available',
      'leave-message',
      'conference-empty',
      'unlock-accepted',
    ]) {
      expect(Object.keys(PROMPTS)).toContain(name);
    }
  });

  it.each(index.sounds.map((s) => [s.file, s] as const))(
    '%s is 8 kHz mono 16-bit, not silent, as long as the index says',
    async (file, entry) => {
      const full = path.join(SOUNDS_DIR, file);
      expect(ffprobe(full)).toMatchObject({ codec: 'pcm_s16le', sampleRate: 8000, channels: 1 });
      const levels = await measureWav(full);
      expect(isSilent(levels)).toBe(false);
      expect(levels.durationSeconds).toBeCloseTo(entry.seconds, 2);
      expect(levels.peakDbfs).toBeLessThan(0);
    },
  );

  it('has a 0.5 s beep and a CNG cycle of 0.5 s tone and 3 s silence', async () => {
    const beep = await measureWav(path.join(SOUNDS_DIR, 'tones/beep.wav'));
    expect(beep.durationSeconds).toBeCloseTo(0.5, 3);
    const cng = await measureWav(path.join(SOUNDS_DIR, 'tones/fax-cng.wav'));
    expect(cng.durationSeconds).toBeCloseTo(3.5, 3);
    expect(cng.activeSeconds).toBeCloseTo(0.5, 1);
  });
});
