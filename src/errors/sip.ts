/**
 * SIP beside the platform's errors (like drachtio-srf's SipError): a final
 * response a SIP adapter sends or receives, and the table between the
 * engine's end causes (telephony/causes.ts names, Q.850 values) and SIP
 * status codes (RFC 3398 where the engine has no name of its own).
 */
import { q850ToSip, sipToQ850 } from '../domain/cdr/q850.js';

/** A SIP failure: the status and reason phrase of a final response. */
export class SipError extends Error {
  override name = 'SipError';
  constructor(
    readonly status: number,
    readonly reason: string = reasonPhrase(status),
  ) {
    super(`${status} ${reason}`);
  }
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  415: 'Unsupported Media Type',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  484: 'Address Incomplete',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
};

export const reasonPhrase = (status: number): string => REASON_PHRASES[status] ?? 'Unknown';

/** The engine's named causes as SIP final responses (before an answer). */
const NAMED: Readonly<Record<string, number>> = {
  normal: 480,
  busy: 486,
  'no-answer': 480,
  unavailable: 480,
  rejected: 403,
  'not-found': 404,
  cancelled: 487,
  congestion: 503,
  'credit-exhausted': 402,
  'call-limit': 503,
  'call-filter': 403,
  'invalid-number': 484,
  'media-timeout': 408,
  'no-common-codec': 488,
  'no-such-call': 481,
  failure: 500,
};

/** The final response that refuses a call for `cause`. */
export function sipStatusOf(cause: { q850: number; name?: string }): number {
  const named = cause.name !== undefined ? NAMED[cause.name] : undefined;
  if (named !== undefined) return named;
  return cause.q850 === 16 ? 480 : q850ToSip(cause.q850);
}

type CauseName =
  | 'busy'
  | 'no-answer'
  | 'unavailable'
  | 'rejected'
  | 'not-found'
  | 'cancelled'
  | 'congestion'
  | 'invalid-number'
  | 'no-common-codec'
  | 'failure';

/** How the engine reads a final SIP failure of a leg it originated. */
export function causeOfSipStatus(status: number): {
  q850: number;
  name: CauseName;
  sipStatus: number;
} {
  const q850 = sipToQ850(Math.min(699, Math.max(200, status)));
  let name: CauseName;
  if (status === 486 || status === 600) name = 'busy';
  else if ([404, 410, 480, 485, 503, 604].includes(status))
    name = status === 404 ? 'not-found' : 'unavailable';
  else if (status === 408) name = 'no-answer';
  else if (status === 487) name = 'cancelled';
  else if (status === 484) name = 'invalid-number';
  else if (status === 488 || status === 606) name = 'no-common-codec';
  else if (status === 403 || status === 603) name = 'rejected';
  else if (status >= 500) name = 'failure';
  else name = 'no-answer';
  return { q850, name, sipStatus: status };
}

/**
 * RFC 3261 §10.3 step 6: a REGISTER with the Call-ID of an existing binding
 * and a CSeq not higher than the stored one is out of order; nothing was
 * changed. The stack answers 500 (Server Internal Error) or 400.
 */
export class RegistrationOrderError extends Error {
  override name = 'RegistrationOrderError';
  constructor(
    readonly contact: string,
    readonly storedCseq: number,
    readonly cseq: number,
  ) {
    super(`REGISTER CSeq ${cseq} is not higher than ${storedCseq} of the binding ${contact}`);
  }
}
