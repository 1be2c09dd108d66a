import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSilent, measureWav } from '../../src/media/processors/audio-silence.js';
import {
  ESPEAK_VOICES,
  synthesizeSpeech,
  TTS_LOCALES,
  type TtsLocale,
} from '../../src/media/processors/tts.js';
import { ffprobe, tempDir } from '../helpers/audio-fixtures.js';

const dir = tempDir('tts');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TEXTS: Record<TtsLocale, string> = {
  'de-DE': 'Guten Tag, Sie sind mit der Mailbox von Herrn Müller verbunden.',
  'en-GB': 'Hello to Johns mailbox.',
  'en-US': 'Please leave a message after the tone.',
  'es-ES': 'Hola, ha llamado al buzón de voz de Juan.',
  'fr-FR': 'Bonjour, vous êtes bien sur la messagerie de Jean.',
  'it-IT': 'Buongiorno, ha raggiunto la segreteria di Giovanni.',
};

describe('synthesizeSpeech', () => {
  it('has a voice for each of the six locales of spec 3.15', () => {
    expect([...TTS_LOCALES].sort()).toEqual(['de-DE', 'en-GB', 'en-US', 'es-ES', 'fr-FR', 'it-IT']);
    expect(Object.keys(ESPEAK_VOICES).sort()).toEqual([...TTS_LOCALES].sort());
  });

  it.each(TTS_LOCALES)('speaks %s as non-silent 8 kHz mono 16-bit WAV', async (locale) => {
    const out = path.join(dir, `${locale}.wav`);
    await synthesizeSpeech(TEXTS[locale], locale, out);
    const p = ffprobe(out);
    expect(p).toMatchObject({ format: 'wav', codec: 'pcm_s16le', sampleRate: 8000, channels: 1 });
    expect(p.duration).toBeGreaterThan(1);
    const levels = await measureWav(out);
    expect(isSilent(levels)).toBe(false);
    expect(levels.activeSeconds).toBeGreaterThan(0.8);
    // Nothing but the result is left next to it.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(`${locale}.wav.`))).toEqual([]);
  });

  it('speaks the same text differently per voice', async () => {
    const text = 'Eins zwei drei vier fünf';
    await synthesizeSpeech(text, 'de-DE', path.join(dir, 'voice-de.wav'));
    await synthesizeSpeech(text, 'it-IT', path.join(dir, 'voice-it.wav'));
    const de = fs.readFileSync(path.join(dir, 'voice-de.wav'));
    const it_ = fs.readFileSync(path.join(dir, 'voice-it.wav'));
    expect(de.equals(it_)).toBe(false);
  });

  it('takes text that looks like options or markup literally', async () => {
    const out = path.join(dir, 'options.wav');
    await synthesizeSpeech('--help -w /tmp/x.wav <speak>ja</speak> "quoted" $HOME `id`', 'en-US', out);
    expect(ffprobe(out).sampleRate).toBe(8000);
    expect(isSilent(await measureWav(out))).toBe(false);
    expect(fs.existsSync('/tmp/x.wav')).toBe(false);
  });

  it('speaks long texts (the spec allows 5000 characters)', async () => {
    const out = path.join(dir, 'long.wav');
    const text = 'Dies ist ein langer Satz für die Ansage. '.repeat(20).slice(0, 800);
    await synthesizeSpeech(text, 'de-DE', out);
    expect(ffprobe(out).duration).toBeGreaterThan(30);
  });
});
