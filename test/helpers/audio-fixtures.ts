import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Small audio fixtures made on the spot with ffmpeg's lavfi sources, and an
 * ffprobe reader that is independent of the code under test.
 */

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `callplane-${label}-`));
}

export interface FixtureOptions {
  rate?: number;
  channels?: 1 | 2;
  seconds?: number;
  /** ffmpeg codec for the container: pcm_s16le (wav), libvorbis (ogg), libmp3lame (mp3) ... */
  codec?: string;
}

function render(source: string, out: string, opts: FixtureOptions, filters: string[] = []): string {
  const rate = opts.rate ?? 44100;
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source];
  if (filters.length) args.push('-af', filters.join(','));
  args.push('-ar', String(rate), '-ac', String(opts.channels ?? 2));
  if (opts.codec) args.push('-c:a', opts.codec);
  args.push(out);
  execFileSync('ffmpeg', args);
  return out;
}

/** A sine tone (default: 440 Hz, 1 s, 44.1 kHz stereo, -6 dBFS). */
export function tone(out: string, opts: FixtureOptions & { frequency?: number } = {}): string {
  const seconds = opts.seconds ?? 1;
  const rate = opts.rate ?? 44100;
  return render(
    `sine=frequency=${opts.frequency ?? 440}:sample_rate=${rate}:duration=${seconds}`,
    out,
    opts,
    [
      // lavfi's sine is at -21 dBFS; lift it to -6 dBFS, a loud but clean speech level.
      'volume=15dB',
    ],
  );
}

/** Digital silence. */
export function silence(out: string, opts: FixtureOptions = {}): string {
  const rate = opts.rate ?? 44100;
  return render(`anullsrc=r=${rate}:cl=stereo`, out, opts, [`atrim=duration=${opts.seconds ?? 1}`]);
}

/** White noise at the given amplitude (0.001 is about -60 dBFS: a quiet line). */
export function noise(out: string, amplitude: number, opts: FixtureOptions = {}): string {
  const rate = opts.rate ?? 44100;
  return render(`anoisesrc=a=${amplitude}:r=${rate}:d=${opts.seconds ?? 1}:c=white:s=7`, out, opts);
}

/** `seconds` of silence, then a 0.3 s tone: a short message at the end of a long pause. */
export function lateTone(out: string, seconds: number): string {
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=800:sample_rate=16000:duration=0.3`,
    '-af',
    `volume=15dB,adelay=${Math.round(seconds * 1000)}`,
    '-ac',
    '1',
    out,
  ]);
  return out;
}

export interface ProbedStream {
  format: string;
  codec: string;
  sampleRate: number;
  channels: number;
  sampleFmt: string;
  duration: number;
}

/** ffprobe's view of the first audio stream. */
export function ffprobe(file: string): ProbedStream {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-show_entries',
    'stream=codec_name,sample_rate,channels,sample_fmt,duration:format=format_name,duration',
    '-of',
    'json',
    file,
  ]).toString();
  const json = JSON.parse(out) as {
    streams: Array<Record<string, string | number>>;
    format: Record<string, string>;
  };
  const s = json.streams[0];
  if (!s) throw new Error(`no audio stream in ${file}`);
  return {
    format: String(json.format['format_name']),
    codec: String(s['codec_name']),
    sampleRate: Number(s['sample_rate']),
    channels: Number(s['channels']),
    sampleFmt: String(s['sample_fmt']),
    duration: Number(s['duration'] ?? json.format['duration']),
  };
}
