/**
 * Zone filters (spec 9.1.6 POST /api/partner/usergroup/(uuid)/zonefilter): the
 * per-minute cost of an outgoing call by destination prefix, charged against
 * the usergroup's credit.
 *
 * Rating rules (the spec only says "if a prefix matches"; this is our reading):
 * - The entry whose prefix is the LONGEST prefix of the destination wins, so
 *   "+4915" beats "+49" whatever their order. Equal prefixes in two entries:
 *   the earlier entry wins.
 * - The prefix "" matches every destination: the catch-all ("rest" in the
 *   spec's example), used only when no longer prefix matches.
 * - No match at all costs 0 (spec: "a cost value of 0 is assumed").
 *
 * Charging (spec): `cost` credits per minute, taken when the call is answered
 * and every 60 s after, until the call ends. Beyond the spec, an entry may add
 * `connect_fee` (credits taken once at answer) and `increment` (seconds between
 * ticks; each tick takes the per-minute cost pro rata, rounded so the running
 * total is always ceil(cost × elapsed / 60)). Without both fields it is exactly
 * the spec's model.
 *
 * Lookups walk a character trie over the destination (O(length of the number),
 * independent of the number of entries).
 */
import { PolicyError, isRecord, onlyFields } from './errors.js';

export const ZONE_FILTER_LIMITS = {
  /** Spec 9.1.6: more entries answer too-large. */
  maxEntries: 250,
  maxPrefixesPerEntry: 1000,
  maxDescription: 200,
  /** Largest cost / connect fee, keeps every sum an exact integer. */
  maxAmount: 1_000_000_000,
  maxIncrement: 3600,
} as const;

/** Digits, an optional leading "+", and the keypad's * and #; "" is the catch-all. */
export const ZONE_PREFIX_PATTERN = '^\\+?[0-9*#]{0,32}$';
const PREFIX_RE = new RegExp(ZONE_PREFIX_PATTERN);
const DEFAULT_INCREMENT = 60;

/** One entry as stored and returned by GET (fields exactly as posted). */
export interface ZoneFilterEntry {
  description?: string;
  prefix: string[];
  cost: number;
  connect_fee?: number;
  increment?: number;
}

/** What a destination costs. */
export interface ZoneRate {
  /** Credits per minute. */
  readonly cost: number;
  /** Credits taken once when the call is answered (extension; 0 = none). */
  readonly connectFee: number;
  /** Seconds between ticks (extension; 60 = the spec's model). */
  readonly increment: number;
  /** The matching entry's description and prefix; null when nothing matched. */
  readonly description: string | null;
  readonly prefix: string | null;
}

export const NO_ZONE_MATCH: ZoneRate = Object.freeze({
  cost: 0,
  connectFee: 0,
  increment: DEFAULT_INCREMENT,
  description: null,
  prefix: null,
});

export interface ZoneTrieNode {
  rate: ZoneRate | null;
  next: Array<ZoneTrieNode | undefined>;
}

export interface ZoneFilter {
  readonly entries: readonly ZoneFilterEntry[];
  readonly root: ZoneTrieNode;
}

const ALPHABET = '0123456789+*#';
const SLOT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SLOT[ALPHABET.charCodeAt(i)] = i;

const newNode = (): ZoneTrieNode => ({
  rate: null,
  next: new Array<ZoneTrieNode | undefined>(ALPHABET.length),
});

function amountField(
  e: Record<string, unknown>,
  field: string,
  path: string,
  min: number,
  max: number,
): number {
  const v = e[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw new PolicyError('wrong-syntax', `${path}.${field} must be an integer from ${min} to ${max}`);
  return v;
}

function parseEntry(e: unknown, path: string): ZoneFilterEntry {
  if (!isRecord(e)) throw new PolicyError('wrong-syntax', `${path} must be an object`);
  onlyFields(e, ['description', 'prefix', 'cost', 'connect_fee', 'increment'], path);
  const out: ZoneFilterEntry = { prefix: [], cost: 0 };
  const description = e['description'];
  if (description !== undefined) {
    if (typeof description !== 'string' || description.length > ZONE_FILTER_LIMITS.maxDescription)
      throw new PolicyError('wrong-syntax', `${path}.description must be a string of up to 200 characters`);
    out.description = description;
  }
  const prefix = e['prefix'];
  if (prefix === undefined) throw new PolicyError('missing-element', `${path}.prefix is missing`);
  if (!Array.isArray(prefix) || prefix.length === 0)
    throw new PolicyError('wrong-syntax', `${path}.prefix must be a non-empty array of prefixes`);
  if (prefix.length > ZONE_FILTER_LIMITS.maxPrefixesPerEntry)
    throw new PolicyError(
      'too-large',
      `${path}.prefix has more than ${ZONE_FILTER_LIMITS.maxPrefixesPerEntry}`,
    );
  for (const [i, p] of prefix.entries()) {
    if (typeof p !== 'string' || !PREFIX_RE.test(p))
      throw new PolicyError('wrong-syntax', `${path}.prefix[${i}] must match ${ZONE_PREFIX_PATTERN}`);
    out.prefix.push(p);
  }
  if (e['cost'] === undefined) throw new PolicyError('missing-element', `${path}.cost is missing`);
  out.cost = amountField(e, 'cost', path, 0, ZONE_FILTER_LIMITS.maxAmount);
  if (e['connect_fee'] !== undefined)
    out.connect_fee = amountField(e, 'connect_fee', path, 0, ZONE_FILTER_LIMITS.maxAmount);
  if (e['increment'] !== undefined)
    out.increment = amountField(e, 'increment', path, 1, ZONE_FILTER_LIMITS.maxIncrement);
  return out;
}

/** Builds the lookup trie; earlier entries keep a prefix that a later one repeats. */
export function compileZoneFilter(entries: readonly ZoneFilterEntry[]): ZoneFilter {
  const root = newNode();
  for (const e of entries) {
    for (const p of e.prefix) {
      let node = root;
      for (let i = 0; i < p.length; i++) {
        const slot = SLOT[p.charCodeAt(i)] ?? -1;
        if (slot < 0)
          throw new PolicyError('wrong-syntax', `prefix ${p} has a character outside ${ALPHABET}`);
        node = node.next[slot] ??= newNode();
      }
      node.rate ??= Object.freeze({
        cost: e.cost,
        connectFee: e.connect_fee ?? 0,
        increment: e.increment ?? DEFAULT_INCREMENT,
        description: e.description ?? null,
        prefix: p,
      });
    }
  }
  return { entries, root };
}

/**
 * Parses the value of the `zonefilter` field. Throws PolicyError: empty-filter
 * (no entry), too-large (more than 250 entries), missing-element, wrong-syntax.
 */
export function parseZoneFilter(input: unknown): ZoneFilter {
  if (input === undefined || input === null)
    throw new PolicyError('missing-element', 'zonefilter is missing');
  if (!Array.isArray(input)) throw new PolicyError('wrong-syntax', 'zonefilter must be an array of entries');
  if (input.length === 0) throw new PolicyError('empty-filter', 'the zone filter has no entry');
  if (input.length > ZONE_FILTER_LIMITS.maxEntries)
    throw new PolicyError(
      'too-large',
      `the zone filter has more than ${ZONE_FILTER_LIMITS.maxEntries} entries`,
    );
  return compileZoneFilter(input.map((e, i) => parseEntry(e, `zonefilter[${i}]`)));
}

/** The rate of a destination: longest matching prefix, then "", else cost 0 (see header). */
export function rate(zoneFilter: ZoneFilter, destination: string): ZoneRate {
  let node: ZoneTrieNode | undefined = zoneFilter.root;
  let best = node.rate ?? NO_ZONE_MATCH;
  for (let i = 0; i < destination.length; i++) {
    const c = destination.charCodeAt(i);
    const slot = c < 128 ? (SLOT[c] ?? -1) : -1;
    if (slot < 0) break;
    node = node.next[slot];
    if (node === undefined) break;
    if (node.rate !== null) best = node.rate;
  }
  return best;
}

/**
 * When and how much a rated call is charged. Tick n (n = 0, 1, 2, ...) falls
 * at n × intervalSeconds after answer; the engine debits amount(n) then, and
 * ends the call when the debit is refused.
 */
export interface TickPlan {
  /** Nothing is ever charged: the engine needs no timer and no debit. */
  readonly free: boolean;
  readonly intervalSeconds: number;
  /** Credits due at tick n (tick 0 includes the connect fee). */
  amount(n: number): number;
  /** Ticks a call connected for `seconds` goes through: one at answer, then one per started interval. */
  ticksFor(seconds: number): number;
  /** Total credits a call connected for `seconds` costs. */
  totalFor(seconds: number): number;
}

export function tickPlan(r: ZoneRate): TickPlan {
  const interval = r.increment;
  // cost per tick = cost × interval / 60 = whole + part / 60, kept exact in integers.
  const perTick = r.cost * interval;
  const whole = Math.floor(perTick / 60);
  const part = perTick % 60;
  const charged = (ticks: number): number => ticks * whole + Math.ceil((ticks * part) / 60);
  const ticksFor = (seconds: number): number => Math.max(1, Math.ceil(seconds / interval));
  return {
    free: r.cost === 0 && r.connectFee === 0,
    intervalSeconds: interval,
    amount: (n) => charged(n + 1) - charged(n) + (n === 0 ? r.connectFee : 0),
    ticksFor,
    totalFor: (seconds) => r.connectFee + charged(ticksFor(seconds)),
  };
}
