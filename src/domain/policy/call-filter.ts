/**
 * Call filters (spec 9.1.3): a partner's rules, checked on every outgoing call
 * of a user, that rewrite the destination number and allow or deny the call.
 *
 * Semantics, as the spec describes them:
 * - The filter is an array of operators, evaluated in order. A nested array is
 *   evaluated in place; when it ends (or is left by `break`) without a decision,
 *   evaluation continues after it in the enclosing array.
 * - `replace`: every occurrence of the `key` regex in the number is replaced by
 *   `value` (literally: `$1` is not a group reference). Later operators see the
 *   rewritten number, inside and outside the array that rewrote it.
 * - `match` (regex `key` against the number) and `service` (`key` equals the
 *   call's service type) are conditions; `reverse: true` negates them. When the
 *   condition holds, `pass: true|false` allows or denies the call at once and
 *   `break: true` leaves the current array. Exactly one of `pass`/`break`.
 * - No decision at the end (or an empty filter) allows the call.
 *
 * Regexes come from partners, so they are compiled by an injected engine with
 * linear-time matching (RE2, see lib/re2-call-filter.ts); this module is pure.
 *
 * Decisions where the spec is silent: unknown fields are wrong-syntax; the
 * top-level `callfilter` may be one operator object (the spec's GET example)
 * or an array (its POST example); `^+` at the start of a pattern is read as a
 * literal `+` (the spec's example writes `^+4911` for numbers starting with
 * "+4911"; as a regex `^+` would only repeat the anchor); a rewrite that makes
 * the number longer than CALL_FILTER_LIMITS.maxNumber denies the call.
 */
import type { Matcher } from '../event-filter.js';
import { PolicyError, isRecord, onlyFields } from './errors.js';

/** Valid `service` operator keys (spec 9.1.3). */
export const CALL_SERVICES = [
  'fax',
  'sip',
  'dialplan',
  'call_through',
  'callback',
  'ivr',
  'announcement_call',
  'call_api',
] as const;
export type CallService = (typeof CALL_SERVICES)[number];

export interface CallFilterRegex {
  test: Matcher;
  /** Replaces every match with `value`, taken literally. */
  replaceAll(text: string, value: string): string;
}
export type CallFilterCompiler = (pattern: string) => CallFilterRegex;

export const CALL_FILTER_LIMITS = {
  /** Spec 9.1.3: more operators answer too-large. */
  maxOperators: 250,
  /** Nested arrays count separately so `[[],[],...]` cannot grow without bound. */
  maxArrays: 250,
  maxDepth: 16,
  maxPattern: 1000,
  maxValue: 100,
  /** A number rewritten beyond this length is no dialable number: the call is denied. */
  maxNumber: 128,
} as const;

type Action = { kind: 'pass'; allow: boolean } | { kind: 'break' } | { kind: 'none' };

export type CallFilterNode =
  | { op: 'replace'; regex: CallFilterRegex; value: string }
  | { op: 'match'; regex: CallFilterRegex; reverse: boolean; action: Action }
  | { op: 'service'; service: CallService; reverse: boolean; action: Action }
  | { op: 'list'; items: CallFilterNode[] };

export interface CallFilter {
  readonly root: readonly CallFilterNode[];
  /** Number of operators (arrays not counted), 1..250. */
  readonly operators: number;
}

export interface CallAttempt {
  number: string;
  service: CallService;
}

export interface CallFilterResult {
  allowed: boolean;
  /** The destination after every `replace` that ran before the decision. */
  number: string;
}

export function isCallService(v: unknown): v is CallService {
  return typeof v === 'string' && (CALL_SERVICES as readonly string[]).includes(v);
}

/** See the header: `^+` at the start means a literal plus sign. */
export function normalizeCallFilterPattern(pattern: string): string {
  return pattern.startsWith('^+') ? `^\\+${pattern.slice(2)}` : pattern;
}

/**
 * Parses the value of the `callfilter` field (an array of operators, or one
 * operator). Throws PolicyError: empty-filter (no operator at all), too-large
 * (more than 250 operators), missing-element, wrong-syntax (including regexes
 * the RE2 engine rejects).
 */
export function parseCallFilter(input: unknown, compile: CallFilterCompiler): CallFilter {
  let operators = 0;
  let arrays = 0;

  const regex = (node: Record<string, unknown>, path: string): CallFilterRegex => {
    const key = node['key'];
    if (key === undefined) throw new PolicyError('missing-element', `${path}.key is missing`);
    if (typeof key !== 'string') throw new PolicyError('wrong-syntax', `${path}.key must be a string`);
    if (key.length > CALL_FILTER_LIMITS.maxPattern)
      throw new PolicyError('wrong-syntax', `${path}.key is longer than ${CALL_FILTER_LIMITS.maxPattern}`);
    try {
      return compile(normalizeCallFilterPattern(key));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new PolicyError('wrong-syntax', `${path}.key is not a valid regular expression: ${why}`);
    }
  };

  const flag = (node: Record<string, unknown>, field: string, path: string): boolean | undefined => {
    const v = node[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean')
      throw new PolicyError('wrong-syntax', `${path}.${field} must be true or false`);
    return v;
  };

  const action = (node: Record<string, unknown>, path: string): Action => {
    const pass = flag(node, 'pass', path);
    const brk = flag(node, 'break', path);
    if (pass !== undefined && brk !== undefined)
      throw new PolicyError('wrong-syntax', `${path} must not have both pass and break`);
    if (pass !== undefined) return { kind: 'pass', allow: pass };
    if (brk !== undefined) return brk ? { kind: 'break' } : { kind: 'none' };
    throw new PolicyError('missing-element', `${path} needs a pass or a break field`);
  };

  const operator = (node: Record<string, unknown>, path: string): CallFilterNode => {
    operators += 1;
    if (operators > CALL_FILTER_LIMITS.maxOperators)
      throw new PolicyError(
        'too-large',
        `the call filter has more than ${CALL_FILTER_LIMITS.maxOperators} operators`,
      );
    const op = node['operator'];
    switch (op) {
      case 'replace': {
        if ('pass' in node || 'break' in node)
          throw new PolicyError('wrong-syntax', `${path}: pass and break may not be used in replace`);
        onlyFields(node, ['operator', 'key', 'value'], path);
        const value = node['value'];
        if (value === undefined) throw new PolicyError('missing-element', `${path}.value is missing`);
        if (typeof value !== 'string' || value.length > CALL_FILTER_LIMITS.maxValue)
          throw new PolicyError(
            'wrong-syntax',
            `${path}.value must be a string of up to ${CALL_FILTER_LIMITS.maxValue}`,
          );
        return { op, regex: regex(node, path), value };
      }
      case 'match':
      case 'service': {
        onlyFields(node, ['operator', 'key', 'pass', 'break', 'reverse'], path);
        const reverse = flag(node, 'reverse', path) ?? false;
        const act = action(node, path);
        if (op === 'match') return { op, regex: regex(node, path), reverse, action: act };
        const key = node['key'];
        if (key === undefined) throw new PolicyError('missing-element', `${path}.key is missing`);
        if (!isCallService(key))
          throw new PolicyError('wrong-syntax', `${path}.key must be one of ${CALL_SERVICES.join(', ')}`);
        return { op, service: key, reverse, action: act };
      }
      case undefined:
        throw new PolicyError('missing-element', `${path}.operator is missing`);
      default:
        throw new PolicyError('wrong-syntax', `${path}.operator must be replace, match or service`);
    }
  };

  const list = (items: unknown[], path: string, depth: number): CallFilterNode[] => {
    arrays += 1;
    if (arrays > CALL_FILTER_LIMITS.maxArrays)
      throw new PolicyError(
        'too-large',
        `the call filter has more than ${CALL_FILTER_LIMITS.maxArrays} arrays`,
      );
    if (depth > CALL_FILTER_LIMITS.maxDepth)
      throw new PolicyError('wrong-syntax', `${path} is nested deeper than ${CALL_FILTER_LIMITS.maxDepth}`);
    return items.map((item, i) => node(item, `${path}[${i}]`, depth));
  };

  const node = (item: unknown, path: string, depth: number): CallFilterNode => {
    if (Array.isArray(item)) return { op: 'list', items: list(item, path, depth + 1) };
    if (isRecord(item)) return operator(item, path);
    throw new PolicyError('wrong-syntax', `${path} must be an operator object or an array`);
  };

  if (input === undefined || input === null)
    throw new PolicyError('missing-element', 'callfilter is missing');
  let root: CallFilterNode[];
  if (Array.isArray(input)) root = list(input, 'callfilter', 0);
  else if (isRecord(input)) root = [operator(input, 'callfilter')];
  else throw new PolicyError('wrong-syntax', 'callfilter must be an array of operators');
  if (operators === 0) throw new PolicyError('empty-filter', 'the call filter contains no operator');
  return { root, operators };
}

/** Mutable evaluation state: the number is rewritten in place by `replace`. */
interface State {
  number: string;
  readonly service: CallService;
}

const ALLOW = 1;
const DENY = 2;
type Decision = typeof ALLOW | typeof DENY | 0;

function run(items: readonly CallFilterNode[], st: State): Decision {
  for (const node of items) {
    if (node.op === 'replace') {
      st.number = node.regex.replaceAll(st.number, node.value);
      if (st.number.length > CALL_FILTER_LIMITS.maxNumber) return DENY;
      continue;
    }
    if (node.op === 'list') {
      const d = run(node.items, st);
      if (d !== 0) return d;
      continue;
    }
    const hit = node.op === 'match' ? node.regex.test(st.number) : node.service === st.service;
    if (hit === node.reverse) continue;
    const act = node.action;
    if (act.kind === 'pass') return act.allow ? ALLOW : DENY;
    if (act.kind === 'break') return 0;
  }
  return 0;
}

/** Evaluates a parsed filter for one outgoing call (spec 9.1.3). */
export function evaluateCallFilter(filter: CallFilter, call: CallAttempt): CallFilterResult {
  const st: State = { number: call.number, service: call.service };
  const d = run(filter.root, st);
  return { allowed: d !== DENY, number: st.number };
}
