/** 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET = 122192928000000000n;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Microseconds since the Unix epoch encoded in a v1 UUID (RFC 4122 §4.1.4), used
 * as the time-ordering key of objects, users and tags. Other UUIDs yield null.
 */
export function uuidV1Micros(id: string): number | null {
  if (!UUID_RE.test(id)) return null;
  const hex = id.replace(/-/g, '');
  const ticks = BigInt(`0x${hex.slice(13, 16)}${hex.slice(8, 12)}${hex.slice(0, 8)}`);
  return Number((ticks - GREGORIAN_OFFSET) / 10n);
}
