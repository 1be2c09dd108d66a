/**
 * Call-reverse (spec 4.2 `callreverse_enable`, `POST /api/dialplan/callreverse`,
 * events 7.14.2-7.14.3): a ring target of the user's dialplan that no
 * network leg serves. While the call rings, the process is announced to the
 * user (`dialplan_callreverse_start`); the user's application may then set
 * a filter number, and a carrier call from that number to one of the user's
 * dialplan numbers takes the ringing call over: it is connected to the
 * caller and the other targets stop ringing. The process ends
 * (`dialplan_callreverse_stop`) when the ringing does: answered elsewhere,
 * taken by the call-reverse call, given up, or the caller hung up.
 *
 * In the Ringer the target is a virtual leg (CallreverseLeg) that rings
 * until it is cancelled and never answers itself; the matched call takes
 * the ringing call through the pickup registry, like a BLF pickup (the
 * inbound call writes its CDR with the service `call_reverse`). The virtual
 * leg has its CDR like every rung target (`b_number` "callreverse", never
 * answered).
 *
 * Several telephony nodes: the process state in Redis names the node the
 * call rings on (its NODE_SIP_URI). A call-reverse call that lands on
 * another node calls that node with a signed pass for the user
 * (lib/node-token.ts); there it takes the ringing call like a local one
 * (and the CDR is written there), and the two legs are bridged on the node
 * it landed on until either ends. Refused there (the call no longer rings),
 * the call-reverse call is routed as any other call.
 *
 * Decisions where the spec is silent: one process per user (a newer ringing
 * call replaces the older's, which then ends without its own stop event);
 * the process state in Redis lapses 10 s after the ring timeout (5 minutes
 * without one) should the node die;
 * `phone_from` is `anonymous` for a caller with CLIR.
 */
import { randomUUID } from 'node:crypto';
import { SafeEmitter } from '../../lib/safe-emitter.js';
import type {
  InboundLeg,
  LegEvents,
  LegState,
  Logger,
  MediaPort,
  OriginateTarget,
  OutboundLeg,
} from '../adapter.js';
import type { Call } from '../call/call.js';
import { step, type Step } from '../call/steps.js';
import { CAUSE, type EndCause } from '../causes.js';
import { connect } from './connect.js';
import type { DialplanCallStore } from './dialplan-store.js';
import type { InboundPlan } from './directory.js';
import type { PickupRegistry } from './presence.js';
import { toE164 } from './targets.js';

const DEFAULT_TTL_MS = 300_000;

/** The ring target's leg: rings from the start event until cancelled; fails (unavailable) if the process cannot start. */
export class CallreverseLeg extends SafeEmitter<LegEvents> implements OutboundLeg {
  readonly id = `callreverse-${randomUUID()}`;
  readonly startedAt = Date.now();
  state: LegState = 'new';
  answeredAt: number | null = null;
  endedAt: number | null = null;
  endCause: EndCause | null = null;

  constructor(
    readonly call: string,
    readonly target: OriginateTarget,
  ) {
    super();
  }

  ringing(): void {
    if (this.state !== 'new') return;
    this.state = 'ringing';
    this.safeEmit('progress', 'ringing');
  }

  fail(): void {
    if (this.state === 'ended') return;
    this.end(CAUSE.congestion, 'remote');
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.state !== 'ended') this.end(cause, 'local');
  }

  private end(cause: EndCause, by: 'local' | 'remote'): void {
    this.state = 'ended';
    this.endedAt = Date.now();
    this.endCause = cause;
    this.safeEmit('ended', cause, by);
  }
}

interface Process {
  owner: string;
  /** The ringing call's Call-ID (its pickup registry entry). */
  callId: string;
  leg: CallreverseLeg;
}

/** What call-reverse needs of the node's dialplan functions (dialplan-calls.ts). */
export interface CallreverseHost {
  readonly store: DialplanCallStore;
  readonly log: Logger;
  readonly callreverse: CallreverseProcesses;
}

/** The call-reverse processes of the calls ringing on this node, one per user. */
export class CallreverseProcesses {
  private readonly current = new Map<string, Process>();

  /** `contact`: this node's SIP URI, stored with each process for the other nodes. */
  constructor(
    private readonly store: DialplanCallStore,
    private readonly log: Logger,
    readonly contact?: string,
  ) {}

  open(
    call: string,
    owner: string,
    caller: InboundLeg,
    phoneFrom: string,
    phoneTo: string,
    ttlMs: number,
  ): CallreverseLeg {
    const leg = new CallreverseLeg(call, CALLREVERSE_TARGET);
    const p: Process = { owner, callId: caller.dialog.callId, leg };
    this.current.set(owner, p);
    const started = this.store.startCallreverse(owner, phoneFrom, phoneTo, ttlMs, this.contact).then(
      () => {
        leg.ringing();
        return true;
      },
      (err: unknown) => {
        this.log.warn({ err, owner }, 'call-reverse not started');
        leg.fail();
        return false;
      },
    );
    leg.once('ended', () => {
      if (this.current.get(owner) !== p) return;
      this.current.delete(owner);
      void started.then(async (ok) => {
        if (!ok) return;
        await this.store
          .stopCallreverse(owner)
          .catch((err: unknown) => this.log.warn({ err, owner }, 'call-reverse stop not signalled'));
      });
    });
    return leg;
  }

  /** The user's ringing process on this node, if any. */
  active(owner: string): Process | null {
    const p = this.current.get(owner);
    return p && p.leg.state !== 'ended' ? p : null;
  }
}

/** The target a call-reverse leg stands for (no network leg serves it). */
const CALLREVERSE_TARGET: OriginateTarget = Object.freeze({ kind: 'trunk', number: 'callreverse' });

/**
 * The `callreverse` ring target of a call to `plan` (spec 4.2): opens the
 * call-reverse process of the ringing call and rings as a CallreverseLeg on
 * the call; null when the dialplan functions are not served here (the
 * target is then unavailable).
 */
export function openCallreverse(
  calls: CallreverseHost | undefined,
  call: Call,
  caller: InboundLeg,
  plan: InboundPlan,
): CallreverseLeg | null {
  if (!calls) return null;
  const route = plan.plan.route;
  const ttlMs =
    route.kind === 'ring' && route.timeout !== null ? (route.timeout + 10) * 1000 : DEFAULT_TTL_MS;
  const c = caller.info.caller;
  const phoneFrom = c.clir || !c.number ? 'anonymous' : (toE164(c.number) ?? c.number);
  const leg = calls.callreverse.open(call.uuid, plan.owner, caller, phoneFrom, plan.number, ttlMs);
  call.join(leg);
  return leg;
}

/**
 * A carrier call from `caller` to one of the owner's dialplan numbers: when
 * it is the filter number of the owner's ringing call-reverse process, the
 * ringing call is handed to it (true): here, or on the node it rings on.
 */
export async function tryCallreverse(
  call: Call,
  leg: InboundLeg,
  owner: string,
  caller: string,
  calls: CallreverseHost,
  d: { pickups: PickupRegistry; media: MediaPort },
): Promise<boolean> {
  const p = calls.callreverse.active(owner);
  const state = await calls.store.callreverseState(owner).catch((err: unknown) => {
    calls.log.warn({ err, owner }, 'call-reverse state not read');
    return null;
  });
  if (state?.filter === undefined || toE164(state.filter) !== caller) return false;
  if (!p) return takeOnNode(call, leg, owner, state.node, calls, d.media);
  const ringing = d.pickups.byCallId(p.callId);
  if (!ringing?.pickup(leg, call)) return false;
  calls.log.info({ leg: leg.id, owner, caller }, 'call-reverse: the ringing call is taken');
  return true;
}

/**
 * The ringing call is on another node: a call to it with the user's pass
 * takes it there; once that node answered, the call-reverse call is
 * answered and bridged with it until either ends. False when that node
 * refused (the call no longer rings): the call is routed as usual.
 */
async function takeOnNode(
  call: Call,
  leg: InboundLeg,
  owner: string,
  node: string | undefined,
  calls: CallreverseHost,
  media: MediaPort,
): Promise<boolean> {
  if (!node || node === calls.callreverse.contact) return false;
  const other = call.originate({
    target: { kind: 'node', uri: node, join: { callreverse: owner } },
    from: leg.info.caller,
  });
  const answered = await new Promise<boolean>((resolve) => {
    if (other.state === 'answered' || other.state === 'ended' || leg.state === 'ended')
      return resolve(other.state === 'answered');
    const done = (ok: boolean) => () => {
      other.off('answered', yes);
      other.off('ended', no);
      leg.off('ended', no);
      resolve(ok);
    };
    const yes = done(true);
    const no = done(false);
    other.once('answered', yes);
    other.once('ended', no);
    leg.once('ended', no);
  });
  if (!answered) {
    other.hangup(CAUSE.normal);
    // The caller gone meanwhile: nothing left to route.
    return leg.state === 'ended';
  }
  calls.log.info({ leg: leg.id, owner, node }, 'call-reverse: the ringing call is taken on its node');
  await connect(media, leg, other, { log: calls.log });
  return true;
}

/**
 * A call from another node with a call-reverse pass (origin `node`): takes
 * the user's call ringing here, or is refused (404) when none does. The
 * ringing call writes the call-reverse CDR, as for a local one.
 */
export function callreverseNodeStep(
  call: Call,
  leg: InboundLeg,
  d: {
    dialplan?: { callreverse: CallreverseProcesses } | null;
    pickups: PickupRegistry;
    log: Logger;
  },
): Step {
  return step('callreverse-node', async () => {
    const join = leg.info.join;
    const owner = join && 'callreverse' in join ? join.callreverse : null;
    const p = owner && d.dialplan ? d.dialplan.callreverse.active(owner) : null;
    const ringing = p ? d.pickups.byCallId(p.callId) : null;
    if (!ringing?.pickup(leg, call)) {
      d.log.info({ owner, source: leg.info.source }, 'node call for no ringing call-reverse');
      leg.reject(CAUSE.notFound);
      return;
    }
    d.log.info({ leg: leg.id, owner }, 'call-reverse: the ringing call is taken from another node');
  });
}
