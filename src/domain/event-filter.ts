/**
 * Session event filters (spec 3.27 POST /api/event/filter).
 *
 * A filter is parsed and checked once when attached (syntax errors are
 * reported then) and evaluated for every event queued to the session. Regular
 * expressions come from users, so they are compiled by an injected engine that
 * must match in linear time (RE2 semantics); this module stays pure.
 */

export type Matcher = (text: string) => boolean;
export type RegexCompiler = (pattern: string) => Matcher;

export type Filter =
  | { op: 'equal' | 'contain'; key: string; value: unknown }
  | { op: 'rematch'; key: string; match: Matcher }
  | { op: 'greater' | 'lesser'; key: string; value: number }
  | { op: 'filter'; key: string; arg: Filter }
  | { op: 'and' | 'or'; args: Filter[] }
  | { op: 'not'; arg: Filter };

export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

export const FILTER_LIMITS = { maxNodes: 500, maxDepth: 32, maxPattern: 1000 } as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The message for a pattern the compiler refused: a cost limit (the
 * compiler's PatternLimitError names it) or a syntax error.
 */
export function patternErrorMessage(where: string, err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  return e.name === 'PatternLimitError'
    ? `${where} ${e.message}`
    : `${where} is not a valid regular expression: ${e.message}`;
}

/** Parses a filter; throws FilterSyntaxError with a message naming the offending part. */
export function parseFilter(input: unknown, compile: RegexCompiler): Filter {
  let nodes = 0;
  const parse = (node: unknown, path: string, depth: number): Filter => {
    nodes += 1;
    if (nodes > FILTER_LIMITS.maxNodes)
      throw new FilterSyntaxError(`filter has more than ${FILTER_LIMITS.maxNodes} operators`);
    if (depth > FILTER_LIMITS.maxDepth)
      throw new FilterSyntaxError(`filter is nested deeper than ${FILTER_LIMITS.maxDepth}`);
    if (!isObject(node)) throw new FilterSyntaxError(`${path} must be an object`);
    const op = node['op'];
    const key = (): string => {
      const k = node['key'];
      if (typeof k !== 'string' || k === '')
        throw new FilterSyntaxError(`${path}.key must be a non-empty string`);
      return k;
    };
    const has = (f: string): boolean => Object.prototype.hasOwnProperty.call(node, f);
    switch (op) {
      case 'equal':
      case 'contain':
        if (!has('value')) throw new FilterSyntaxError(`${path}.value is missing`);
        return { op, key: key(), value: node['value'] };
      case 'rematch': {
        const pattern = node['value'];
        if (typeof pattern !== 'string')
          throw new FilterSyntaxError(`${path}.value must be a regular expression string`);
        if (pattern.length > FILTER_LIMITS.maxPattern)
          throw new FilterSyntaxError(`${path}.value is too long`);
        let match: Matcher;
        try {
          match = compile(pattern);
        } catch (err) {
          throw new FilterSyntaxError(patternErrorMessage(`${path}.value`, err));
        }
        return { op, key: key(), match };
      }
      case 'greater':
      case 'lesser': {
        const v = node['value'];
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new FilterSyntaxError(`${path}.value must be a number`);
        return { op, key: key(), value: v };
      }
      case 'filter': {
        // The spec's text names the nested filter `value`, its example `arg`: accept both.
        const inner = has('arg') ? node['arg'] : node['value'];
        return { op, key: key(), arg: parse(inner, `${path}.arg`, depth + 1) };
      }
      case 'and':
      case 'or': {
        const args = node['args'];
        if (!Array.isArray(args) || args.length === 0) {
          throw new FilterSyntaxError(`${path}.args must be a non-empty array of filters`);
        }
        return { op, args: args.map((a, i) => parse(a, `${path}.args[${i}]`, depth + 1)) };
      }
      case 'not':
        return { op, arg: parse(node['arg'], `${path}.arg`, depth + 1) };
      default:
        throw new FilterSyntaxError(`${path}.op '${String(op)}' is not a filter operator`);
    }
  };
  return parse(input, 'filter', 0);
}

/** JSON equality, types included: 1 and "1" differ, key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as Json[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  return (
    ak.length === Object.keys(bo).length && ak.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]))
  );
}

/** True when the event passes the filter. May throw on unexpected input; callers pass the event with filter_error then. */
export function evaluateFilter(filter: Filter, event: Record<string, unknown>): boolean {
  switch (filter.op) {
    case 'equal':
      return Object.hasOwn(event, filter.key) && jsonEqual(event[filter.key], filter.value);
    case 'contain': {
      const v = event[filter.key];
      return Array.isArray(v) && v.some((x) => jsonEqual(x, filter.value));
    }
    case 'rematch': {
      const v = event[filter.key];
      return typeof v === 'string' && filter.match(v);
    }
    case 'greater': {
      const v = event[filter.key];
      return typeof v === 'number' && v > filter.value;
    }
    case 'lesser': {
      const v = event[filter.key];
      return typeof v === 'number' && v < filter.value;
    }
    case 'filter': {
      const v = event[filter.key];
      return isObject(v) && evaluateFilter(filter.arg, v);
    }
    case 'and':
      return filter.args.every((f) => evaluateFilter(f, event));
    case 'or':
      return filter.args.some((f) => evaluateFilter(f, event));
    case 'not':
      return !evaluateFilter(filter.arg, event);
  }
}
