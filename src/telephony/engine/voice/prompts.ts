/**
 * Playing into a call and listening for its digits, the building blocks of
 * every voice feature: a playback that ends with the leg, and a digit
 * collector with barge-in (the first key stops the prompt).
 */
import type { DtmfEvent, Leg, MediaPort, PlayEnd, PromptSource } from '../../adapter.js';

/**
 * The music on hold of a number without an `on_hold_music` announcement:
 * a quiet, slow C-major arpeggio (523, 659, 784 Hz), repeated.
 */
export const DEFAULT_HOLD_MUSIC: readonly PromptSource[] = [
  { kind: 'tone', frequencies: [523.25], durationMs: 400, intervalMs: 100, levelDbm0: -16 },
  { kind: 'tone', frequencies: [659.25], durationMs: 400, intervalMs: 100, levelDbm0: -16 },
  { kind: 'tone', frequencies: [783.99], durationMs: 400, intervalMs: 1000, levelDbm0: -16 },
];

/** Plays and waits; 'stopped' when the leg ended first. */
export async function playAndWait(
  media: MediaPort,
  leg: Leg,
  sources: readonly PromptSource[],
): Promise<PlayEnd> {
  if (leg.state === 'ended' || sources.length === 0) return leg.state === 'ended' ? 'stopped' : 'finished';
  const h = media.play(leg, sources);
  const onEnd = () => h.stop();
  leg.once('ended', onEnd);
  try {
    return await h.done;
  } finally {
    leg.off('ended', onEnd);
  }
}

export interface CollectOptions {
  /** Played while waiting; the first digit stops it (barge-in). */
  prompt?: readonly PromptSource[];
  /** Digits wanted at most. */
  max: number;
  /** A digit that ends the input early (not part of it), e.g. '#'. */
  terminator?: string;
  /** Time for the first digit, counted from the end of the prompt. */
  firstTimeoutMs: number;
  /** Time between digits. */
  interDigitMs: number;
}

/** Digits the caller enters; '' on timeout without any, null when the leg ended. */
export function collectDigits(media: MediaPort, leg: Leg, o: CollectOptions): Promise<string | null> {
  return new Promise((resolve) => {
    if (leg.state === 'ended') {
      resolve(null);
      return;
    }
    let digits = '';
    let timer: NodeJS.Timeout | null = null;
    let playing: { stop(): void } | null = null;
    let finished = false;
    const finish = (r: string | null) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      playing?.stop();
      unsubscribe();
      leg.off('ended', onEnded);
      resolve(r);
    };
    const arm = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => finish(digits), ms);
    };
    const onEnded = () => finish(null);
    const unsubscribe = media.onDtmf(leg, (d: DtmfEvent) => {
      playing?.stop();
      playing = null;
      if (o.terminator !== undefined && d.digit === o.terminator) {
        finish(digits);
        return;
      }
      digits += d.digit;
      if (digits.length >= o.max) finish(digits);
      else arm(o.interDigitMs);
    });
    leg.once('ended', onEnded);
    if (o.prompt && o.prompt.length > 0) {
      const h = media.play(leg, o.prompt);
      playing = h;
      void h.done.then(() => {
        if (!finished && digits === '' && playing === h) arm(o.firstTimeoutMs);
      });
    } else arm(o.firstTimeoutMs);
  });
}
