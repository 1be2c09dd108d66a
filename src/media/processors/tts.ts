import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { toTelephonyWav } from './audio-convert.js';

/** The locales of POST /api/announcement/(uuid)/text2speech (spec 3.15). */
export const TTS_LOCALES = ['de-DE', 'en-GB', 'en-US', 'es-ES', 'fr-FR', 'it-IT'] as const;
export type TtsLocale = (typeof TTS_LOCALES)[number];

/** Spec 3.15: "optional, default de-DE". */
export const DEFAULT_TTS_LOCALE: TtsLocale = 'de-DE';

/** The espeak-ng voice of each locale (`espeak-ng --voices` names). */
export const ESPEAK_VOICES: Readonly<Record<TtsLocale, string>> = {
  'de-DE': 'de',
  'en-GB': 'en-gb',
  'en-US': 'en-us',
  'es-ES': 'es',
  'fr-FR': 'fr-fr',
  'it-IT': 'it',
};

export function isTtsLocale(value: string): value is TtsLocale {
  return (TTS_LOCALES as readonly string[]).includes(value);
}

/** Runs espeak-ng with the text on stdin (never on the command line: no option injection, no length limit). */
function espeak(voice: string, text: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // -b 1: the input is UTF-8. No -m: markup in the text is spoken, not interpreted.
    const child = spawn('espeak-ng', ['-v', voice, '-b', '1', '-w', output, '--stdin'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`espeak-ng exited with ${code}: ${stderr.trim()}`));
    });
    child.stdin.on('error', reject);
    child.stdin.end(text, 'utf8');
  });
}

/**
 * Text to speech (spec 3.15 text2speech): espeak-ng speaks `text` with the
 * locale's voice (it writes 22.05 kHz), and ffmpeg turns that into the
 * telephony WAV (8 kHz mono 16-bit) at `output`.
 */
export async function synthesizeSpeech(text: string, locale: TtsLocale, output: string): Promise<void> {
  const raw = `${output}.espeak-${randomBytes(4).toString('hex')}.wav`;
  try {
    await espeak(ESPEAK_VOICES[locale], text, raw);
    await toTelephonyWav(raw, output);
  } finally {
    await fs.rm(raw, { force: true });
  }
}
