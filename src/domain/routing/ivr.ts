/**
 * IVR state machine (spec 5.1.1). The engine keeps an `IvrState` per call,
 * feeds it events and executes the returned action.
 *
 * - Start: play the IVR's `announcement`.
 * - A DTMF digit (also during an announcement: barge-in) with a field in the
 *   IVR: a UUID runs that IVR (`goto-ivr`, the engine loads it and calls
 *   `startIvr`), a phone number redirects the call. Any other digit follows
 *   `other`: `repeat` plays the initial announcement again, a phone number
 *   redirects; without `other` the digit is ignored.
 * - Announcement finished: wait `timeout.seconds` for a digit (no `timeout`
 *   block: wait until the caller hangs up, seconds null).
 * - Timeout: `repeat` replays the IVR, `call` redirects to `timeout.phone`,
 *   `play` plays `timeout.announcement`.
 *
 * Decisions where the spec is silent: after the `play` announcement of a
 * timeout the call ends (hangup); the IVR is repeated (by `other` or the
 * timeout) at most IVR_LIMITS.maxRepeats times, then the call ends, so a
 * caller who never presses a key cannot hold a line forever; events that do
 * not fit the current phase (a timeout while playing, anything after the end)
 * change nothing (`none`); a `timeout.action` without its required field
 * ends the call.
 */
import type { IvrConfig } from './types.js';

export const IVR_LIMITS = { maxRepeats: 10 } as const;

const DTMF = new Set<string>(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#']);
const E164 = /^\+[0-9]{3,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type IvrPhase = 'announcement' | 'waiting' | 'timeout-announcement' | 'done';

export interface IvrState {
  ivr: string;
  phase: IvrPhase;
  repeats: number;
}

export type IvrEvent =
  { type: 'announcement-finished' } | { type: 'digit'; digit: string } | { type: 'timeout' };

export type IvrAction =
  | { kind: 'play'; announcement: string }
  | { kind: 'repeat'; announcement: string }
  | { kind: 'wait'; seconds: number | null }
  | { kind: 'goto-ivr'; ivr: string }
  | { kind: 'redirect'; phone: string }
  | { kind: 'hangup' }
  | { kind: 'none' };

export interface IvrStep {
  state: IvrState;
  action: IvrAction;
}

export function startIvr(ivrUuid: string, ivr: IvrConfig): IvrStep {
  return {
    state: { ivr: ivrUuid, phase: 'announcement', repeats: 0 },
    action: { kind: 'play', announcement: ivr.announcement },
  };
}

const end = (s: IvrState, action: IvrAction): IvrStep => ({ state: { ...s, phase: 'done' }, action });

function repeat(s: IvrState, ivr: IvrConfig): IvrStep {
  if (s.repeats >= IVR_LIMITS.maxRepeats) return end(s, { kind: 'hangup' });
  return {
    state: { ivr: s.ivr, phase: 'announcement', repeats: s.repeats + 1 },
    action: { kind: 'repeat', announcement: ivr.announcement },
  };
}

function onDigit(s: IvrState, ivr: IvrConfig, digit: string): IvrStep {
  const none: IvrStep = { state: s, action: { kind: 'none' } };
  if (!DTMF.has(digit)) return none;
  const v = ivr[digit];
  if (typeof v === 'string') {
    if (E164.test(v)) return end(s, { kind: 'redirect', phone: v });
    if (UUID.test(v)) return end(s, { kind: 'goto-ivr', ivr: v.toLowerCase() });
  }
  const other = ivr.other;
  if (other === 'repeat') return repeat(s, ivr);
  if (other !== undefined && E164.test(other)) return end(s, { kind: 'redirect', phone: other });
  return none;
}

function onTimeout(s: IvrState, ivr: IvrConfig): IvrStep {
  const t = ivr.timeout;
  if (!t) return { state: s, action: { kind: 'none' } };
  switch (t.action) {
    case 'repeat':
      return repeat(s, ivr);
    case 'call':
      return t.phone !== undefined && E164.test(t.phone)
        ? end(s, { kind: 'redirect', phone: t.phone })
        : end(s, { kind: 'hangup' });
    case 'play':
      return t.announcement
        ? {
            state: { ...s, phase: 'timeout-announcement' },
            action: { kind: 'play', announcement: t.announcement },
          }
        : end(s, { kind: 'hangup' });
    default:
      return end(s, { kind: 'hangup' });
  }
}

/** The next state and action for one event; total and deterministic. */
export function stepIvr(state: IvrState, ivr: IvrConfig, event: IvrEvent): IvrStep {
  if (state.phase === 'done') return { state, action: { kind: 'none' } };
  switch (event.type) {
    case 'digit':
      return onDigit(state, ivr, event.digit);
    case 'announcement-finished':
      if (state.phase === 'timeout-announcement') return end(state, { kind: 'hangup' });
      if (state.phase !== 'announcement') return { state, action: { kind: 'none' } };
      return {
        state: { ...state, phase: 'waiting' },
        action: { kind: 'wait', seconds: ivrTimeoutSeconds(ivr) },
      };
    case 'timeout':
      if (state.phase !== 'waiting') return { state, action: { kind: 'none' } };
      return onTimeout(state, ivr);
    default:
      return { state, action: { kind: 'none' } };
  }
}

function ivrTimeoutSeconds(ivr: IvrConfig): number | null {
  const s = ivr.timeout?.seconds;
  return s !== undefined && Number.isFinite(s) && s > 0 ? s : null;
}
