/**
 * A call placed by a registered SIP phone (spec 4.2, 9.1.3, 9.1.5-9.1.7):
 * another SIP account or an extension stays on the platform; anything else
 * is normalised (quick dialling), routed to an emergency centre or checked
 * against the call filter, the usergroup's call limit and credit, rated by
 * the zone filter, and sent to the carrier with the user's caller id.
 */
import { routeEmergency } from '../../domain/policy/emergency.js';
import { resolveExtension } from '../../domain/policy/extension.js';
import type { Target } from '../../domain/routing/types.js';
import { CAUSE, type CallParty, type InboundLeg, type MediaPort, type SignalingPort } from '../ports.js';
import type { CallLimiter } from '../../store/redis/call-limit.js';
import type { CreditStore } from '../../store/redis/credit.js';
import type { CdrWriter } from './cdr-writer.js';
import { ringAndConnect } from './connect.js';
import type { DialplanCalls } from './dialplan-calls.js';
import type { CallDirectory, OutboundPolicy } from './directory.js';
import type { Logger } from './logger.js';
import { reportPresence, type CallPresence, type PickupRegistry } from './presence.js';
import { originateRequests, toE164 } from './targets.js';
import { gateTrunkCall } from './trunk-gate.js';
import { DEFAULT_HOLD_MUSIC } from './voice/prompts.js';

export interface OutboundDeps {
  signaling: SignalingPort;
  media: MediaPort;
  directory: CallDirectory;
  cdrs: CdrWriter;
  presence: CallPresence | null;
  pickups: PickupRegistry;
  credit: CreditStore;
  limiter: CallLimiter;
  domain: string;
  /** Call-through by `*98` (spec 4.2); absent: not served. */
  dialplan?: DialplanCalls;
  log: Logger;
}

const SIP_ACCOUNT = /^[a-z0-9]{2,20}_[0-9]{2}$/;

export async function handleAccountCall(leg: InboundLeg, d: OutboundDeps): Promise<void> {
  const account = leg.info.account;
  if (!account) {
    leg.reject(CAUSE.rejected);
    return;
  }
  if (await tryPickup(leg, account.name, d)) return;
  if (d.dialplan && (await d.dialplan.interceptAccount(leg, account, d))) return;
  const policy = await d.directory.outboundPolicy(account.owner, account.name);
  const clip = policy.clipNumber ?? policy.numbers[0] ?? null;
  const phone = clip ?? account.name;
  const rootId = d.cdrs.track(leg, { phone, userId: account.owner, service: 'call', a_number: account.name });
  if (clip) reportPresence(d.presence, clip, leg, 'initiator', leg.info.called);
  const dialled = leg.info.called;
  const internal = await internalTarget(dialled, policy, d.directory);
  const from: CallParty = {
    number: internal ? account.name : clip,
    display: leg.info.caller.display,
    clir: policy.clir || leg.info.caller.clir,
  };
  const track = (b: string) => (out: Parameters<CdrWriter['track']>[0]) =>
    d.cdrs.track(out, {
      phone,
      userId: account.owner,
      service: 'call',
      b_number: b,
      parent: rootId,
      root: rootId,
    });

  const holdMusic = async () => DEFAULT_HOLD_MUSIC;
  if (internal) {
    await ringAndConnect(
      leg,
      d,
      internal.targets,
      (t) => originateRequests(d.directory, t, from),
      track(internal.label),
      { holdMusic },
    );
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
  const target: Target = { type: 'phone', number: gate.number };
  await ringAndConnect(
    leg,
    d,
    [target],
    (t) => originateRequests(d.directory, t, from, gate.extra),
    track(gate.number),
    { holdMusic, onConnected: gate.bill },
  );
}

/**
 * BLF pickup (spec 3.21): `**<number>`, or an INVITE whose Replaces header
 * (RFC 3891) names a ringing call, from a phone that watches the number.
 * True when the call was handed over (or refused here).
 */
async function tryPickup(leg: InboundLeg, account: string, d: OutboundDeps): Promise<boolean> {
  const replaces = leg.info.header('replaces');
  const code = /^\*\*(\+?[0-9]{3,16})$/.exec(leg.info.called);
  if (!replaces && !code) return false;
  const number = code ? toE164(code[1]!) : null;
  const target = replaces
    ? d.pickups.byCallId(replaces.split(';')[0]!.trim())
    : number
      ? d.pickups.byNumber(number)
      : null;
  if (!target || !(await d.directory.watches(account, target.number)) || !target.pickup(leg)) {
    leg.reject(replaces ? { q850: 1, sip: 481, reason: 'no such call to pick up' } : CAUSE.notFound);
  }
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
