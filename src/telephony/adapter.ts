/**
 * The one seam between the call engine and a SIP/media stack
 * (ARCHITECTURE.md): a TelephonyAdapter gives the engine signalling (calls
 * in, legs out), media (bridge, play, record, DTMF), presence (BLF) and
 * out-of-dialog NOTIFY, and serves registration and digest authentication
 * against the platform's stores it is built with (AdapterEnvironment,
 * environment.ts).
 *
 * Nothing here is SIP: the engine speaks Q.850 causes (causes.ts), names
 * media by reference (the adapter finds the file or URL), rings accounts
 * (the adapter forks to their registered devices) and asks for bridges
 * that may fail. The embedded SIP/RTP stack (embedded/), the drachtio +
 * FreeSWITCH adapter and the in-memory fake of the tests implement it, and
 * test/contract/ holds them to the same behaviour.
 */
import type { EventEmitter } from 'node:events';
import type { NodeJoin } from '../lib/node-token.js';
import { T30_ERR } from '../domain/fax/t30.js';
import type { EndCause } from './causes.js';
import type { MemberMix, RoomMedia, RoomMediaFactory, RoomMediaMember } from './conference/room-media.js';

export type { EndCause } from './causes.js';

// ------------------------------------------------------------------ legs --

export interface CallParty {
  /** E.164 number, SIP account name or extension; null when unknown. */
  number: string | null;
  display: string | null;
  /** The caller asked to hide the number (CLIR). */
  clir: boolean;
}

export type LegState = 'new' | 'ringing' | 'answered' | 'ended';

export interface LegEvents {
  /** The far end rings ('ringing') or sends early media ('early'); for an inbound leg, what we signalled. */
  progress: [kind: 'ringing' | 'early'];
  answered: [];
  ended: [cause: EndCause, by: 'local' | 'remote'];
  /** The far end put the call on hold, or took it off. */
  hold: [held: boolean];
}

export interface Leg extends EventEmitter<LegEvents> {
  /** The adapter's id of the leg (logs, CDR correlation). */
  readonly id: string;
  /** The uuid of the engine's Call the leg belongs to; legs of one call are meant to be bridged. */
  readonly call: string;
  /** The protocol's own id of the leg (a SIP Call-ID), for logs and traces; unset while unknown. */
  readonly wireId?: string | undefined;
  readonly state: LegState;
  /** ms since epoch. */
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  readonly endCause: EndCause | null;
  /** Ends the leg whatever its state (cancel, reject or hang up as fits). */
  hangup(cause?: EndCause): void;
}

export interface AccountRef {
  name: string;
  owner: string;
  domain: string;
}

/**
 * The identity of a call as phones watching its number see it (RFC 4235
 * dialog ids for SIP adapters); a pickup names a ringing call by it.
 */
export interface DialogRef {
  callId: string;
  localTag: string;
  remoteTag: string;
}

/** What a call from another telephony node asks for: a place in a conference this node mixes. */
export type { NodeJoin };

export interface InboundInfo {
  /**
   * A carrier trunk delivered it, an authenticated account placed it, or
   * another telephony node sent it with a pass for a conference (`join`).
   */
  origin: 'trunk' | 'account' | 'node';
  account: AccountRef | null;
  caller: CallParty;
  /** The dialled number (user part of the request target). */
  called: string;
  /** The call this one asks to take over (a pickup by dialog, RFC 3891 Replaces); null when none. */
  replaces: DialogRef | null;
  /** Where the call came from (an address for logs). */
  source: string;
  /** origin 'node': the conference the caller joins (the adapter checked the other node's pass). */
  join?: NodeJoin;
}

export interface InboundLeg extends Leg {
  readonly info: InboundInfo;
  readonly dialog: DialogRef;
  /** Ringing indication to the caller. */
  ring(): void;
  /**
   * One-way media toward the caller before the answer (spec 3.24 `progress`):
   * prompts and ringback can be played. False when there is no media to
   * offer (the caller sent no offer, no common codec, or the call is gone).
   */
  earlyMedia(): Promise<boolean>;
  /** Answers with two-way media; resolves once answered, or once that failed (the leg then ended). */
  answer(): Promise<void>;
  /** Refuses the call (only before the answer). */
  reject(cause: EndCause): void;
}

export type OriginateTarget =
  /** A number through the carrier trunk. */
  | { kind: 'trunk'; number: string }
  /** Every device registered for a SIP account, at once; the first to answer wins. */
  | { kind: 'account'; account: string }
  /**
   * Another telephony node (its NODE_SIP_URI), for a participant of a
   * conference mixed there: the adapter gives the call a pass the other
   * node's adapter checks (an HMAC with SECRET_KEY), so it joins unasked.
   */
  | { kind: 'node'; uri: string; join: NodeJoin };

export interface OriginateRequest {
  /** The engine's Call the leg belongs to (the adapter keeps its legs' media compatible). */
  call: string;
  target: OriginateTarget;
  /** What the called party sees as the caller. */
  from: CallParty;
  /** The number the network asserts for the caller (RFC 3325 P-Asserted-Identity for SIP). */
  assertedIdentity?: string;
  /** User-to-user information (RFC 7433 for SIP; emergency calls, spec 9.1.5). */
  uui?: string;
}

export interface OutboundLeg extends Leg {
  readonly target: OriginateTarget;
}

export interface SignalingPort {
  /** Every new call arrives here; calls before a handler is set are refused (congestion). */
  onInbound(handler: (leg: InboundLeg) => void): void;
  /**
   * A new leg toward the target; its `ended` event tells why it failed
   * (busy, no answer, unavailable when nothing is registered ...).
   */
  originate(req: OriginateRequest): OutboundLeg;
}

// ----------------------------------------------------------------- media --

export type SystemPrompt =
  'leave-message' | 'not-available' | 'unlock-accepted' | 'enter-pin' | 'wrong-pin' | 'conference-inactive';

/** Playable media named by what it is; the adapter resolves it (MediaLocator). */
export type MediaRef =
  | { kind: 'announcement'; uuid: string }
  | { kind: 'recording'; uuid: string }
  | { kind: 'prompt'; name: SystemPrompt; language: string };

/** Where media is: a file the adapter's process can read, or an URL. */
export type MediaLocation = { kind: 'file'; path: string } | { kind: 'url'; url: string };

/** Something to play into a call: stored media, a tone, or silence. */
export type PromptSource =
  | { kind: 'media'; ref: MediaRef }
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

/** 'failed': some media could not be played (missing, unreadable); the rest was skipped. */
export type PlayEnd = 'finished' | 'stopped' | 'failed';

export interface PlayHandle {
  /** Never rejects; 'stopped' also when the leg ends first. */
  readonly done: Promise<PlayEnd>;
  stop(): void;
}

export interface DtmfEvent {
  digit: string;
  durationMs: number;
  /** How the digit came: RTP events (RFC 4733), tones in the audio, or signalling (SIP INFO). */
  source: 'rfc4733' | 'inband' | 'info';
}

export interface RecordOptions {
  maxSeconds: number;
  /** End after this much silence once speech started. */
  silenceSeconds?: number;
  /** Digits that end the recording (cut before the key's tone). */
  stopDigits?: string;
}

/** A recording the adapter made (8 kHz mono WAV); the platform takes it over or discards it. */
export interface RecordedMedia {
  readonly location: MediaLocation;
  /** Deletes it (the caller keeps nothing). */
  discard(): Promise<void>;
}

export interface RecordResult {
  durationMs: number;
  /** Nothing above the silence threshold: the spec's `empty` recording. */
  silenceOnly: boolean;
  reason: 'max' | 'silence' | 'stopped' | 'dtmf' | 'hangup';
  /** null when nothing was recorded. */
  media: RecordedMedia | null;
}

export interface RecordHandle {
  /** Never rejects. */
  readonly done: Promise<RecordResult>;
  stop(): void;
  /**
   * Where the recording is written while it runs (it grows there as the
   * call goes on, so a crash leaves the part before it), if the adapter
   * writes it as it arrives.
   */
  readonly location?: MediaLocation;
}

export interface MediaStats {
  packetsIn: number;
  packetsOut: number;
  lost: number;
}

/** A running bridge between two legs. */
export interface Bridge {
  /** Stops the media between the legs (both stay up); idempotent. */
  unbridge(): Promise<void>;
}

/** How a fax goes over a call: T.38 over UDPTL, or the G.711 audio modems. */
export type FaxTransport = 'audio' | 't38';

export interface FaxOptions {
  direction: 'send' | 'receive';
  /** Our station ident: TSI when sending, CSI when receiving (spec 3.13 `fax_ident`). */
  ident: string;
  /** Header line printed on top of each sent page (spec 3.13 `fax_header`). */
  header?: string | null;
  /** The TIFF-F to send, a file the adapter's process can read (send). */
  tiff?: string;
  /** Where the received TIFF-F goes (receive). */
  output?: string;
  /**
   * T.38 wanted (the default): the receiving side re-INVITEs to image/t38,
   * either side accepts the other's offer; refused (488/415) or never
   * answered, the fax goes on as G.711 audio. false: audio only.
   */
  t38?: boolean;
  /** Error correction mode (T.30 Annex A); on by default. */
  ecm?: boolean;
}

/** Phase B: the far end's ident and what the two machines agreed. */
export interface FaxNegotiated {
  remoteIdent: string;
  bitRate: number;
  ecm: boolean;
  transport: FaxTransport;
}

export interface FaxPageProgress {
  pagesDone: number;
  /** Pages of the document being sent; null when receiving. */
  pageCount: number | null;
}

/** How a fax on a call ended. */
export interface FaxOutcome {
  status: 'ok' | 'fail';
  /** The T.30 completion code (spandsp's, domain/fax/t30.ts); 0 = success. */
  faxErrorCode: number;
  transport: FaxTransport;
  pagesDone: number;
  pageCount: number | null;
  remoteIdent: string;
  bitRate: number;
  ecm: boolean;
  /** Pixels per metre of the last page. */
  xResolution: number;
  yResolution: number;
  durationMs: number;
}

/**
 * The outcome of a fax whose call went before it ended: `fail` with T.30's
 * call-dropped code (spandsp T30_ERR_CALLDROPPED, domain/fax/t30.ts), with
 * the pages done so far.
 */
export function callDroppedFax(
  progress: Pick<FaxOutcome, 'transport' | 'pagesDone' | 'pageCount'> = {
    transport: 'audio',
    pagesDone: 0,
    pageCount: null,
  },
): FaxOutcome {
  return {
    status: 'fail',
    faxErrorCode: T30_ERR.CALLDROPPED,
    ...progress,
    remoteIdent: '',
    bitRate: 0,
    ecm: false,
    xResolution: 0,
    yResolution: 0,
    durationMs: 0,
  };
}

export interface FaxEvents {
  negotiated: [info: FaxNegotiated];
  page: [progress: FaxPageProgress];
  /** The fax moved to T.38 (a re-INVITE either way was accepted). */
  transport: [transport: FaxTransport];
}

/** A fax running on an answered leg. */
export interface FaxHandle extends EventEmitter<FaxEvents> {
  /** Never rejects: resolves when T.30 ended, or the leg did (then `fail`, call dropped). */
  readonly done: Promise<FaxOutcome>;
  /** Ends the fax now (the leg stays up): `fail` with the call-dropped code unless it had ended. */
  stop(): void;
}

/** A media operation that cannot be done (leg without media, ended, bridged to itself). */
export class MediaError extends Error {
  override name = 'MediaError';
}

export interface MediaPort {
  /**
   * Media both ways between two answered legs (or legs with early media).
   * Rejects with MediaError when it cannot be done.
   */
  bridge(a: Leg, b: Leg): Promise<Bridge>;
  /** The media statistics of a leg now (null when it has no media). */
  stats(leg: Leg): Promise<MediaStats | null>;
  /**
   * Plays into a leg with media (answered, or in early media); one playback
   * per leg at a time, a new one stops the one before. A leg without media
   * finishes at once ('stopped'). Throws RangeError for a bad tone.
   */
  play(leg: Leg, sources: readonly PromptSource[], opts?: PlayOptions): PlayHandle;
  /** Records what the leg sends; ends at maxSeconds, silence, a stop digit, stop() or hangup. */
  record(leg: Leg, opts: RecordOptions): RecordHandle;
  /** Every DTMF digit the leg sends; answers the unsubscribe. */
  onDtmf(leg: Leg, listener: (digit: DtmfEvent) => void): () => void;
  /** Sends digits (RFC 4733 events, or tones in the audio when the leg agreed none). */
  sendDtmf(leg: Leg, digits: string, opts?: { durationMs?: number; pauseMs?: number }): Promise<void>;
  /**
   * Sends or receives a fax on an answered leg (media stops being relayed
   * or played meanwhile). Throws MediaError when the leg has no media or
   * the node has no fax stack.
   */
  fax(leg: Leg, opts: FaxOptions): FaxHandle;
  /**
   * Listens for a tone in what the leg sends (the fax calling tone CNG,
   * 1100 Hz, ITU-T T.30); the listener is called once, when it is
   * recognised. Answers the unsubscribe. A leg without media never calls it.
   */
  onTone(leg: Leg, tone: DetectableTone, listener: () => void): () => void;
}

/** Tones MediaPort.onTone recognises. */
export type DetectableTone = 'fax-cng';

/**
 * Conference mixing (spec 3.17, issue 17): rooms whose members hear the sum
 * of all the others. A room is made by `createRoom`; `attach` puts an
 * answered leg's media into it (what the leg sends goes to the mix, the mix
 * minus the leg's own part goes to the leg) until the member leaves.
 */
export interface ConferencePort<M extends RoomMedia = RoomMedia> {
  createRoom: RoomMediaFactory<M>;
  /** Throws MediaError when the leg has no media (or the room was not made by this port). */
  attach(room: M, leg: Leg, mix: MemberMix): RoomMediaMember;
}

// -------------------------------------------------------------- presence --

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** One call of a watched number as a BLF phone sees it (RFC 4235 <dialog>). */
export interface DialogInfo extends DialogRef {
  state: DialogState;
  /** recipient: the number is called; initiator: it calls. */
  direction: 'initiator' | 'recipient';
  /** The other party (number or account), shown on the phone. */
  remote: string | null;
}

/** A user's voice messages as a message lamp shows them (RFC 3842 `Voice-Message: new/old`). */
export interface MailboxState {
  newMessages: number;
  oldMessages: number;
}

/**
 * What phones subscribe to: the calls of watched numbers (spec 3.21 blf,
 * RFC 4235 dialog package) and their owner's voice messages (spec 13.1.2,
 * RFC 3842 message-summary package).
 */
export interface PresencePort {
  update(number: string, info: DialogInfo): void;
  /** The voice messages of `owner` changed: its accounts' message-summary subscriptions are told. */
  mailbox(owner: string, state: MailboxState): void;
}

// ---------------------------------------------------------------- notify --

/** A registered device, as the location store keeps it for the adapter that registered it. */
export interface DeviceBinding {
  contact: string;
  /** Where its registration came from ("address:port"). */
  source: string;
  transport: 'udp' | 'tcp';
  /** Its REGISTER's Path (RFC 3327): requests toward it go through these proxies, first one first. */
  path?: string[];
}

/** spec 3.21 `.../notify`: an event to a registered device. */
export interface NotifyRequest {
  event: string;
  contentType: string;
  content: string;
}

export interface NotifyPort {
  /** Resolves with the device's answer; rejects when it gives none in time. */
  notify(
    binding: DeviceBinding,
    account: { name: string; domain: string },
    req: NotifyRequest,
  ): Promise<void>;
}

// -------------------------------------------------------------- recovery --

/** What another process needs to end a leg whose process died (JSON-safe, adapter-specific). */
export type LegSnapshot = Record<string, unknown>;

/**
 * Calls outlive a crash on paper: the engine keeps each answered leg's
 * snapshot in Redis, and after the process that held it died, any node
 * ends the far end with it (a BYE for SIP) so nobody is left talking to
 * nothing — and billing — for long.
 */
export interface RecoveryPort {
  /** The snapshot of an answered leg (null when there is nothing to end from outside). */
  snapshot(leg: Leg): LegSnapshot | null;
  /** Ends the far end of a leg of a process that is gone; resolves when it answered or gave up. */
  terminate(snapshot: LegSnapshot, cause: EndCause): Promise<void>;
}

// ------------------------------------------------------------- the whole --

export interface TelephonyAdapter {
  readonly kind: string;
  readonly signaling: SignalingPort;
  readonly media: MediaPort;
  readonly presence: PresencePort;
  readonly notifier: NotifyPort;
  readonly recovery: RecoveryPort;
  /** Conference rooms mixed by this adapter; absent: it cannot mix. */
  readonly conference?: ConferencePort;
  /** Calls and registrations are served from here on. */
  start(): Promise<void>;
  /** Ends what is still up (legs end with their events) and releases sockets. */
  stop(): Promise<void>;
}

// --------------------------------------------------------------- logging --

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
