/**
 * The forms of spec 13.1.2 /api/mwi: a phone number (`^\+[0-9]{3,20}$`) maps
 * to an MWI URI `sip:<user>@<host>`, the target of its message-summary
 * NOTIFYs (a port after the host is allowed, as in any SIP URI).
 */
export const MWI_PHONE_PATTERN = '^\\+[0-9]{3,20}$';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
export const MWI_URI_PATTERN = `^sip:[A-Za-z0-9\\-_.!~*'()&=+$,;?/%]+@(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?$`;

const PHONE = new RegExp(MWI_PHONE_PATTERN);
const URI = new RegExp(MWI_URI_PATTERN);

export const isMwiPhone = (s: string): boolean => PHONE.test(s);

export interface MwiTarget {
  /** The URI as mapped (Request-URI, To and From of the NOTIFY). */
  uri: string;
  user: string;
  /** Host name or address, IPv6 without brackets. */
  host: string;
  /** The URI's port; null: the default (5060). */
  port: number | null;
}

/** The parts of an MWI URI, or null when it is not `sip:<user>@<host>[:port]`. */
export function parseMwiUri(uri: string): MwiTarget | null {
  if (!URI.test(uri)) return null;
  const at = uri.lastIndexOf('@');
  const user = uri.slice(4, at);
  const hostPort = uri.slice(at + 1);
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { uri, user, host: m[1]!.replace(/^\[|\]$/g, ''), port };
}
