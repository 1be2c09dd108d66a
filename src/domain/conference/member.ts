/**
 * Conference members as spec 7.11 shows them, and the changes
 * `POST /api/conference/(uuid)/member` (spec 3.17) makes to them.
 */

/** Volume levels of spec 3.17 / 7.11: "-4 to 4, where 0 is the default". */
export const MIN_MEMBER_VOLUME = -4;
export const MAX_MEMBER_VOLUME = 4;

/** One participant (spec 7.11.3 `member` entry). */
export interface ConferenceMember {
  /** Only when the participant's call transmitted its number. */
  phone?: string;
  /** Only once the participant was associated with a user (POST .../member `user`). */
  user?: string;
  mute: boolean;
  deaf: boolean;
  talk: boolean;
  floor: boolean;
  volume_in: number;
  volume_out: number;
}

/** The fields of a member in the order spec 7.11 lists them. */
export const MEMBER_FIELDS = [
  'phone',
  'user',
  'mute',
  'deaf',
  'talk',
  'floor',
  'volume_in',
  'volume_out',
] as const satisfies ReadonlyArray<keyof ConferenceMember>;

/** What the member call may change (spec 3.17 `update` entries; all optional). */
export interface MemberChanges {
  user?: string;
  mute?: boolean;
  deaf?: boolean;
  volume_in?: number;
  volume_out?: number;
}

export type ConferenceMembers = Record<string, ConferenceMember>;

/** A participant as it enters: muted when the conference has `mute_default` (spec 3.17). */
export function newMember(opts: { phone?: string | null; muteDefault: boolean }): ConferenceMember {
  return {
    ...(opts.phone ? { phone: opts.phone } : {}),
    mute: opts.muteDefault,
    deaf: false,
    talk: false,
    floor: false,
    volume_in: 0,
    volume_out: 0,
  };
}

export function isMemberVolume(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= MIN_MEMBER_VOLUME && (v as number) <= MAX_MEMBER_VOLUME;
}

/** The member with the changes applied, fields in spec order. */
export function applyMemberChanges(m: ConferenceMember, c: MemberChanges): ConferenceMember {
  return normalizeMember({ ...m, ...c });
}

/** A copy with the fields in spec order (events and status show them so). */
export function normalizeMember(m: ConferenceMember): ConferenceMember {
  return {
    ...(m.phone !== undefined ? { phone: m.phone } : {}),
    ...(m.user !== undefined ? { user: m.user } : {}),
    mute: m.mute,
    deaf: m.deaf,
    talk: m.talk,
    floor: m.floor,
    volume_in: m.volume_in,
    volume_out: m.volume_out,
  };
}

/** A stored member when it has the shape of spec 7.11, else null (live state is not trusted blindly). */
export function parseMember(v: unknown): ConferenceMember | null {
  if (typeof v !== 'object' || v === null) return null;
  const m = v as Record<string, unknown>;
  const bools = ['mute', 'deaf', 'talk', 'floor'] as const;
  if (!bools.every((k) => typeof m[k] === 'boolean')) return null;
  if (!isMemberVolume(m['volume_in']) || !isMemberVolume(m['volume_out'])) return null;
  if (m['phone'] !== undefined && typeof m['phone'] !== 'string') return null;
  if (m['user'] !== undefined && typeof m['user'] !== 'string') return null;
  return normalizeMember(m as unknown as ConferenceMember);
}
