/**
 * Dialplan v1 evaluation (spec 4.2): the user's single dialplan, used by
 * numbers with `dialplan_enable` (spec 3.9).
 *
 * - `action` decides what an incoming call does: `reject` hangs up, `record`
 *   starts the voice box, `redirect` rings `phone`, `sip` rings `sip`, `none`
 *   rings only the pools.
 * - For `none`, `redirect` and `sip`, the active `phone_pool` entries (value
 *   true), the `sip_pool` accounts and, with `callreverse_enable`, the
 *   call-reverse function are additional targets ("just like the targets in
 *   the phone_pool and sip_pool"), all rung in parallel.
 * - `timeout.timeout` bounds the ringing (absent or below 1: until the network
 *   gives up); then `timeout.action` runs. `busy` and `unavailable` give the
 *   actions for a busy / unreachable outcome.
 *
 * Decisions where the spec is silent: targets ring in the order primary
 * (`phone`/`sip`), phone pool (sorted by number, for determinism), SIP pool
 * (as listed), call-reverse, and a target listed twice rings once; the
 * `phone`/`sip` field of a sub-action is used by the matching action
 * (`redirect` → phone, `sip` → sip), and one without its field, or a missing
 * sub-action, or `none`, ends the call (hangup); nothing at all to ring is the
 * `unavailable` case at once (reject `no-target` without an unavailable
 * action); `record` uses the number's own announcement (the v1 `announcement`
 * is the ringback, spec 4.2).
 */
import { parseTarget, ringTimeout } from './dialplan-v2.js';
import type { DialplanV1, Fallback, Leg, Route, Target, V1SubAction } from './types.js';

const targetKey = (t: Target): string =>
  t.type === 'phone' ? `p:${t.number}` : t.type === 'sip' ? `s:${t.account}` : 'r';

/** Active targets of a v1 dialplan in dialling order, without duplicates. */
export function dialplanV1Targets(dp: DialplanV1): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  const add = (t: Target | null): void => {
    if (!t) return;
    const k = targetKey(t);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(t);
  };
  const action = dp.action ?? 'none';
  if (action === 'redirect' && dp.phone) add(asPhone(dp.phone));
  if (action === 'sip' && dp.sip) add(asSip(dp.sip));
  const pool = dp.phone_pool ?? {};
  for (const n of Object.keys(pool).sort()) if (pool[n] === true) add(asPhone(n));
  for (const s of dp.sip_pool ?? []) add(asSip(s));
  if (dp.callreverse_enable === true) add({ type: 'callreverse' });
  return out;
}

function asPhone(s: string): Target | null {
  const t = parseTarget(s);
  return t?.type === 'phone' ? t : null;
}

function asSip(s: string): Target | null {
  const t = parseTarget(s);
  return t?.type === 'sip' ? t : null;
}

/** A timeout / busy / unavailable sub-action as a plan fallback. */
export function v1Fallback(sub: V1SubAction | undefined, numberAnnouncement: string | null): Fallback {
  switch (sub?.action) {
    case 'reject':
      return { kind: 'reject' };
    case 'record':
      return { kind: 'voicebox', announcement: numberAnnouncement };
    case 'redirect': {
      const t = sub.phone ? asPhone(sub.phone) : null;
      return t ? { kind: 'forward', target: t } : { kind: 'hangup' };
    }
    case 'sip': {
      const t = sub.sip ? asSip(sub.sip) : null;
      return t ? { kind: 'forward', target: t } : { kind: 'hangup' };
    }
    default:
      return { kind: 'hangup' };
  }
}

function fallbackRoute(f: Fallback): Route {
  switch (f.kind) {
    case 'reject':
    case 'hangup':
      return { kind: 'reject', reason: 'no-target' };
    case 'voicebox':
      return { kind: 'voicebox', announcement: f.announcement, record: true };
    case 'forward':
      return {
        kind: 'ring',
        strategy: 'parallel',
        timeout: null,
        legs: [{ target: f.target, timeout: null }],
        ringback: null,
        onTimeout: { kind: 'hangup' },
        onBusy: { kind: 'hangup' },
        onUnavailable: { kind: 'hangup' },
      };
  }
}

/** Evaluates the user's v1 dialplan for an incoming call to one of the numbers. */
export function evaluateDialplanV1(dp: DialplanV1, numberAnnouncement: string | null = null): Route {
  const action = dp.action ?? 'none';
  if (action === 'reject') return { kind: 'reject', reason: 'dialplan-reject' };
  if (action === 'record') return { kind: 'voicebox', announcement: numberAnnouncement, record: true };
  const onUnavailable = v1Fallback(dp.unavailable, numberAnnouncement);
  const targets = dialplanV1Targets(dp);
  if (targets.length === 0) return fallbackRoute(onUnavailable);
  const legs: Leg[] = targets.map((target) => ({ target, timeout: null }));
  return {
    kind: 'ring',
    strategy: 'parallel',
    timeout: ringTimeout(dp.timeout?.timeout),
    legs,
    ringback: dp.announcement ? { announcement: dp.announcement, mix: dp.mix_ringtone === true } : null,
    onTimeout: v1Fallback(dp.timeout, numberAnnouncement),
    onBusy: v1Fallback(dp.busy, numberAnnouncement),
    onUnavailable,
  };
}
