/**
 * A call placed by a registered SIP phone (spec 4.2, 9.1.3, 9.1.5-9.1.7):
 * a pickup of a ringing call, `*98` call-through, another SIP account or an
 * extension stays on the platform; anything else is normalised (quick
 * dialling), routed to an emergency centre or checked against the call
 * filter, the usergroup's call limit and credit, rated by the zone filter,
 * and sent to the carrier with the user's caller id.
 */
import { routeEmergency } from '../../domain/policy/emergency.js';
import { resolveExtension } from '../../domain/policy/extension.js';
import type { Target } from '../../domain/routing/types.js';
import type { AccountRef, CallParty, InboundLeg, OutboundLeg } from '../adapter.js';
import type { Call } from '../call/call.js';
import { step, type Step } from '../call/steps.js';
import { CAUSE } from '../causes.js';
import { ringAndConnect } from './connect.js';
import type { EngineContext } from './context.js';
import type { CallDirectory, OutboundPolicy } from './directory.js';
import { reportPresence } from './presence.js';
import { targetRequest, toE164, type OriginateExtra } from './targets.js';
import { gateTrunkCall } from './trunk-gate.js';
import { DEFAULT_HOLD_MUSIC } from './voice/prompts.js';

const SIP_ACCOUNT = /^[a-z0-9]{2,20}_[0-9]{2}$/;

export function accountCallStep(call: Call, leg: InboundLeg, d: EngineContext): Step {
  return step('account-call', () => accountCall(call, leg, d));
}

async function accountCall(call: Call, leg: InboundLeg, d: EngineContext): Promise<void> {
  const account = leg.info.account;
  if (!account) {
    leg.reject(CAUSE.rejected);
    return;
  }
  call.assign(account.owner, null);
  if (await tryPickup(call, leg, account, d)) return;
  if (d.dialplan && (await d.dialplan.interceptAccount(call, leg, account, d))) return;
  const policy = await d.directory.outboundPolicy(account.owner, account.name);
  const clip = policy.clipNumber ?? policy.numbers[0] ?? null;
  const phone = clip ?? account.name;
  call.assign(account.owner, clip, { from: clip ?? account.name });
  const rootId = d.cdrs.track(leg, { phone, userId: account.owner, service: 'call', a_number: account.name });
  if (clip) reportPresence(d.presence, clip, leg, 'initiator', leg.info.called);
  const dialled = leg.info.called;
  const internal = await internalTarget(dialled, policy, d.directory);
  const from: CallParty = {
    number: internal ? account.name : clip,
    display: leg.info.caller.display,
    clir: policy.clir || leg.info.caller.clir,
  };
  const open =
    (label: string, extra: OriginateExtra = {}) =>
    async (t: Target): Promise<OutboundLeg[]> => {
      const req = targetRequest(t, from, extra);
      if (!req || leg.state === 'ended') return [];
      const out = call.originate(req);
      d.cdrs.track(out, {
        phone,
        userId: account.owner,
        service: 'call',
        b_number: label,
        parent: rootId,
        root: rootId,
      });
      return [out];
    };

  const holdMusic = async () => DEFAULT_HOLD_MUSIC;
  if (internal) {
    await ringAndConnect(leg, d.media, internal.targets, open(internal.label), { holdMusic, log: d.log });
    return;
  }

  const emergency = routeEmergency(dialled, policy.emergency);
  const gate = await gateTrunkCall(policy, quickDial(dialled, policy), 'sip', leg, d, {
    clir: from.clir,
    emergency,
  });
  if (!gate.ok) {
    leg.reject(gate.cause);
    return;
  }
  await ringAndConnect(
    leg,
    d.media,
    [{ type: 'phone', number: gate.number }],
    open(gate.number, gate.extra),
    { holdMusic, onConnected: gate.bill, log: d.log },
  );
}

/**
 * BLF pickup (spec 3.21): `**<number>`, or an INVITE that replaces (RFC
 * 3891) a ringing call, from a phone that watches the number. True when the
 * call was handed over (or refused here).
 */
async function tryPickup(
  call: Call,
  leg: InboundLeg,
  account: AccountRef,
  d: EngineContext,
): Promise<boolean> {
  const replaces = leg.info.replaces;
  const code = /^\*\*(\+?[0-9]{3,16})$/.exec(leg.info.called);
  if (!replaces && !code) return false;
  const number = code ? toE164(code[1]!) : null;
  const target = replaces ? d.pickups.byCallId(replaces.callId) : number ? d.pickups.byNumber(number) : null;
  // A successful pickup hands this call's leg to the ringing call (and ends this call).
  if (!target || !(await d.directory.watches(account.name, target.number)) || !target.pickup(leg, call))
    leg.reject(replaces ? CAUSE.noSuchCall : CAUSE.notFound);
  return true;
}

/** spec 4.2 dial_prefix: a short number (no + or 0) is completed with the prefix. */
function quickDial(dialled: string, policy: OutboundPolicy): string {
  if (policy.dialPrefix && /^[1-9][0-9]{0,9}$/.test(dialled)) return policy.dialPrefix + dialled;
  return dialled;
}

async function internalTarget(
  dialled: string,
  policy: OutboundPolicy,
  directory: CallDirectory,
): Promise<{ targets: Target[]; label: string } | null> {
  if (SIP_ACCOUNT.test(dialled) && (await directory.accountOwner(dialled)) !== null)
    return { targets: [{ type: 'sip', account: dialled }], label: dialled };
  if (policy.extensions) {
    const ext = resolveExtension(dialled, policy.extensions);
    if (ext) {
      const accounts = await directory.accountsOf(ext.userUuid);
      return { targets: accounts.map((a) => ({ type: 'sip', account: a })), label: dialled };
    }
  }
  return null;
}
