import fs from 'node:fs/promises';

/**
 * Silence detection on 16-bit PCM (spec 3.14/3.15 status `empty`: "only
 * silence detected"). The signal is cut into 20 ms windows; a window is
 * active when its RMS level is above -45 dBFS, well above line noise and
 * comfort noise (about -60 dBFS and below) and well below speech (about -30
 * to -15 dBFS). A recording with less than 100 ms of active windows in total
 * holds nothing worth playing back: a click or a breath, not a message.
 */
export const SILENCE = {
  windowSeconds: 0.02,
  activeDbfs: -45,
  minActiveSeconds: 0.1,
} as const;

/** Levels of a whole signal; dBFS values are -Infinity for digital silence. */
export interface AudioLevels {
  durationSeconds: number;
  peakDbfs: number;
  rmsDbfs: number;
  /** Total length of the windows above SILENCE.activeDbfs. */
  activeSeconds: number;
}

const FULL_SCALE = 32768;

function dbfs(amplitude: number): number {
  return amplitude > 0 ? 20 * Math.log10(amplitude / FULL_SCALE) : -Infinity;
}

/**
 * Accumulates levels over interleaved s16 samples pushed in chunks of any
 * size, so long recordings are measured without holding them in memory.
 */
export class LevelMeter {
  private readonly windowFrames: number;
  private readonly activeSquare: number;
  private frames = 0;
  private sumSquares = 0;
  private peak = 0;
  private windowSum = 0;
  private windowCount = 0;
  private activeWindows = 0;
  /** Channel of the next sample, carried across chunks. */
  private channel = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly channels = 1,
  ) {
    this.windowFrames = Math.max(1, Math.round(sampleRate * SILENCE.windowSeconds));
    this.activeSquare = (FULL_SCALE * 10 ** (SILENCE.activeDbfs / 20)) ** 2;
  }

  push(samples: Int16Array): void {
    for (const s of samples) {
      const sq = s * s;
      this.sumSquares += sq;
      this.windowSum += sq;
      const abs = s < 0 ? -s : s;
      if (abs > this.peak) this.peak = abs;
      this.channel += 1;
      if (this.channel < this.channels) continue;
      this.channel = 0;
      this.frames += 1;
      this.windowCount += 1;
      if (this.windowCount === this.windowFrames) this.closeWindow();
    }
  }

  private closeWindow(): void {
    const meanSquare = this.windowSum / (this.windowCount * this.channels);
    if (meanSquare > this.activeSquare) this.activeWindows += 1;
    this.windowSum = 0;
    this.windowCount = 0;
  }

  result(): AudioLevels {
    // A trailing partial window counts only if it is at least half a window long.
    if (this.windowCount * 2 >= this.windowFrames) this.closeWindow();
    const samples = this.frames * this.channels;
    return {
      durationSeconds: this.frames / this.sampleRate,
      peakDbfs: dbfs(this.peak),
      rmsDbfs: samples > 0 ? dbfs(Math.sqrt(this.sumSquares / samples)) : -Infinity,
      activeSeconds: this.activeWindows * (this.windowFrames / this.sampleRate),
    };
  }
}

export function isSilent(levels: AudioLevels): boolean {
  return levels.activeSeconds < SILENCE.minActiveSeconds;
}

interface WavLayout {
  sampleRate: number;
  channels: number;
  dataOffset: number;
  dataBytes: number;
}

/** Finds the fmt and data chunks of a RIFF/WAVE file holding 16-bit PCM; throws for anything else. */
export function parseWavHeader(head: Buffer, fileSize: number): WavLayout {
  if (
    head.length < 12 ||
    head.toString('ascii', 0, 4) !== 'RIFF' ||
    head.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new Error('not a RIFF/WAVE file');
  }
  let pos = 12;
  let fmt: { channels: number; sampleRate: number; bits: number; tag: number } | undefined;
  while (pos + 8 <= head.length) {
    const id = head.toString('ascii', pos, pos + 4);
    const size = head.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ' && body + 16 <= head.length) {
      fmt = {
        tag: head.readUInt16LE(body),
        channels: head.readUInt16LE(body + 2),
        sampleRate: head.readUInt32LE(body + 4),
        bits: head.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      // PCM (1) or WAVE_FORMAT_EXTENSIBLE (0xfffe) carrying 16-bit samples.
      if (!fmt || (fmt.tag !== 1 && fmt.tag !== 0xfffe) || fmt.bits !== 16 || fmt.channels < 1) {
        throw new Error('the WAV file does not hold 16-bit PCM');
      }
      // Streams written without a known length carry 0 or 0xffffffff: take the rest of the file.
      const rest = fileSize - body;
      const dataBytes = size === 0 || size === 0xffffffff || size > rest ? rest : size;
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, dataOffset: body, dataBytes };
    }
    pos = body + size + (size % 2);
  }
  throw new Error('no data chunk in the first bytes of the WAV file');
}

/** Measures a 16-bit PCM WAV file chunk by chunk. */
export async function measureWav(file: string): Promise<AudioLevels> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await fh.read(head, 0, head.length, 0);
    const wav = parseWavHeader(head, size);
    const meter = new LevelMeter(wav.sampleRate, wav.channels);
    const chunk = Buffer.alloc(256 * 1024);
    let offset = wav.dataOffset;
    let left = wav.dataBytes - (wav.dataBytes % 2);
    while (left > 0) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, left), offset);
      if (bytesRead === 0) break;
      const even = bytesRead - (bytesRead % 2);
      meter.push(new Int16Array(chunk.buffer, chunk.byteOffset, even / 2));
      offset += even;
      left -= even;
      if (even === 0) break;
    }
    return meter.result();
  } finally {
    await fh.close();
  }
}
