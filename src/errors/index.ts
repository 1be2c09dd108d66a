/**
 * The platform's failures, defined once outside the HTTP layer (like
 * Fastify's lib/errors.js): services, the store and the engine throw a
 * ServiceError with the spec's status string; api/plugins/envelope.ts maps
 * it to the `{"status", "message"}` envelope (spec 2.1) in one place. SIP
 * failures and the Q.850 causes the engine speaks live beside it (sip.ts).
 */

/** Status strings every call may answer (spec 2.1). */
export const GENERIC_STATUSES = {
  ok: 'The API call was successfully executed and no error has occurred',
  'no-session': 'The request did not include a valid session id, or it contained an invalid or expired id',
  'no-auth': 'The session id included in the request is not authenticated with a valid user or partner',
  'wrong-origin': 'The Origin header does not match the Origin header of the session creation request',
  'wrong-syntax': 'Some element in the request does not match the required element syntax format',
  'missing-element': 'Some mandatory element is missing from the request',
  fail: 'A generic failure has occurred',
} as const;

/** The status strings of particular calls that services answer (spec chapters 3-10). */
const CALL_STATUSES = [
  'access-denied',
  'address-forbidden',
  'address-incomplete',
  'address-missing',
  'address-wrong',
  'already-auth',
  'already-exist',
  'already-grouped',
  'already-tag',
  'busy',
  'concurrent-access',
  'conference-offline',
  'duplicate-pin',
  'duplicate-username',
  'email-failure',
  'empty-data',
  'empty-filter',
  'exceeded-limit',
  'forbidden-to',
  'illegal-state',
  'invalid-apns-topic',
  'invalid-appid',
  'locked-phone',
  'malformed-file',
  'no-callreverse',
  'no-content',
  'no-credit',
  'no-limit',
  'no-tag',
  'no-via',
  'not-empty',
  'not-registered',
  'phone-duplicate',
  'phone-fail',
  'phone-forbidden',
  'phone-limit',
  'phone-ok',
  'pool-depleted',
  'quota-exceeded',
  'resource-throttle',
  // spec 3.27 GET /api/event: no event arrived within the timeout.
  'timeout',
  'too-large',
  'too-young',
  'unknown-appid',
  'unknown-verification',
  'unsupported-country',
  'wrong-announcement',
  'wrong-call',
  'wrong-captcha',
  'wrong-cnam',
  'wrong-code',
  'wrong-conference',
  'wrong-credentials',
  'wrong-dialplan',
  'wrong-domain',
  'wrong-enterprise',
  'wrong-fax',
  'wrong-ivr',
  'wrong-object',
  'wrong-page',
  'wrong-partner',
  'wrong-password',
  'wrong-phone',
  'wrong-recording',
  'wrong-report',
  'wrong-session',
  'wrong-sip',
  'wrong-state',
  'wrong-tag',
  'wrong-user',
  'wrong-username',
  'wrong-usergroup',
] as const;

export type SpecStatus = keyof typeof GENERIC_STATUSES | (typeof CALL_STATUSES)[number];

const KNOWN = new Set<string>([...Object.keys(GENERIC_STATUSES), ...CALL_STATUSES]);

export function isSpecStatus(s: string): s is SpecStatus {
  return KNOWN.has(s);
}

/** A failure with the spec's status string: what the client gets, whoever threw it. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly status: SpecStatus,
    message: string,
  ) {
    super(message);
  }
}

export const wrongSyntax = (message: string): ServiceError => new ServiceError('wrong-syntax', message);
export const missingElement = (message: string): ServiceError => new ServiceError('missing-element', message);
export const accessDenied = (message: string): ServiceError => new ServiceError('access-denied', message);
