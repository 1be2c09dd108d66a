/** How one push to one device ended, as the delivery worker acts on it. */
export type PushOutcome =
  | { kind: 'sent' }
  /** The token is no longer valid (APNs 410, FCM UNREGISTERED): remove the registration. */
  | { kind: 'dead'; reason: string; sinceMs?: number }
  /** Worth another try later (throttled, provider or network trouble). */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** Refused for good (bad request, bad token for this app); another try would fail alike. */
  | { kind: 'rejected'; reason: string };

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === '') return undefined;
  if (/^[0-9]+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
