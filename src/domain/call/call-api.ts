/**
 * The call API (spec 3.24, events 7.18): the controls of
 * `POST /api/call/(uuid)/control` with their parameters checked as the spec
 * gives them, the queue modes, the `illegal-state` rules (a control list is
 * followed through the states it leads to, so `answer` then `tone` is
 * fine on a ringing call, `tone` alone on an unanswered outgoing call is
 * not), the call as `GET /api/call` lists it and the `call_update` /
 * `call_dtmf` event payloads. Pure: no I/O, no clock.
 */
import type { CallState } from './live-call.js';

export type QueueMode = 'append' | 'clear' | 'break';

interface Base {
  /** spec `id`: the user's name of the control (current_control_id / last_control_id). */
  id?: string;
}

export type Control = Base &
  (
    | { control: 'ring' }
    | { control: 'progress' }
    | { control: 'answer' }
    | { control: 'hangup'; hangup_cause: number }
    | { control: 'bridge'; call: string; hangup_both: boolean }
    | { control: 'split' }
    | { control: 'sleep'; duration: number }
    | { control: 'silence'; duration: number }
    | { control: 'tone'; frequency: number; duration: number; interval?: number; loop?: number }
    | { control: 'play'; object: string }
    | { control: 'record_start'; limit: number }
    | { control: 'record_stop'; discard: boolean }
    | { control: 'dtmf_collect'; enable: boolean }
    | { control: 'dtmf_send'; digits: string; duration: number }
  );

export type ControlName = Control['control'];

export interface ControlRequest {
  queue: QueueMode;
  controls: Control[];
}

export interface ControlProblem {
  status: 'wrong-syntax' | 'missing-element';
  message: string;
}

/** Default and limit of record_start `limit` (seconds). */
export const RECORD_LIMIT_MAX_S = 3600;
export const DEFAULT_HANGUP_CAUSE = 16;
export const DEFAULT_DTMF_MS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = /^[0-9#*]{1,100}$/;
/** At most this many controls in one request (a queue is not a program store). */
export const MAX_CONTROLS = 100;

/** The parameters each control takes (besides `control` and `id`). */
const FIELDS: Record<ControlName, readonly string[]> = {
  ring: [],
  progress: [],
  answer: [],
  hangup: ['hangup_cause'],
  bridge: ['call', 'hangup_both'],
  split: [],
  sleep: ['duration'],
  silence: ['duration'],
  tone: ['frequency', 'duration', 'interval', 'loop'],
  play: ['object'],
  record_start: ['limit'],
  record_stop: ['discard'],
  dtmf_collect: ['enable'],
  dtmf_send: ['digits', 'duration'],
};

const isControlName = (v: unknown): v is ControlName =>
  typeof v === 'string' && Object.prototype.hasOwnProperty.call(FIELDS, v);

class Problem extends Error {
  constructor(readonly problem: ControlProblem) {
    super(problem.message);
  }
}

const syntax = (message: string): never => {
  throw new Problem({ status: 'wrong-syntax', message });
};
const missing = (message: string): never => {
  throw new Problem({ status: 'missing-element', message });
};

function int(
  c: Record<string, unknown>,
  k: string,
  min: number,
  max: number,
  at: string,
): number | undefined {
  const v = c[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    return syntax(`'${at}/${k}' must be an integer ${min}...${max}`);
  return v;
}

function need<T>(v: T | undefined, at: string, k: string): T {
  return v === undefined ? missing(`'${at}/${k}' is missing`) : v;
}

function bool(c: Record<string, unknown>, k: string, at: string): boolean | undefined {
  const v = c[k];
  if (v === undefined) return undefined;
  return typeof v === 'boolean' ? v : syntax(`'${at}/${k}' must be true or false`);
}

function parseControl(raw: unknown, at: string): Control {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return syntax(`'${at}' must be an object`);
  const c = raw as Record<string, unknown>;
  if (c['control'] === undefined) return missing(`'${at}/control' is missing`);
  const name = c['control'];
  if (!isControlName(name)) return syntax(`'${at}/control' is not a control`);
  const extra = Object.keys(c).find((k) => k !== 'control' && k !== 'id' && !FIELDS[name].includes(k));
  if (extra !== undefined) return syntax(`'${at}/${extra}' is not a parameter of ${name}`);
  const base: Base = {};
  if (c['id'] !== undefined) {
    const id = c['id'];
    if (typeof id !== 'string' || id.length > 100 || /[\r\n]/.test(id))
      return syntax(`'${at}/id' must be a text of at most 100 characters`);
    base.id = id;
  }
  const duration = (min: number) => need(int(c, 'duration', min, 3_600_000, at), at, 'duration');
  switch (name) {
    case 'ring':
    case 'progress':
    case 'answer':
    case 'split':
      return { ...base, control: name };
    case 'hangup':
      return {
        ...base,
        control: name,
        hangup_cause: int(c, 'hangup_cause', 1, 127, at) ?? DEFAULT_HANGUP_CAUSE,
      };
    case 'bridge': {
      const call = c['call'];
      if (call === undefined) return missing(`'${at}/call' is missing`);
      if (typeof call !== 'string' || !UUID.test(call)) return syntax(`'${at}/call' must be a call UUID`);
      return {
        ...base,
        control: name,
        call: call.toLowerCase(),
        hangup_both: bool(c, 'hangup_both', at) ?? true,
      };
    }
    case 'sleep':
    case 'silence':
      return { ...base, control: name, duration: duration(1) };
    case 'tone': {
      const frequency = need(int(c, 'frequency', 0, 40_000, at), at, 'frequency');
      const interval = int(c, 'interval', 1, 3_600_000, at);
      const loop = int(c, 'loop', 0, 1000, at);
      return {
        ...base,
        control: name,
        frequency,
        duration: duration(1),
        ...(interval !== undefined ? { interval } : {}),
        ...(loop !== undefined ? { loop } : {}),
      };
    }
    case 'play': {
      const object = c['object'];
      if (object === undefined) return missing(`'${at}/object' is missing`);
      if (typeof object !== 'string' || !UUID.test(object))
        return syntax(`'${at}/object' must be an object UUID`);
      return { ...base, control: name, object: object.toLowerCase() };
    }
    case 'record_start':
      return {
        ...base,
        control: name,
        limit: int(c, 'limit', 1, RECORD_LIMIT_MAX_S, at) ?? RECORD_LIMIT_MAX_S,
      };
    case 'record_stop':
      return { ...base, control: name, discard: bool(c, 'discard', at) ?? false };
    case 'dtmf_collect':
      return { ...base, control: name, enable: need(bool(c, 'enable', at), at, 'enable') };
    case 'dtmf_send': {
      const digits = c['digits'];
      if (digits === undefined) return missing(`'${at}/digits' is missing`);
      if (typeof digits !== 'string' || !DIGITS.test(digits))
        return syntax(`'${at}/digits' must be 1...100 of 0-9, # and *`);
      return {
        ...base,
        control: name,
        digits,
        duration: int(c, 'duration', 50, 3_600_000, at) ?? DEFAULT_DTMF_MS,
      };
    }
  }
}

/** The request checked as a whole (nothing runs when one control is wrong), or what is wrong. */
export function parseControlRequest(
  body: unknown,
): { request: ControlRequest } | { problem: ControlProblem } {
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      syntax('the request must be an object');
    const b = body as Record<string, unknown>;
    const extra = Object.keys(b).find((k) => k !== 'queue' && k !== 'controls');
    if (extra !== undefined) syntax(`'${extra}' is not a parameter`);
    const queue = b['queue'] ?? 'append';
    if (queue !== 'append' && queue !== 'clear' && queue !== 'break')
      syntax("'queue' must be append, clear or break");
    const list = b['controls'];
    if (list === undefined) missing("'controls' is missing");
    if (!Array.isArray(list)) syntax("'controls' must be a list");
    const arr = list as unknown[];
    if (arr.length > MAX_CONTROLS) syntax(`at most ${MAX_CONTROLS} controls in one request`);
    return {
      request: { queue: queue as QueueMode, controls: arr.map((c, i) => parseControl(c, `controls/${i}`)) },
    };
  } catch (err) {
    if (err instanceof Problem) return { problem: err.problem };
    throw err;
  }
}

// ------------------------------------------------------ illegal-state --

/** What the rules look at: where the call is (or will be once the controls before ran). */
export interface CallFacts {
  incoming: boolean;
  status: CallState;
  bridged: boolean;
  recording: boolean;
}

/** Media can be played to the call: answered, or an incoming call in early media. */
const hasMedia = (f: CallFacts): boolean =>
  f.status === 'answered' || (f.incoming && f.status === 'progress');

/** Why `c` cannot run on a call in `f` (null: it can). */
function illegal(f: CallFacts, c: Control): string | null {
  if (f.status === 'hangup') return 'the call has ended';
  switch (c.control) {
    case 'ring':
    case 'progress':
    case 'answer':
      if (!f.incoming) return `${c.control} is only possible on incoming calls`;
      if (f.status === 'answered') return `the call is answered already`;
      return null;
    case 'hangup':
    case 'sleep':
    case 'dtmf_collect':
      return null;
    case 'bridge':
      if (f.bridged) return 'the call is bridged already';
      return hasMedia(f) ? null : 'only a call with media can be bridged';
    case 'split':
      return f.bridged ? null : 'the call is not bridged';
    case 'silence':
    case 'tone':
    case 'play':
    case 'record_start':
      if (c.control === 'record_start' && f.recording) return 'the call is being recorded already';
      return hasMedia(f)
        ? null
        : `${c.control} needs media (answer the call, or progress on an incoming call)`;
    case 'record_stop':
      return f.recording ? null : 'the call is not being recorded';
    case 'dtmf_send':
      return f.status === 'answered' ? null : 'dtmf_send needs an answered call';
  }
}

/** The facts after `c` ran (as far as the control itself decides them). */
function after(f: CallFacts, c: Control): CallFacts {
  switch (c.control) {
    case 'ring':
      return { ...f, status: f.status === 'calling' ? 'ringing' : f.status };
    case 'progress':
      return { ...f, status: f.status === 'calling' || f.status === 'ringing' ? 'progress' : f.status };
    case 'answer':
      return { ...f, status: 'answered' };
    case 'hangup':
      return { ...f, status: 'hangup', bridged: false, recording: false };
    case 'bridge':
      return { ...f, bridged: true };
    case 'split':
      return { ...f, bridged: false };
    case 'record_start':
      return { ...f, recording: true };
    case 'record_stop':
      return { ...f, recording: false };
    default:
      return f;
  }
}

/**
 * Checks controls against a call in `facts`, each against the state the
 * controls before it lead to. Answers the facts after the last one, or the
 * first control that is illegal there.
 */
export function checkControls(
  facts: CallFacts,
  controls: readonly Control[],
): { ok: true; facts: CallFacts } | { ok: false; index: number; message: string } {
  let f = facts;
  for (const [index, c] of controls.entries()) {
    const why = illegal(f, c);
    if (why !== null) return { ok: false, index, message: `controls/${index} (${c.control}): ${why}` };
    f = after(f, c);
  }
  return { ok: true, facts: f };
}

// ------------------------------------------------------- call and events --

/** A call-API call as `GET /api/call` lists it (spec 3.24); absent fields are left out. */
export interface CallApiView {
  incoming: boolean;
  to: string;
  from: string;
  clip?: string;
  clir: boolean;
  status: CallState;
  create_time: number;
  answer_time?: number;
  hangup_time?: number;
  hangup_cause?: number;
  current_control_id?: string;
  last_control_id?: string;
  record_on: boolean;
  recording?: string;
  bridge?: string;
}

/** Fields that say "no longer" with an empty string in call_update (spec 7.18.1). */
const CLEARABLE = new Set(['current_control_id', 'bridge']);
const FIELD_ORDER: ReadonlyArray<keyof CallApiView> = [
  'incoming',
  'to',
  'from',
  'clip',
  'clir',
  'status',
  'create_time',
  'answer_time',
  'hangup_time',
  'hangup_cause',
  'current_control_id',
  'last_control_id',
  'record_on',
  'recording',
  'bridge',
];

/** The fields that changed from `before` to `after` (spec 7.18.1); empty when nothing did. */
export function viewChanges(before: CallApiView | null, after: CallApiView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) {
    const a = after[k];
    const b = before?.[k];
    if (a === b) continue;
    if (a === undefined) {
      if (CLEARABLE.has(k)) out[k] = '';
      continue;
    }
    out[k] = a;
  }
  return out;
}

/**
 * The last view of a call whose telephony process died (the crash reaper,
 * telephony/recovery.ts): ended `endMs` (never before it was created or
 * answered) with `q850`; the control running then is the last one, nothing
 * records and nothing is bridged any more; `recording` is what the reaper
 * kept of a recording in progress, if anything.
 */
export function crashedView(
  v: CallApiView,
  endMs: number,
  q850: number,
  recording: string | null = null,
): CallApiView {
  const floor = Math.max(v.create_time, v.answer_time ?? v.create_time);
  const out: CallApiView = {
    ...v,
    status: 'hangup',
    hangup_time: Math.max(floor, Math.floor(endMs / 1000)),
    hangup_cause: q850,
    record_on: false,
  };
  delete out.current_control_id;
  delete out.bridge;
  const last = v.current_control_id ?? v.last_control_id;
  if (last !== undefined) out.last_control_id = last;
  if (recording) out.recording = recording;
  return out;
}

/** spec 7.18.1 payload for one call. */
export function callUpdate(
  uuid: string,
  changes: Record<string, unknown>,
): { call: Record<string, unknown> } {
  return { call: { [uuid]: changes } };
}

/** spec 7.18.2 payload. */
export function callDtmf(uuid: string, digit: string, durationMs: number): Record<string, unknown> {
  return { call: uuid, digit, duration: Math.round(durationMs) };
}

/** The session channel of a user's call API events (GET /api/call/event subscribes to it). */
export const callApiChannel = (userId: string): string => `call:${userId}`;

/** Orders `GET /api/call` entries (spec `from`/`to`/`start`/`order`/`count`). */
export interface CallListQuery {
  from?: number;
  to?: number;
  start?: string;
  order: 'asc' | 'desc';
  count: number;
}

/**
 * Picks the page of `calls` (uuid -> view) a query asks for: times in
 * seconds, `start` excluded and overriding `from` (asc) or `to` (desc).
 */
export function pageCalls(
  calls: ReadonlyArray<{ uuid: string; view: CallApiView }>,
  q: CallListQuery,
): Array<{ uuid: string; view: CallApiView }> {
  const sorted = [...calls].sort((a, b) =>
    a.view.create_time !== b.view.create_time
      ? a.view.create_time - b.view.create_time
      : a.uuid < b.uuid
        ? -1
        : a.uuid > b.uuid
          ? 1
          : 0,
  );
  if (q.order === 'desc') sorted.reverse();
  let list = sorted.filter(
    (c) =>
      (q.from === undefined || c.view.create_time >= q.from) &&
      (q.to === undefined || c.view.create_time <= q.to),
  );
  if (q.start !== undefined) {
    const at = sorted.findIndex((c) => c.uuid === q.start);
    if (at >= 0) {
      // start overrides from (asc) / to (desc): only the bound on the other side stays.
      list = sorted
        .slice(at + 1)
        .filter((c) =>
          q.order === 'asc'
            ? q.to === undefined || c.view.create_time <= q.to
            : q.from === undefined || c.view.create_time >= q.from,
        );
    }
  }
  return list.slice(0, q.count);
}
