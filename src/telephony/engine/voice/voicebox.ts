/**
 * The voice box (spec 3.9 recording_enable / play_announcement_only, 4.1
 * `record`, 4.2 action `record`): answer, play the announcement (or the
 * system prompt), then a beep, then record the caller's message into a new
 * recording object in the owner's inbox. A message of silence only is still
 * stored; the media worker marks it `empty`.
 */
import type { InboundLeg, Logger, MediaPort, PromptSource } from '../../adapter.js';
import { CAUSE } from '../../causes.js';
import { TONES } from '../../tones.js';
import type { CdrWriter } from '../cdr-writer.js';
import { playAndWait } from './prompts.js';
import type { VoiceDirectory } from './voice-directory.js';

/** Longest message (s), and the silence after speech that ends one (s). */
export const VOICEMAIL = { maxSeconds: 180, silenceSeconds: 8, stopDigits: '#' } as const;

export interface VoiceboxDeps {
  media: MediaPort;
  voice: VoiceDirectory;
  cdrs: CdrWriter;
  log: Logger;
}

export interface VoiceboxCall {
  owner: string;
  /** The called number (the recording's `to`). */
  number: string;
  /** The caller as the recording's `from` ('anonymous' with CLIR). */
  from: string;
  /** The CDR of the caller's leg, which gets the recording id. */
  cdrId: string;
  announcement: string | null;
  /** false: play_announcement_only, hang up after it. */
  record: boolean;
  /** The caller heard the announcement already (conference dial-in): the beep and the recording only. */
  greeted?: boolean;
}

/** Runs the voice box on the caller's leg; answers the recording's UUID, if one was made. */
export async function runVoicebox(leg: InboundLeg, c: VoiceboxCall, d: VoiceboxDeps): Promise<string | null> {
  const release = d.cdrs.hold(c.cdrId);
  let recordingId: string | null = null;
  try {
    if (leg.state !== 'answered') await leg.answer();
    if (leg.state !== 'answered') return null;
    if (!c.greeted) {
      const greeting = c.announcement ? await d.voice.announcement(c.owner, c.announcement) : null;
      const intro: PromptSource[] = [
        {
          kind: 'media',
          ref: greeting ?? (await d.voice.prompts(c.owner))(c.record ? 'leave-message' : 'not-available'),
        },
      ];
      await playAndWait(d.media, leg, intro);
    }
    if (!c.record) {
      leg.hangup(CAUSE.normal);
      return null;
    }
    if ((await playAndWait(d.media, leg, [TONES.beep])) === 'stopped') return null;
    const recording = d.media.record(leg, {
      maxSeconds: VOICEMAIL.maxSeconds,
      silenceSeconds: VOICEMAIL.silenceSeconds,
      stopDigits: VOICEMAIL.stopDigits,
    });
    // A crash from here on still leaves the message (as far as it got) in the inbox.
    if (recording.location?.kind === 'file') {
      d.cdrs.recording(c.cdrId, {
        path: recording.location.path,
        owner: c.owner,
        from: c.from,
        to: c.number,
      });
    }
    const result = await recording.done;
    leg.hangup(CAUSE.normal);
    const media = result.media;
    if (!media) return null;
    try {
      recordingId = await d.voice.saveRecording({ owner: c.owner, from: c.from, to: c.number, media });
    } catch (err) {
      d.log.error({ err, number: c.number }, 'voicemail not stored');
      await media.discard();
    }
    return recordingId;
  } finally {
    release(recordingId ? { recording_id: recordingId } : null);
  }
}
