/**
 * What the voice features ask of the platform (implemented over the
 * services by telephony/platform/voice-directory.ts): announcements and
 * system prompts as media the adapter plays, IVR configurations, storing a
 * recorded message, unlocking a reserved number.
 */
import type { IvrConfig } from '../../../domain/routing/types.js';
import type { MediaRef, RecordedMedia, SystemPrompt } from '../../adapter.js';

export type { SystemPrompt } from '../../adapter.js';

export interface VoiceDirectory {
  /** The owner's announcement, ready to play; null when it is missing or not converted (yet). */
  announcement(owner: string, uuid: string): Promise<MediaRef | null>;
  /** The system prompts in the owner's language (the language is read once, here). */
  prompts(owner: string): Promise<(name: SystemPrompt) => MediaRef>;
  /** The IVR of the owner (spec 5.1.1); null when it is gone. */
  ivr(owner: string, uuid: string): Promise<IvrConfig | null>;
  /**
   * A recorded message becomes a recording object in the owner's inbox
   * (tag_inbox, tag_unread; spec 3.14 from/to); answers its UUID. The
   * recording is taken over (moved away).
   */
  saveRecording(input: { owner: string; from: string; to: string; media: RecordedMedia }): Promise<string>;
  /** Activates a reserved number when the code is its unlock code (spec 3.9). */
  unlock(number: string, code: string): Promise<boolean>;
}
