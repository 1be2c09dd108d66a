import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { alawToLinear, ulawToLinear } from '../rtp/g711.js';
import { SAMPLE_RATE } from './pacer.js';

/**
 * Telephony WAV files: RIFF/WAVE, mono, 8000 Hz, as the media worker
 * produces them (TELEPHONY_AUDIO: 16-bit PCM, the `telephony.wav` of spec
 * 3.14/3.15 objects), and the 8-bit G.711 variants other systems export.
 *
 * ```
 * "RIFF" size "WAVE"
 *   "fmt " 16|18|40  format-tag channels sample-rate byte-rate block-align bits [ext]
 *   ... other chunks (LIST, fact) skipped ...
 *   "data" size  samples, little-endian
 * ```
 *
 * Format tags: 1 PCM, 6 A-law, 7 μ-law, 0xFFFE WAVE_FORMAT_EXTENSIBLE (its
 * sub-format GUID starts with one of those tags).
 */
export class WavFormatError extends Error {
  /** The spec's status for a file that cannot be used. */
  readonly code = 'malformed-file';
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

const TAG_PCM = 1;
const TAG_ALAW = 6;
const TAG_MULAW = 7;
const TAG_EXTENSIBLE = 0xfffe;

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
}

function readFmt(buf: Buffer, body: number, size: number): Fmt {
  if (size < 16 || body + 16 > buf.length) throw new WavFormatError('WAV fmt chunk is too short');
  let tag = buf.readUInt16LE(body);
  if (tag === TAG_EXTENSIBLE) {
    // cbSize, valid bits, channel mask, then the sub-format GUID (its first 2 octets are the tag).
    if (size < 40 || body + 26 > buf.length)
      throw new WavFormatError('WAV extensible fmt chunk is too short');
    tag = buf.readUInt16LE(body + 24);
  }
  return {
    tag,
    channels: buf.readUInt16LE(body + 2),
    sampleRate: buf.readUInt32LE(body + 4),
    bits: buf.readUInt16LE(body + 14),
  };
}

function describe(f: Fmt): string {
  return `format tag ${f.tag}, ${f.bits} bits, ${f.channels} channel(s), ${f.sampleRate} Hz`;
}

/**
 * The samples of a telephony WAV file: 16-bit PCM, μ-law or A-law, mono, 8
 * kHz. Anything else (stereo, another rate, float, ADPCM, not RIFF) throws a
 * WavFormatError naming what the file holds. A data size of 0 or 0xFFFFFFFF,
 * or one past the end, as streaming writers leave it, means "the rest of the
 * file".
 */
export function parseWav(buf: Buffer): Int16Array {
  if (
    buf.length < 12 ||
    buf.toString('latin1', 0, 4) !== 'RIFF' ||
    buf.toString('latin1', 8, 12) !== 'WAVE'
  ) {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let fmt: Fmt | null = null;
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      fmt = readFmt(buf, body, size);
    } else if (id === 'data') {
      if (fmt === null) throw new WavFormatError('WAV data chunk before the fmt chunk');
      return decodeData(fmt, buf, body, size);
    }
    pos = body + size + (size % 2); // chunks are padded to an even size
  }
  throw new WavFormatError('WAV file without a data chunk');
}

function decodeData(fmt: Fmt, buf: Buffer, body: number, size: number): Int16Array {
  const pcm16 = fmt.tag === TAG_PCM && fmt.bits === 16;
  const g711 = (fmt.tag === TAG_MULAW || fmt.tag === TAG_ALAW) && fmt.bits === 8;
  if (!(pcm16 || g711) || fmt.channels !== 1 || fmt.sampleRate !== SAMPLE_RATE) {
    throw new WavFormatError(
      `not a telephony WAV file (16-bit PCM, μ-law or A-law, mono, 8000 Hz): ${describe(fmt)}`,
    );
  }
  const rest = buf.length - body;
  const bytes = size === 0 || size === 0xffffffff || size > rest ? rest : size;
  if (pcm16) {
    const out = new Int16Array(bytes >> 1); // an odd last octet is half a sample: dropped
    for (let i = 0; i < out.length; i += 1) out[i] = buf.readInt16LE(body + 2 * i);
    return out;
  }
  const toLinear = fmt.tag === TAG_MULAW ? ulawToLinear : alawToLinear;
  const out = new Int16Array(bytes);
  for (let i = 0; i < bytes; i += 1) out[i] = toLinear(buf[body + i]!);
  return out;
}

/** Reads a telephony WAV file (see parseWav). */
export async function readWav(file: string): Promise<Int16Array> {
  return parseWav(await fs.readFile(file));
}

/** A 16-bit PCM, mono, 8 kHz WAV file of the samples. */
export function encodeWav(samples: Int16Array): Buffer {
  const dataBytes = samples.length * 2;
  if (dataBytes > 0xffffffff - 36) throw new RangeError('too many samples for a WAV file');
  const buf = Buffer.allocUnsafe(44 + dataBytes);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(TAG_PCM, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(SAMPLE_RATE, 24);
  buf.writeUInt32LE(SAMPLE_RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'latin1');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i += 1) buf.writeInt16LE(samples[i]!, 44 + 2 * i);
  return buf;
}

/**
 * Writes the samples as a 16-bit 8 kHz mono WAV file, atomically: to a
 * temporary file beside it, flushed, then renamed over `file`, so a reader
 * (a playback, the media worker) sees the old file or the whole new one,
 * never half of it.
 */
export async function writeWav(file: string, samples: Int16Array): Promise<void> {
  const data = encodeWav(samples);
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * A recording written as it arrives (crash recovery: what was said up to a
 * crash is on disk): a WAV header whose sizes say "unknown" (0xffffffff, as
 * streaming writers do), samples appended in order, and at finish() the file
 * cut to the final length and the header's sizes fixed up. A file a crash
 * left behind is repaired from its length (media/wav-repair.ts).
 */
export class WavStreamWriter {
  #fh: fs.FileHandle | null = null;
  #written = 0;
  #queue: Promise<void> = Promise.resolve();
  #failed: Error | null = null;

  private constructor(readonly file: string) {}

  static async create(file: string): Promise<WavStreamWriter> {
    const w = new WavStreamWriter(file);
    await fs.mkdir(path.dirname(file), { recursive: true });
    w.#fh = await fs.open(file, 'w');
    const header = encodeWav(new Int16Array(0));
    header.writeUInt32LE(0xffffffff, 4);
    header.writeUInt32LE(0xffffffff, 40);
    await w.#fh.write(header, 0, header.length, 0);
    return w;
  }

  /** Samples in the file so far (appends still queued included). */
  get samples(): number {
    return this.#written;
  }

  /** Appends samples after those written (queued; errors surface at finish). */
  append(samples: Int16Array): void {
    if (samples.length === 0 || this.#failed) return;
    const at = 44 + this.#written * 2;
    this.#written += samples.length;
    const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    const copy = Buffer.from(bytes);
    this.#queue = this.#queue
      .then(async () => {
        await this.#fh?.write(copy, 0, copy.length, at);
      })
      .catch((err: unknown) => {
        this.#failed ??= err instanceof Error ? err : new Error(String(err));
      });
  }

  /** Writes `tail` (samples beyond those appended), cuts to `total` samples, fixes the header. */
  async finish(total: number, tail: Int16Array): Promise<void> {
    this.append(tail);
    await this.#queue;
    const fh = this.#fh;
    this.#fh = null;
    if (!fh) return;
    try {
      if (this.#failed) throw this.#failed;
      const dataBytes = total * 2;
      await fh.truncate(44 + dataBytes);
      const sizes = Buffer.alloc(4);
      sizes.writeUInt32LE(36 + dataBytes, 0);
      await fh.write(sizes, 0, 4, 4);
      sizes.writeUInt32LE(dataBytes, 0);
      await fh.write(sizes, 0, 4, 40);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** Gives the recording up: the file goes. */
  async discard(): Promise<void> {
    await this.#queue;
    await this.#fh?.close();
    this.#fh = null;
    await fs.rm(this.file, { force: true });
  }
}
