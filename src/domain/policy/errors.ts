/**
 * One error type for every policy definition a partner uploads (call filter,
 * zone filter, emergency data, extensions, calling names). `code` is the spec's
 * status string, so the API maps it 1:1: `throw new ServiceError(err.code, err.message)`.
 */
export type PolicyErrorCode = 'wrong-syntax' | 'missing-element' | 'empty-filter' | 'too-large';

export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Rejects fields the spec does not define, so a typo (`conect_fee`) is reported instead of ignored. */
export function onlyFields(node: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(node)) {
    if (!allowed.includes(k)) throw new PolicyError('wrong-syntax', `${path}.${k} is not a known field`);
  }
}
