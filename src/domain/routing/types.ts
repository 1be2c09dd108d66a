/**
 * Types of the pure routing domain (issue 5): the stored configuration, in the
 * exact JSON shapes of the spec (the API layer stores the JSON as sent), and
 * the `RoutingPlan` the telephony engine executes.
 */
import type { Matcher, RegexCompiler } from '../event-filter.js';

export type { Matcher, RegexCompiler };

// ---------------------------------------------------------------- inputs --

/** One entry of GET /api/phone (spec 3.9); missing switches take their defaults. */
export interface PhoneConfig {
  /** POST shape (UUID) or GET shape ({uuid, description}). */
  announcement?: string | { uuid: string; description?: string } | null;
  dialplan_enable?: boolean;
  call_enable?: boolean;
  fax_enable?: boolean;
  recording_enable?: boolean;
  play_announcement_only?: boolean;
  conference_enable?: boolean;
  notification_email?: boolean;
  notification_attachment?: boolean;
  partner?: string;
  /** Present while the number is reserved but not unlocked yet. */
  unlock_code?: string;
  ivr?: string | null;
  /** UUID of a dialplan v2 object (spec 4.1); priority over every flag. */
  dialplan?: string | null;
  on_hold_music?: string | null;
}

export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

/** Spec 4.1 `filter.time`. Dates are `dd.MM.yyyy`, times `hh:mm`, all UTC. */
export interface TimeFilter {
  weekdays?: Weekday[];
  date?: string;
  date_start?: string;
  date_end?: string;
  time_start?: string;
  time_end?: string;
}

export interface ProfileFilter {
  /** Regular expression (RE2) on the caller number, or `anonymous` for CLIR. */
  caller?: string;
  time?: TimeFilter;
}

export interface TimedTarget {
  target?: string;
  timeout?: number;
}

export interface ParallelAction {
  timeout?: number;
  targets: string[];
}

export interface SequentialAction {
  timeout?: number;
  targets: TimedTarget[];
}

/** A profile has an optional filter and exactly one action (spec 4.1). */
export interface DialplanProfile {
  filter?: ProfileFilter;
  reject?: Record<string, never>;
  record?: { announcement?: string };
  parallel?: ParallelAction;
  linear?: SequentialAction;
  cyclic?: SequentialAction;
}

/** The `dialplan` object of POST/GET /api/dialplan/v2 (spec 4.1). */
export interface DialplanV2 {
  description?: string;
  ringtone?: { announcement?: string; mix?: boolean };
  profiles?: DialplanProfile[];
}

export type V1Action = 'none' | 'redirect' | 'reject' | 'sip' | 'record';

export interface V1SubAction {
  action: V1Action;
  phone?: string;
  sip?: string;
}

/** The user's dialplan as GET /api/dialplan returns it (spec 4.2). */
export interface DialplanV1 {
  announcement?: string;
  mix_ringtone?: boolean;
  clip_number?: string;
  dial_prefix?: string;
  clir_enable?: boolean;
  cti_via?: string;
  action?: V1Action;
  phone?: string;
  sip?: string;
  /** number → active. Only active entries are dialled. */
  phone_pool?: Record<string, boolean>;
  sip_pool?: string[];
  callreverse_enable?: boolean;
  timeout?: V1SubAction & { timeout?: number };
  unavailable?: V1SubAction;
  busy?: V1SubAction;
}

export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#';

/** An IVR as POST /api/ivr takes it (spec 5.1.1); digit keys hold a UUID or E.164. */
export interface IvrConfig {
  description?: string;
  announcement: string;
  other?: string;
  timeout?: {
    seconds: number;
    action: 'repeat' | 'call' | 'play';
    phone?: string;
    announcement?: string;
  };
  [digit: string]: unknown;
}

/** The incoming call as the routing needs it. */
export interface IncomingCall {
  /** E.164 caller number; null when unknown. */
  caller: string | null;
  /** CLIR: the caller suppressed the number; filters see `anonymous`. */
  clir: boolean;
}

// --------------------------------------------------------------- outputs --

export type Target =
  | { type: 'phone'; number: string }
  | { type: 'sip'; account: string }
  /** Call-reverse (spec 4.2): the leg waits for a caller matched by the callreverse filter. */
  | { type: 'callreverse' };

/** One leg to ring; timeout null = ring until the network gives up. */
export interface Leg {
  target: Target;
  timeout: number | null;
}

export interface Ringback {
  announcement: string;
  /** Mix a ringing tone into the announcement (spec 4.1 `mix`, 4.2 `mix_ringtone`). */
  mix: boolean;
}

/** What happens when ringing ends without an answer (dialplan v1 sub-actions). */
export type Fallback =
  | { kind: 'hangup' }
  | { kind: 'reject' }
  | { kind: 'voicebox'; announcement: string | null }
  | { kind: 'forward'; target: Target };

export interface RingRoute {
  kind: 'ring';
  strategy: 'parallel' | 'linear' | 'cyclic';
  /** Timeout of the whole action in seconds; null = until network disconnect. */
  timeout: number | null;
  /** In dialling order (for cyclic: already rotated to the round-robin start). */
  legs: Leg[];
  ringback: Ringback | null;
  onTimeout: Fallback;
  onBusy: Fallback;
  onUnavailable: Fallback;
}

export type Route =
  | { kind: 'unlock'; code: string }
  | { kind: 'reject'; reason: RejectReason }
  | { kind: 'voicebox'; announcement: string | null; record: boolean }
  | RingRoute
  | { kind: 'call-api' }
  | { kind: 'ivr'; ivr: string }
  | {
      kind: 'answer';
      announcement: string | null;
      /** Record a voice message after the announcement (false with play_announcement_only). */
      voicebox: { record: boolean } | null;
      fax: boolean;
      conference: boolean;
    };

export type RejectReason = 'dialplan-reject' | 'no-profile-matched' | 'no-target' | 'no-service';

export type RouteSource = 'unlock' | 'dialplan-v2' | 'dialplan-v1' | 'call-api' | 'ivr' | 'phone-flags';

/** The deterministic result for one incoming call to one number. */
export interface RoutingPlan {
  number: string;
  source: RouteSource;
  /** Index of the matched dialplan v2 profile, when source is dialplan-v2. */
  profile: number | null;
  onHoldMusic: string | null;
  route: Route;
}
