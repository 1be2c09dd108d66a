/**
 * Metadata of users and objects (spec 3.5 /api/user/metadata, 3.12
 * /api/object/(uuid)/metadata): key syntax, the `keys`/`domain` selection of
 * the GET calls, and the checks on the `update`/`delete` body of the POST calls.
 */

/** Reverse-domain keys, e.g. `com.mycompany.application1.element1`. */
export const METADATA_KEY_RE = /^[a-z0-9]{2,50}(\.[a-z0-9]{2,50}){1,10}$/;
/** A `domain` may be a single label (`com`) or any prefix of a key. */
export const METADATA_DOMAIN_RE = /^[a-z0-9]{2,50}(\.[a-z0-9]{2,50}){0,10}$/;
/** "value – any valid JSON type, maximum length: 100KB", measured as UTF-8 JSON text. */
export const METADATA_VALUE_MAX_BYTES = 100 * 1024;
/**
 * Nesting limit for stored JSON. PostgreSQL's jsonb parser runs out of stack
 * somewhere above 5,000 levels; no real client nests this deep.
 */
export const JSON_MAX_DEPTH = 1000;

export type MetadataStatus = 'wrong-syntax' | 'too-large';

export class MetadataError extends Error {
  override name = 'MetadataError';
  constructor(
    readonly status: MetadataStatus,
    message: string,
  ) {
    super(message);
  }
}

export function isMetadataKey(key: string): boolean {
  return METADATA_KEY_RE.test(key);
}

/** Which keys a GET returns; both parts set means a key must satisfy both. */
export interface MetadataSelection {
  keys?: readonly string[];
  domain?: string;
}

/** Parses the `keys` (comma-separated) and `domain` query parameters. */
export function parseSelection(raw: {
  keys?: string | undefined;
  domain?: string | undefined;
}): MetadataSelection {
  const sel: MetadataSelection = {};
  if (raw.keys !== undefined) {
    const keys = raw.keys.split(',');
    const bad = keys.find((k) => !isMetadataKey(k));
    if (bad !== undefined) throw new MetadataError('wrong-syntax', `'${bad}' is not a valid metadata key`);
    sel.keys = [...new Set(keys)];
  }
  if (raw.domain !== undefined) {
    if (!METADATA_DOMAIN_RE.test(raw.domain)) {
      throw new MetadataError('wrong-syntax', `'${raw.domain}' is not a valid metadata domain`);
    }
    sel.domain = raw.domain;
  }
  return sel;
}

/**
 * True when `key` is selected. A domain selects the keys under it, never the
 * domain itself: `com.mycompany` selects `com.mycompany.entity2`, not
 * `com.mycompany` and not `com.mycompanyx.a`.
 */
export function selects(sel: MetadataSelection, key: string): boolean {
  if (sel.keys && !sel.keys.includes(key)) return false;
  if (sel.domain !== undefined && !key.startsWith(`${sel.domain}.`)) return false;
  return true;
}

/** Lone UTF-16 surrogates, which JSON.stringify writes as `\udXXX` escapes jsonb refuses. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a JSON value cannot be stored in a jsonb column, or null if it can:
 * U+0000 and lone surrogates are valid JSON but not valid jsonb text, and very
 * deep nesting exhausts the database's parser. Iterative, so hostile input
 * cannot overflow our stack either.
 */
export function unstorableJsonReason(value: unknown): string | null {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  const badText = (s: string): boolean => s.includes('\u0000') || LONE_SURROGATE.test(s);
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (badText(v)) return 'contains U+0000 or an unpaired surrogate';
    } else if (v !== null && typeof v === 'object') {
      if (depth >= JSON_MAX_DEPTH) return `is nested deeper than ${JSON_MAX_DEPTH} levels`;
      if (Array.isArray(v)) {
        for (const item of v) stack.push({ v: item, depth: depth + 1 });
      } else {
        for (const [k, item] of Object.entries(v)) {
          if (badText(k)) return 'contains U+0000 or an unpaired surrogate';
          stack.push({ v: item, depth: depth + 1 });
        }
      }
    }
  }
  return null;
}

/** Size of a value as serialized JSON, in UTF-8 bytes. */
export function serializedSize(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? 'null').length;
}

/** A checked POST body: keys valid, values storable and within size. */
export interface MetadataChanges {
  update: Record<string, unknown>;
  delete: string[];
}

/**
 * Checks the body of POST /api/user/metadata and POST /api/object/(uuid)/metadata.
 * A key both updated and deleted is contradictory and refused as wrong-syntax.
 */
export function checkChanges(raw: {
  update?: Record<string, unknown>;
  delete?: readonly string[];
}): MetadataChanges {
  const update = raw.update ?? {};
  const del = [...new Set(raw.delete ?? [])];
  for (const key of [...Object.keys(update), ...del]) {
    if (!isMetadataKey(key)) throw new MetadataError('wrong-syntax', `'${key}' is not a valid metadata key`);
  }
  const both = del.find((k) => Object.hasOwn(update, k));
  if (both !== undefined) {
    throw new MetadataError('wrong-syntax', `'${both}' is listed in both update and delete`);
  }
  for (const [key, value] of Object.entries(update)) {
    // Depth first: serializing a hostile, deeply nested value would overflow the stack.
    const why = unstorableJsonReason(value);
    if (why) throw new MetadataError('wrong-syntax', `the value of '${key}' ${why}`);
    if (serializedSize(value) > METADATA_VALUE_MAX_BYTES) {
      throw new MetadataError('too-large', `the value of '${key}' is larger than 100 KB`);
    }
  }
  return { update, delete: del };
}
