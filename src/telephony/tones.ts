/** Tones every part of the telephony engine plays (the engine and the embedded media layer alike). */
import type { PromptSource } from './adapter.js';

/**
 * Call progress tones (ETSI ES 201 970 / ITU-T E.180 as used in Germany and
 * most of Europe: 425 Hz) and the beep before a voicemail recording.
 */
export const TONES = {
  /** Ringing tone: 1 s on, 4 s off. */
  ringback: { kind: 'tone', frequencies: [425], durationMs: 1000, intervalMs: 4000, loop: true },
  /** Busy tone: 480 ms on, 480 ms off. */
  busy: { kind: 'tone', frequencies: [425], durationMs: 480, intervalMs: 480, loop: true },
  beep: { kind: 'tone', frequencies: [1000], durationMs: 250 },
} as const satisfies Record<string, Extract<PromptSource, { kind: 'tone' }>>;
