/**
 * The gate every call a user's account places toward the carrier passes
 * (spec 9.1.3, 9.1.5-9.1.7): the partner's call filter on the destination
 * and the call's service, the usergroup's concurrent-call limit (a lease
 * held while the call lasts), the credit check before the call, and the
 * zone rating whose ticks debit the credit while it runs and cut the call
 * when it is exhausted. SIP phone calls, call-through and callback all go
 * through it, so no service reaches paid destinations unbilled.
 */
import { evaluateCallFilter, type CallService } from '../../domain/policy/call-filter.js';
import type { EmergencyRoute } from '../../domain/policy/emergency.js';
import { rate, tickPlan } from '../../domain/policy/zone-filter.js';
import type { CallLimiter } from '../../store/redis/call-limit.js';
import type { CreditStore } from '../../store/redis/credit.js';
import type { Leg, Logger } from '../adapter.js';
import { CAUSE, type EndCause } from '../causes.js';
import { startBilling } from './billing.js';
import type { OutboundPolicy } from './directory.js';
import { toE164, type OriginateExtra } from './targets.js';

export interface TrunkGateDeps {
  limiter: CallLimiter;
  credit: CreditStore;
  log: Logger;
}

export type TrunkGate =
  | { ok: false; cause: EndCause }
  | {
      ok: true;
      /** The destination after the filter's replace operators, E.164. */
      number: string;
      /** Originate extras: the asserted identity, an emergency call's UUI. */
      extra: OriginateExtra;
      /** Starts the zone billing of the connected call (a no-op when free); ends both legs when credit runs out. */
      bill: (a: Leg, b: Leg) => void;
    };

/** Renew the call-limit lease at a third of its lifetime (call-limit.ts). */
const LEASE_RENEW_MS = 30_000;

/**
 * Checks a call of `policy`'s user to `destination` for `service`. The
 * call-limit lease is taken for `holder` and released when it ends. An
 * emergency route skips filter, limit and billing.
 */
export async function gateTrunkCall(
  policy: OutboundPolicy,
  destination: string,
  service: CallService,
  holder: Leg,
  d: TrunkGateDeps,
  opts: { clir: boolean; emergency?: EmergencyRoute | null },
): Promise<TrunkGate> {
  const emergency = opts.emergency ?? null;
  let candidate = emergency ? emergency.destination : destination;
  if (!emergency && policy.callFilter) {
    const r = evaluateCallFilter(policy.callFilter, { number: candidate, service });
    if (!r.allowed) return { ok: false, cause: CAUSE.callFilter };
    candidate = r.number;
  }
  const number = toE164(candidate);
  if (!number) return { ok: false, cause: CAUSE.invalidNumber };
  const group = policy.usergroup;
  const ticks = policy.zoneFilter && group && !emergency ? tickPlan(rate(policy.zoneFilter, number)) : null;
  if (group && !emergency) {
    // The limit's slot and the credit for the first tick, in one round trip.
    const slot =
      ticks && !ticks.free
        ? await d.limiter.admit(group, holder.id, policy.callLimit, {
            key: d.credit.key(group),
            need: ticks.amount(0),
          })
        : await d.limiter.acquire(group, holder.id, policy.callLimit);
    if (!slot.ok)
      return { ok: false, cause: slot.refused === 'credit' ? CAUSE.creditExhausted : CAUSE.callLimit };
    const renew = setInterval(
      () => void d.limiter.renew(group, holder.id).catch(() => undefined),
      LEASE_RENEW_MS,
    );
    const release = () => {
      clearInterval(renew);
      void d.limiter.release(group, holder.id).catch(() => undefined);
    };
    if (holder.state === 'ended') release();
    else holder.once('ended', release);
  }
  const extra: OriginateExtra = {
    ...(policy.assertedIdentity && !opts.clir ? { assertedIdentity: policy.assertedIdentity } : {}),
    ...(emergency?.uui !== undefined ? { uui: emergency.uui } : {}),
  };
  return {
    ok: true,
    number,
    extra,
    bill: (a, b) => {
      if (!ticks || ticks.free || !group) return;
      const billing = startBilling(
        d.credit,
        group,
        ticks,
        () => {
          a.hangup(CAUSE.creditExhausted);
          b.hangup(CAUSE.creditExhausted);
        },
        d.log,
      );
      a.once('ended', () => billing.stop());
      b.once('ended', () => billing.stop());
    },
  };
}
