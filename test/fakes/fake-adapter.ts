/**
 * An in-memory TelephonyAdapter (like SIP.js's transport fake): legs are
 * plain objects, the "network" is driven by the test through FakeNetwork,
 * time is whatever clock the test runs (vi.useFakeTimers advances it), and
 * media is bookkeeping — what was played into a leg, what a far end said,
 * which legs are bridged. The engine cannot tell it from a real adapter;
 * test/contract/ holds it to the same behaviour as the embedded one.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  MediaError,
  type AccountRef,
  type Bridge,
  type ConferencePort,
  type DetectableTone,
  type DeviceBinding,
  type DialogInfo,
  type MailboxState,
  type DialogRef,
  type DtmfEvent,
  type FaxEvents,
  type FaxHandle,
  type FaxNegotiated,
  type FaxOptions,
  type FaxOutcome,
  type InboundInfo,
  type InboundLeg,
  type Leg,
  type LegEvents,
  type LegState,
  type LegSnapshot,
  type RecoveryPort,
  type MediaPort,
  type MediaStats,
  type NodeJoin,
  type NotifyRequest,
  type OriginateRequest,
  type OriginateTarget,
  type OutboundLeg,
  type PlayEnd,
  type PlayHandle,
  type PlayOptions,
  type PromptSource,
  type RecordedMedia,
  type RecordHandle,
  type RecordOptions,
  type RecordResult,
  type TelephonyAdapter,
} from '../../src/telephony/adapter.js';
import {
  type AccountCredentials,
  type LocationStore,
  type MediaLocator,
} from '../../src/telephony/environment.js';
import { CAUSE, worstFailure, type EndCause } from '../../src/telephony/causes.js';
import type {
  MemberMix,
  RoomMedia,
  RoomMediaMember,
  RoomPlayback,
} from '../../src/telephony/conference/room-media.js';
import { newId } from '../../src/lib/ids.js';

let seq = 0;
const nextId = (p: string) => `${p}${++seq}`;

/** What a far end may end a call with, as the engine reads it. */
export type FarEndFailure = 'busy' | 'no-answer' | 'unavailable' | 'rejected' | 'not-found';

const FAILURES: Record<FarEndFailure, EndCause> = {
  busy: CAUSE.busy,
  'no-answer': CAUSE.noAnswer,
  unavailable: CAUSE.unavailable,
  rejected: CAUSE.rejected,
  'not-found': CAUSE.notFound,
};

abstract class FakeLeg extends EventEmitter<LegEvents> implements Leg {
  readonly id = nextId('leg');
  state: LegState = 'new';
  readonly startedAt = Date.now();
  answeredAt: number | null = null;
  endedAt: number | null = null;
  endCause: EndCause | null = null;
  endedBy: 'local' | 'remote' | null = null;
  /** Media flows (answered, or early media). */
  media = false;
  held = false;
  /** What the engine played into the leg, in order. */
  readonly played: PromptSource[][] = [];
  /** Digits the engine sent into the leg. */
  readonly digitsSent: string[] = [];
  /** What the far end is saying now (a tone frequency, or 'speech'); null: silence. */
  saying: number | 'speech' | null = null;

  abstract readonly call: string;

  protected progress(kind: 'ringing' | 'early'): void {
    if (this.state === 'ended' || this.state === 'answered') return;
    if (this.state === 'new') this.state = 'ringing';
    if (kind === 'early') this.media = true;
    this.emit('progress', kind);
  }

  protected markAnswered(): void {
    if (this.state === 'ended' || this.state === 'answered') return;
    this.state = 'answered';
    this.media = true;
    this.answeredAt = Date.now();
    this.emit('answered');
  }

  markEnded(cause: EndCause, by: 'local' | 'remote'): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.media = false;
    this.endedAt = Date.now();
    this.endCause = cause;
    this.endedBy = by;
    this.emit('ended', cause, by);
  }

  /** The far end holds the call, or takes it off hold. */
  hold(held: boolean): void {
    if (this.held === held || this.state !== 'answered') return;
    this.held = held;
    this.emit('hold', held);
  }

  abstract hangup(cause?: EndCause): void;
}

export class FakeInboundLeg extends FakeLeg implements InboundLeg {
  readonly call = newId();
  readonly dialog: DialogRef;
  /** The caller offered media (false: no early media possible). */
  offersMedia = true;

  constructor(readonly info: InboundInfo) {
    super();
    this.dialog = { callId: nextId('call-'), localTag: nextId('l'), remoteTag: nextId('r') };
  }

  ring(): void {
    if (this.state === 'new') this.progress('ringing');
  }

  async earlyMedia(): Promise<boolean> {
    if (!this.offersMedia || this.state === 'ended' || this.state === 'answered') return false;
    this.progress('early');
    return true;
  }

  async answer(): Promise<void> {
    if (this.state === 'ended') return;
    this.markAnswered();
  }

  reject(cause: EndCause): void {
    if (this.state === 'answered' || this.state === 'ended') return;
    this.markEnded(cause, 'local');
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    this.markEnded(cause, 'local');
  }

  /** The caller hangs up (a CANCEL before the answer). */
  remoteHangup(): void {
    this.markEnded(this.state === 'answered' ? CAUSE.normal : CAUSE.cancelled, 'remote');
  }
}

export class FakeOutboundLeg extends FakeLeg implements OutboundLeg {
  readonly call: string;
  readonly target: OriginateTarget;

  constructor(readonly request: OriginateRequest) {
    super();
    this.call = request.call;
    this.target = request.target;
  }

  /** Far end: ringing (180). */
  ring(): void {
    this.progress('ringing');
  }

  /** Far end: early media (183). */
  early(): void {
    this.progress('early');
  }

  /** Far end: answers (200). */
  answer(): void {
    this.markAnswered();
  }

  /** Far end: refuses or gives up before answering. */
  fail(kind: FarEndFailure): void {
    if (this.state === 'answered') return;
    this.markEnded(FAILURES[kind], 'remote');
  }

  /** Far end: hangs up after the answer (BYE). */
  remoteHangup(): void {
    this.markEnded(CAUSE.normal, 'remote');
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    this.markEnded(cause, 'local');
  }
}

/** One leg to every registered device of an account; the first to answer wins (the embedded AccountLeg's rules). */
export class FakeAccountLeg extends FakeLeg implements OutboundLeg {
  readonly call: string;
  readonly target: OriginateTarget;
  readonly devices: FakeOutboundLeg[] = [];
  winner: FakeOutboundLeg | null = null;
  private readonly failures: EndCause[] = [];

  constructor(readonly request: OriginateRequest) {
    super();
    this.call = request.call;
    this.target = request.target;
  }

  fork(devices: FakeOutboundLeg[]): void {
    if (this.state === 'ended') {
      for (const d of devices) d.hangup(CAUSE.cancelled);
      return;
    }
    if (devices.length === 0) {
      this.markEnded(CAUSE.unavailable, 'remote');
      return;
    }
    for (const d of devices) {
      this.devices.push(d);
      d.on('progress', (kind) => {
        if (!this.winner) this.progress(kind);
      });
      d.once('answered', () => {
        if (this.winner || this.state === 'ended') {
          d.hangup(CAUSE.normal);
          return;
        }
        this.winner = d;
        for (const o of this.devices) if (o !== d) o.hangup(CAUSE.cancelled);
        d.on('hold', (h) => this.hold(h));
        this.markAnswered();
      });
      d.once('ended', (cause, by) => {
        if (this.winner === d) this.markEnded(cause, by);
        else if (!this.winner) {
          this.failures.push(cause);
          if (this.devices.every((x) => x.state === 'ended')) {
            this.markEnded(worstFailure(this.failures), 'remote');
          }
        }
      });
    }
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.winner) this.winner.hangup(cause);
    else {
      for (const d of this.devices) d.hangup(cause);
      this.markEnded(cause, 'local');
    }
  }
}

/** spandsp's T30_ERR_CALLDROPPED: what a fax ends with when its call goes first. */
const CALL_DROPPED = 49;

/**
 * A fax on a fake leg: the test plays the far fax machine (negotiate,
 * pages, end). The leg ending first ends it `fail` with the call-dropped code.
 */
export class FakeFax extends EventEmitter<FaxEvents> implements FaxHandle {
  readonly done: Promise<FaxOutcome>;
  private resolve!: (o: FaxOutcome) => void;
  ended: FaxOutcome | null = null;
  transport: 'audio' | 't38' = 'audio';
  pagesDone = 0;
  private negotiatedInfo: FaxNegotiated | null = null;

  constructor(
    readonly leg: Leg,
    readonly opts: FaxOptions,
  ) {
    super();
    this.done = new Promise((r) => (this.resolve = r));
    const onEnded = () => this.stop();
    leg.once('ended', onEnded);
    void this.done.then(() => leg.off('ended', onEnded));
  }

  /** The far end accepted (or offered) T.38. */
  switchToT38(): void {
    this.transport = 't38';
    this.emit('transport', 't38');
  }

  /** Phase B. */
  negotiate(info: Partial<Omit<FaxNegotiated, 'transport'>> = {}): void {
    this.negotiatedInfo = {
      remoteIdent: 'FAR END',
      bitRate: 14400,
      ecm: true,
      ...info,
      transport: this.transport,
    };
    this.emit('negotiated', this.negotiatedInfo);
  }

  /** A page went through. */
  page(pageCount: number | null = null): void {
    this.pagesDone += 1;
    this.emit('page', { pagesDone: this.pagesDone, pageCount });
  }

  /** T.30 ended with `code` (0: ok). */
  end(code = 0, extra: Partial<FaxOutcome> = {}): void {
    if (this.ended) return;
    const n = this.negotiatedInfo;
    this.ended = {
      status: code === 0 ? 'ok' : 'fail',
      faxErrorCode: code,
      transport: this.transport,
      pagesDone: this.pagesDone,
      pageCount: this.opts.direction === 'receive' ? this.pagesDone : null,
      remoteIdent: n?.remoteIdent ?? '',
      bitRate: n?.bitRate ?? 0,
      ecm: n?.ecm ?? false,
      xResolution: 8031,
      yResolution: 7700,
      durationMs: 0,
      ...extra,
    };
    this.resolve(this.ended);
  }

  stop(): void {
    this.end(CALL_DROPPED);
  }
}

/** The duration of stored media when the test did not say (ms). */
const DEFAULT_MEDIA_MS = 1000;

class FakeMedia implements MediaPort {
  constructor(private readonly locator: MediaLocator | null) {}

  private readonly bridges = new Map<Leg, Leg>();
  private readonly playing = new Map<Leg, { stop(): void }>();
  private readonly dtmf = new Map<Leg, Set<(d: DtmfEvent) => void>>();
  private readonly tones = new Map<Leg, Set<{ tone: DetectableTone; fn: () => void }>>();
  /** Media durations by reference key (`announcement:<uuid>`, `prompt:<lang>/<name>`); absent: 1 s; null: missing. */
  readonly mediaMs = new Map<string, number | null>();
  readonly recordings: FakeRecorded[] = [];

  private static leg(leg: Leg): FakeLeg | null {
    if (leg instanceof FakeAccountLeg) return leg.winner;
    return leg instanceof FakeLeg ? leg : null;
  }

  bridgedWith(leg: Leg): Leg | null {
    return this.bridges.get(leg) ?? null;
  }

  /** What plays into the leg now (null: nothing). */
  nowPlaying(leg: Leg): readonly PromptSource[] | null {
    return this.playing.has(leg) ? (FakeMedia.leg(leg)?.played.at(-1) ?? null) : null;
  }

  async bridge(a: Leg, b: Leg): Promise<Bridge> {
    const fa = FakeMedia.leg(a);
    const fb = FakeMedia.leg(b);
    if (!fa?.media || !fb?.media)
      throw new MediaError(`leg ${fa?.media ? b.id : a.id} has no media to bridge`);
    if (fa === fb) throw new MediaError('a leg cannot be bridged to itself');
    this.playing.get(a)?.stop();
    this.playing.get(b)?.stop();
    this.bridges.set(a, b);
    this.bridges.set(b, a);
    let up = true;
    const end = () => {
      if (!up) return;
      up = false;
      if (this.bridges.get(a) === b) this.bridges.delete(a);
      if (this.bridges.get(b) === a) this.bridges.delete(b);
    };
    fa.once('ended', end);
    fb.once('ended', end);
    return { unbridge: async () => end() };
  }

  stats(leg: Leg): Promise<MediaStats | null> {
    return Promise.resolve(FakeMedia.leg(leg)?.media ? { packetsIn: 0, packetsOut: 0, lost: 0 } : null);
  }

  /** How long `sources` play (Infinity for a loop or a looping tone); null when a medium is missing. */
  private duration(sources: readonly PromptSource[]): number | null {
    let ms = 0;
    for (const s of sources) {
      if (s.kind === 'silence') ms += s.durationMs;
      else if (s.kind === 'tone') ms += s.loop ? Infinity : s.durationMs + (s.intervalMs ?? 0);
      else {
        const key =
          s.ref.kind === 'prompt' ? `prompt:${s.ref.language}/${s.ref.name}` : `${s.ref.kind}:${s.ref.uuid}`;
        const d = this.mediaMs.has(key) ? this.mediaMs.get(key)! : DEFAULT_MEDIA_MS;
        if (d === null) return null;
        ms += d;
      }
    }
    return ms;
  }

  play(leg: Leg, sources: readonly PromptSource[], opts: PlayOptions = {}): PlayHandle {
    const l = FakeMedia.leg(leg);
    if (!l?.media) return { done: Promise.resolve('stopped'), stop: () => undefined };
    this.playing.get(leg)?.stop();
    l.played.push([...sources]);
    let ms = this.duration(sources);
    let end!: (e: PlayEnd) => void;
    const done = new Promise<PlayEnd>((r) => (end = r));
    let over = false;
    const finish = (e: PlayEnd) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      l.off('ended', onEnded);
      if (this.playing.get(leg) === handle) this.playing.delete(leg);
      end(e);
    };
    const onEnded = () => finish('stopped');
    l.once('ended', onEnded);
    let timer: NodeJS.Timeout | undefined;
    const start = () => {
      if (over) return;
      // A missing medium fails as soon as it is looked for, like a file that cannot be read.
      if (ms === null) {
        finish('failed');
        return;
      }
      const total = opts.loop ? Infinity : ms;
      timer = setTimeout(() => finish('finished'), Number.isFinite(total) ? total : 2 ** 31 - 1);
    };
    const handle = { done, stop: () => finish('stopped') };
    this.playing.set(leg, handle);
    const refs = sources.flatMap((s) => (s.kind === 'media' ? [s.ref] : []));
    const locator = this.locator;
    if (locator && refs.length > 0)
      void Promise.all(refs.map((r) => locator.locate(r))).then((found) => {
        if (found.some((f) => f === null)) ms = null;
        start();
      });
    else start();
    return handle;
  }

  record(leg: Leg, opts: RecordOptions): RecordHandle {
    const l = FakeMedia.leg(leg);
    if (!l?.media)
      return {
        done: Promise.resolve({ durationMs: 0, silenceOnly: true, reason: 'hangup', media: null }),
        stop: () => undefined,
      };
    const started = Date.now();
    let spoke = false;
    let end!: (r: RecordResult) => void;
    const done = new Promise<RecordResult>((r) => (end = r));
    let over = false;
    let silenceTimer: NodeJS.Timeout | null = null;
    const finish = (reason: RecordResult['reason']) => {
      if (over) return;
      over = true;
      clearTimeout(maxTimer);
      clearInterval(watch);
      if (silenceTimer) clearTimeout(silenceTimer);
      l.off('ended', onEnded);
      unsubscribe();
      const durationMs = Date.now() - started;
      const media = durationMs > 0 ? new FakeRecorded(this, spoke) : null;
      if (media) this.recordings.push(media);
      end({ durationMs, silenceOnly: !spoke, reason, media });
    };
    const onEnded = () => finish('hangup');
    l.once('ended', onEnded);
    const maxTimer = setTimeout(() => finish('max'), opts.maxSeconds * 1000);
    // The far end's speech: once it spoke, silence of silenceSeconds ends the message.
    const watch = setInterval(() => {
      if (l.saying !== null) {
        spoke = true;
        if (silenceTimer) clearTimeout(silenceTimer);
        silenceTimer = null;
      } else if (spoke && opts.silenceSeconds !== undefined && !silenceTimer)
        silenceTimer = setTimeout(() => finish('silence'), opts.silenceSeconds * 1000);
    }, 20);
    const unsubscribe = this.onDtmf(leg, (d) => {
      if (opts.stopDigits?.includes(d.digit)) finish('dtmf');
    });
    return { done, stop: () => finish('stopped') };
  }

  /** Every fax started on a leg, in order. */
  readonly faxes: FakeFax[] = [];

  fax(leg: Leg, opts: FaxOptions): FaxHandle {
    const l = FakeMedia.leg(leg);
    if (!l?.media || l.state !== 'answered') throw new MediaError(`leg ${leg.id} has no media for a fax`);
    this.playing.get(leg)?.stop();
    const fax = new FakeFax(leg, opts);
    this.faxes.push(fax);
    for (const w of this.faxWaiters.splice(0)) w();
    return fax;
  }

  /** The far end sends the fax calling tone (CNG). */
  faxTone(leg: Leg): void {
    this.tone(leg, 'fax-cng');
  }

  private readonly faxWaiters: Array<() => void> = [];

  /** Fax number `after` (0-based) once it started. */
  async nextFax(after = 0): Promise<FakeFax> {
    while (!this.faxes[after]) await new Promise<void>((r) => this.faxWaiters.push(r));
    return this.faxes[after];
  }

  onDtmf(leg: Leg, listener: (d: DtmfEvent) => void): () => void {
    const l = FakeMedia.leg(leg) ?? leg;
    let set = this.dtmf.get(l);
    if (!set) this.dtmf.set(l, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** A far end saying 1100 Hz for half a second is a fax calling (CNG); tone() says it at once. */
  onTone(leg: Leg, tone: DetectableTone, listener: () => void): () => void {
    const l = FakeMedia.leg(leg) ?? leg;
    let set = this.tones.get(l);
    if (!set) this.tones.set(l, (set = new Set()));
    let heardMs = 0;
    const watch = setInterval(() => {
      heardMs = FakeMedia.leg(leg)?.saying === 1100 ? heardMs + 20 : 0;
      if (heardMs >= 500) this.tone(leg, tone);
    }, 20);
    const entry = {
      tone,
      fn: () => {
        clearInterval(watch);
        listener();
      },
    };
    set.add(entry);
    return () => {
      clearInterval(watch);
      set.delete(entry);
    };
  }

  /** The far end sends a tone (a fax's CNG): each listener for it is called once. */
  tone(leg: Leg, tone: DetectableTone): void {
    const l = FakeMedia.leg(leg) ?? leg;
    for (const e of [...(this.tones.get(l) ?? [])]) {
      if (e.tone !== tone) continue;
      this.tones.get(l)?.delete(e);
      e.fn();
    }
  }

  /** The far end keys digits. */
  digits(leg: Leg, digits: string): void {
    const l = FakeMedia.leg(leg) ?? leg;
    for (const digit of digits)
      for (const fn of [...(this.dtmf.get(l) ?? [])]) fn({ digit, durationMs: 100, source: 'rfc4733' });
  }

  async sendDtmf(
    leg: Leg,
    digits: string,
    opts: { durationMs?: number; pauseMs?: number } = {},
  ): Promise<void> {
    const l = FakeMedia.leg(leg);
    if (!l?.media) return;
    for (const d of digits) {
      l.digitsSent.push(d);
      await new Promise((r) => setTimeout(r, (opts.durationMs ?? 100) + (opts.pauseMs ?? 100)));
    }
  }
}

/** A playback into a fake room: ends after its length in samples at 8 kHz (loops never), or when stopped. */
class FakeRoomPlayback implements RoomPlayback {
  #end!: () => void;
  readonly done = new Promise<void>((r) => (this.#end = r));
  #timer: NodeJS.Timeout | null = null;
  stopped = false;
  constructor(
    readonly pcm: Int16Array,
    readonly loop: boolean,
  ) {
    if (!loop) this.#timer = setTimeout(() => this.stop(), Math.ceil(pcm.length / 8));
  }
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.stopped = true;
    this.#end();
  }
}

/** A member of a fake room: its mix settings and what was played to it; talk and floor set by the test. */
export class FakeRoomMember implements RoomMediaMember {
  talk = false;
  floor = false;
  left = false;
  readonly played: FakeRoomPlayback[] = [];
  constructor(
    readonly room: FakeRoom,
    readonly leg: Leg,
    public mix: MemberMix,
  ) {}
  update(changes: Partial<MemberMix>): void {
    this.mix = { ...this.mix, ...changes };
  }
  play(pcm: Int16Array, opts: { loop?: boolean } = {}): RoomPlayback {
    const p = new FakeRoomPlayback(pcm, opts.loop ?? false);
    this.played.push(p);
    return p;
  }
  /** What plays to the member now (null: nothing of its own). */
  get playing(): Int16Array | null {
    return this.played.findLast((p) => !p.stopped)?.pcm ?? null;
  }
  leave(): void {
    if (this.left) return;
    this.left = true;
    for (const p of this.played) p.stop();
    this.room.members.delete(this);
  }
}

/** A fake conference room: who is in it, and what everybody heard. */
export class FakeRoom implements RoomMedia {
  readonly members = new Set<FakeRoomMember>();
  readonly playedAll: Int16Array[] = [];
  closed = false;
  constructor(readonly onActivity: (changed: readonly RoomMediaMember[]) => void) {}
  playAll(pcm: Int16Array): RoomPlayback {
    this.playedAll.push(pcm);
    return new FakeRoomPlayback(pcm, false);
  }
  close(): void {
    this.closed = true;
    for (const m of [...this.members]) m.leave();
  }
  /** The test makes a member talk (or stop): the room hears of it as from a mixer. */
  talking(member: FakeRoomMember, talk: boolean): void {
    member.talk = talk;
    member.floor = talk;
    this.onActivity([member]);
  }
}

export class FakeConference implements ConferencePort<FakeRoom> {
  readonly rooms: FakeRoom[] = [];
  readonly createRoom = (onActivity: (changed: readonly RoomMediaMember[]) => void): FakeRoom => {
    const r = new FakeRoom(onActivity);
    this.rooms.push(r);
    return r;
  };
  attach(room: FakeRoom, leg: Leg, mix: MemberMix): RoomMediaMember {
    const l = leg instanceof FakeAccountLeg ? leg.winner : leg instanceof FakeLeg ? leg : null;
    if (!l?.media) throw new MediaError(`leg ${leg.id} has no media to conference`);
    const m = new FakeRoomMember(room, leg, mix);
    room.members.add(m);
    return m;
  }
  /** The room member of a leg, if it is in one. */
  memberOf(leg: Leg): FakeRoomMember | null {
    for (const r of this.rooms) for (const m of r.members) if (m.leg === leg) return m;
    return null;
  }
}

class FakeRecorded implements RecordedMedia {
  readonly location;
  discarded = false;
  constructor(
    private readonly media: FakeMedia,
    readonly heardSpeech: boolean,
  ) {
    this.location = { kind: 'file', path: `/fake/recording-${nextId('')}.wav` } as const;
  }
  async discard(): Promise<void> {
    this.discarded = true;
    void this.media;
  }
}

export interface FakeAdapterOptions {
  /** Where account targets find their devices, and where register() binds them. */
  location?: Pick<LocationStore, 'bindings' | 'bind'>;
  /** Digest credentials register() checks passwords against. */
  accounts?: AccountCredentials;
  /** Media references resolve through it (null: missing, the playback fails); absent: every medium exists. */
  media?: MediaLocator;
  /** Where other nodes reach this one: a `node` target with this uri comes back in as an inbound leg. */
  nodeUri?: string;
}

export class FakeAdapter extends EventEmitter<{ outbound: [FakeOutboundLeg] }> implements TelephonyAdapter {
  readonly kind = 'fake';
  readonly media: FakeMedia;
  readonly conference = new FakeConference();
  private handler: ((leg: InboundLeg) => void) | null = null;
  /** Legs sent to the network (trunk legs and every device leg of an account), in order. */
  readonly outbound: FakeOutboundLeg[] = [];
  readonly presenceUpdates: Array<{ number: string; info: DialogInfo }> = [];
  readonly mailboxUpdates: Array<{ owner: string; state: MailboxState }> = [];
  readonly notifies: Array<{ binding: DeviceBinding; account: string; req: NotifyRequest }> = [];
  private started = false;

  private readonly location: Pick<LocationStore, 'bindings' | 'bind'> | null;
  private readonly accounts: AccountCredentials | null;
  readonly nodeUri: string;

  constructor(opts: FakeAdapterOptions = {}) {
    super();
    this.nodeUri = opts.nodeUri ?? 'sip:fake-node.invalid:5060';
    this.location = opts.location ?? null;
    this.accounts = opts.accounts ?? null;
    this.media = new FakeMedia(opts.media ?? null);
  }

  /** A device registers for an account: the password checked against the account's HA1, the binding stored. */
  async register(account: string, password: string, contact: string): Promise<'ok' | 'refused'> {
    const creds = await this.accounts?.credentials(account);
    if (!creds || !this.location) return 'refused';
    const ha1 = createHash('md5').update(`${creds.name}:${creds.domain}:${password}`).digest('hex');
    if (ha1 !== creds.ha1.md5) return 'refused';
    await this.location.bind(creds, {
      contact,
      source: '192.0.2.20:5060',
      transport: 'udp',
      expires: 300,
      callId: nextId('reg-'),
      cseq: 1,
    });
    return 'ok';
  }

  readonly signaling = {
    onInbound: (h: (leg: InboundLeg) => void) => {
      this.handler = h;
    },
    originate: (req: OriginateRequest): OutboundLeg => {
      if (req.target.kind === 'account') {
        const leg = new FakeAccountLeg(req);
        const account = req.target.account;
        void (this.location?.bindings(account) ?? Promise.resolve([])).then((bindings) =>
          leg.fork(
            bindings.map((b) => this.send({ ...req, target: { kind: 'account', account } }, b.contact)),
          ),
        );
        return leg;
      }
      const out = this.send(req, null);
      if (req.target.kind === 'node' && req.target.uri === this.nodeUri) this.loopNode(out, req.target.join);
      return out;
    },
  };

  /**
   * A `node` target to this adapter's own node address: the call comes back
   * in as a node leg with the join (the pass is checked by the embedded
   * adapter's SIP; here nothing can forge it). Each side's answer and end
   * reach the other.
   */
  private loopNode(out: FakeOutboundLeg, join: NodeJoin): void {
    queueMicrotask(() => {
      if (out.state === 'ended') return;
      const inb = this.dialIn({
        origin: 'node',
        caller: out.request.from,
        called: 'conference',
        source: 'fake-node',
        join,
      });
      inb.once('answered', () => out.answer());
      inb.once('ended', () => (out.state === 'answered' ? out.remoteHangup() : out.fail('rejected')));
      out.once('ended', (_cause, by) => {
        if (by === 'local') inb.remoteHangup();
      });
    });
  }

  /** Every leg by id, so a snapshot can end its far end from "another process". */
  private readonly legsById = new Map<string, FakeLeg>();
  readonly terminated: Array<{ snapshot: LegSnapshot; cause: EndCause }> = [];

  readonly recovery: RecoveryPort = {
    snapshot: (leg) => {
      const l = leg instanceof FakeAccountLeg ? leg.winner : leg instanceof FakeLeg ? leg : null;
      if (!l || l.state !== 'answered') return null;
      this.legsById.set(l.id, l);
      return { leg: l.id };
    },
    terminate: async (snapshot, cause) => {
      this.terminated.push({ snapshot, cause });
      this.legsById.get(String(snapshot['leg']))?.markEnded(cause, 'local');
    },
  };

  readonly presence = {
    update: (number: string, info: DialogInfo) => void this.presenceUpdates.push({ number, info }),
    mailbox: (owner: string, state: MailboxState) => void this.mailboxUpdates.push({ owner, state }),
  };

  readonly notifier = {
    notify: async (binding: DeviceBinding, account: { name: string }, req: NotifyRequest) => {
      this.notifies.push({ binding, account: account.name, req });
    },
  };

  /** Contact of each device leg (null for trunk legs). */
  readonly contactOf = new WeakMap<FakeOutboundLeg, string | null>();

  private send(req: OriginateRequest, contact: string | null): FakeOutboundLeg {
    const leg = new FakeOutboundLeg(req);
    this.contactOf.set(leg, contact);
    this.outbound.push(leg);
    queueMicrotask(() => this.emit('outbound', leg));
    return leg;
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  /** A call arrives from the network. */
  dialIn(info: Partial<InboundInfo> & { called: string }): FakeInboundLeg {
    const leg = new FakeInboundLeg({
      origin: 'trunk',
      account: null,
      caller: { number: '+4930111222', display: null, clir: false },
      replaces: null,
      source: '192.0.2.1:5060',
      ...info,
    });
    if (!this.started || !this.handler) leg.reject(CAUSE.congestion);
    else this.handler(leg);
    return leg;
  }

  /** A call a SIP account places. */
  dialFromAccount(account: AccountRef, called: string, extra: Partial<InboundInfo> = {}): FakeInboundLeg {
    return this.dialIn({
      origin: 'account',
      account,
      caller: { number: account.name, display: null, clir: false },
      called,
      ...extra,
    });
  }

  /** The next leg the engine sends to the network (already sent, or the next one). */
  nextOutbound(after = 0): Promise<FakeOutboundLeg> {
    const have = this.outbound[after];
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => {
      const on = (leg: FakeOutboundLeg) => {
        if (this.outbound.indexOf(leg) < after) return;
        this.off('outbound', on);
        resolve(leg);
      };
      this.on('outbound', on);
    });
  }
}
