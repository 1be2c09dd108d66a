/**
 * The two ports the call engine drives (ARCHITECTURE.md): signalling (calls
 * in, legs out, ring/answer/reject/hangup) and media (bridging, later play,
 * record, tones, DTMF). The embedded SIP/RTP engine implements both today;
 * the FreeSWITCH/drachtio adapter implements the same interfaces.
 */
import type { EventEmitter } from 'node:events';

/** Why a leg ended: Q.850 cause (spec CDRs) with the SIP status where there was one. */
export interface EndCause {
  q850: number;
  sip?: number;
  reason?: string;
}

export const CAUSE = {
  normal: { q850: 16 },
  busy: { q850: 17, sip: 486 },
  noAnswer: { q850: 19, sip: 480 },
  unavailable: { q850: 20, sip: 480 },
  rejected: { q850: 21, sip: 403 },
  notFound: { q850: 1, sip: 404 },
  cancelled: { q850: 16, sip: 487 },
  congestion: { q850: 34, sip: 503 },
  creditExhausted: { q850: 31, sip: 402 },
  mediaTimeout: { q850: 41 },
  failure: { q850: 31, sip: 500 },
} as const satisfies Record<string, EndCause>;

export interface CallParty {
  /** E.164 number, SIP account name or extension; null when unknown. */
  number: string | null;
  display: string | null;
  /** The caller asked to hide the number (CLIR). */
  clir: boolean;
}

export type LegState = 'new' | 'ringing' | 'answered' | 'ended';

export interface LegEvents {
  /** Provisional response from the far end (180/183). */
  progress: [status: number];
  answered: [];
  ended: [cause: EndCause, by: 'local' | 'remote'];
  /** The far end put the call on hold (re-INVITE sendonly / inactive / 0.0.0.0), or took it off. */
  hold: [held: boolean];
}

export interface Leg extends EventEmitter<LegEvents> {
  readonly id: string;
  readonly state: LegState;
  /** ms since epoch. */
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  readonly endCause: EndCause | null;
  /** Ends the leg whatever its state (CANCEL, reject or BYE as fits). */
  hangup(cause?: EndCause): void;
}

export interface SipAccountRef {
  name: string;
  owner: string;
  domain: string;
}

export interface InboundInfo {
  /** A carrier trunk delivered it, or an authenticated SIP account placed it. */
  origin: 'trunk' | 'account';
  account: SipAccountRef | null;
  caller: CallParty;
  /** The dialled number or user part of the Request-URI. */
  called: string;
  /** A request header of the INVITE (lower-case name). */
  header(name: string): string | undefined;
  /** Where the call came from ("ip:port"). */
  source: string;
}

export interface InboundLeg extends Leg {
  readonly info: InboundInfo;
  /** The caller's dialog identifiers (shown to BLF phones, matched by Replaces). */
  readonly callRef: { callId: string; localTag: string; remoteTag: string };
  /** 180 Ringing. */
  ring(): void;
  /**
   * 183 Session Progress with our SDP answer: media toward the caller before
   * the answer (ringback announcements). False when there is no media to
   * offer (delayed offer, no common codec, or the call is gone).
   */
  earlyMedia(): Promise<boolean>;
  /** 200 OK; with `like`, the media format of that leg so a bridge can relay unchanged. */
  answer(opts?: { like?: Leg }): Promise<void>;
  /** A final error response (only before answer). */
  reject(cause: EndCause): void;
}

export type OriginateTarget =
  | { kind: 'trunk'; number: string }
  | { kind: 'contact'; account: string; contact: string; source: string; transport: 'udp' | 'tcp' };

export interface OriginateRequest {
  target: OriginateTarget;
  /** What the called party sees as the caller. */
  from: CallParty;
  /** P-Asserted-Identity (RFC 3325) toward the carrier. */
  assertedIdentity?: string;
  headers?: Record<string, string>;
  /**
   * Offer the codecs of this leg (those it negotiated, or an unanswered
   * inbound leg's offer), so the bridge relays without transcoding.
   */
  offerLike?: Leg;
}

export interface OutboundLeg extends Leg {
  readonly target: OriginateTarget;
  /** The SIP final status that ended it before answer (486, 480, 408 ...), if any. */
  readonly failureStatus: number | null;
}

export interface SignalingPort {
  onInbound(handler: (leg: InboundLeg) => void): void;
  originate(req: OriginateRequest): OutboundLeg;
}

export interface MediaStats {
  packetsIn: number;
  packetsOut: number;
  lost: number;
}

/** Something to play into a call: a telephony WAV (8 kHz mono), a tone, or silence. */
export type PromptSource =
  | { kind: 'file'; path: string }
  | {
      kind: 'tone';
      frequencies: readonly number[];
      durationMs: number;
      /** Silence after each burst; with loop the burst repeats. */
      intervalMs?: number;
      loop?: boolean;
      levelDbm0?: number;
    }
  | { kind: 'silence'; durationMs: number };

export interface PlayOptions {
  /** Repeat the list until stopped (hold music). */
  loop?: boolean;
  /** Mixed under the list (spec 4.2 mix_ringtone). */
  mix?: readonly PromptSource[];
}

/** 'failed': a file could not be read (missing, not a telephony WAV); the rest was skipped. */
export type PlayEnd = 'finished' | 'stopped' | 'failed';

export interface PlayHandle {
  /** Never rejects; 'stopped' also when the leg ends first. */
  readonly done: Promise<PlayEnd>;
  stop(): void;
}

export interface DtmfEvent {
  digit: string;
  durationMs: number;
  source: 'rfc4733' | 'inband' | 'info';
}

export interface RecordOptions {
  /** Where the WAV (8 kHz mono PCM16) is written; nothing is written for an empty recording. */
  file: string;
  maxSeconds: number;
  /** End after this much silence once speech started. */
  silenceSeconds?: number;
  /** Digits that end the recording (cut before the key's tone). */
  stopDigits?: string;
}

export interface RecordResult {
  durationMs: number;
  /** Nothing above the silence threshold: the spec's `empty` recording. */
  silenceOnly: boolean;
  reason: 'max' | 'silence' | 'stopped' | 'dtmf' | 'hangup';
  /** The file was written (false when nothing was recorded). */
  written: boolean;
}

export interface RecordHandle {
  /** Never rejects. */
  readonly done: Promise<RecordResult>;
  stop(): void;
}

export interface MediaPort {
  /** Relays media between two answered legs; returns the function that stops it. */
  bridge(a: Leg, b: Leg): () => void;
  /** The media statistics of a leg (null when it has no media endpoint). */
  stats(leg: Leg): MediaStats | null;
  /**
   * Plays into a leg with media (answered, or in early media); one playback
   * per leg at a time, a new one stops the one before. A leg without media
   * finishes at once ('stopped'). A bridged leg must be unbridged first.
   * Throws RangeError for a bad tone.
   */
  play(leg: Leg, sources: readonly PromptSource[], opts?: PlayOptions): PlayHandle;
  /** Records what the leg sends; ends at maxSeconds, silence, a stop digit, stop() or hangup. */
  record(leg: Leg, opts: RecordOptions): RecordHandle;
  /** Every DTMF digit the leg sends (RFC 4733, in-band tones, SIP INFO); answers the unsubscribe. */
  onDtmf(leg: Leg, listener: (digit: DtmfEvent) => void): () => void;
  /** Sends digits as RFC 4733 events (in-band tones when the leg did not negotiate telephone-event). */
  sendDtmf(leg: Leg, digits: string, opts?: { durationMs?: number; pauseMs?: number }): Promise<void>;
}
