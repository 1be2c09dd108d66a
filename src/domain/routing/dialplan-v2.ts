/**
 * Dialplan v2 evaluation (spec 4.1).
 *
 * Profiles are evaluated first to last; the first whose filter criteria all
 * match (no filter = always) decides, with its one action: reject, record,
 * parallel, linear or cyclic. Timeouts of 0 or less (or absent, the default
 * 0) mean "ring until the network gives up" and become null in the plan.
 *
 * A dialplan is compiled once (regexes through the injected RE2-style
 * compiler, dates and times parsed) and then evaluated per call; the engine
 * caches the compiled form per dialplan version.
 *
 * Decisions where the spec is silent:
 * - No profile matches (or there are none): the call is rejected
 *   (`no-profile-matched`). The dialplan takes priority over every phone flag
 *   (spec 3.9), so there is nothing else the number would do.
 * - The caller regex must match the whole caller number (the spec calls
 *   "+4922112345" an exact match). CLIR calls and calls without a number are
 *   seen as the text `anonymous`. A `+` with nothing to repeat (the spec's own
 *   example `+49.*`) is read as a literal `+`. A regex that still does not
 *   compile makes its profile match nothing.
 * - A matched ring action without any usable target rejects with `no-target`.
 * - A profile with several actions (the API refuses it) uses the first of
 *   reject, record, parallel, linear, cyclic; one with none is skipped.
 * - `record` without an announcement uses the number's own announcement.
 * - Cyclic: the start is `counter mod n` over the targets that have a
 *   `target`; the counter is per dialplan and lives outside (Redis INCR).
 */
import { compileTimeFilter, timeFilterMatches, type CompiledTimeFilter } from './time-filter.js';
import type {
  DialplanProfile,
  DialplanV2,
  IncomingCall,
  Leg,
  Matcher,
  RegexCompiler,
  Ringback,
  Route,
  Target,
  TimedTarget,
} from './types.js';

const E164 = /^\+[0-9]{3,20}$/;
const SIP_ACCOUNT = /^[a-z0-9]{2,20}_[0-9]{2}$/;

export type ProfileAction =
  | { kind: 'reject' }
  | { kind: 'record'; announcement: string | null }
  | { kind: 'ring'; strategy: 'parallel' | 'linear' | 'cyclic'; timeout: number | null; legs: Leg[] };

export interface CompiledProfile {
  index: number;
  /** False when a criterion can never match (bad regex or date). */
  possible: boolean;
  caller: Matcher | null;
  time: CompiledTimeFilter | null;
  action: ProfileAction;
}

export interface CompiledDialplanV2 {
  ringback: Ringback | null;
  profiles: CompiledProfile[];
}

/** Spec 4.1: "if set to lower than 1 this action won't stop until network disconnect". */
export function ringTimeout(t: number | undefined): number | null {
  return t === undefined || !Number.isFinite(t) || t < 1 ? null : t;
}

export function parseTarget(t: string): Target | null {
  if (E164.test(t)) return { type: 'phone', number: t };
  if (SIP_ACCOUNT.test(t)) return { type: 'sip', account: t };
  return null;
}

/** Escapes `+` where it has nothing to repeat (pattern start, after `|`, `(` or `^`). */
export function escapeDanglingPlus(pattern: string): string {
  let out = '';
  let prev = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      prev = 'x';
      continue;
    }
    if (c === '+' && (prev === '' || prev === '|' || prev === '(' || prev === '^')) out += '\\+';
    else out += c;
    prev = c;
  }
  return out;
}

/** Compiles a caller regex for a whole-string match; null when it does not compile. */
export function compileCaller(pattern: string, compile: RegexCompiler): Matcher | null {
  for (const p of [pattern, escapeDanglingPlus(pattern)]) {
    try {
      return compile(`^(?:${p})$`);
    } catch {
      // try the next reading, then give up
    }
  }
  return null;
}

function sequentialLegs(targets: TimedTarget[]): Leg[] {
  const legs: Leg[] = [];
  for (const t of targets) {
    const target = t.target === undefined ? null : parseTarget(t.target);
    if (target) legs.push({ target, timeout: ringTimeout(t.timeout) });
  }
  return legs;
}

function profileAction(p: DialplanProfile): ProfileAction | null {
  if (p.reject !== undefined) return { kind: 'reject' };
  if (p.record !== undefined) return { kind: 'record', announcement: p.record.announcement ?? null };
  if (p.parallel !== undefined) {
    const legs: Leg[] = [];
    for (const t of p.parallel.targets) {
      const target = parseTarget(t);
      if (target) legs.push({ target, timeout: null });
    }
    return { kind: 'ring', strategy: 'parallel', timeout: ringTimeout(p.parallel.timeout), legs };
  }
  for (const strategy of ['linear', 'cyclic'] as const) {
    const a = p[strategy];
    if (a !== undefined)
      return { kind: 'ring', strategy, timeout: ringTimeout(a.timeout), legs: sequentialLegs(a.targets) };
  }
  return null;
}

export function compileDialplanV2(dp: DialplanV2, compile: RegexCompiler): CompiledDialplanV2 {
  const profiles: CompiledProfile[] = [];
  (dp.profiles ?? []).forEach((p, index) => {
    const action = profileAction(p);
    if (!action) return;
    let possible = true;
    let caller: Matcher | null = null;
    if (p.filter?.caller !== undefined) {
      caller = compileCaller(p.filter.caller, compile);
      if (!caller) possible = false;
    }
    const time = p.filter?.time === undefined ? null : compileTimeFilter(p.filter.time);
    if (time && !time.valid) possible = false;
    profiles.push({ index, possible, caller, time, action });
  });
  const a = dp.ringtone?.announcement;
  return {
    ringback: a === undefined ? null : { announcement: a, mix: dp.ringtone?.mix === true },
    profiles,
  };
}

/** The text a caller regex sees: the number, or `anonymous` for CLIR / no number. */
export function callerText(call: IncomingCall): string {
  return call.clir || call.caller === null ? 'anonymous' : call.caller;
}

/** The first profile whose criteria all match, or null. */
export function matchProfile(
  dp: CompiledDialplanV2,
  call: IncomingCall,
  nowMs: number,
): CompiledProfile | null {
  const text = callerText(call);
  for (const p of dp.profiles) {
    if (!p.possible) continue;
    if (p.caller && !p.caller(text)) continue;
    if (p.time && !timeFilterMatches(p.time, nowMs)) continue;
    return p;
  }
  return null;
}

/** Round-robin start index for `length` targets; total for any counter. */
export function cyclicStart(counter: number, length: number): number {
  if (!(length > 0)) return 0;
  const c = Number.isFinite(counter) ? Math.trunc(counter) : 0;
  return ((c % length) + length) % length;
}

export function rotate<T>(items: readonly T[], start: number): T[] {
  return [...items.slice(start), ...items.slice(0, start)];
}

/**
 * The route for a matched profile. `cyclicCounter` is the dialplan's
 * round-robin counter (only read for cyclic actions, so the engine needs to
 * advance it only when `profile.action.strategy === 'cyclic'`).
 */
export function profileRoute(
  dp: CompiledDialplanV2,
  profile: CompiledProfile,
  cyclicCounter: number,
  numberAnnouncement: string | null,
): Route {
  const a = profile.action;
  if (a.kind === 'reject') return { kind: 'reject', reason: 'dialplan-reject' };
  if (a.kind === 'record')
    return { kind: 'voicebox', announcement: a.announcement ?? numberAnnouncement, record: true };
  if (a.legs.length === 0) return { kind: 'reject', reason: 'no-target' };
  const legs = a.strategy === 'cyclic' ? rotate(a.legs, cyclicStart(cyclicCounter, a.legs.length)) : a.legs;
  // Spec 4.1 defines no fallbacks: when ringing ends unanswered the call ends.
  return {
    kind: 'ring',
    strategy: a.strategy,
    timeout: a.timeout,
    legs,
    ringback: dp.ringback,
    onTimeout: { kind: 'hangup' },
    onBusy: { kind: 'hangup' },
    onUnavailable: { kind: 'hangup' },
  };
}

export interface DialplanV2Result {
  /** Index into the configured `profiles` array; null when none matched. */
  profile: number | null;
  route: Route;
}

/** Evaluates a compiled dialplan v2 for one call at `nowMs`. */
export function evaluateDialplanV2(
  dp: CompiledDialplanV2,
  call: IncomingCall,
  nowMs: number,
  cyclicCounter = 0,
  numberAnnouncement: string | null = null,
): DialplanV2Result {
  const p = matchProfile(dp, call, nowMs);
  if (!p) return { profile: null, route: { kind: 'reject', reason: 'no-profile-matched' } };
  return { profile: p.index, route: profileRoute(dp, p, cyclicCounter, numberAnnouncement) };
}
