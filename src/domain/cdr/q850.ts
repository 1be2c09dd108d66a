/**
 * ITU-T Q.850 cause values and their mapping to and from SIP status codes
 * (RFC 3398 §7.2.4.1 cause -> SIP, §8.2.6.1 SIP -> cause), and the
 * `Reason: Q.850;cause=N;text="..."` header value of RFC 3326. The CDR keeps
 * the Q.850 cause a leg ended with (internal: not on the spec's wire shape).
 */

/** Cause names of Q.850 Table 1 (used as the Reason header's `text`). */
export const Q850_CAUSES: Readonly<Record<number, string>> = {
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transit network',
  3: 'No route to destination',
  4: 'Send special information tone',
  5: 'Misdialled trunk prefix',
  6: 'Channel unacceptable',
  7: 'Call awarded and being delivered in an established channel',
  8: 'Preemption',
  9: 'Preemption - circuit reserved for reuse',
  16: 'Normal call clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'No answer from user (user alerted)',
  20: 'Subscriber absent',
  21: 'Call rejected',
  22: 'Number changed',
  23: 'Redirection to new destination',
  25: 'Exchange routing error',
  26: 'Non-selected user clearing',
  27: 'Destination out of order',
  28: 'Invalid number format (address incomplete)',
  29: 'Facility rejected',
  30: 'Response to STATUS ENQUIRY',
  31: 'Normal, unspecified',
  34: 'No circuit/channel available',
  38: 'Network out of order',
  39: 'Permanent frame mode connection out of service',
  40: 'Permanent frame mode connection operational',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  43: 'Access information discarded',
  44: 'Requested circuit/channel not available',
  46: 'Precedence call blocked',
  47: 'Resource unavailable, unspecified',
  49: 'Quality of service not available',
  50: 'Requested facility not subscribed',
  53: 'Outgoing calls barred within CUG',
  55: 'Incoming calls barred within CUG',
  57: 'Bearer capability not authorized',
  58: 'Bearer capability not presently available',
  62: 'Inconsistency in designated outgoing access information and subscriber class',
  63: 'Service or option not available, unspecified',
  65: 'Bearer capability not implemented',
  66: 'Channel type not implemented',
  69: 'Requested facility not implemented',
  70: 'Only restricted digital information bearer capability is available',
  79: 'Service or option not implemented, unspecified',
  81: 'Invalid call reference value',
  82: 'Identified channel does not exist',
  83: 'A suspended call exists, but this call identity does not',
  84: 'Call identity in use',
  85: 'No call suspended',
  86: 'Call having the requested call identity has been cleared',
  87: 'User not member of CUG',
  88: 'Incompatible destination',
  90: 'Non-existent CUG',
  91: 'Invalid transit network selection',
  95: 'Invalid message, unspecified',
  96: 'Mandatory information element is missing',
  97: 'Message type non-existent or not implemented',
  98: 'Message not compatible with call state or message type non-existent or not implemented',
  99: 'Information element/parameter non-existent or not implemented',
  100: 'Invalid information element contents',
  101: 'Message not compatible with call state',
  102: 'Recovery on timer expiry',
  103: 'Parameter non-existent or not implemented, passed on',
  110: 'Message with unrecognized parameter, discarded',
  111: 'Protocol error, unspecified',
  127: 'Interworking, unspecified',
};

/** The causes the call engine names most. */
export const Q850 = {
  UNALLOCATED_NUMBER: 1,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONDING: 18,
  NO_ANSWER: 19,
  CALL_REJECTED: 21,
  NORMAL_UNSPECIFIED: 31,
  NO_CIRCUIT_AVAILABLE: 34,
  TEMPORARY_FAILURE: 41,
  RECOVERY_ON_TIMER_EXPIRY: 102,
  INTERWORKING: 127,
} as const;

/** RFC 3398 §7.2.4.1. Cause 16 has no row there: it ends a call with BYE. */
const CAUSE_TO_SIP: Readonly<Record<number, number>> = {
  1: 404,
  2: 404,
  3: 404,
  17: 486,
  18: 408,
  19: 480,
  20: 480,
  21: 403,
  22: 410,
  23: 410,
  26: 404,
  27: 502,
  28: 484,
  // The RFC's table says "510 Not implemented", a code that does not exist (errata); 501 is meant.
  29: 501,
  31: 480,
  34: 503,
  38: 503,
  41: 503,
  42: 503,
  47: 503,
  55: 403,
  57: 403,
  58: 503,
  65: 488,
  70: 488,
  79: 501,
  87: 403,
  88: 503,
  102: 504,
  111: 500,
  127: 500,
};

/**
 * The "unspecified" cause of each Q.850 class (cause >> 4; classes 0 and 1 are
 * both "normal event"): Q.931 treats an unrecognised cause as its class's
 * unspecified cause, which is how causes without an RFC 3398 row map.
 */
const CLASS_UNSPECIFIED = [31, 31, 47, 63, 79, 95, 111, 127] as const;
/** SIP codes for the class defaults RFC 3398 has no row for (63, 95). */
const CLASS_DEFAULT_SIP: Readonly<Record<number, number>> = { 63: 503, 95: 500 };

/** RFC 3398 §8.2.6.1. Codes without a row map to 31 (the RFC's default). */
const SIP_TO_CAUSE: Readonly<Record<number, number>> = {
  400: 41,
  401: 21,
  402: 21,
  403: 21,
  404: 1,
  405: 63,
  406: 79,
  407: 21,
  408: 102,
  410: 22,
  413: 127,
  414: 127,
  415: 79,
  416: 127,
  420: 127,
  421: 127,
  423: 127,
  480: 18,
  481: 41,
  482: 25,
  483: 25,
  484: 28,
  485: 1,
  486: 17,
  // The RFC gives 487 no row; it answers an INVITE the caller CANCELled, and
  // CANCEL maps to 16 "normal clearing" (§8.2.6.1).
  487: 16,
  // 488 and 606 map "by Warning header"; without one the default 31 applies.
  500: 41,
  501: 79,
  502: 38,
  503: 41,
  504: 102,
  505: 127,
  513: 127,
  600: 17,
  603: 21,
  604: 1,
};

function checkCause(cause: number): void {
  if (!Number.isInteger(cause) || cause < 0 || cause > 127)
    throw new RangeError(`a Q.850 cause is an integer 0...127, not ${cause}`);
}

export interface Q850ToSipOptions {
  /** The cause location is the user (RFC 3398 §7.2.4.1 note: 21 then gives 603 Decline, not 403). */
  userLocation?: boolean;
}

/**
 * The final SIP response for an INVITE failed with `cause` (RFC 3398 §7.2.4.1).
 * 16 normally becomes a BYE; when an INVITE still needs a final response it
 * gets 480, the answer of its class's unspecified cause (31).
 */
export function q850ToSip(cause: number, opts: Q850ToSipOptions = {}): number {
  checkCause(cause);
  if (cause === 21 && opts.userLocation) return 603;
  const direct = CAUSE_TO_SIP[cause];
  if (direct !== undefined) return direct;
  const fallback = CLASS_UNSPECIFIED[cause >> 4] ?? 127;
  return CAUSE_TO_SIP[fallback] ?? CLASS_DEFAULT_SIP[fallback] ?? 500;
}

/**
 * The Q.850 cause for a final SIP response (RFC 3398 §8.2.6.1). A 2xx means the
 * call was answered and ended by BYE: 16 "normal clearing". Throws RangeError
 * for codes that are not final responses (below 200 or above 699).
 */
export function sipToQ850(status: number): number {
  if (!Number.isInteger(status) || status < 200 || status > 699)
    throw new RangeError(`a final SIP status is 200...699, not ${status}`);
  if (status < 300) return 16;
  return SIP_TO_CAUSE[status] ?? 31;
}

export interface Q850Reason {
  cause: number;
  text?: string;
}

/** RFC 3261 quoted-string: `"` and `\` escaped; CR/LF cannot appear in a header value. */
function quote(text: string): string {
  return `"${text.replace(/[\r\n]+/g, ' ').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The value of a Reason header (RFC 3326 §2): `Q.850;cause=16;text="Normal call clearing"`. */
export function formatQ850Reason(cause: number, text: string | undefined = Q850_CAUSES[cause]): string {
  checkCause(cause);
  return text === undefined ? `Q.850;cause=${cause}` : `Q.850;cause=${cause};text=${quote(text)}`;
}

/** Splits at `sep` outside quoted strings (RFC 3261 §25.1: `\` escapes inside quotes). */
function splitOutsideQuotes(value: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (inQuotes && c === '\\' && i + 1 < value.length) {
      current += c + (value[i + 1] as string);
      i++;
      continue;
    }
    if (c === '"') inQuotes = !inQuotes;
    if (c === sep && !inQuotes) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unquote(v: string): string | null {
  if (!v.startsWith('"')) return v;
  if (v.length < 2 || !v.endsWith('"')) return null;
  return v.slice(1, -1).replace(/\\(.)/g, '$1');
}

/**
 * The Q.850 entry of a Reason header value (RFC 3326 §2), which may list
 * several protocols (`SIP;cause=200, Q.850;cause=16`). Null when there is no
 * well-formed Q.850 entry.
 */
export function parseQ850Reason(header: string): Q850Reason | null {
  for (const value of splitOutsideQuotes(header, ',')) {
    const [protocol, ...params] = splitOutsideQuotes(value, ';').map((p) => p.trim());
    if (protocol?.toUpperCase() !== 'Q.850') continue;
    let cause: number | undefined;
    let text: string | undefined;
    let bad = false;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0) continue;
      const name = param.slice(0, eq).trim().toLowerCase();
      const raw = param.slice(eq + 1).trim();
      if (name === 'cause') {
        if (!/^[0-9]{1,3}$/.test(raw) || Number(raw) > 127) bad = true;
        else cause = Number(raw);
      } else if (name === 'text') {
        const t = unquote(raw);
        if (t === null) bad = true;
        else text = t;
      }
    }
    if (bad || cause === undefined) continue;
    return text === undefined ? { cause } : { cause, text };
  }
  return null;
}
