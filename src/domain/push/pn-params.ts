/**
 * SIP push notification parameters (RFC 8599 §4.1): a mobile softphone puts
 * them in the Contact URI of its REGISTER so that the network can wake it
 * with a push when a call arrives while the app sleeps.
 *
 *   Contact: <sip:alice@198.51.100.7:5060;pn-provider=apns;
 *             pn-param=ABCD123456.com.example.phone.voip;
 *             pn-prid=00fc13adff78...>
 *
 * - `pn-provider`: the push service: `apns` (Apple; `apns.dev` for its
 *   sandbox, as Linphone names it) or `fcm` (Firebase);
 * - `pn-prid`: the device's token at that service;
 * - `pn-param`: for APNs the App ID, team id and topic joined by a dot
 *   (RFC 8599 §9.1; the topic of a VoIP push ends in `.voip`), for FCM the
 *   project (RFC 8599 §10.1).
 *
 * Values may be percent-encoded (they are URI parameters). Pure.
 */

export type PnProvider = 'apns' | 'apns.dev' | 'fcm';

export interface PushContact {
  provider: PnProvider;
  prid: string;
  param: string;
}

/** What a contact's pn parameters say: none, a push contact, or one this platform cannot wake. */
export type PnParse =
  | { kind: 'none' }
  | { kind: 'push'; push: PushContact }
  | { kind: 'unsupported'; provider: string; reason: string };

const PROVIDERS: readonly string[] = ['apns', 'apns.dev', 'fcm'];
const MAX_VALUE = 4096;

function decode(v: string): string | null {
  try {
    return decodeURIComponent(v);
  } catch {
    return null;
  }
}

/** The pn parameters of a Contact URI's parameters (names already in lower case). */
export function pnParams(params: ReadonlyMap<string, string>): PnParse {
  const rawProvider = params.get('pn-provider');
  if (rawProvider === undefined) return { kind: 'none' };
  const provider = (decode(rawProvider) ?? '').toLowerCase();
  if (!PROVIDERS.includes(provider)) return { kind: 'unsupported', provider, reason: 'unknown pn-provider' };
  const prid = decode(params.get('pn-prid') ?? '');
  const param = decode(params.get('pn-param') ?? '');
  if (!prid || prid.length > MAX_VALUE || /[\s\0]/.test(prid)) {
    return { kind: 'unsupported', provider, reason: 'pn-prid missing or malformed' };
  }
  if (param === null || param.length > MAX_VALUE || /[\s\0]/.test(param)) {
    return { kind: 'unsupported', provider, reason: 'pn-param malformed' };
  }
  if (provider !== 'fcm') {
    if (!/^[0-9a-fA-F]{16,200}$/.test(prid)) {
      return { kind: 'unsupported', provider, reason: 'pn-prid is not an APNs device token' };
    }
    if (apnsTopicOfParam(param) === null) {
      return { kind: 'unsupported', provider, reason: 'pn-param is not <team id>.<topic>' };
    }
  }
  return { kind: 'push', push: { provider: provider as PnProvider, prid, param } };
}

/** The APNs topic of an App ID (`ABCD123456.com.example.phone.voip` -> `com.example.phone.voip`). */
export function apnsTopicOfParam(param: string): string | null {
  const m = /^[A-Z0-9]{10}\.([A-Za-z0-9][A-Za-z0-9.-]*)$/.exec(param);
  return m ? m[1]! : null;
}

/** The pn-provider value of the Feature-Caps indicator (RFC 8599 §5.2: `+sip.pns="apns"`). */
export function featureCaps(providers: readonly string[]): string | null {
  const names = [...new Set(providers)];
  return names.length === 0 ? null : `*;+sip.pns="${names.join(',')}"`;
}

/** The pn-prid of a Contact URI (a live binding), null when it has none. */
export function pridOfContact(contact: string): string | null {
  const m = /;pn-prid=([^;>?]+)/i.exec(contact);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}
