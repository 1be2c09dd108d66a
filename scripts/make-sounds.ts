/**
 * Makes the system prompts and tones the telephony engine plays (issue 4),
 * as telephony WAV (8 kHz mono 16-bit PCM), and writes sounds/index.json.
 *
 *   npm run sounds:make            (node --import tsx scripts/make-sounds.ts)
 *
 * Prompts are spoken by espeak-ng (the same voices as text2speech, spec 3.15);
 * tones are made by ffmpeg. Every file is written under a temporary name and
 * renamed, and the output is bit-exact, so running the script again without
 * changes leaves the committed files as they are.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TELEPHONY_AUDIO } from '../src/media/processors/audio-convert.js';
import { measureWav } from '../src/media/processors/audio-silence.js';
import { synthesizeSpeech, type TtsLocale } from '../src/media/processors/tts.js';

const run = promisify(execFile);

export const SOUNDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'sounds');

/** Prompt languages and the text2speech voice each is spoken with. */
const LANGUAGES = { de: 'de-DE', en: 'en-GB' } as const satisfies Record<string, TtsLocale>;
type Lang = keyof typeof LANGUAGES;

/** The prompts, by file name: what the telephony issues play. */
export const PROMPTS: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  'enter-pin': {
    de: 'Bitte geben Sie Ihre PIN ein.',
    en: 'Please enter your PIN.',
  },
  'wrong-pin': {
    de: 'Die PIN ist falsch.',
    en: 'Wrong PIN.',
  },
  'not-available': {
    de: 'Die gewählte Rufnummer ist nicht erreichbar.',
    en: 'The number you called is not available.',
  },
  'leave-message': {
    de: 'Bitte hinterlassen Sie eine Nachricht nach dem Signalton.',
    en: 'Please leave a message after the tone.',
  },
  'conference-empty': {
    de: 'Die Konferenz ist leer.',
    en: 'The conference is empty.',
  },
  'conference-first': {
    de: 'Sie sind der erste Teilnehmer.',
    en: 'You are the first participant.',
  },
  'unlock-accepted': {
    de: 'Der Freischaltcode wurde akzeptiert.',
    en: 'Unlock code accepted.',
  },
  // Conferences (spec 3.17): a participant alone in the room (before hold music), and a PIN of an inactive one.
  'conference-alone': {
    de: 'Sie sind zurzeit der einzige Teilnehmer dieser Konferenz.',
    en: 'You are currently the only participant in this conference.',
  },
  'conference-inactive': {
    de: 'Diese Konferenz ist nicht aktiv.',
    en: 'This conference is not active.',
  },
};

interface Tone {
  description: string;
  /** ffmpeg lavfi source and filters. */
  source: string;
  filters: string;
}

/** Two 120 ms sine bursts in a row, each faded in and out over 5 ms (a lavfi graph). */
function twoTone(first: number, second: number): string {
  const burst = (f: number, label: string): string =>
    `sine=frequency=${f}:sample_rate=8000:duration=0.12,afade=t=in:d=0.005,afade=t=out:st=0.115:d=0.005[${label}]`;
  return `${burst(first, 'a')};${burst(second, 'b')};[a][b]concat=n=2:v=0:a=1[out0]`;
}

/** Language-independent tones, in sounds/tones/. */
export const TONES: Readonly<Record<string, Tone>> = {
  beep: {
    description: 'Recording beep: 1 kHz sine, 0.5 s, -10 dBFS RMS, with 5 ms fades against clicks',
    source: 'sine=frequency=1000:sample_rate=8000:duration=0.5',
    filters: 'volume=11dB,afade=t=in:d=0.005,afade=t=out:st=0.495:d=0.005',
  },
  'conference-join': {
    description: 'Conference join tone: 500 Hz then 750 Hz, 120 ms each (rising), about -10 dBm0',
    source: twoTone(500, 750),
    filters: 'volume=8dB',
  },
  'conference-leave': {
    description: 'Conference leave tone: 750 Hz then 500 Hz, 120 ms each (falling), about -10 dBm0',
    source: twoTone(750, 500),
    filters: 'volume=8dB',
  },
  'fax-cng': {
    description: 'Fax calling tone (CNG, ITU-T T.30): 1100 Hz for 0.5 s, then 3 s silence; loop it',
    source: 'sine=frequency=1100:sample_rate=8000:duration=0.5',
    filters: 'volume=11dB,afade=t=in:d=0.005,afade=t=out:st=0.495:d=0.005,apad=whole_dur=3.5',
  },
};

export interface SoundEntry {
  name: string;
  /** `de` or `en` for prompts; null for tones. */
  lang: Lang | null;
  /** Relative to sounds/. */
  file: string;
  seconds: number;
  text?: string;
  description?: string;
}

async function makeTone(tone: Tone, out: string): Promise<void> {
  const tmp = `${out}.tmp-${process.pid}.wav`;
  try {
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', tone.source, '-af', tone.filters],
      ...['-ar', String(TELEPHONY_AUDIO.sampleRate), '-ac', String(TELEPHONY_AUDIO.channels)],
      ...[
        '-c:a',
        TELEPHONY_AUDIO.codec,
        '-map_metadata',
        '-1',
        '-fflags',
        '+bitexact',
        '-flags:a',
        '+bitexact',
      ],
      tmp,
    ]);
    await fs.rename(tmp, out);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function makePrompt(text: string, locale: TtsLocale, out: string): Promise<void> {
  const tmp = `${out}.tmp-${process.pid}.wav`;
  try {
    await synthesizeSpeech(text, locale, tmp);
    await fs.rename(tmp, out);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function seconds(file: string): Promise<number> {
  return Math.round((await measureWav(path.join(SOUNDS_DIR, file))).durationSeconds * 1000) / 1000;
}

export async function makeSounds(log: (line: string) => void = () => undefined): Promise<SoundEntry[]> {
  const entries: SoundEntry[] = [];
  for (const lang of Object.keys(LANGUAGES) as Lang[]) {
    await fs.mkdir(path.join(SOUNDS_DIR, lang), { recursive: true });
    for (const [name, texts] of Object.entries(PROMPTS)) {
      const file = `${lang}/${name}.wav`;
      await makePrompt(texts[lang], LANGUAGES[lang], path.join(SOUNDS_DIR, file));
      entries.push({ name, lang, file, seconds: await seconds(file), text: texts[lang] });
      log(file);
    }
  }
  await fs.mkdir(path.join(SOUNDS_DIR, 'tones'), { recursive: true });
  for (const [name, tone] of Object.entries(TONES)) {
    const file = `tones/${name}.wav`;
    await makeTone(tone, path.join(SOUNDS_DIR, file));
    entries.push({ name, lang: null, file, seconds: await seconds(file), description: tone.description });
    log(file);
  }
  const index = {
    description:
      'System prompts and tones of the telephony engine, made by scripts/make-sounds.ts (npm run sounds:make). ' +
      'Prompts are sounds/<lang>/<name>.wav, tones sounds/tones/<name>.wav.',
    format: { ...TELEPHONY_AUDIO, container: 'wav' },
    sounds: entries,
  };
  const target = path.join(SOUNDS_DIR, 'index.json');
  await fs.writeFile(`${target}.tmp`, `${JSON.stringify(index, null, 2)}\n`);
  await fs.rename(`${target}.tmp`, target);
  return entries;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  makeSounds((line) => process.stdout.write(`sounds/${line}\n`)).catch((err: unknown) => {
    process.stderr.write(`make-sounds: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
