import fs from 'node:fs/promises';
import path from 'node:path';
import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';
import { isSilent, measureWav, type AudioLevels } from './audio-silence.js';

/** The format the telephony engine plays and records: 8 kHz mono 16-bit PCM (G.711's rate). */
export const TELEPHONY_AUDIO = { sampleRate: 8000, channels: 1, codec: 'pcm_s16le' } as const;

/** File names of a converted audio object inside its folder. */
export const AUDIO_FILES = {
  /** What the telephony engine plays, and the WAV download (spec 3.14/3.15 `xxx.wav`). */
  wav: 'telephony.wav',
  /** The Ogg Vorbis download (spec 3.14/3.15 `xxx.ogg`). */
  ogg: 'x.ogg',
} as const;

/** Vorbis quality 4 (about 64 kbit/s at 44.1 kHz, far less at 8 kHz): transparent for telephone audio. */
const VORBIS_QUALITY = 4;

function lastLines(text: string | null, n = 3): string {
  return (text ?? '').trim().split('\n').slice(-n).join(' | ');
}

/** Runs a fluent-ffmpeg command to `output`; rejects with ffmpeg's last stderr lines. */
function run(command: FfmpegCommand, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    command
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) =>
        reject(new Error(`ffmpeg failed: ${err.message} ${lastLines(stderr)}`.trim())),
      )
      .on('end', () => resolve())
      .save(output);
  });
}

/**
 * Any audio ffmpeg decodes (WAV at any rate and width, OGG Vorbis/Opus, MP3,
 * ...) to 8 kHz mono s16le WAV: the first audio stream only, cover art and
 * metadata dropped, bit-exact headers so the same input gives the same bytes
 * (a retried job produces the same file).
 */
export function toTelephonyWav(input: string, output: string): Promise<void> {
  return run(
    ffmpeg(input)
      .outputOptions([
        '-map',
        '0:a:0',
        '-map_metadata',
        '-1',
        '-fflags',
        '+bitexact',
        '-flags:a',
        '+bitexact',
      ])
      .noVideo()
      .audioChannels(TELEPHONY_AUDIO.channels)
      .audioFrequency(TELEPHONY_AUDIO.sampleRate)
      .audioCodec(TELEPHONY_AUDIO.codec)
      .format('wav'),
    output,
  );
}

/** Ogg Vorbis for downloads, made from the telephony WAV so both downloads hold the same sound. */
export function toOggVorbis(input: string, output: string): Promise<void> {
  return run(
    ffmpeg(input)
      .outputOptions(['-map', '0:a:0', '-map_metadata', '-1', '-fflags', '+bitexact'])
      .noVideo()
      .audioCodec('libvorbis')
      .audioQuality(VORBIS_QUALITY)
      .format('ogg'),
    output,
  );
}

export type ConvertedAudio =
  | { silent: true; levels: AudioLevels }
  | {
      silent: false;
      levels: AudioLevels;
      /** Absolute paths of the finished files in the output folder. */
      wav: string;
      ogg: string;
      sizeBytes: number;
    };

/**
 * The audio pipeline of recordings and announcements: normalise to the
 * telephony WAV, measure it, and (unless it is only silence, spec status
 * `empty`) encode the Ogg Vorbis download. Writes `AUDIO_FILES` into `outDir`,
 * which the caller renames into place; nothing is written for silence.
 */
export async function convertAudio(
  input: string,
  outDir: string,
  onStage: (percent: number) => Promise<void> = async () => undefined,
): Promise<ConvertedAudio> {
  await fs.mkdir(outDir, { recursive: true });
  const wav = path.join(outDir, AUDIO_FILES.wav);
  const ogg = path.join(outDir, AUDIO_FILES.ogg);
  await toTelephonyWav(input, wav);
  await onStage(50);
  const levels = await measureWav(wav);
  if (isSilent(levels)) {
    await fs.rm(wav, { force: true });
    return { silent: true, levels };
  }
  await onStage(60);
  await toOggVorbis(wav, ogg);
  await onStage(90);
  const sizes = await Promise.all([fs.stat(wav), fs.stat(ogg)]);
  return { silent: false, levels, wav, ogg, sizeBytes: sizes[0].size + sizes[1].size };
}
