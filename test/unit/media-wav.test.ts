import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  alawToLinear,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../../src/telephony/embedded/rtp/g711.js';
import {
  encodeWav,
  parseWav,
  readWav,
  WavFormatError,
  WavStreamWriter,
  writeWav,
} from '../../src/telephony/embedded/media/wav.js';
import { rms, sines } from './media-fixtures.js';

const PROMPT = path.join(import.meta.dirname, '../../sounds/de/enter-pin.wav');
const hasFfmpeg = ((): boolean => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let dir = '';
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-wav-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A WAV file built field by field, as other tools write them. */
function wav(opts: {
  tag?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  data: Buffer;
  dataSize?: number;
  fmtExtra?: Buffer;
  before?: Buffer;
}): Buffer {
  const { tag = 1, channels = 1, rate = 8000, bits = 16, data } = opts;
  const extra = opts.fmtExtra ?? Buffer.alloc(0);
  const fmt = Buffer.alloc(16 + extra.length);
  fmt.writeUInt16LE(tag, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 8);
  fmt.writeUInt16LE((channels * bits) / 8, 12);
  fmt.writeUInt16LE(bits, 14);
  extra.copy(fmt, 16);
  const chunk = (id: string, body: Buffer, size = body.length): Buffer => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(size, 4);
    return Buffer.concat([h, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([
    Buffer.from('WAVE', 'latin1'),
    opts.before ?? Buffer.alloc(0),
    chunk('fmt ', fmt),
    chunk('data', data, opts.dataSize ?? data.length),
  ]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([0, 0, 0, 0]), body]);
}

const s16 = (pcm: Int16Array): Buffer => {
  const b = Buffer.alloc(pcm.length * 2);
  pcm.forEach((v, i) => b.writeInt16LE(v, 2 * i));
  return b;
};

describe('telephony WAV files', () => {
  it('round-trips 16-bit samples through writeWav and readWav', async () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321]);
    const file = path.join(dir, 'prompt.wav');
    await writeWav(file, pcm);
    expect(await readWav(file)).toEqual(pcm);
    const head = (await fs.readFile(file)).subarray(0, 44);
    expect(head.toString('latin1', 0, 4)).toBe('RIFF');
    expect(head.readUInt16LE(20)).toBe(1); // PCM
    expect(head.readUInt16LE(22)).toBe(1); // mono
    expect(head.readUInt32LE(24)).toBe(8000);
    expect(head.readUInt16LE(34)).toBe(16);
    expect(head.readUInt32LE(40)).toBe(pcm.length * 2);
  });

  it('writes atomically: the old file or the whole new one, and no temp file left behind', async () => {
    const file = path.join(dir, 'greeting.wav');
    await writeWav(file, sines([440], 100));
    const next = sines([880], 2000);
    await writeWav(file, next);
    expect(await readWav(file)).toEqual(next);
    expect(await fs.readdir(dir)).toEqual(['greeting.wav']);
    await expect(writeWav(path.join(dir, 'missing', 'x.wav'), next)).rejects.toThrow(/ENOENT/);
    expect(await fs.readdir(dir)).toEqual(['greeting.wav']);
  });

  it('reads μ-law (tag 7) and A-law (tag 6) files, and skips chunks before fmt', () => {
    const pcm = sines([1000], 20);
    const ulaw = Buffer.from(Array.from(pcm, linearToUlaw));
    const alaw = Buffer.from(Array.from(pcm, linearToAlaw));
    const list = Buffer.concat([
      Buffer.from('LIST', 'latin1'),
      Buffer.from([3, 0, 0, 0]),
      Buffer.from('abc\0'),
    ]);
    expect(parseWav(wav({ tag: 7, bits: 8, data: ulaw, before: list }))).toEqual(
      Int16Array.from(ulaw, ulawToLinear),
    );
    expect(parseWav(wav({ tag: 6, bits: 8, data: alaw }))).toEqual(Int16Array.from(alaw, alawToLinear));
  });

  it('reads WAVE_FORMAT_EXTENSIBLE PCM and streamed files without a data size', () => {
    const pcm = Int16Array.from([5, -5, 300]);
    const ext = Buffer.alloc(24);
    ext.writeUInt16LE(22, 0); // cbSize
    ext.writeUInt16LE(16, 2);
    ext.writeUInt16LE(1, 8); // sub-format GUID: PCM
    expect(parseWav(wav({ tag: 0xfffe, data: s16(pcm), fmtExtra: ext }))).toEqual(pcm);
    expect(parseWav(wav({ data: s16(pcm), dataSize: 0xffffffff }))).toEqual(pcm);
    expect(parseWav(wav({ data: s16(pcm), dataSize: 0 }))).toEqual(pcm);
  });

  it('rejects what is not telephony audio with a WavFormatError that says what the file holds', () => {
    const data = s16(Int16Array.from([1, 2, 3, 4]));
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('not a wav file at all'), /not a RIFF\/WAVE file/],
      [wav({ channels: 2, data }), /2 channel/],
      [wav({ rate: 44100, data }), /44100 Hz/],
      [wav({ tag: 3, bits: 32, data }), /format tag 3, 32 bits/],
      [wav({ tag: 2, bits: 4, data }), /format tag 2/],
      [wav({ tag: 1, bits: 8, data }), /8 bits/],
      [Buffer.concat([encodeWav(Int16Array.from([1])).subarray(0, 36)]), /without a data chunk/],
    ];
    for (const [buf, message] of cases) {
      let caught: unknown;
      try {
        parseWav(buf);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(WavFormatError);
      expect((caught as WavFormatError).code).toBe('malformed-file');
      expect((caught as Error).message).toMatch(message);
    }
  });

  it.skipIf(!hasFfmpeg)(
    'reads what ffmpeg writes: the shipped prompts, and their μ-law/A-law versions',
    async () => {
      const pcm = await readWav(PROMPT);
      expect(pcm.length).toBeGreaterThan(8000);
      for (const codec of ['pcm_mulaw', 'pcm_alaw']) {
        const out = path.join(dir, `${codec}.wav`);
        execFileSync('ffmpeg', ['-loglevel', 'error', '-i', PROMPT, '-c:a', codec, out]);
        const g711 = await readWav(out);
        expect(g711.length).toBe(pcm.length);
        const err = Int16Array.from(pcm, (v, i) => v - g711[i]!);
        // G.711 keeps about 38 dB SNR on speech.
        expect(rms(err)).toBeLessThan(rms(pcm) / 30);
      }
      const stereo = path.join(dir, 'stereo.wav');
      execFileSync('ffmpeg', ['-loglevel', 'error', '-i', PROMPT, '-ac', '2', '-ar', '16000', stereo]);
      await expect(readWav(stereo)).rejects.toThrow(/2 channel\(s\), 16000 Hz/);
    },
  );
});

describe('WavStreamWriter', () => {
  it('leaves a readable file with what was appended when it never finishes (a crash)', async () => {
    const file = path.join(dir, 'sub', 'crash.wav');
    const w = await WavStreamWriter.create(file);
    const a = sines([440], 100);
    w.append(a.subarray(0, 400));
    w.append(a.subarray(400));
    // the process "dies" here: no finish(); the queued writes settle first
    await new Promise((r) => setTimeout(r, 50));
    const buf = await fs.readFile(file);
    expect(buf.readUInt32LE(40)).toBe(0xffffffff);
    expect(Array.from(parseWav(buf))).toEqual(Array.from(a));
  });

  it('finish() writes the tail, cuts to the total and fixes the sizes', async () => {
    const file = path.join(dir, 'done.wav');
    const w = await WavStreamWriter.create(file);
    const a = sines([1000], 200);
    w.append(a.subarray(0, 1000));
    await w.finish(1600, a.subarray(1000));
    const buf = await fs.readFile(file);
    expect(buf.length).toBe(44 + 3200);
    expect(buf.readUInt32LE(4)).toBe(36 + 3200);
    expect(buf.readUInt32LE(40)).toBe(3200);
    expect(Array.from(await readWav(file))).toEqual(Array.from(a));
  });

  it('discard() removes the file', async () => {
    const file = path.join(dir, 'gone.wav');
    const w = await WavStreamWriter.create(file);
    w.append(sines([440], 10));
    await w.discard();
    await expect(fs.stat(file)).rejects.toThrow();
  });
});
