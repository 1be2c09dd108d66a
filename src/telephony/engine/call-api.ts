/**
 * The call API on a telephony node (spec 3.24): incoming calls to numbers
 * with `call_enable` wait in status `calling` for controls (rejected with
 * CALL_API_IDLE_CAUSE when none comes in time), `dial` places an outgoing
 * call of the user's through the trunk gate (call filter service `call`,
 * call limit, credit, zone billing; CDR service `call`), and control
 * requests that reached this node (store/redis/call-api.ts) go to the
 * call's queue. Events go to the owner's subscribed sessions; a finished
 * call's last view is kept for GET /api/call?state=hangup.
 */
import { EventEmitter } from 'node:events';
import { callUpdate, crashedView, viewChanges, type CallApiView } from '../../domain/call/call-api.js';
import type {
  CallApiReply,
  ControlCommand,
  DialRequest,
  LiveApiCall,
  LiveApiCalls,
} from '../../domain/call/call-api-bus.js';
import type { EndCause, InboundLeg, Leg, LegEvents, LegState } from '../adapter.js';
import type { Call } from '../call/call.js';
import { CAUSE } from '../causes.js';
import { ApiCall } from './call-api-call.js';
import type { CallApiHooks, EngineContext } from './context.js';
import { gateTrunkCall } from './trunk-gate.js';

/**
 * Why an incoming call-API call that got no control in CALL_API_IDLE_S ends:
 * Q.850 102, "recovery on timer expiry" (a SIP caller sees 504).
 */
export const CALL_API_IDLE_CAUSE: EndCause = Object.freeze({ q850: 102, reason: 'no call API control' });

/** Where the call API's events and finished calls go (the platform gives it: telephony/platform). */
export interface CallApiSink {
  /** Publishes to the sessions of `owner` subscribed with GET /api/call/event. */
  publish(owner: string, event: string, payload: Record<string, unknown>): Promise<void>;
  /** The live calls every API node lists; null: this node's memory only (tests). */
  live: LiveApiCalls | null;
  /** Keeps a finished call's last view (migration 016). */
  store(uuid: string, owner: string, view: CallApiView): Promise<void>;
}

export interface CallApiOptions {
  node: string;
  /** The process (node id and incarnation) holding the calls, for the crash reaper; absent: not recorded. */
  process?: string;
  /** How long an incoming call waits for its first control (ms). */
  idleMs: number;
}

export class CallApiEngine implements CallApiHooks {
  private readonly calls = new Map<string, ApiCall>();

  constructor(
    private readonly d: EngineContext,
    private readonly sink: CallApiSink,
    private readonly opts: CallApiOptions,
  ) {}

  get size(): number {
    return this.calls.size;
  }

  get(uuid: string): ApiCall | undefined {
    return this.calls.get(uuid);
  }

  /** Resolves once every call that is ending now is kept (stored, and gone from the live list). */
  async drain(): Promise<void> {
    await Promise.all([...this.calls.values()].map((c) => c.ended));
  }

  async serveInbound(call: Call, _leg: InboundLeg, owner: string): Promise<void> {
    const api = this.track(call, owner);
    const timer = setTimeout(() => {
      if (!api.controlled) call.hangup(CALL_API_IDLE_CAUSE);
    }, this.opts.idleMs);
    await api.ended;
    clearTimeout(timer);
  }

  /**
   * POST /api/call/dial on this node: answers once the call exists (status
   * init) and every API node can find it; the rest runs on.
   */
  async dial(req: DialRequest): Promise<CallApiReply> {
    if (this.calls.has(req.uuid)) return { ok: true };
    const call = this.d.newCall(
      { incoming: false, from: req.from, to: req.to, clip: req.clip, clir: req.clir },
      req.uuid,
    );
    call.assign(req.owner, req.from);
    const api = this.track(call, req.owner);
    await api.settled();
    void this.place(call, req).catch((err: unknown) => {
      this.d.log.error({ err, call: call.uuid }, 'call API dial failed');
      call.hangup(CAUSE.failure);
    });
    return { ok: true };
  }

  /** A control request for a call of this node. */
  control(cmd: ControlCommand): CallApiReply {
    const api = this.calls.get(cmd.uuid);
    if (!api || api.owner !== cmd.owner) return { ok: false, status: 'wrong-call', message: 'no such call' };
    return api.control(cmd.request, cmd.objects);
  }

  /** The outgoing leg, once the trunk gate let it through. */
  private async place(call: Call, req: DialRequest): Promise<void> {
    const policy = await this.d.directory.outboundPolicy(req.owner, '');
    const holder = new CallHolder(call);
    const gate = await gateTrunkCall(policy, req.to, 'call_api', holder, this.d, { clir: req.clir });
    if (call.ended) return;
    if (!gate.ok) {
      this.d.log.info({ call: call.uuid, reason: gate.cause.reason }, 'call API dial refused');
      call.hangup(gate.cause);
      return;
    }
    const leg = call.originate({
      ...gate.extra,
      target: { kind: 'trunk', number: gate.number },
      from: { number: req.clip ?? req.from, display: null, clir: req.clir },
    });
    this.d.cdrs.track(leg, {
      phone: req.from,
      userId: req.owner,
      service: 'call',
      a_number: req.clip ?? req.from,
      b_number: gate.number,
    });
    leg.once('answered', () => gate.bill(leg, leg));
  }

  private track(call: Call, owner: string): ApiCall {
    const live = this.sink.live;
    const proc = this.opts.process;
    const entry = (api: ApiCall): LiveApiCall => ({
      uuid: api.uuid,
      owner,
      node: this.opts.node,
      ...(proc !== undefined ? { process: proc } : {}),
      view: api.view(),
    });
    const api = new ApiCall(call, owner, this.d, {
      find: (uuid) => this.calls.get(uuid),
      changed: async (c, event, payload) => {
        if (event === 'call_update' && !c.call.ended) await live?.put(entry(c));
        await this.sink.publish(owner, event, payload);
      },
      finished: async (c) => {
        this.calls.delete(c.uuid);
        await this.sink.store(c.uuid, owner, c.view());
        await live?.remove(entry(c));
      },
    });
    this.calls.set(call.uuid, api);
    return api;
  }
}

/**
 * Ends the call-API calls a telephony process that died left (the crash
 * reaper, telephony/recovery.ts): each is stored as ended at `endMs` with
 * cause `q850` (GET /api/call?state=hangup), its owner's sessions get the
 * last call_update, and it leaves the live list. `recordings` holds what the
 * reaper kept of recordings in progress, by call. Answers how many calls
 * were ended; a failure throws, and what is left is tried again.
 */
export async function endCrashedApiCalls(
  sink: CallApiSink & { live: LiveApiCalls },
  process: string,
  endMs: number,
  q850: number,
  recordings: ReadonlyMap<string, string> = new Map(),
): Promise<number> {
  const calls = await sink.live.ofProcess(process);
  for (const c of calls) {
    const last = crashedView(c.view, endMs, q850, recordings.get(c.uuid) ?? null);
    await sink.store(c.uuid, c.owner, last);
    await sink.publish(c.owner, 'call_update', callUpdate(c.uuid, viewChanges(c.view, last)));
    await sink.live.remove(c);
  }
  return calls.length;
}

/**
 * Stands for a dialled call in the trunk gate before its leg exists: the
 * call-limit lease is the call's and ends with it.
 */
class CallHolder extends EventEmitter<LegEvents> implements Leg {
  readonly id: string;
  readonly call: string;
  readonly startedAt: number;

  constructor(private readonly c: Call) {
    super();
    this.id = `call-api:${c.uuid}`;
    this.call = c.uuid;
    this.startedAt = c.createdAt;
    c.once('ended', (cause) => this.emit('ended', cause, 'local'));
  }

  get state(): LegState {
    return this.c.ended ? 'ended' : this.c.state === 'answered' ? 'answered' : 'new';
  }

  get answeredAt(): number | null {
    return this.c.answeredAt;
  }

  get endedAt(): number | null {
    return this.c.endedAt;
  }

  get endCause(): EndCause | null {
    return this.c.cause;
  }

  hangup(cause?: EndCause): void {
    this.c.hangup(cause);
  }
}
