/**
 * Calling Name Delivery (spec 10): names for E.164 numbers, kept in three
 * tables (a user's, a usergroup's, an enterprise's) and shown on SIP phones.
 *
 * Lookup order for a call to a user: the user's own table, then the table of
 * the user's usergroup, then the table of that group's enterprise; the first
 * entry found wins, so a user can override the company-wide name.
 *
 * Decisions where the spec is silent: a name has 1 to 100 characters of the
 * spec's character set; numbers are matched exactly as stored (E.164, the
 * engine normalises the caller's number before the lookup).
 */
import { PolicyError } from './errors.js';

/**
 * Spec 10: letters A-Z and a-z, digits, & ' ( ) * + , - . / : ; @ [ ] _ and
 * space. Written for Ajv (unicode mode) as well as plain RegExp.
 */
export const CNAM_NAME_PATTERN = "^[A-Za-z0-9&'()*+,./:;@\\[\\]_ -]{1,100}$";
/** E.164: "+", country code without leading 0, at most 15 digits. */
export const E164_PATTERN = '^\\+[1-9][0-9]{1,14}$';

const NAME_RE = new RegExp(CNAM_NAME_PATTERN);
const E164_RE = new RegExp(E164_PATTERN);

export const CNAM_PAGE = { defaultCount: 50, maxCount: 500 } as const;

export function isCnamName(name: unknown): name is string {
  return typeof name === 'string' && NAME_RE.test(name);
}

export function isE164(phone: unknown): phone is string {
  return typeof phone === 'string' && E164_RE.test(phone);
}

/** Where a calling name came from, in lookup order. */
export const CNAM_SCOPES = ['user', 'usergroup', 'enterprise'] as const;
export type CnamScope = (typeof CNAM_SCOPES)[number];

/** One table: a map by phone number or any lookup function over the caller's data. */
export type CnamTable = ReadonlyMap<string, string> | ((phone: string) => string | undefined);

export type CnamTables = Partial<Record<CnamScope, CnamTable | null>>;

export interface CallingName {
  name: string;
  scope: CnamScope;
}

/** The calling name for `phone`: user table, then usergroup, then enterprise; null when none has it. */
export function resolveCallingName(phone: string, tables: CnamTables): CallingName | null {
  for (const scope of CNAM_SCOPES) {
    const table = tables[scope];
    if (!table) continue;
    const name = typeof table === 'function' ? table(phone) : table.get(phone);
    if (name !== undefined) return { name, scope };
  }
  return null;
}

/**
 * The name as a SIP display-name (RFC 3261 §25.1 quoted-string). The spec's
 * character set has no `"` or `\`; they are escaped anyway for stored data
 * that predates validation.
 */
export function sipDisplayName(name: string): string {
  return `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export interface CnamPageQuery {
  /** First phone number to return (inclusive), or null to start at the beginning. */
  next: string | null;
  count: number;
}

/**
 * Validates GET .../cnam query parameters (spec 10: `next` a phone number,
 * `count` 1..500, default 50). Pages are ordered by phone number; the answer's
 * `next` is the phone of the first entry after the page, or null.
 */
export function parseCnamPageQuery(raw: {
  next?: string | undefined;
  count?: string | undefined;
}): CnamPageQuery {
  let count: number = CNAM_PAGE.defaultCount;
  if (raw.count !== undefined) {
    if (!/^[0-9]{1,3}$/.test(raw.count))
      throw new PolicyError('wrong-syntax', 'count must be a number from 1 to 500');
    count = Number(raw.count);
    if (count < 1 || count > CNAM_PAGE.maxCount)
      throw new PolicyError('wrong-syntax', 'count must be a number from 1 to 500');
  }
  if (raw.next !== undefined && !isE164(raw.next))
    throw new PolicyError('wrong-syntax', 'next must be a phone number in E.164 format');
  return { next: raw.next ?? null, count };
}
