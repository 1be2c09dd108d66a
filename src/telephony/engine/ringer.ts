/**
 * Ringing targets (spec 4.1 parallel / linear / cyclic, spec 4.2 pools):
 * originates legs on the signalling port until one answers, the caller
 * hangs up, or the timeouts run out. The first answer wins and every other
 * leg is cancelled. A target that resolves to no leg (no registration)
 * counts as unavailable.
 */
import type { Leg as PlanLeg, RingRoute, Target } from '../../domain/routing/types.js';
import {
  CAUSE,
  type InboundLeg,
  type OriginateRequest,
  type OutboundLeg,
  type SignalingPort,
} from '../ports.js';

export type RingOutcome =
  | { kind: 'answered'; leg: OutboundLeg; target: Target }
  | { kind: 'busy' | 'no-answer' | 'unavailable' | 'caller-gone' };

export interface RingDeps {
  signaling: SignalingPort;
  /** The originate requests for a target (several for a multi-contact account; none = unavailable). */
  resolve(target: Target): Promise<OriginateRequest[]>;
  /** Called for every leg originated (CDRs). */
  onLeg(leg: OutboundLeg, target: Target): void;
}

type Failure = 'busy' | 'no-answer' | 'unavailable';

interface Attempt {
  outcome: Promise<RingOutcome | Failure>;
  cancel(): void;
}

const failureOf = (status: number | null): Failure =>
  status === 486 || status === 600
    ? 'busy'
    : status === 404 || status === 480 || status === 503 || status === 410
      ? 'unavailable'
      : 'no-answer';

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
  constructor(private readonly d: RingDeps) {}

  /** Rings until an answer, the caller hangs up, the timeouts run out, or `stop` resolves (a pickup). */
  async ring(route: RingRoute, caller: InboundLeg, stop?: Promise<unknown>): Promise<RingOutcome> {
    const callerGone = new Promise<'caller-gone'>((resolve) => {
      if (caller.state === 'ended') resolve('caller-gone');
      caller.once('ended', () => resolve('caller-gone'));
      void stop?.then(() => resolve('caller-gone'));
    });
    const deadline = route.timeout !== null ? Date.now() + route.timeout * 1000 : null;
    if (route.strategy === 'parallel') {
      const attempt = this.attempt(route.legs, caller, deadline);
      return this.finish(await Promise.race([attempt.outcome, callerGone]), [attempt]);
    }
    let last: Failure = 'unavailable';
    let anyReached = true;
    while (anyReached) {
      anyReached = false;
      for (const leg of route.legs) {
        if (caller.state === 'ended') return { kind: 'caller-gone' };
        if (deadline !== null && Date.now() >= deadline)
          return { kind: last === 'unavailable' ? 'unavailable' : 'no-answer' };
        const legDeadline = leg.timeout !== null ? Date.now() + leg.timeout * 1000 : null;
        const until =
          deadline === null ? legDeadline : legDeadline === null ? deadline : Math.min(deadline, legDeadline);
        const attempt = this.attempt([leg], caller, until);
        const r = await Promise.race([attempt.outcome, callerGone]);
        if (typeof r !== 'string' || r === 'caller-gone') return this.finish(r, [attempt]);
        if (r !== 'unavailable') anyReached = true;
        if (r !== 'unavailable' || last === 'unavailable') last = r;
      }
      // Cyclic starts over while someone could be reached and time is left (spec 4.1).
      if (route.strategy !== 'cyclic') break;
    }
    return { kind: last };
  }

  private finish(r: RingOutcome | Failure | 'caller-gone', attempts: Attempt[]): RingOutcome {
    if (typeof r === 'string') {
      for (const a of attempts) a.cancel();
      return { kind: r };
    }
    return r;
  }

  /** Rings the given plan legs at once until `until` (ms); resolves on the first answer or when all failed. */
  private attempt(legs: readonly PlanLeg[], caller: InboundLeg, until: number | null): Attempt {
    const live = new Set<OutboundLeg>();
    let done = false;
    let timer: NodeJS.Timeout | null = null;
    const cancelAll = (except?: OutboundLeg) => {
      for (const l of live) if (l !== except) l.hangup(CAUSE.cancelled);
      live.clear();
    };
    const outcome = new Promise<RingOutcome | Failure>((resolve) => {
      const failures: Failure[] = [];
      let pendingResolves = legs.length;
      let outstanding = 0;
      const settle = (r: RingOutcome | Failure) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        resolve(r);
      };
      const checkAllFailed = () => {
        if (pendingResolves === 0 && outstanding === 0 && !done)
          settle(
            failures.includes('busy') ? 'busy' : failures.includes('no-answer') ? 'no-answer' : 'unavailable',
          );
      };
      if (until !== null)
        timer = setTimeout(
          () => {
            cancelAll();
            settle('no-answer');
          },
          Math.max(0, until - Date.now()),
        );
      for (const planLeg of legs) {
        this.d
          .resolve(planLeg.target)
          .then((requests) => {
            pendingResolves--;
            if (done) return;
            if (requests.length === 0) failures.push('unavailable');
            for (const req of requests) {
              const leg = this.d.signaling.originate({ ...req, offerLike: caller });
              this.d.onLeg(leg, planLeg.target);
              live.add(leg);
              outstanding++;
              // The caller hears ringing once a target rings (RFC 3261 §13.3.1.1).
              leg.once('progress', () => caller.ring());
              leg.once('answered', () => {
                live.delete(leg);
                if (done) {
                  leg.hangup(CAUSE.normal);
                  return;
                }
                cancelAll(leg);
                settle({ kind: 'answered', leg, target: planLeg.target });
              });
              leg.once('ended', () => {
                if (!live.delete(leg)) return;
                outstanding--;
                failures.push(failureOf(leg.failureStatus));
                checkAllFailed();
              });
            }
            checkAllFailed();
          })
          .catch(() => {
            pendingResolves--;
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
