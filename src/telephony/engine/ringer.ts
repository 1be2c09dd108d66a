/**
 * Ringing targets (spec 4.1 parallel / linear / cyclic, spec 4.2 pools):
 * opens legs for the targets until one answers, the caller hangs up, or the
 * timeouts run out. The first answer wins and every other leg is
 * cancelled. A target that opens no leg, or whose leg fails as unreachable,
 * counts as unavailable; the failure kind comes from the leg's end cause.
 */
import type { Leg as PlanLeg, RingRoute, Target } from '../../domain/routing/types.js';
import type { Leg, OutboundLeg } from '../adapter.js';
import { CAUSE, ringFailure, unreached, worstRingFailure, type RingFailure } from '../causes.js';

export type RingOutcome =
  { kind: 'answered'; leg: OutboundLeg; target: Target } | { kind: RingFailure | 'caller-gone' };

export interface RingDeps {
  /** The legs ringing a target, already originated (none: the target is unavailable). */
  open(target: Target): Promise<OutboundLeg[]>;
  /** A target rings (the caller should hear ringing, RFC 3261 §13.3.1.1). */
  onProgress?(): void;
  /** The clock deadlines are measured on (tests use a fake one). */
  now?: () => number;
}

interface Attempt {
  outcome: Promise<RingOutcome | RingFailure>;
  cancel(): void;
}

/** Ring every target at once until one answers or the network gives up, hanging up otherwise. */
export function ringAll(targets: readonly Target[]): RingRoute {
  return {
    kind: 'ring',
    strategy: 'parallel',
    timeout: null,
    legs: targets.map((target) => ({ target, timeout: null })),
    ringback: null,
    onBusy: { kind: 'hangup' },
    onTimeout: { kind: 'hangup' },
    onUnavailable: { kind: 'hangup' },
  };
}

export class Ringer {
  private readonly now: () => number;

  constructor(private readonly d: RingDeps) {
    this.now = d.now ?? Date.now;
  }

  /** Rings until an answer, the caller (`caller`) hangs up, the timeouts run out, or `stop` resolves. */
  async ring(route: RingRoute, caller: Leg, stop?: Promise<unknown>): Promise<RingOutcome> {
    const callerGone = new Promise<'caller-gone'>((resolve) => {
      if (caller.state === 'ended') resolve('caller-gone');
      caller.once('ended', () => resolve('caller-gone'));
      void stop?.then(() => resolve('caller-gone'));
    });
    const deadline = route.timeout !== null ? this.now() + route.timeout * 1000 : null;
    if (route.strategy === 'parallel') {
      const attempt = this.attempt(route.legs, deadline);
      return this.finish(await Promise.race([attempt.outcome, callerGone]), attempt);
    }
    let last: RingFailure = 'unavailable';
    let anyReached = true;
    while (anyReached) {
      anyReached = false;
      for (const leg of route.legs) {
        if (caller.state === 'ended') return { kind: 'caller-gone' };
        if (deadline !== null && this.now() >= deadline)
          return { kind: unreached(last) ? last : 'no-answer' };
        const legDeadline = leg.timeout !== null ? this.now() + leg.timeout * 1000 : null;
        const until =
          deadline === null ? legDeadline : legDeadline === null ? deadline : Math.min(deadline, legDeadline);
        const attempt = this.attempt([leg], until);
        const r = await Promise.race([attempt.outcome, callerGone]);
        if (typeof r !== 'string' || r === 'caller-gone') return this.finish(r, attempt);
        if (!unreached(r)) anyReached = true;
        if (!unreached(r) || unreached(last)) last = r;
      }
      // Cyclic starts over while someone could be reached and time is left (spec 4.1).
      if (route.strategy !== 'cyclic') break;
    }
    return { kind: last };
  }

  private finish(r: RingOutcome | RingFailure | 'caller-gone', attempt: Attempt): RingOutcome {
    if (typeof r === 'string') {
      attempt.cancel();
      return { kind: r };
    }
    return r;
  }

  /** Rings the given plan legs at once until `until` (ms); resolves on the first answer or when all failed. */
  private attempt(legs: readonly PlanLeg[], until: number | null): Attempt {
    const live = new Set<OutboundLeg>();
    let done = false;
    let timer: NodeJS.Timeout | null = null;
    const cancelAll = (except?: OutboundLeg) => {
      for (const l of live) if (l !== except) l.hangup(CAUSE.cancelled);
      live.clear();
    };
    const outcome = new Promise<RingOutcome | RingFailure>((resolve) => {
      const failures: RingFailure[] = [];
      let pendingOpens = legs.length;
      let outstanding = 0;
      const settle = (r: RingOutcome | RingFailure) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        resolve(r);
      };
      const checkAllFailed = () => {
        if (pendingOpens === 0 && outstanding === 0 && !done) settle(worstRingFailure(failures));
      };
      if (until !== null)
        timer = setTimeout(
          () => {
            cancelAll();
            settle('no-answer');
          },
          Math.max(0, until - this.now()),
        );
      for (const planLeg of legs) {
        this.d
          .open(planLeg.target)
          .then((opened) => {
            pendingOpens--;
            if (done) {
              for (const leg of opened) leg.hangup(CAUSE.cancelled);
              return;
            }
            if (opened.length === 0) failures.push('unavailable');
            for (const leg of opened) {
              live.add(leg);
              outstanding++;
              leg.once('progress', () => this.d.onProgress?.());
              leg.once('answered', () => {
                live.delete(leg);
                if (done) {
                  leg.hangup(CAUSE.normal);
                  return;
                }
                cancelAll(leg);
                settle({ kind: 'answered', leg, target: planLeg.target });
              });
              leg.once('ended', (cause) => {
                if (!live.delete(leg)) return;
                outstanding--;
                failures.push(ringFailure(cause));
                checkAllFailed();
              });
              if (leg.state === 'ended' && live.delete(leg)) {
                outstanding--;
                failures.push(ringFailure(leg.endCause));
              }
            }
            checkAllFailed();
          })
          .catch(() => {
            pendingOpens--;
            failures.push('unavailable');
            checkAllFailed();
          });
      }
      if (legs.length === 0) checkAllFailed();
    });
    return {
      outcome,
      cancel: () => {
        done = true;
        if (timer) clearTimeout(timer);
        cancelAll();
      },
    };
  }
}
