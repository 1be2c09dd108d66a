/**
 * What a conference room needs of the media side that mixes it: the
 * embedded engine's ConferenceMixer (embedded/media/mixer.ts) satisfies it
 * as it is; a FreeSWITCH adapter implements it over mod_conference (member
 * mute/deaf/volume commands, talk events, playback to a member).
 */

/** The member-level settings of spec 3.17 as the media side applies them. */
export interface MemberMix {
  mute: boolean;
  deaf: boolean;
  /** -4 ... 4 (spec 3.17), 0 the default. */
  volumeIn: number;
  volumeOut: number;
}

/** A playback into a conference (a prompt, a tone, hold music). */
export interface RoomPlayback {
  stop(): void;
  readonly done: Promise<void>;
}

/** One participant's media in the room. */
export interface RoomMediaMember {
  /** Talks (energy detection with hangover); false while muted. */
  readonly talk: boolean;
  /** Holds the floor (the loudest talker). */
  readonly floor: boolean;
  update(changes: Partial<MemberMix>): void;
  /** Plays 8 kHz 16-bit PCM to this participant only, over what it hears. */
  play(pcm: Int16Array, opts?: { loop?: boolean }): RoomPlayback;
  /** Leaves the mix (idempotent). */
  leave(): void;
}

/** The mixing of one room. */
export interface RoomMedia {
  /** Plays 8 kHz 16-bit PCM to every participant (join and leave tones). */
  playAll(pcm: Int16Array): RoomPlayback;
  close(): void;
}

/** Makes a room's media; `onActivity` gets the members whose talk or floor changed. */
export type RoomMediaFactory<M extends RoomMedia> = (
  onActivity: (changed: readonly RoomMediaMember[]) => void,
) => M;

/** System sounds of a room, as 8 kHz 16-bit PCM (sounds/, made by npm run sounds:make). */
export interface ConferenceSounds {
  /** Everyone hears it when someone joins / leaves. */
  join?: Int16Array;
  leave?: Int16Array;
  /** The "you are alone" prompt, in a language (de, en); null when there is none. */
  alone?: (language: string) => Int16Array | null;
  /** Played in a loop to a participant alone in the room. */
  hold?: Int16Array;
}
