/**
 * Why a leg or call ended, in the engine's words: a Q.850 cause (what CDRs
 * and the call API's `hangup_cause` carry, spec 3.24) and, where the engine
 * has one, a name. Adapters map the names to their protocol (SIP statuses:
 * src/errors/sip.ts) and report what the far end said the same way.
 */
import { formatQ850Reason } from '../domain/cdr/q850.js';

export type CauseName =
  | 'normal'
  | 'busy'
  | 'no-answer'
  | 'unavailable'
  | 'rejected'
  | 'not-found'
  | 'cancelled'
  | 'congestion'
  | 'credit-exhausted'
  | 'call-limit'
  | 'call-filter'
  | 'invalid-number'
  | 'media-timeout'
  | 'no-common-codec'
  | 'no-such-call'
  | 'failure';

export interface EndCause {
  /** ITU-T Q.850 cause value (0...127). */
  q850: number;
  /** The engine's name of the cause, where it has one; adapters prefer it over the bare Q.850 value. */
  name?: CauseName;
  /** A short text for logs and protocol reason phrases. */
  reason?: string;
  /** The SIP status that ended the leg, as a SIP adapter saw it (CDRs, logs); the engine never decides on it. */
  sipStatus?: number;
}

const cause = (q850: number, name: CauseName, reason?: string): EndCause =>
  Object.freeze(reason ? { q850, name, reason } : { q850, name });

export const CAUSE = {
  normal: cause(16, 'normal'),
  busy: cause(17, 'busy'),
  noAnswer: cause(19, 'no-answer'),
  unavailable: cause(20, 'unavailable'),
  rejected: cause(21, 'rejected'),
  notFound: cause(1, 'not-found'),
  cancelled: cause(16, 'cancelled'),
  congestion: cause(34, 'congestion'),
  creditExhausted: cause(31, 'credit-exhausted', 'credit exhausted'),
  callLimit: cause(34, 'call-limit', 'call limit reached'),
  callFilter: cause(21, 'call-filter', 'call filter'),
  invalidNumber: cause(28, 'invalid-number', 'invalid number format'),
  mediaTimeout: cause(41, 'media-timeout'),
  noCommonCodec: cause(65, 'no-common-codec', 'no common codec'),
  noSuchCall: cause(41, 'no-such-call', 'no such call'),
  failure: cause(31, 'failure'),
} as const satisfies Record<string, EndCause>;

/**
 * The RFC 3326 Reason header a leg ends with: the Q.850 value, and the
 * cause's own text where it has one (`call limit reached`), so a proxy can
 * tell a platform refusal from this node's congestion, both Q.850 34.
 */
export function reasonHeader(cause: EndCause): string {
  return formatQ850Reason(cause.q850, cause.reason);
}

/**
 * How a rung target failed, for the dialplan's busy / timeout / unavailable
 * fallbacks (spec 4.1). `congestion` is this node's own lack of resources
 * (no RTP port, no trunk): the fallbacks treat it as unavailable, but a call
 * that ends on it is refused 503 / Q.850 34, so a proxy may try another node.
 */
export type RingFailure = 'busy' | 'no-answer' | 'unavailable' | 'congestion';

export function ringFailure(c: EndCause | null): RingFailure {
  switch (c?.name) {
    case 'busy':
      return 'busy';
    case 'congestion':
      return 'congestion';
    case 'unavailable':
    case 'not-found':
    case 'call-limit':
    case 'call-filter':
    case 'credit-exhausted':
    case 'invalid-number':
      return 'unavailable';
    case undefined:
      // A cause without a name: its Q.850 value decides (17 busy; 1, 3, 18, 20, 22, 27, 34, 38, 41 unreachable).
      if (c?.q850 === 17) return 'busy';
      return c && [1, 3, 18, 20, 22, 27, 34, 38, 41].includes(c.q850) ? 'unavailable' : 'no-answer';
    default:
      return 'no-answer';
  }
}

/** A target that was not reached at all (the fallbacks' "unavailable"). */
export const unreached = (f: RingFailure): boolean => f === 'unavailable' || f === 'congestion';

/** Of several targets' failures, the one a caller hears: busy, then no answer, then unavailable, then congestion. */
export function worstRingFailure(failures: readonly RingFailure[]): RingFailure {
  for (const f of ['busy', 'no-answer', 'unavailable'] as const) if (failures.includes(f)) return f;
  return failures.length > 0 ? 'congestion' : 'unavailable';
}

/** The end cause of the worst of several ended branches (worstRingFailure), e.g. an account's devices. */
export function worstFailure(causes: readonly EndCause[]): EndCause {
  const kinds = causes.map((c) => ringFailure(c));
  return causes[kinds.indexOf(worstRingFailure(kinds))] ?? CAUSE.unavailable;
}

/** The cause a call ends with when its targets failed this way. */
const RING_FAILURE_CAUSE: Record<RingFailure, EndCause> = {
  busy: CAUSE.busy,
  'no-answer': CAUSE.noAnswer,
  unavailable: CAUSE.unavailable,
  congestion: CAUSE.congestion,
};

export const causeOfRingFailure = (f: RingFailure): EndCause => RING_FAILURE_CAUSE[f];
