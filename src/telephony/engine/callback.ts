/**
 * Callback (spec 4.2 `POST /api/dialplan/callback`): the API queues the
 * request on a Redis list; a worker on each telephony node takes requests
 * off it (BRPOP on its own connection, so every request is placed once
 * across nodes) and places two carrier legs: first to the user's `cti_via`,
 * and once the user answers, to the destination `to`, bridged to the first.
 * The `from` number is the caller id on both legs.
 *
 * Decisions where the spec is silent: `clir_enable` hides the caller id on
 * the destination's leg only (the user's own phone always sees `from`);
 * `clip_number` is not used (the spec names `from` as the caller on both
 * legs); each leg rings for at most 60 s; a destination that is neither
 * E.164 nor one of the user's SIP accounts, or an account without a
 * registration, ends the first leg (404 / 480 cause); a request older than
 * a minute when taken (no telephony node was consuming) is dropped. The
 * user hears the ring tone while the destination rings. A carrier
 * destination passes the user's call filter (service `callback`), call
 * limit and credit, and is billed by the zone filter.
 *
 * CDRs (spec 9.1.4): service `call_back`, phone `from`; the first leg is the
 * root, the destination's leg its child.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { CallParty, Leg, OutboundLeg } from '../adapter.js';
import type { Call } from '../call/call.js';
import { step } from '../call/steps.js';
import { closableDuplicate } from '../../lib/closable-redis.js';
import { CAUSE, ringFailure, type EndCause } from '../causes.js';
import { TONES } from '../tones.js';
import { dialplanDestination } from './callthrough.js';
import { bridgeUntilEnd } from './connect.js';
import type { EngineContext } from './context.js';
import { targetRequest, toE164, type OriginateExtra } from './targets.js';
import { gateTrunkCall } from './trunk-gate.js';
import { DEFAULT_HOLD_MUSIC } from './voice/prompts.js';

/** A callback request as the API queues it (spec 4.2 `POST /api/dialplan/callback`). */
export interface CallbackRequest {
  user: string;
  from: string;
  to: string;
  via: string;
  clip_number: string | null;
  clir_enable: boolean;
  /** When the API took the request (µs since epoch). */
  requested_us: number;
}

export interface CallbackOptions {
  /** How long each leg may ring (ms). */
  ringTimeoutMs?: number;
  /** Requests older than this when taken are dropped (ms). */
  maxAgeMs?: number;
}

export type CallbackEnd =
  /** Both legs were connected; `cause` ended the call. */
  | { kind: 'bridged'; cause: EndCause }
  /** The user's `cti_via` leg was not answered; no second call. */
  | { kind: 'first-failed'; cause: EndCause }
  /** The destination was not reached; the first leg was ended with `cause`. */
  | { kind: 'second-failed'; cause: EndCause }
  /** The user hung up while the destination rang. */
  | { kind: 'abandoned' }
  | { kind: 'invalid'; reason: string };

const DEFAULT_RING_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_AGE_MS = 60_000;

/** One callback being placed: an outgoing call of the user's, its first leg to `cti_via`. */
export class CallbackCall {
  readonly call: Call;
  first: OutboundLeg | null = null;
  second: OutboundLeg | null = null;
  /** Resolves true once both legs are bridged, false when that will not happen. */
  readonly bridged: Promise<boolean>;
  readonly done: Promise<CallbackEnd>;
  private markBridged!: (b: boolean) => void;

  constructor(
    readonly request: CallbackRequest,
    private readonly d: EngineContext,
    private readonly opts: CallbackOptions = {},
  ) {
    this.bridged = new Promise((r) => (this.markBridged = r));
    this.call = d.newCall({
      incoming: false,
      from: request.from,
      to: request.to,
      clip: null,
      clir: request.clir_enable,
    });
    this.call.assign(request.user, request.from);
    let finish!: (end: CallbackEnd) => void;
    this.done = new Promise<CallbackEnd>((r) => (finish = r)).then((end) => {
      this.markBridged(false);
      return end;
    });
    // A call ended before its step ran (shutdown) reports here; a running step reports itself.
    let started = false;
    this.call.once('ended', () => {
      if (!started) finish({ kind: 'invalid', reason: 'the call ended before it was placed' });
    });
    this.call.steps.append([
      step('callback', async () => {
        started = true;
        try {
          finish(await this.run());
        } catch (err) {
          d.log.error({ err, user: request.user }, 'callback failed');
          finish({ kind: 'invalid', reason: 'internal error' });
          throw err;
        }
      }),
    ]);
  }

  /** Ends whatever legs exist (shutdown). */
  hangup(cause: EndCause = CAUSE.normal): void {
    this.call.hangup(cause);
  }

  private async run(): Promise<CallbackEnd> {
    const req = this.request;
    const d = this.d;
    const ringMs = this.opts.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS;
    const via = toE164(req.via);
    if (!via) return { kind: 'invalid', reason: 'cti_via is not a phone number' };
    const a = this.call.originate({
      target: { kind: 'trunk', number: via },
      from: { number: req.from, display: null, clir: false },
    });
    this.first = a;
    const rootId = d.cdrs.track(a, {
      phone: req.from,
      userId: req.user,
      service: 'call_back',
      b_number: via,
    });
    const first = await dial(a, ringMs, null);
    if (first) return { kind: 'first-failed', cause: first };
    const dest = await dialplanDestination(req.to, req.user, d.directory);
    if (!dest) {
      a.hangup(CAUSE.notFound);
      return { kind: 'second-failed', cause: CAUSE.notFound };
    }
    const from: CallParty = { number: req.from, display: null, clir: req.clir_enable };
    // A carrier destination passes the user's call filter, call limit and credit like any outgoing call.
    let target = dest.target;
    let extra: OriginateExtra = {};
    let bill: (x: Leg, y: Leg) => void = () => undefined;
    if (target.type === 'phone') {
      const policy = await d.directory.outboundPolicy(req.user, '');
      const gate = await gateTrunkCall(policy, target.number, 'callback', a, d, { clir: from.clir });
      if (!gate.ok) {
        a.hangup(gate.cause);
        return { kind: 'second-failed', cause: gate.cause };
      }
      target = { type: 'phone', number: gate.number };
      extra = gate.extra;
      bill = gate.bill;
    }
    const request = targetRequest(target, from, extra);
    if (hasEnded(a)) return { kind: 'abandoned' };
    if (!request) {
      a.hangup(CAUSE.unavailable);
      return { kind: 'second-failed', cause: CAUSE.unavailable };
    }
    // The user hears the ring tone while the destination rings; the call's legs share a codec.
    const ringing = d.media.play(a, [TONES.ringback]);
    const b = this.call.originate(request);
    this.second = b;
    d.cdrs.track(b, {
      phone: req.from,
      userId: req.user,
      service: 'call_back',
      b_number: dest.label,
      parent: rootId,
      root: rootId,
    });
    const second = await dial(b, ringMs, a);
    ringing.stop();
    if (second) {
      if (hasEnded(a)) return { kind: 'abandoned' };
      a.hangup(second);
      return { kind: 'second-failed', cause: second };
    }
    bill(a, b);
    const ended = bridgeUntilEnd(d.media, a, b, { holdMusic: async () => DEFAULT_HOLD_MUSIC, log: d.log });
    this.markBridged(true);
    return { kind: 'bridged', cause: await ended };
  }
}

/** Read through a call: the state changes while awaiting (no narrowing). */
const hasEnded = (leg: Leg): boolean => leg.state === 'ended';

/**
 * Waits for `leg` to answer: null when it did; otherwise the cause it
 * failed with, after `timeoutMs` (no answer, the leg cancelled), or when
 * `abort` ends first (cancelled).
 */
function dial(leg: OutboundLeg, timeoutMs: number, abort: Leg | null): Promise<EndCause | null> {
  if (abort?.state === 'ended') {
    leg.hangup(CAUSE.cancelled);
    return Promise.resolve(CAUSE.cancelled);
  }
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: EndCause | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      abort?.off('ended', onAbort);
      if (r) leg.hangup(r);
      resolve(r);
    };
    const timer = setTimeout(() => finish(CAUSE.noAnswer), timeoutMs);
    const onAbort = () => finish(CAUSE.cancelled);
    abort?.once('ended', onAbort);
    leg.once('answered', () => finish(null));
    leg.once('ended', (cause) => finish(ringFailure(cause) === 'busy' ? CAUSE.busy : cause));
    if (leg.state === 'answered') finish(null);
    else if (leg.state === 'ended') finish(leg.endCause ?? CAUSE.unavailable);
  });
}

function parseRequest(text: string): CallbackRequest | null {
  try {
    const r = JSON.parse(text) as Partial<CallbackRequest>;
    if (
      typeof r.user !== 'string' ||
      typeof r.from !== 'string' ||
      typeof r.to !== 'string' ||
      typeof r.via !== 'string' ||
      typeof r.requested_us !== 'number'
    )
      return null;
    return {
      user: r.user,
      from: r.from,
      to: r.to,
      via: r.via,
      clip_number: r.clip_number ?? null,
      clir_enable: r.clir_enable === true,
      requested_us: r.requested_us,
    };
  } catch {
    return null;
  }
}

/**
 * Takes callback requests off the Redis list `queueKey` (LPUSHed by the API,
 * so BRPOP serves them in order) and places them. `call` is emitted for each.
 */
export class CallbackWorker extends EventEmitter<{ call: [CallbackCall] }> {
  private conn: Redis | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  readonly active = new Set<CallbackCall>();

  constructor(
    private readonly redis: Redis,
    private readonly queueKey: string,
    private readonly d: EngineContext,
    private readonly opts: CallbackOptions = {},
  ) {
    super();
  }

  start(): void {
    if (this.loop) return;
    // A blocking BRPOP holds its connection: a dedicated one, that stop() can end while Redis is down.
    const conn = closableDuplicate(this.redis);
    conn.on('error', (err) => {
      if (!this.stopped) this.d.log.warn({ err }, 'callback queue connection error');
    });
    this.conn = conn;
    this.loop = this.run(conn);
  }

  private async run(conn: Redis): Promise<void> {
    const maxAgeUs = (this.opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS) * 1000;
    while (!this.stopped) {
      let item: [string, string] | null;
      try {
        item = await conn.brpop(this.queueKey, 1);
      } catch (err) {
        if (this.stopped) break;
        this.d.log.warn({ err }, 'callback queue read failed');
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!item || this.stopped) continue;
      const req = parseRequest(item[1]);
      if (!req) {
        this.d.log.warn({ text: item[1].slice(0, 200) }, 'malformed callback request dropped');
        continue;
      }
      if (Date.now() * 1000 - req.requested_us > maxAgeUs) {
        this.d.log.info({ user: req.user }, 'stale callback request dropped');
        continue;
      }
      this.d.log.info({ user: req.user, via: req.via, to: req.to }, 'callback');
      const call = new CallbackCall(req, this.d, this.opts);
      this.active.add(call);
      void call.done.then(() => this.active.delete(call));
      this.emit('call', call);
    }
  }

  /** Stops taking requests and ends the callbacks in progress (their CDRs are written as they end). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.conn?.disconnect();
    for (const call of [...this.active]) call.hangup(CAUSE.normal);
    await this.loop;
  }
}
