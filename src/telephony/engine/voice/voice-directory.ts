/**
 * What the voice features ask of the platform (implemented by
 * services/voice-directory.ts): the files of announcements and system
 * prompts, IVR configurations, storing a recorded message, unlocking a
 * reserved number.
 */
import type { IvrConfig } from '../../../domain/routing/types.js';

export type SystemPrompt = 'leave-message' | 'not-available' | 'unlock-accepted' | 'enter-pin' | 'wrong-pin';

export interface VoiceDirectory {
  /** The playable WAV of the owner's announcement; null when it is missing or not converted (yet). */
  announcement(owner: string, uuid: string): Promise<string | null>;
  /** The system prompts in the owner's language (the language is read once, here). */
  prompts(owner: string): Promise<(name: SystemPrompt) => string>;
  /** The IVR of the owner (spec 5.1.1); null when it is gone. */
  ivr(owner: string, uuid: string): Promise<IvrConfig | null>;
  /** A new path for a recording in progress (on the object store's file system). */
  scratchFile(): string;
  /**
   * A recorded message becomes a recording object in the owner's inbox
   * (tag_inbox, tag_unread; spec 3.14 from/to); answers its UUID. The file is
   * moved away.
   */
  saveRecording(input: { owner: string; from: string; to: string; file: string }): Promise<string>;
  /** Activates a reserved number when the code is its unlock code (spec 3.9). */
  unlock(number: string, code: string): Promise<boolean>;
}
