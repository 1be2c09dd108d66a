/**
 * The routing plan for a call to one of a user's numbers (spec 3.9 with 4.1,
 * 4.2 and 5): which configuration handles the call, in this precedence:
 *
 * 1. `unlock_code` present: the number is reserved but inactive; the caller is
 *    prompted for the code (DTMF), nothing else applies.
 * 2. `dialplan` (v2 UUID): "priority over all other phone flags".
 * 3. `dialplan_enable` (v1): "takes priority, … the setting of call_enable,
 *    fax_enable, conference_enable and recording_enable is ignored".
 * 4. Call API: "will only work if call_enable is the only switch that is true"
 *    (of the *_enable switches).
 * 5. `ivr`: "activated only if call_enable and dialplan_enable are disabled".
 * 6. Voice box (`recording_enable`, without recording when
 *    `play_announcement_only`), fax (`fax_enable`) and conference
 *    (`conference_enable`) by their flags; none of them rejects the call.
 *
 * Switch defaults (spec 3.9): dialplan_enable and call_enable false, the other
 * *_enable switches true, play_announcement_only false. `on_hold_music` is
 * carried into every plan.
 *
 * Decisions where the spec is silent: a `dialplan` UUID whose object is gone
 * (deleting a dialplan removes it from the phones, spec 4.1, so this is only a
 * race) is ignored and the next rule applies; `dialplan_enable` without a
 * stored v1 dialplan evaluates the empty dialplan (nothing to ring: reject
 * `no-target`); `call_enable` with other switches on (call API inactive) and
 * no IVR falls through to rule 6 without the call API.
 */
import { evaluateDialplanV2, type CompiledDialplanV2 } from './dialplan-v2.js';
import { evaluateDialplanV1 } from './dialplan-v1.js';
import type { DialplanV1, IncomingCall, PhoneConfig, Route, RouteSource, RoutingPlan } from './types.js';

export interface RoutingInput {
  /** The called number (E.164). */
  number: string;
  phone: PhoneConfig;
  call: IncomingCall;
  /** The clock, in milliseconds since the epoch (UTC). */
  nowMs: number;
  /** The compiled dialplan v2 named by `phone.dialplan`; null when it is gone. */
  dialplanV2?: CompiledDialplanV2 | null;
  /** The user's v1 dialplan (GET /api/dialplan shape). */
  dialplanV1?: DialplanV1 | null;
  /** Round-robin counter of the dialplan v2 (see dialplan-v2.ts, cyclic). */
  cyclicCounter?: number;
}

export interface PhoneFlags {
  dialplan: boolean;
  call: boolean;
  fax: boolean;
  recording: boolean;
  conference: boolean;
  playAnnouncementOnly: boolean;
}

/** The *_enable switches with the defaults of spec 3.9. */
export function phoneFlags(p: PhoneConfig): PhoneFlags {
  return {
    dialplan: p.dialplan_enable ?? false,
    call: p.call_enable ?? false,
    fax: p.fax_enable ?? true,
    recording: p.recording_enable ?? true,
    conference: p.conference_enable ?? true,
    playAnnouncementOnly: p.play_announcement_only ?? false,
  };
}

/** The number's announcement UUID from either the POST or the GET shape. */
export function phoneAnnouncement(p: PhoneConfig): string | null {
  const a = p.announcement;
  if (a === undefined || a === null) return null;
  return typeof a === 'string' ? a : a.uuid;
}

/** Computes the plan; pure, total and deterministic for the same input. */
export function routingPlan(input: RoutingInput): RoutingPlan {
  const { phone } = input;
  const announcement = phoneAnnouncement(phone);
  // A literal, not `{...base}`: object spread costs microseconds per plan here (see BENCHMARKS.md).
  const plan = (source: RouteSource, route: Route, profile: number | null = null): RoutingPlan => ({
    number: input.number,
    source,
    profile,
    onHoldMusic: phone.on_hold_music ?? null,
    route,
  });

  if (phone.unlock_code !== undefined) return plan('unlock', { kind: 'unlock', code: phone.unlock_code });

  if (typeof phone.dialplan === 'string' && input.dialplanV2) {
    const r = evaluateDialplanV2(
      input.dialplanV2,
      input.call,
      input.nowMs,
      input.cyclicCounter ?? 0,
      announcement,
    );
    return plan('dialplan-v2', r.route, r.profile);
  }

  const f = phoneFlags(phone);
  if (f.dialplan) return plan('dialplan-v1', evaluateDialplanV1(input.dialplanV1 ?? {}, announcement));

  if (f.call && !f.fax && !f.recording && !f.conference) return plan('call-api', { kind: 'call-api' });

  if (typeof phone.ivr === 'string' && !f.call) return plan('ivr', { kind: 'ivr', ivr: phone.ivr });

  if (!f.recording && !f.fax && !f.conference)
    return plan('phone-flags', { kind: 'reject', reason: 'no-service' });
  return plan('phone-flags', {
    kind: 'answer',
    announcement,
    voicebox: f.recording ? { record: !f.playAnnouncementOnly } : null,
    fax: f.fax,
    conference: f.conference,
  });
}
