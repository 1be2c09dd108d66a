import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIO_FILES, convertAudio, toTelephonyWav } from '../../src/media/processors/audio-convert.js';
import { probeAudio } from '../../src/media/processors/audio-probe.js';
import { measureWav } from '../../src/media/processors/audio-silence.js';
import { ffprobe, lateTone, noise, silence, tempDir, tone } from '../helpers/audio-fixtures.js';

const dir = tempDir('audio-convert');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => path.join(dir, name);

function expectTelephonyWav(file: string, seconds: number): void {
  const p = ffprobe(file);
  expect(p.format).toBe('wav');
  expect(p.codec).toBe('pcm_s16le');
  expect(p.sampleFmt).toBe('s16');
  expect(p.sampleRate).toBe(8000);
  expect(p.channels).toBe(1);
  expect(p.duration).toBeCloseTo(seconds, 1);
}

describe('convertAudio', () => {
  it('turns a 44.1 kHz stereo WAV into 8 kHz mono 16-bit PCM plus an Ogg Vorbis download', async () => {
    const input = tone(at('in-44k-stereo.wav'), { rate: 44100, channels: 2, seconds: 1.5 });
    expect(ffprobe(input)).toMatchObject({ sampleRate: 44100, channels: 2 });
    const out = at('out-wav');
    const result = await convertAudio(input, out);
    if (result.silent) throw new Error('a tone is not silence');
    expect(result.wav).toBe(path.join(out, AUDIO_FILES.wav));
    expectTelephonyWav(result.wav, 1.5);
    const ogg = ffprobe(result.ogg);
    expect(ogg.format).toBe('ogg');
    expect(ogg.codec).toBe('vorbis');
    expect(ogg.channels).toBe(1);
    expect(ogg.duration).toBeCloseTo(1.5, 1);
    expect(result.sizeBytes).toBe(fs.statSync(result.wav).size + fs.statSync(result.ogg).size);
    // The tone was made at -6 dBFS; it must still be that loud after down-mixing and resampling.
    expect(result.levels.peakDbfs).toBeGreaterThan(-8);
    expect(result.levels.peakDbfs).toBeLessThan(-4);
  });

  it('writes a canonical 44-byte header: no metadata chunks for the telephony engine to skip', async () => {
    const input = tone(at('in-meta.wav'), { seconds: 0.5 });
    const out = at('canonical.wav');
    await toTelephonyWav(input, out);
    const head = fs.readFileSync(out).subarray(0, 44);
    expect(head.toString('ascii', 0, 4)).toBe('RIFF');
    expect(head.toString('ascii', 12, 16)).toBe('fmt ');
    expect(head.toString('ascii', 36, 40)).toBe('data');
    expect(head.readUInt32LE(40)).toBe(fs.statSync(out).size - 44);
  });

  it('gives the same bytes for the same input (a retried job produces the same file)', async () => {
    const input = tone(at('in-repeat.wav'), { seconds: 0.7, frequency: 1000 });
    await toTelephonyWav(input, at('repeat-1.wav'));
    await toTelephonyWav(input, at('repeat-2.wav'));
    expect(fs.readFileSync(at('repeat-1.wav')).equals(fs.readFileSync(at('repeat-2.wav')))).toBe(true);
  });

  it.each([
    ['Ogg Vorbis 48 kHz stereo', 'in.ogg', { rate: 48000, channels: 2 as const, codec: 'libvorbis' }],
    ['MP3 22.05 kHz mono', 'in.mp3', { rate: 22050, channels: 1 as const, codec: 'libmp3lame' }],
    ['WAV 16 kHz mono', 'in-16k.wav', { rate: 16000, channels: 1 as const }],
    ['WAV 8 kHz u8', 'in-u8.wav', { rate: 8000, channels: 1 as const, codec: 'pcm_u8' }],
  ])('converts %s', async (_label, name, opts) => {
    const input = tone(at(name), { ...opts, seconds: 1 });
    const result = await convertAudio(input, at(`out-${name}`));
    if (result.silent) throw new Error('a tone is not silence');
    expectTelephonyWav(result.wav, 1);
    expect(ffprobe(result.ogg).codec).toBe('vorbis');
  });

  it('reports digital silence as silent and leaves no files behind', async () => {
    const input = silence(at('silence.wav'), { seconds: 2 });
    const out = at('out-silence');
    const result = await convertAudio(input, out);
    expect(result.silent).toBe(true);
    expect(result.levels.peakDbfs).toBe(-Infinity);
    expect(result.levels.durationSeconds).toBeCloseTo(2, 2);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('counts line noise at about -60 dBFS as silence', async () => {
    const input = noise(at('noise.wav'), 0.003, { seconds: 2 });
    const result = await convertAudio(input, at('out-noise'));
    expect(result.levels.rmsDbfs).toBeLessThan(-50);
    expect(result.levels.rmsDbfs).toBeGreaterThan(-80);
    expect(result.silent).toBe(true);
  });

  it('keeps a short message after a long pause', async () => {
    const input = lateTone(at('late.wav'), 3);
    const result = await convertAudio(input, at('out-late'));
    expect(result.silent).toBe(false);
    expect(result.levels.activeSeconds).toBeGreaterThan(0.2);
    expect(result.levels.activeSeconds).toBeLessThan(0.4);
    expect(result.levels.durationSeconds).toBeCloseTo(3.3, 1);
  });

  it('rejects input that is not audio', async () => {
    fs.writeFileSync(at('garbage.bin'), Buffer.from('this is not audio at all, just some text'));
    await expect(convertAudio(at('garbage.bin'), at('out-garbage'))).rejects.toThrow(/ffmpeg failed/);
  });
});

describe('probeAudio', () => {
  it('describes decodable audio', async () => {
    const input = tone(at('probe.ogg'), { rate: 48000, channels: 2, codec: 'libvorbis', seconds: 1 });
    expect(await probeAudio(input)).toMatchObject({
      format: 'ogg',
      codec: 'vorbis',
      sampleRate: 48000,
      channels: 2,
    });
  });

  it('answers null for an empty file, garbage, text and a missing file', async () => {
    fs.writeFileSync(at('empty.wav'), Buffer.alloc(0));
    fs.writeFileSync(at('random.wav'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    fs.writeFileSync(at('text.ogg'), 'OggS? no, just text\n');
    for (const f of ['empty.wav', 'random.wav', 'text.ogg', 'missing.wav']) {
      expect(await probeAudio(at(f)), f).toBeNull();
    }
  });
});

describe('measureWav', () => {
  it('measures a converted file like the converter did', async () => {
    const input = tone(at('measure.wav'), { seconds: 1 });
    const result = await convertAudio(input, at('out-measure'));
    if (result.silent) throw new Error('a tone is not silence');
    const again = await measureWav(result.wav);
    expect(again).toEqual(result.levels);
    // A 440 Hz sine at half scale: peak -6 dBFS, RMS 3 dB lower.
    expect(again.rmsDbfs).toBeCloseTo(again.peakDbfs - 3, 0);
  });

  it('refuses files that are not 16-bit PCM WAV', async () => {
    const input = tone(at('measure.ogg'), { codec: 'libvorbis' });
    await expect(measureWav(input)).rejects.toThrow(/RIFF/);
  });
});
