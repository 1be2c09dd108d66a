/**
 * Fax over the line (spec 3.13, issue 18), the engine's side of it:
 * - sending: the FaxDialer the fax send worker (services/fax-sender.ts)
 *   runs each attempt through: an outgoing call of the user's through the
 *   trunk gate (call filter service `fax`, call limit, credit, zone
 *   billing), a CDR of service `fax`, and once answered the adapter's fax
 *   (T.38 when both ends agree, G.711 audio otherwise) with the report's
 *   hooks fed from its progress;
 * - receiving: `receiveFax`, the step of an answered call that takes a fax
 *   into a new fax object of the number owner's inbox.
 * Everything about SIP, UDPTL and T.30 is the adapter's (MediaPort.fax).
 */
import { EventEmitter } from 'node:events';
import type { FaxDialer, FaxDialHooks, FaxDialOutcome, FaxDialRequest } from '../../services/fax-sender.js';
import type { IncomingFax } from '../../services/fax-inbox.js';
import {
  callDroppedFax,
  type FaxHandle,
  type FaxOutcome,
  type InboundLeg,
  type Leg,
  type LegEvents,
  type OutboundLeg,
} from '../adapter.js';
import { dialInTarget, type DialInTarget } from '../../domain/conference/dial-in.js';
import type { Route } from '../../domain/routing/types.js';
import { step, type Step, type StepSignal } from '../call/steps.js';
import { CAUSE, type EndCause } from '../causes.js';
import type { EngineContext } from './context.js';
import type { FaxLineOptions, FaxReceiveDeps } from './fax-types.js';
import { gateTrunkCall } from './trunk-gate.js';

const DEFAULT_RING_MS = 60_000;
/** 100 pages at 14,400 bit/s stay well within it. */
const DEFAULT_MAX_FAX_MS = 60 * 60_000;

/** SIP status of a cause that ended an unanswered attempt (the report's sip_status_code). */
function sipStatusOfCause(cause: EndCause | null): number {
  if (cause?.sipStatus) return cause.sipStatus;
  switch (cause?.name) {
    case 'busy':
      return 486;
    case 'no-answer':
      return 408;
    case 'rejected':
    case 'call-filter':
      return 403;
    case 'not-found':
      return 404;
    case 'invalid-number':
      return 484;
    case 'call-limit':
    case 'congestion':
      return 503;
    case 'credit-exhausted':
      return 402;
    case 'cancelled':
      return 487;
    default:
      return 480;
  }
}

/**
 * Who holds the call-limit lease of a fax attempt from before its leg
 * exists until it ends (the trunk gate leases per leg).
 */
class AttemptHolder extends EventEmitter<LegEvents> implements Leg {
  readonly id: string;
  state: Leg['state'] = 'new';
  readonly startedAt = Date.now();
  readonly answeredAt = null;
  endedAt: number | null = null;
  endCause: EndCause | null = null;
  constructor(readonly call: string) {
    super();
    this.id = `fax-${call}`;
  }
  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endedAt = Date.now();
    this.endCause = cause;
    this.emit('ended', cause, 'local');
  }
}

/** Waits for the leg's answer: null once answered, else the cause it failed with. */
function answerOf(leg: OutboundLeg, timeoutMs: number, signal: StepSignal): Promise<EndCause | null> {
  if (leg.state === 'answered') return Promise.resolve(null);
  if (leg.state === 'ended') return Promise.resolve(leg.endCause ?? CAUSE.normal);
  return new Promise((resolve) => {
    const done = (r: EndCause | null) => {
      clearTimeout(timer);
      leg.off('answered', onAnswered);
      leg.off('ended', onEnded);
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAnswered = () => done(null);
    const onEnded = (cause: EndCause) => done(cause);
    const onAbort = () => {
      leg.hangup(CAUSE.cancelled);
      done(CAUSE.cancelled);
    };
    const timer = setTimeout(() => {
      leg.hangup(CAUSE.noAnswer);
      done(CAUSE.noAnswer);
    }, timeoutMs);
    leg.once('answered', onAnswered);
    leg.once('ended', onEnded);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fax` to its end; the hooks' report updates go in the order the events came. */
async function runFax(
  fax: FaxHandle,
  hooks: {
    negotiated?: FaxDialHooks['negotiated'];
    page: (pagesDone: number, pageCount: number | null) => Promise<void>;
  },
  maxMs: number,
  log: EngineContext['log'],
): Promise<FaxOutcome> {
  let chain: Promise<void> = Promise.resolve();
  const queue = (fn: () => Promise<void>) => {
    chain = chain.then(fn).catch((err: unknown) => log.warn({ err }, 'fax report update failed'));
  };
  if (hooks.negotiated) {
    const negotiated = hooks.negotiated;
    fax.on('negotiated', (info) => queue(() => negotiated(info)));
  }
  fax.on('page', (p) => queue(() => hooks.page(p.pagesDone, p.pageCount)));
  const limit = setTimeout(() => fax.stop(), maxMs);
  try {
    const outcome = await fax.done;
    await chain;
    return outcome;
  } finally {
    clearTimeout(limit);
  }
}

/** The FaxDialer of a telephony node: each send attempt is one outgoing fax call. */
export class EngineFaxDialer implements FaxDialer {
  constructor(
    private readonly d: EngineContext,
    /** Read at each attempt (a node may change them while it runs). */
    readonly opts: FaxLineOptions,
  ) {}

  async send(req: FaxDialRequest, hooks: FaxDialHooks, signal: StepSignal): Promise<FaxDialOutcome> {
    const d = this.d;
    const call = d.newCall({ incoming: false, from: req.from, to: req.to, clip: null, clir: false });
    call.assign(req.owner, req.from);
    const holder = new AttemptHolder(call.uuid);
    try {
      if (signal.aborted)
        return { cancelled: true, answered: false, sipStatusCode: null, faxErrorCode: null };
      const policy = await d.directory.outboundPolicy(req.owner, '');
      const gate = await gateTrunkCall(policy, req.to, 'fax', holder, d, { clir: false });
      if (!gate.ok) {
        d.log.info({ report: req.report, reason: gate.cause.reason }, 'fax call refused');
        return { answered: false, sipStatusCode: sipStatusOfCause(gate.cause), faxErrorCode: null };
      }
      const leg = call.originate({
        target: { kind: 'trunk', number: gate.number },
        from: { number: req.from, display: null, clir: false },
        ...gate.extra,
      });
      const cdrId = d.cdrs.track(leg, {
        phone: req.from,
        userId: req.owner,
        service: 'fax',
        b_number: gate.number,
      });
      const releaseCdr = d.cdrs.hold(cdrId);
      let pagesDone = 0;
      try {
        const failed = await answerOf(leg, this.opts.ringTimeoutMs ?? DEFAULT_RING_MS, signal);
        if (failed) {
          return {
            answered: false,
            cancelled: failed === CAUSE.cancelled || signal.aborted,
            sipStatusCode: sipStatusOfCause(failed),
            faxErrorCode: null,
          };
        }
        gate.bill(leg, leg);
        await hooks.answered(200);
        const fax = d.media.fax(leg, {
          direction: 'send',
          ident: req.ident ?? req.from,
          header: req.header,
          tiff: req.tiff,
          t38: this.opts.t38,
        });
        const onAbort = () => fax.stop();
        signal.addEventListener('abort', onAbort, { once: true });
        let outcome: FaxOutcome;
        try {
          outcome = await runFax(
            fax,
            {
              negotiated: (info) => hooks.negotiated(info),
              page: (done, count) => {
                pagesDone = done;
                return hooks.page({ pagesDone: done, pageCount: count });
              },
            },
            this.opts.maxFaxMs ?? DEFAULT_MAX_FAX_MS,
            d.log,
          );
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
        pagesDone = outcome.pagesDone;
        return {
          answered: true,
          cancelled: signal.aborted,
          sipStatusCode: 200,
          faxErrorCode: outcome.faxErrorCode,
          pagesDone: outcome.pagesDone,
          remoteIdent: outcome.remoteIdent,
          bitRate: outcome.bitRate,
          ecm: outcome.ecm,
          transport: outcome.transport,
          durationMs: outcome.durationMs,
        };
      } finally {
        call.hangup(signal.aborted ? CAUSE.cancelled : CAUSE.normal);
        releaseCdr({ ...(req.fax ? { fax_id: req.fax } : {}), page_count: pagesDone });
      }
    } finally {
      holder.hangup();
      call.hangup();
    }
  }
}

/** The caller's side of an answered route (domain/conference/dial-in.ts). */
type AnsweredRoute = Extract<Route, { kind: 'answer' }>;

/**
 * The step of a carrier call whose answered route has fax on (spec 3.9
 * fax_enable, conference off): fax-only numbers answer and receive at once
 * (not every fax machine sends CNG); with recording_enable the
 * announcement plays while the caller's audio is watched for CNG, which
 * decides fax (dial-in.ts's rule), else the voice box goes on after it.
 */
export function receiveFax(
  leg: InboundLeg,
  route: AnsweredRoute,
  input: { owner: string; number: string; from: string },
  d: EngineContext,
  voicebox: (announcement: string | null, record: boolean) => Step,
): Step {
  return step('fax', async (): Promise<Step[] | void> => {
    const fax = d.fax;
    if (!fax) {
      leg.reject(CAUSE.unavailable);
      return;
    }
    if (route.voicebox) {
      await leg.answer();
      if (leg.state !== 'answered') return;
      const target = await announceListening(leg, route, input.owner, d);
      if (target !== 'fax') {
        if (leg.state !== 'answered') return;
        return [voicebox(null, route.voicebox.record)];
      }
    }
    await receiveInto(leg, input, d, fax);
    return undefined;
  });
}

/** Plays the announcement (or the leave-message prompt) while listening for CNG. */
async function announceListening(
  leg: InboundLeg,
  route: AnsweredRoute,
  owner: string,
  d: EngineContext,
): Promise<DialInTarget> {
  let tone = false;
  let onTone: () => void = () => undefined;
  const heard = new Promise<void>((r) => (onTone = r));
  const unsubscribe = d.media.onTone(leg, 'fax-cng', () => {
    tone = true;
    onTone();
  });
  try {
    const greeting = route.announcement ? await d.voice.announcement(owner, route.announcement) : null;
    const ref =
      greeting ?? (await d.voice.prompts(owner))(route.voicebox?.record ? 'leave-message' : 'not-available');
    const playing = d.media.play(leg, [{ kind: 'media', ref }]);
    await Promise.race([playing.done, heard]);
    playing.stop();
  } finally {
    unsubscribe();
  }
  return dialInTarget(route, tone ? { kind: 'fax-tone' } : { kind: 'nothing' });
}

/**
 * Receives a fax on the answered call into a new fax object of the owner's
 * inbox (status `record`, incoming report `transmit`), pages reported as
 * they come, then `ok` with the pages or `fail` with the T.30 code
 * (fax_report events), and the spec 8.2.1 push once pages arrived. The
 * call ends with the fax.
 */
export async function receiveInto(
  leg: InboundLeg,
  input: { owner: string; number: string; from: string },
  d: Pick<EngineContext, 'log' | 'media'>,
  fax: FaxReceiveDeps,
): Promise<void> {
  if (leg.state !== 'answered') await leg.answer();
  if (leg.state !== 'answered') return;
  let incoming: IncomingFax;
  try {
    incoming = await fax.inbox.startReceive({ owner: input.owner, from: input.from, to: input.number });
  } catch (err) {
    d.log.error({ err, number: input.number }, 'fax reception not started');
    leg.hangup(CAUSE.failure);
    return;
  }
  let outcome: FaxOutcome;
  if (leg.state !== 'answered') {
    outcome = callDroppedFax();
  } else {
    let handle: FaxHandle;
    try {
      handle = d.media.fax(leg, {
        direction: 'receive',
        ident: input.number,
        output: incoming.output,
        t38: fax.t38,
      });
    } catch (err) {
      d.log.warn({ err, number: input.number }, 'no fax on this call');
      handle = failedFax();
    }
    outcome = await runFax(
      handle,
      { page: (done) => fax.inbox.pageReceived(incoming, done) },
      fax.maxFaxMs ?? DEFAULT_MAX_FAX_MS,
      d.log,
    );
  }
  leg.hangup(CAUSE.normal);
  const { push } = await fax.inbox.finishReceive(incoming, { ...outcome, sipStatusCode: 200 });
  if (push && fax.pushFaxNew) {
    await fax.pushFaxNew(push.owner, push.fax, push.phone, Number(push.page_count)).catch((err: unknown) => {
      d.log.warn({ err }, 'fax_new push not queued');
    });
  }
}

function failedFax(): FaxHandle {
  const h = new EventEmitter() as FaxHandle;
  Object.assign(h, { done: Promise.resolve(callDroppedFax()), stop: () => undefined });
  return h;
}
