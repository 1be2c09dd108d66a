/**
 * The sounds of conference rooms (telephony/conference/room-media.ts) from
 * sounds/: the join and leave tones, the "you are the only participant"
 * prompt in each language, and the default hold music rendered once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ConferenceSounds } from '../conference/room-media.js';
import { renderTone } from '../embedded/media/player.js';
import { parseWav } from '../embedded/media/wav.js';
import { DEFAULT_HOLD_MUSIC } from '../engine/voice/prompts.js';
import { SOUNDS_DIR } from './voice-directory.js';

const LANGUAGES = ['de', 'en'] as const;

function wav(file: string): Int16Array | undefined {
  try {
    return parseWav(fs.readFileSync(path.join(SOUNDS_DIR, file)));
  } catch {
    return undefined;
  }
}

/** The default hold music as one PCM loop. */
function holdMusic(): Int16Array {
  const parts = DEFAULT_HOLD_MUSIC.map((s) => (s.kind === 'tone' ? renderTone(s) : new Int16Array(0)));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads the files once (a missing one is left out: the room plays nothing for it). */
export function loadConferenceSounds(): ConferenceSounds {
  const alone = new Map<string, Int16Array>();
  for (const lang of LANGUAGES) {
    const pcm = wav(`${lang}/conference-alone.wav`);
    if (pcm) alone.set(lang, pcm);
  }
  const join = wav('tones/conference-join.wav');
  const leave = wav('tones/conference-leave.wav');
  return {
    ...(join ? { join } : {}),
    ...(leave ? { leave } : {}),
    alone: (language) => alone.get(language) ?? alone.get('en') ?? null,
    hold: holdMusic(),
  };
}
