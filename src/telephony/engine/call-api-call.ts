/**
 * One call under REST control (spec 3.24): its control queue (a StepQueue
 * that waits when empty), the controls as steps on the call's own leg
 * through the media port, the call as GET /api/call shows it, and a
 * call_update (spec 7.18.1) with what changed each time it changes, in
 * order. DTMF collection sends call_dtmf (7.18.2); a recording runs beside
 * the queue and its object's uuid comes in a call_update when it is saved.
 */
import {
  callDtmf,
  callUpdate,
  checkControls,
  viewChanges,
  type CallApiView,
  type CallFacts,
  type Control,
  type ControlRequest,
} from '../../domain/call/call-api.js';
import type { CallApiReply, PlayKind } from '../../domain/call/call-api-bus.js';
import type { Bridge, InboundLeg, Leg, PromptSource, RecordHandle } from '../adapter.js';
import type { Call } from '../call/call.js';
import { aborted, StepQueue, type Step, type StepSignal } from '../call/steps.js';
import { CAUSE } from '../causes.js';
import type { EngineContext } from './context.js';

/** What an ApiCall needs beyond the engine's context (CallApiEngine gives it). */
export interface ApiCallHost {
  /** The other call-API calls of this node (bridge). */
  find(uuid: string): ApiCall | undefined;
  /** Publishes an event to the owner's subscribed sessions and writes the live view; in order per call. */
  changed(call: ApiCall, event: 'call_update' | 'call_dtmf', payload: Record<string, unknown>): Promise<void>;
  /** The call ended: its last view is kept (GET /api/call?state=hangup). */
  finished(call: ApiCall): Promise<void>;
}

const sec = (ms: number): number => Math.floor(ms / 1000);

export class ApiCall {
  readonly queue: StepQueue;
  readonly owner: string;
  private published: CallApiView | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** Facts after every queued control (the illegal-state check of `append`). */
  private projected: CallFacts | null = null;
  private early = false;
  private recorder: { handle: RecordHandle; discard: boolean } | null = null;
  /** Resolves once the recordings stopped so far are saved (or discarded). */
  private saving: Promise<void> = Promise.resolve();
  private recording: string | null = null;
  private dtmfOff: (() => void) | null = null;
  private bridged: { other: ApiCall; bridge: Bridge; hangupBoth: boolean } | null = null;
  /** Any control request came (the idle timeout stops). */
  controlled = false;
  readonly ended: Promise<void>;

  constructor(
    readonly call: Call,
    owner: string,
    private readonly d: EngineContext,
    private readonly host: ApiCallHost,
  ) {
    this.owner = owner;
    this.queue = new StepQueue(call, {
      whenIdle: 'wait',
      onError: (err, step) => d.log.error({ err, call: call.uuid, step }, 'call API control failed'),
    });
    this.queue.on('change', () => this.refresh());
    this.queue.on('idle', () => (this.projected = null));
    // The end is published once, with the bridge and recording it ends (below).
    call.on('state', () => {
      if (!call.ended) this.refresh();
    });
    this.ended = new Promise((resolve) => {
      call.once('ended', () => {
        this.queue.close();
        this.dtmfOff?.();
        this.stopRecording(false, false);
        this.unbridge(true);
        this.refresh();
        // The finished call is kept with the recording its end saved.
        void this.chain
          .then(() => this.saving)
          .then(() => this.chain)
          .then(() => host.finished(this))
          // Not kept (the database or Redis went away, as at a shutdown): logged, never an
          // unhandled rejection. A live entry left behind expires; a dead process's is reaped.
          .catch((err: unknown) => this.d.log.warn({ err, call: this.uuid }, 'finished API call not kept'))
          .finally(resolve);
      });
    });
    this.refresh();
  }

  get uuid(): string {
    return this.call.uuid;
  }

  /** Resolves once every change so far is published (and the live view written). */
  settled(): Promise<void> {
    return this.chain;
  }

  private get leg(): Leg | null {
    return this.call.own;
  }

  /** The call as GET /api/call lists it. */
  view(): CallApiView {
    const c = this.call;
    const p = c.parties;
    const v: CallApiView = {
      incoming: p.incoming,
      to: p.to ?? '',
      from: p.from ?? 'anonymous',
      ...(p.clip ? { clip: p.clip } : {}),
      clir: p.clir,
      status: c.state,
      create_time: sec(c.createdAt),
      record_on: this.recorder !== null,
    };
    if (c.answeredAt !== null) v.answer_time = sec(c.answeredAt);
    if (c.endedAt !== null) v.hangup_time = sec(c.endedAt);
    if (c.ended && c.cause) v.hangup_cause = c.cause.q850;
    const current = this.queue.current?.id;
    if (current !== undefined && !c.ended) v.current_control_id = current;
    // The control running when the call ended (a hangup, or one cut short) is the last one.
    const last = c.ended && current !== undefined ? current : this.queue.lastId;
    if (last !== null) v.last_control_id = last;
    if (this.recording) v.recording = this.recording;
    if (this.bridged) v.bridge = this.bridged.other.uuid;
    return v;
  }

  /** Publishes what changed since the last call_update (nothing when nothing did). */
  refresh(): void {
    const v = this.view();
    const changes = viewChanges(this.published, v);
    this.published = v;
    if (Object.keys(changes).length === 0) return;
    this.emit('call_update', callUpdate(this.uuid, changes));
  }

  private emit(event: 'call_update' | 'call_dtmf', payload: Record<string, unknown>): void {
    this.chain = this.chain
      .then(() => this.host.changed(this, event, payload))
      .catch((err: unknown) => this.d.log.warn({ err, call: this.uuid }, 'call API event not published'));
  }

  /** Where the call is now, as the illegal-state rules see it. */
  facts(): CallFacts {
    const status = this.early && this.call.state === 'ringing' ? 'progress' : this.call.state;
    return {
      incoming: this.call.parties.incoming,
      status,
      bridged: this.bridged !== null,
      recording: this.recorder !== null,
    };
  }

  /** POST /api/call/(uuid)/control on this node. */
  control(request: ControlRequest, objects: Record<string, PlayKind>): CallApiReply {
    this.controlled = true;
    const now = this.facts();
    const busy = this.queue.current !== null || this.queue.size > 0;
    const from =
      request.queue === 'append' && busy && this.projected && now.status !== 'hangup' ? this.projected : now;
    const checked = checkControls(from, request.controls);
    if (!checked.ok) return { ok: false, status: 'illegal-state', message: checked.message };
    for (const c of request.controls) {
      if (c.control !== 'bridge') continue;
      const other = this.host.find(c.call);
      if (!other || other.owner !== this.owner || other === this)
        return {
          ok: false,
          status: 'illegal-state',
          message: `the call ${c.call} is not one of your calls here`,
        };
    }
    this.projected = checked.facts;
    const steps = request.controls.map((c) => this.step(c, objects));
    if (request.queue === 'append') this.queue.append(steps);
    else if (request.queue === 'clear') this.queue.replace(steps);
    else this.queue.interrupt(steps);
    return { ok: true };
  }

  private step(c: Control, objects: Record<string, PlayKind>): Step {
    return { kind: c.control, id: c.id, run: (signal) => this.run(c, objects, signal) };
  }

  private async run(c: Control, objects: Record<string, PlayKind>, signal: StepSignal): Promise<void> {
    const leg = this.leg;
    if (!leg || leg.state === 'ended') return;
    const inbound = this.call.parties.incoming ? (leg as InboundLeg) : null;
    switch (c.control) {
      case 'ring':
        inbound?.ring();
        return;
      case 'progress':
        if (inbound && (await inbound.earlyMedia())) this.early = true;
        return;
      case 'answer':
        await inbound?.answer();
        return;
      case 'hangup':
        this.call.hangup(c.hangup_cause === 16 ? CAUSE.normal : { q850: c.hangup_cause });
        return;
      case 'sleep':
        await this.sleep(c.duration, signal);
        return;
      case 'silence':
        await this.play(leg, [{ kind: 'silence', durationMs: c.duration }], signal);
        return;
      case 'tone':
        await this.play(leg, toneSources(c), signal, c.loop === 0);
        return;
      case 'play': {
        const kind = objects[c.object] ?? 'announcement';
        await this.play(leg, [{ kind: 'media', ref: { kind, uuid: c.object } }], signal);
        return;
      }
      case 'record_start':
        this.startRecording(leg, c.limit);
        return;
      case 'record_stop':
        this.stopRecording(c.discard);
        return;
      case 'dtmf_collect':
        this.dtmfOff?.();
        this.dtmfOff = null;
        if (c.enable)
          this.dtmfOff = this.d.media.onDtmf(leg, (e) =>
            this.emit('call_dtmf', callDtmf(this.uuid, e.digit, e.durationMs)),
          );
        return;
      case 'dtmf_send':
        await Promise.race([
          this.d.media.sendDtmf(leg, c.digits, { durationMs: Math.min(c.duration, MAX_DTMF_MS) }),
          aborted(signal),
        ]);
        return;
      case 'bridge':
        await this.bridge(c.call, c.hangup_both);
        return;
      case 'split':
        this.unbridge(false);
        return;
    }
  }

  private async sleep(ms: number, signal: StepSignal): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onEnded: () => void = () => undefined;
    const ended = new Promise<void>((r) => {
      onEnded = () => r();
      this.call.once('ended', onEnded);
    });
    await Promise.race([new Promise((r) => (timer = setTimeout(r, ms))), aborted(signal), ended]);
    clearTimeout(timer);
    this.call.off('ended', onEnded);
  }

  private async play(
    leg: Leg,
    sources: readonly PromptSource[],
    signal: StepSignal,
    loop = false,
  ): Promise<void> {
    if (signal.aborted) return;
    const handle = this.d.media.play(leg, sources, loop ? { loop: true } : {});
    const stop = () => handle.stop();
    signal.addEventListener('abort', stop, { once: true });
    await handle.done;
    signal.removeEventListener('abort', stop);
  }

  private startRecording(leg: Leg, limit: number): void {
    const handle = this.d.media.record(leg, { maxSeconds: limit });
    const rec = { handle, discard: false };
    this.recorder = rec;
    this.refresh();
    const saved = handle.done.then(async (result) => {
      // Ended by its limit: record_on goes now, the recording's uuid when it is saved.
      if (this.recorder === rec) {
        this.recorder = null;
        this.refresh();
      }
      let uuid: string | null = null;
      if (result.media && rec.discard) await result.media.discard().catch(() => undefined);
      else if (result.media) {
        const p = this.call.parties;
        uuid = await this.d.voice
          .saveRecording({
            owner: this.owner,
            from: p.from ?? 'anonymous',
            to: p.to ?? '',
            media: result.media,
          })
          .catch((err: unknown) => {
            this.d.log.error({ err, call: this.uuid }, 'call API recording not saved');
            return null;
          });
      }
      if (uuid) this.recording = uuid;
      this.refresh();
    });
    this.saving = this.saving.then(() => saved);
  }

  /**
   * record_stop (or the call's end, which publishes the change with the rest
   * of the end): record_on goes at once, the recording's uuid comes when it
   * is saved.
   */
  private stopRecording(discard: boolean, publish = true): void {
    const rec = this.recorder;
    if (!rec) return;
    rec.discard = discard;
    this.recorder = null;
    rec.handle.stop();
    if (publish) this.refresh();
  }

  private async bridge(uuid: string, hangupBoth: boolean): Promise<void> {
    const other = this.host.find(uuid);
    const a = this.leg;
    const b = other?.leg;
    if (!other || !a || !b || other.bridged || this.bridged || other.call.ended) return;
    other.queue.interrupt([]);
    let bridge: Bridge;
    try {
      bridge = await this.d.media.bridge(a, b);
    } catch (err) {
      this.d.log.info({ err, call: this.uuid, other: uuid }, 'call API bridge failed');
      return;
    }
    this.bridged = { other, bridge, hangupBoth };
    other.bridged = { other: this, bridge, hangupBoth };
    this.refresh();
    other.refresh();
  }

  /** Ends the bridge (split, or one side ended: then the other ends too when hangup_both). */
  private unbridge(ending: boolean): void {
    const b = this.bridged;
    if (!b) return;
    this.bridged = null;
    b.other.bridged = null;
    void b.bridge.unbridge().catch(() => undefined);
    if (ending && b.hangupBoth) b.other.call.hangup(this.call.cause ?? CAUSE.normal);
    else b.other.refresh();
    if (!ending) this.refresh();
  }
}

/** The longest tone burst one source holds (the players render a cycle of at most a minute). */
const MAX_BURST_MS = 60_000;
/** What G.711 at 8 kHz can carry: a tone at or above it (or 0 Hz) is played as silence. */
const NYQUIST_HZ = 4000;
/** DTMF digits last at most this long (an RFC 4733 event's 16-bit duration at 8 kHz). */
export const MAX_DTMF_MS = 8000;

/** A tone control as the sources to play: `loop` times tone (+ interval); loop 0 is played in a loop. */
export function toneSources(c: Extract<Control, { control: 'tone' }>): PromptSource[] {
  const audible = c.frequency > 0 && c.frequency < NYQUIST_HZ;
  const burst: PromptSource[] = [];
  for (let left = c.duration; left > 0; left -= MAX_BURST_MS) {
    const durationMs = Math.min(left, MAX_BURST_MS);
    burst.push(
      audible ? { kind: 'tone', frequencies: [c.frequency], durationMs } : { kind: 'silence', durationMs },
    );
  }
  const one: PromptSource[] = c.interval ? [...burst, { kind: 'silence', durationMs: c.interval }] : burst;
  const times = c.loop === undefined || c.loop === 0 ? 1 : c.loop;
  return Array.from({ length: times }, () => one).flat();
}
