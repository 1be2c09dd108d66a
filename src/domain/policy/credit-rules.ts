/**
 * Request rules for usergroup credit (spec 9.1.6 .../credit). The live counter
 * is in Redis (telephony/policy/credit.ts); these checks are pure.
 */
import { PolicyError, isRecord } from './errors.js';

/** Largest credit change per request; balances stay exact integers in Redis Lua (doubles). */
export const MAX_CREDIT_CHANGE = 1_000_000_000_000_000;

function amount(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || Math.abs(v) > MAX_CREDIT_CHANGE)
    throw new PolicyError('wrong-syntax', `${field} must be an integer of at most ${MAX_CREDIT_CHANGE}`);
  return v;
}

/**
 * POST .../credit: `add` and/or `subtract` (integers), at least one present.
 * Returns the net change (add - subtract), applied as one atomic step.
 */
export function parseCreditChange(body: unknown): number {
  if (!isRecord(body)) throw new PolicyError('wrong-syntax', 'the body must be a JSON object');
  const add = body['add'];
  const subtract = body['subtract'];
  if (add === undefined && subtract === undefined)
    throw new PolicyError('missing-element', 'add or subtract must be present');
  return (
    (add === undefined ? 0 : amount(add, 'add')) - (subtract === undefined ? 0 : amount(subtract, 'subtract'))
  );
}

export interface CreditRange {
  min?: number;
  max?: number;
}

/**
 * GET /api/partner/usergroup/credit query: `min`/`max` integers >= 0, and
 * min < max when both are given (spec). Bounds are inclusive ("at least",
 * "a maximum of").
 */
export function parseCreditRange(raw: { min?: string | undefined; max?: string | undefined }): CreditRange {
  const out: CreditRange = {};
  for (const field of ['min', 'max'] as const) {
    const v = raw[field];
    if (v === undefined) continue;
    if (!/^[0-9]{1,16}$/.test(v)) throw new PolicyError('wrong-syntax', `${field} must be an integer >= 0`);
    out[field] = Number(v);
  }
  if (out.min !== undefined && out.max !== undefined && out.min >= out.max)
    throw new PolicyError('wrong-syntax', 'min must be less than max');
  return out;
}

export function inCreditRange(balance: number, range: CreditRange): boolean {
  return (
    (range.min === undefined || balance >= range.min) && (range.max === undefined || balance <= range.max)
  );
}
