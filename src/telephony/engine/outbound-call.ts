/**
 * A call placed by a registered SIP phone (spec 4.2, 9.1.3, 9.1.5-9.1.7):
 * another SIP account or an extension stays on the platform; anything else
 * is normalised (quick dialling), routed to an emergency centre or checked
 * against the call filter, the usergroup's call limit and credit, rated by
 * the zone filter, and sent to the carrier with the user's caller id.
 */
import { evaluateCallFilter } from '../../domain/policy/call-filter.js';
import { routeEmergency } from '../../domain/policy/emergency.js';
import { resolveExtension } from '../../domain/policy/extension.js';
import { rate, tickPlan } from '../../domain/policy/zone-filter.js';
import type { Target } from '../../domain/routing/types.js';
import {
  CAUSE,
  type CallParty,
  type InboundLeg,
  type MediaPort,
  type OriginateRequest,
  type SignalingPort,
} from '../ports.js';
import type { CallLimiter } from '../policy/call-limit.js';
import type { CreditStore } from '../policy/credit.js';
import { startBilling } from './billing.js';
import type { CdrWriter } from './cdr-writer.js';
import { connect } from './connect.js';
import type { DialplanCalls } from './dialplan-calls.js';
import type { CallDirectory, OutboundPolicy } from './directory.js';
import type { Logger } from './logger.js';
import { ringAll, Ringer } from './ringer.js';
import { reportPresence, type CallPresence, type PickupRegistry } from './presence.js';
import { originateRequests, toE164 } from './targets.js';
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

  if (internal) {
    await ringAndConnect(
      leg,
      d,
      internal.targets,
      (t) => originateRequests(d.directory, t, from),
      track(internal.label),
    );
    return;
  }

  const emergency = routeEmergency(dialled, policy.emergency);
  // spec 9.1.3: the filter sees the dialled destination (its replace operators may normalise it).
  let candidate = emergency ? emergency.destination : quickDial(dialled, policy);
  if (!emergency && policy.callFilter) {
    const r = evaluateCallFilter(policy.callFilter, { number: candidate, service: 'sip' });
    if (!r.allowed) {
      leg.reject({ q850: 21, sip: 403, reason: 'call filter' });
      return;
    }
    candidate = r.number;
  }
  const number = toE164(candidate);
  if (!number) {
    leg.reject({ q850: 28, sip: 484, reason: 'invalid number format' });
    return;
  }
  const group = policy.usergroup;
  let release = async (): Promise<void> => undefined;
  if (group && !emergency) {
    const slot = await d.limiter.acquire(group, leg.id, policy.callLimit);
    if (!slot.ok) {
      leg.reject({ q850: 34, sip: 503, reason: 'call limit reached' });
      return;
    }
    // The lease lapses unless renewed (call-limit.ts): renew at a third of it while the call lasts.
    const renew = setInterval(() => void d.limiter.renew(group, leg.id).catch(() => undefined), 30_000);
    release = async () => {
      clearInterval(renew);
      await d.limiter.release(group, leg.id);
    };
  }
  leg.once('ended', () => void release());
  const ticks = policy.zoneFilter && group && !emergency ? tickPlan(rate(policy.zoneFilter, number)) : null;
  if (ticks && !ticks.free && group) {
    const balance = await d.credit.get(group);
    if (balance !== null && balance < ticks.amount(0)) {
      leg.reject({ q850: 31, sip: 402, reason: 'credit exhausted' });
      return;
    }
  }
  const extra: Partial<OriginateRequest> = {
    ...(policy.assertedIdentity && !from.clir
      ? { assertedIdentity: `<sip:${policy.assertedIdentity}@${d.domain}>` }
      : {}),
    ...(emergency ? { headers: emergency.headers } : {}),
  };
  const target: Target = { type: 'phone', number };
  await ringAndConnect(
    leg,
    d,
    [target],
    (t) => originateRequests(d.directory, t, from, extra),
    track(number),
    (a, b) => {
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

async function ringAndConnect(
  leg: InboundLeg,
  d: OutboundDeps,
  targets: Target[],
  resolve: (t: Target) => Promise<OriginateRequest[]>,
  onLeg: (out: Parameters<CdrWriter['track']>[0]) => void,
  onConnected?: (a: InboundLeg, b: Parameters<typeof connect>[2]) => void,
): Promise<void> {
  const ringer = new Ringer({ signaling: d.signaling, resolve, onLeg: (out) => onLeg(out) });
  const outcome = await ringer.ring(ringAll(targets), leg);
  if (outcome.kind === 'answered') {
    onConnected?.(leg, outcome.leg);
    await connect(d.media, leg, outcome.leg, { holdMusic: async () => DEFAULT_HOLD_MUSIC });
    return;
  }
  if (outcome.kind !== 'caller-gone')
    leg.hangup(
      outcome.kind === 'busy'
        ? CAUSE.busy
        : outcome.kind === 'unavailable'
          ? CAUSE.unavailable
          : CAUSE.noAnswer,
    );
}
