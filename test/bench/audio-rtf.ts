/**
 * Audio conversion speed as a real-time factor: seconds of audio converted
 * per second of wall time, for the whole pipeline of an upload (normalise to
 * the 8 kHz telephony WAV, measure levels, encode Ogg Vorbis) and for text
 * to speech. The media bench (test/bench/media.bench.ts) calls
 * `measureAudioRealtimeFactor`; it also runs on its own:
 *
 *   node --import tsx test/bench/audio-rtf.ts [seconds-of-audio] [runs]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertAudio } from '../../src/media/processors/audio-convert.js';
import { synthesizeSpeech } from '../../src/media/processors/tts.js';

export interface AudioRtf {
  /** Length of the input in seconds. */
  audioSeconds: number;
  runs: number;
  /** Median wall time of one conversion. */
  medianSeconds: number;
  /** audioSeconds / medianSeconds: how many seconds of audio one second of work converts. */
  realtimeFactor: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function timeRuns(runs: number, once: (i: number) => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await once(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(times);
}

/** Upload pipeline on a 44.1 kHz stereo WAV of `seconds` (a tone with noise, so nothing is silent). */
export async function measureAudioRealtimeFactor(seconds = 60, runs = 5): Promise<AudioRtf> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-audio-rtf-'));
  try {
    const input = path.join(dir, 'input.wav');
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`],
      ...['-f', 'lavfi', '-i', `anoisesrc=a=0.05:r=44100:d=${seconds}`],
      ...['-filter_complex', 'amix=inputs=2,volume=6dB', '-ac', '2', input],
    ]);
    const medianSeconds = await timeRuns(runs, async (i) => {
      const result = await convertAudio(input, path.join(dir, `out-${i}`));
      if (result.silent) throw new Error('the benchmark input must not be silent');
    });
    return { audioSeconds: seconds, runs, medianSeconds, realtimeFactor: seconds / medianSeconds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Text to speech (espeak-ng + ffmpeg to 8 kHz), measured on the audio it produces. */
export async function measureTtsRealtimeFactor(runs = 3): Promise<AudioRtf> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-tts-rtf-'));
  try {
    const text =
      'Guten Tag, Sie sind mit der Mailbox verbunden. Bitte sprechen Sie nach dem Signalton. '.repeat(8);
    const out = (i: number): string => path.join(dir, `tts-${i}.wav`);
    const medianSeconds = await timeRuns(runs, (i) => synthesizeSpeech(text, 'de-DE', out(i)));
    // Telephony WAV: 16000 bytes per second after the 44-byte header.
    const audioSeconds = (fs.statSync(out(0)).size - 44) / 16000;
    return { audioSeconds, runs, medianSeconds, realtimeFactor: audioSeconds / medianSeconds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const seconds = Number(process.argv[2] ?? 60);
  const runs = Number(process.argv[3] ?? 5);
  const show = (label: string, r: AudioRtf): void => {
    process.stdout.write(
      `${label}: ${r.audioSeconds.toFixed(1)} s of audio in ${r.medianSeconds.toFixed(3)} s (median of ${r.runs}) ` +
        `= ${r.realtimeFactor.toFixed(0)}x real time\n`,
    );
  };
  show(
    'upload conversion (44.1 kHz stereo WAV -> 8 kHz WAV + Ogg)',
    await measureAudioRealtimeFactor(seconds, runs),
  );
  show('text to speech (espeak-ng de -> 8 kHz WAV)', await measureTtsRealtimeFactor());
}
