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
  /** Offer the codecs this inbound leg offered, so the bridge relays without transcoding. */
  offerLike?: InboundLeg;
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

export interface MediaPort {
  /** Relays media between two answered legs; returns the function that stops it. */
  bridge(a: Leg, b: Leg): () => void;
  /** The media statistics of a leg (null when it has no media endpoint). */
  stats(leg: Leg): MediaStats | null;
}
