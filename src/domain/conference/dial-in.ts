/**
 * Which numbers reach a user's conferences (spec 3.17 `phone`, spec 3.9
 * `conference_enable`), and what an answered call to such a number does
 * with what the caller sends first.
 */
import { routingPlan } from '../routing/routing-plan.js';
import type { PhoneConfig, Route } from '../routing/types.js';

/**
 * Whether a call to this number can reach a conference: the number's
 * routing plan (routing-plan.ts, the one precedence of spec 3.9) answers
 * the call with `conference` on. A dialplan (v2 or v1), the call API, an
 * IVR or a pending unlock code take the call before the flags do, so such
 * numbers do not reach conferences whatever `conference_enable` says.
 */
export function reachesConference(phone: PhoneConfig): boolean {
  // A dialplan v2 UUID takes the call even when routingPlan is not given the
  // compiled dialplan (it treats that as "gone", a race the engine handles).
  if (typeof phone.dialplan === 'string') return false;
  const { route } = routingPlan({ number: '', phone, call: { caller: null, clir: false }, nowMs: 0 });
  return route.kind === 'answer' && route.conference;
}

export type AnsweredRoute = Extract<Route, { kind: 'answer' }>;

/** What the caller sends first, as the engine detects it while the first prompt plays. */
export type DialInInput =
  /** The fax calling tone (CNG, 1100 Hz, ITU-T T.30). */
  | { kind: 'fax-tone' }
  /** A DTMF digit (RFC 4733, in-band or SIP INFO). */
  | { kind: 'digit'; digit: string }
  /** Neither, until the first prompt ended. */
  | { kind: 'nothing' };

export type DialInTarget = 'fax' | 'conference' | 'voicebox' | 'none';

/**
 * The prompt an answered call hears first: the voice box's announcement
 * when recording_enable is on (the caller may key a PIN or send a fax tone
 * during it), else the PIN prompt when conference_enable is on, else none
 * (a fax-only number waits for the fax).
 */
export function firstPrompt(route: AnsweredRoute): 'announcement' | 'enter-pin' | 'none' {
  if (route.voicebox !== null) return 'announcement';
  return route.conference ? 'enter-pin' : 'none';
}

/**
 * The rule for numbers with several of fax_enable, conference_enable and
 * recording_enable on (spec 3.9 allows any combination):
 *
 * 1. a fax calling tone goes to fax (when fax_enable);
 * 2. a DTMF digit starts the PIN entry of the conference (when
 *    conference_enable), the digit being the PIN's first;
 * 3. nothing of the two, by the end of the first prompt: the voice box
 *    (when recording_enable), else the PIN entry keeps waiting
 *    (conference), else fax receive starts anyway (fax only: not every
 *    fax machine sends CNG).
 *
 * An input a number does not serve (a digit on a number without
 * conference) is ignored: 'none', keep listening.
 */
export function dialInTarget(route: AnsweredRoute, input: DialInInput): DialInTarget {
  switch (input.kind) {
    case 'fax-tone':
      return route.fax ? 'fax' : 'none';
    case 'digit':
      return route.conference && /^[0-9]$/.test(input.digit) ? 'conference' : 'none';
    case 'nothing':
      if (route.voicebox !== null) return 'voicebox';
      if (route.conference) return 'conference';
      return route.fax ? 'fax' : 'none';
  }
}
