import { randomBytes } from 'node:crypto';
import { v1 as uuidv1, validate as uuidValidate } from 'uuid';

export { uuidV1Micros } from '../domain/uuid-time.js';

/** Every id the platform hands out is a time-based UUID v1 (spec 2.4). */
export function newId(): string {
  return uuidv1();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value) && uuidValidate(value);
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
