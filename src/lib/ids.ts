import { randomBytes } from 'node:crypto';
import { v1 as uuidv1, validate as uuidValidate, version as uuidVersion } from 'uuid';

/** Every id the platform hands out is a time-based UUID v1 (spec 2.4). */
export function newId(): string {
  return uuidv1();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value) && uuidValidate(value);
}

/** 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET = 122192928000000000n;

/**
 * Microseconds since the Unix epoch encoded in a v1 UUID (RFC 4122 §4.1.4), used
 * as the time-ordering key of objects, users and tags. Non-v1 UUIDs yield null.
 */
export function uuidV1Micros(id: string): number | null {
  if (!isUuid(id) || uuidVersion(id) !== 1) return null;
  const hex = id.replace(/-/g, '');
  const timeLow = hex.slice(0, 8);
  const timeMid = hex.slice(8, 12);
  const timeHi = hex.slice(13, 16);
  const ticks = BigInt(`0x${timeHi}${timeMid}${timeLow}`);
  return Number((ticks - GREGORIAN_OFFSET) / 10n);
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random token of [A-Za-z0-9] (session ids, keys, codes), unbiased. */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUM[byte % 62];
    }
  }
  return out;
}
