/**
 * One call (spec 3.24): a v1 uuid, the leg it was made for (the caller's,
 * or the first leg dialled out) and the legs originated on its behalf, a
 * state that follows its own leg (`init` -> `calling` -> `progress` /
 * `ringing` -> `answered` -> `hangup`), its timestamps and hang-up cause,
 * and a queue of steps (ring, play, record, IVR, bridge ...) that the engine
 * and the call API feed. It knows no protocol: legs come from the adapter.
 */
import { SafeEmitter } from '../../lib/safe-emitter.js';
import type { Leg, OriginateRequest, OutboundLeg, SignalingPort } from '../adapter.js';
import { CAUSE, type EndCause } from '../causes.js';
import { StepQueue, type StepHost } from './steps.js';

import type { CallState } from '../../domain/call/live-call.js';

export type { CallState } from '../../domain/call/live-call.js';

/** Who is calling whom (spec 3.24 call fields), as far as known. */
export interface CallParties {
  /** true: from the network toward the platform (spec `incoming`). */
  incoming: boolean;
  /** A-party (spec `from`): a number, an account name, or 'anonymous'. */
  from: string | null;
  /** B-party (spec `to`). */
  to: string | null;
  /** A number shown in place of `from` (spec `clip`), when it differs. */
  clip: string | null;
  clir: boolean;
}

export interface CallEvents {
  /** The call's state changed. */
  state: [state: CallState, previous: CallState];
  /** A leg joined the call (the call's own leg first). */
  leg: [leg: Leg];
  /** Owner or parties became known or changed. */
  info: [];
  ended: [cause: EndCause];
}

export interface CallOptions {
  uuid: string;
  /** The node that holds the call (its legs and media). */
  node: string;
  parties: CallParties;
  signaling: SignalingPort;
  /** What happens when the step queue runs dry while the call is up (engine flows hang up; the call API waits). */
  whenIdle?: 'hangup' | 'wait';
  now?: () => number;
  onStepError?: (err: unknown, step: string) => void;
}

export class Call extends SafeEmitter<CallEvents> implements StepHost {
  readonly uuid: string;
  readonly node: string;
  readonly legs: Leg[] = [];
  /** The leg the call is: the caller's, or the first one dialled out. */
  own: Leg | null = null;
  state: CallState;
  readonly createdAt: number;
  answeredAt: number | null = null;
  endedAt: number | null = null;
  cause: EndCause | null = null;
  /** The user the call belongs to, once routing knows (number or account owner, API user). */
  owner: string | null = null;
  /** The platform number the call is for, once known. */
  number: string | null = null;
  parties: CallParties;
  readonly steps: StepQueue;
  private readonly signaling: SignalingPort;
  private readonly now: () => number;

  constructor(o: CallOptions) {
    super();
    this.uuid = o.uuid;
    this.node = o.node;
    this.parties = o.parties;
    this.signaling = o.signaling;
    this.now = o.now ?? Date.now;
    this.createdAt = this.now();
    this.state = o.parties.incoming ? 'calling' : 'init';
    this.steps = new StepQueue(this, {
      whenIdle: o.whenIdle ?? 'hangup',
      ...(o.onStepError ? { onError: o.onStepError } : {}),
    });
  }

  get ended(): boolean {
    return this.state === 'hangup';
  }

  /** Sets who the call belongs to (routing found the number's or the account's owner). */
  assign(owner: string | null, number: string | null, parties?: Partial<CallParties>): void {
    this.owner = owner;
    this.number = number;
    if (parties) this.parties = { ...this.parties, ...parties };
    this.safeEmit('info');
  }

  /** Makes `leg` the call's own leg: the call's state follows it and ends with it. */
  adopt(leg: Leg): void {
    if (this.own) throw new Error(`call ${this.uuid} has its leg already`);
    this.own = leg;
    this.join(leg);
    const progress = (kind: 'ringing' | 'early') => this.move(kind === 'ringing' ? 'ringing' : 'progress');
    const answered = () => {
      this.answeredAt = leg.answeredAt ?? this.now();
      this.move('answered');
    };
    const ended = (cause: EndCause) => this.finish(cause);
    leg.on('progress', progress);
    leg.once('answered', answered);
    leg.once('ended', ended);
    this.detachOwn = () => {
      leg.off('progress', progress);
      leg.off('answered', answered);
      leg.off('ended', ended);
    };
    if (!this.parties.incoming) this.move('calling');
    if (leg.state === 'answered') answered();
    if (leg.state === 'ended') this.finish(leg.endCause ?? CAUSE.normal);
  }

  private detachOwn: () => void = () => undefined;

  /**
   * Gives the call's own leg to another call (a phone picking up a ringing
   * call, a call-reverse call taking it): this call ends, the leg stays up.
   */
  handOver(to: Call): void {
    const leg = this.own;
    if (!leg || this.ended) return;
    this.detachOwn();
    this.legs.splice(this.legs.indexOf(leg), 1);
    this.own = null;
    to.join(leg);
    this.finish(CAUSE.normal);
  }

  /** Adds a leg that works for the call (a target rung, a phone picking it up). */
  join(leg: Leg): void {
    if (this.legs.includes(leg)) return;
    this.legs.push(leg);
    this.safeEmit('leg', leg);
  }

  /** A new leg on behalf of the call: it joins the call, and is the call's own leg when it has none. */
  originate(req: Omit<OriginateRequest, 'call'>): OutboundLeg {
    const leg = this.signaling.originate({ ...req, call: this.uuid });
    if (this.own) this.join(leg);
    else this.adopt(leg);
    return leg;
  }

  /** Ends the call: every leg still up, the steps, the call itself. */
  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.ended) return;
    for (const leg of [...this.legs].reverse()) leg.hangup(cause);
    // A call without its own leg (never dialled) ends here; otherwise the own leg's end does it.
    if (!this.ended) this.finish(cause);
  }

  private move(next: CallState): void {
    const prev = this.state;
    if (prev === next || prev === 'hangup' || prev === 'answered') return;
    // Ringing after progress is news; progress after ringing is not (the far end still rings).
    if (next === 'progress' && prev === 'ringing') return;
    this.state = next;
    this.safeEmit('state', next, prev);
  }

  private finish(cause: EndCause): void {
    if (this.ended) return;
    const prev = this.state;
    this.state = 'hangup';
    this.endedAt = this.own?.endedAt ?? this.now();
    this.cause = cause;
    for (const leg of this.legs) if (leg !== this.own) leg.hangup(cause);
    this.steps.close();
    this.safeEmit('state', 'hangup', prev);
    this.safeEmit('ended', cause);
  }
}
