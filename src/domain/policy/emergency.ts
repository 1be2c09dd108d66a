/**
 * Emergency calls (spec 9.1.5). A user may carry the routing numbers of the
 * responsible police and rescue control centres ("german emergency encoding",
 * e.g. 221CC00) and a user-to-user information string. When the user dials 110
 * (police) or 112 (rescue) and has the matching entry, the call goes to that
 * control centre with the UUI in a SIP User-to-User header (RFC 7433; hex is
 * the default encoding, which the spec's example value is).
 *
 * Decisions where the spec is silent: only the exact numbers 110 and 112 (as
 * dialled, before the call filter rewrites anything) are emergency numbers;
 * 110 uses only `emergency_police` and 112 only `emergency_rescue`, with no
 * fallback to the other centre; without the entry the call routes normally.
 */
import { PolicyError, isRecord } from './errors.js';

export const EMERGENCY_FIELDS = ['uui_header', 'emergency_police', 'emergency_rescue'] as const;
export type EmergencyField = (typeof EMERGENCY_FIELDS)[number];
export type EmergencyInfo = Partial<Record<EmergencyField, string>>;

/** Spec 9.1.5 JSON parameters. */
export const EMERGENCY_PATTERNS: Readonly<Record<EmergencyField, string>> = {
  uui_header: '^.{0,200}$',
  emergency_police: '^.{0,10}$',
  emergency_rescue: '^.{0,10}$',
};

export const EMERGENCY_NUMBERS = { '110': 'police', '112': 'rescue' } as const;
export type EmergencyNumber = keyof typeof EMERGENCY_NUMBERS;
export type EmergencyService = (typeof EMERGENCY_NUMBERS)[EmergencyNumber];

export function isEmergencyNumber(dialled: string): dialled is EmergencyNumber {
  return dialled === '110' || dialled === '112';
}

/**
 * Applies a POST body to the stored entry (spec 9.1.5): a given value replaces
 * the field, an empty value deletes it, an absent field stays. Throws
 * PolicyError wrong-syntax for non-strings or values beyond the patterns.
 */
export function applyEmergencyUpdate(current: EmergencyInfo, body: unknown): EmergencyInfo {
  if (!isRecord(body)) throw new PolicyError('wrong-syntax', 'the body must be a JSON object');
  const next: EmergencyInfo = { ...current };
  for (const field of EMERGENCY_FIELDS) {
    const v = body[field];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !new RegExp(EMERGENCY_PATTERNS[field]).test(v))
      throw new PolicyError('wrong-syntax', `${field} must match ${EMERGENCY_PATTERNS[field]}`);
    if (v === '') delete next[field];
    else next[field] = v;
  }
  return next;
}

export interface EmergencyRoute {
  service: EmergencyService;
  dialled: EmergencyNumber;
  /** The control centre's routing number, used as the call's destination. */
  destination: string;
  /** The user-to-user information the call carries (RFC 7433 User-to-User for SIP), when set. */
  uui?: string;
}

/** The control centre route for an emergency call, or null when the call routes normally. */
export function routeEmergency(
  dialled: string,
  info: EmergencyInfo | null | undefined,
): EmergencyRoute | null {
  if (!info || !isEmergencyNumber(dialled)) return null;
  const service = EMERGENCY_NUMBERS[dialled];
  const destination = service === 'police' ? info.emergency_police : info.emergency_rescue;
  if (!destination) return null;
  return { service, dialled, destination, ...(info.uui_header ? { uui: info.uui_header } : {}) };
}
