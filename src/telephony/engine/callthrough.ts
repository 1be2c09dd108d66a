/**
 * Call-through (spec 4.2 `POST /api/dialplan/callthrough`): while a process
 * is outstanding, a carrier call to one of the user's dialplan numbers from
 * the process's `filter` number (any caller without a filter), or `*98`
 * dialled from one of the user's SIP accounts, is connected to the process's
 * `phone` through the carrier (or to the user's SIP account it names). The
 * process is used up by the call it connects.
 *
 * Decisions where the spec is silent: the destination sees the caller id the
 * user's own calls show (dialplan v1 `clip_number`, else the called number
 * for a carrier call / the user's first number for `*98`, and `clir_enable`);
 * `*98` ignores the filter (it names external callers); a `phone` that is
 * neither E.164 nor one of the user's SIP accounts ends the call with 404.
 * Both legs' CDRs have the service `call_through`, the caller's leg as root.
 */
import { parseTarget } from '../../domain/routing/dialplan-v2.js';
import type { Target } from '../../domain/routing/types.js';
import type { AccountRef, CallParty, InboundLeg, Leg, Logger, OutboundLeg } from '../adapter.js';
import type { Call } from '../call/call.js';
import { CAUSE } from '../causes.js';
import { ringAndConnect } from './connect.js';
import type { EngineContext } from './context.js';
import type { DialplanCallStore } from './dialplan-store.js';
import type { CallDirectory, InboundPlan, OutboundPolicy } from './directory.js';
import { shownNumber, targetRequest, toE164, type OriginateExtra } from './targets.js';
import { gateTrunkCall } from './trunk-gate.js';
import { DEFAULT_HOLD_MUSIC } from './voice/prompts.js';

/** What call-through needs of the node's dialplan functions (dialplan-calls.ts). */
export interface CallthroughHost {
  readonly store: Pick<DialplanCallStore, 'takeCallthrough'>;
  readonly log: Logger;
}

/** A call-through / callback destination: E.164 (dialled forms accepted) or one of the user's SIP accounts. */
export async function dialplanDestination(
  dest: string,
  owner: string,
  directory: CallDirectory,
): Promise<{ target: Target; label: string } | null> {
  const t = parseTarget(dest);
  if (t?.type === 'sip') {
    return (await directory.accountOwner(t.account)) === owner ? { target: t, label: t.account } : null;
  }
  const number = t?.type === 'phone' ? t.number : toE164(dest);
  return number ? { target: { type: 'phone', number }, label: number } : null;
}

export async function tryInboundCallthrough(
  call: Call,
  leg: InboundLeg,
  plan: InboundPlan,
  caller: string | null,
  calls: CallthroughHost,
  d: EngineContext,
): Promise<boolean> {
  // An anonymous caller only passes a process without a filter.
  const process = await calls.store
    .takeCallthrough(plan.owner, caller ?? 'anonymous')
    .catch((err: unknown) => {
      // Without the process state the call is routed as usual.
      calls.log.warn({ err, owner: plan.owner }, 'call-through state not read');
      return null;
    });
  if (!process) return false;
  const rootId = d.cdrs.track(leg, {
    phone: plan.number,
    userId: plan.owner,
    service: 'call_through',
    a_number: shownNumber(leg.info.caller),
  });
  const policy = await d.directory.outboundPolicy(plan.owner, '');
  const from: CallParty = { number: policy.clipNumber ?? plan.number, display: null, clir: policy.clir };
  calls.log.info({ leg: leg.id, owner: plan.owner, phone: process.phone }, 'call-through');
  await connectTo(
    call,
    leg,
    process.phone,
    from,
    { phone: plan.number, userId: plan.owner, rootId },
    policy,
    d,
  );
  return true;
}

export async function tryAccountCallthrough(
  call: Call,
  leg: InboundLeg,
  account: AccountRef,
  calls: CallthroughHost,
  d: EngineContext,
): Promise<boolean> {
  const process = await calls.store.takeCallthrough(account.owner, null);
  if (!process) {
    leg.reject({ ...CAUSE.notFound, reason: 'no call-through process' });
    return true;
  }
  const policy = await d.directory.outboundPolicy(account.owner, account.name);
  const clip = policy.clipNumber ?? policy.numbers[0] ?? null;
  const phone = clip ?? account.name;
  const rootId = d.cdrs.track(leg, {
    phone,
    userId: account.owner,
    service: 'call_through',
    a_number: account.name,
  });
  const from: CallParty = {
    number: clip,
    display: leg.info.caller.display,
    clir: policy.clir || leg.info.caller.clir,
  };
  calls.log.info({ leg: leg.id, owner: account.owner, phone: process.phone }, 'call-through (*98)');
  await connectTo(call, leg, process.phone, from, { phone, userId: account.owner, rootId }, policy, d);
  return true;
}

async function connectTo(
  call: Call,
  leg: InboundLeg,
  dest: string,
  from: CallParty,
  cdr: { phone: string; userId: string; rootId: string },
  policy: OutboundPolicy,
  d: EngineContext,
): Promise<void> {
  let target = await dialplanDestination(dest, cdr.userId, d.directory);
  if (!target) {
    leg.reject(CAUSE.notFound);
    return;
  }
  // A carrier destination passes the user's call filter, call limit and credit like any outgoing call.
  let extra: OriginateExtra = {};
  let bill: (a: InboundLeg, b: Leg) => void = () => undefined;
  if (target.target.type === 'phone') {
    const gate = await gateTrunkCall(policy, target.target.number, 'call_through', leg, d, {
      clir: from.clir,
    });
    if (!gate.ok) {
      leg.reject(gate.cause);
      return;
    }
    target = { target: { type: 'phone', number: gate.number }, label: gate.number };
    extra = gate.extra;
    bill = gate.bill;
  }
  const destination = target;
  await ringAndConnect(
    leg,
    d.media,
    [destination.target],
    async (t): Promise<OutboundLeg[]> => {
      const req = targetRequest(t, from, extra);
      if (!req || leg.state === 'ended') return [];
      const out = call.originate(req);
      d.cdrs.track(out, {
        phone: cdr.phone,
        userId: cdr.userId,
        service: 'call_through',
        b_number: destination.label,
        parent: cdr.rootId,
        root: cdr.rootId,
      });
      return [out];
    },
    { holdMusic: async () => DEFAULT_HOLD_MUSIC, onConnected: bill, log: d.log },
  );
}
