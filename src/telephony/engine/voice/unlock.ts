/**
 * Unlocking a reserved number (spec 3.9 `unlock_code`): the new owner calls
 * it and keys in the code; the number becomes active. Three tries.
 */
import type { InboundLeg, MediaPort } from '../../adapter.js';
import { CAUSE } from '../../causes.js';
import { collectDigits, playAndWait } from './prompts.js';
import type { VoiceDirectory } from './voice-directory.js';

export const UNLOCK = { tries: 3, firstTimeoutMs: 10_000, interDigitMs: 5_000 } as const;

export async function runUnlock(
  leg: InboundLeg,
  c: { owner: string; number: string; code: string },
  d: { media: MediaPort; voice: VoiceDirectory },
): Promise<boolean> {
  await leg.answer();
  if (leg.state !== 'answered') return false;
  const prompt = await d.voice.prompts(c.owner);
  for (let i = 0; i < UNLOCK.tries; i++) {
    const digits = await collectDigits(d.media, leg, {
      prompt: [{ kind: 'media', ref: prompt('enter-pin') }],
      max: c.code.length,
      terminator: '#',
      firstTimeoutMs: UNLOCK.firstTimeoutMs,
      interDigitMs: UNLOCK.interDigitMs,
    });
    if (digits === null) return false;
    if (digits === c.code && (await d.voice.unlock(c.number, digits))) {
      await playAndWait(d.media, leg, [{ kind: 'media', ref: prompt('unlock-accepted') }]);
      leg.hangup(CAUSE.normal);
      return true;
    }
    await playAndWait(d.media, leg, [{ kind: 'media', ref: prompt('wrong-pin') }]);
  }
  leg.hangup(CAUSE.rejected);
  return false;
}
