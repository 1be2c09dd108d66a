/**
 * The statistics data object of GET /api/statistics/(date) and GET
 * /api/usage/(month) (spec 13.1.3-13.1.4, which leaves its content open).
 * Pure: built from the per-user counters and per-scope peaks of a period.
 *
 * ```
 * {"result": {
 *   "period": "2024-05",  "from": "2024-05-01", "to": "2024-05-31", "timezone": "UTC",
 *   "total":   {Usage},
 *   "partner": {"<partner name>": {Usage, "user": {"<user uuid>": {Usage, "username"}}}},
 *   "user":    {"<user uuid>": {Usage, "username"}}      (users without a partner)
 * }}
 * ```
 *
 * Usage: `calls_in`, `calls_out` (call legs received / placed, fax legs not
 * counted), `seconds_in`, `seconds_out` (talk time), `minutes_in`,
 * `minutes_out` (the same in minutes, two decimals), `cost` (credits billed),
 * `faxes_in`, `faxes_out`, `pages_in`, `pages_out` (faxes whose report ended
 * `ok`), `recordings` (calls that left a recording), `registrations_peak`
 * (most SIP accounts registered at once) and `concurrent_calls_peak` (most
 * calls at once). A partner's counters add up its users'; peaks are measured
 * per scope (a partner's peak is not the sum of its users' peaks).
 */

export const USAGE_COUNTERS = [
  'calls_in',
  'calls_out',
  'seconds_in',
  'seconds_out',
  'cost',
  'faxes_in',
  'faxes_out',
  'pages_in',
  'pages_out',
  'recordings',
] as const;
export type UsageCounter = (typeof USAGE_COUNTERS)[number];
export type UsageCounters = Record<UsageCounter, number>;

export interface Usage extends UsageCounters {
  minutes_in: number;
  minutes_out: number;
  registrations_peak: number;
  concurrent_calls_peak: number;
}

export interface UserUsage extends Usage {
  username: string;
}

export interface PartnerUsage extends Usage {
  user: Record<string, UserUsage>;
}

export interface UsageReport {
  period: string;
  from: string;
  to: string;
  timezone: 'UTC';
  total: Usage;
  partner: Record<string, PartnerUsage>;
  user: Record<string, UserUsage>;
}

/** One row of counters: a user (with their partner then) in the period. */
export interface UsageRow extends UsageCounters {
  partnerId: string | null;
  userId: string | null;
}

/** A peak per scope: '' the system, `p:<partner id>`, `u:<user id>`. */
export interface PeakRow {
  scope: string;
  registrations: number;
  calls: number;
}

export interface Names {
  partners: Map<string, string>;
  users: Map<string, string>;
}

const zero = (): UsageCounters => Object.fromEntries(USAGE_COUNTERS.map((c) => [c, 0])) as UsageCounters;

const minutes = (seconds: number): number => Math.round((seconds / 60) * 100) / 100;

function finish(c: UsageCounters, peak: PeakRow | undefined): Usage {
  return {
    ...c,
    minutes_in: minutes(c.seconds_in),
    minutes_out: minutes(c.seconds_out),
    registrations_peak: peak?.registrations ?? 0,
    concurrent_calls_peak: peak?.calls ?? 0,
  };
}

function add(into: UsageCounters, row: UsageCounters): void {
  for (const c of USAGE_COUNTERS) into[c] += row[c];
}

/** `YYYY-MM-DD` or `YYYY-MM` -> first and last day; null for an impossible date. */
export function periodBounds(period: string): { from: string; to: string } | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  const m = day ?? month;
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12 || y < 1970) return null;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (day) {
    const d = Number(day[3]);
    if (d < 1 || d > last) return null;
    return { from: period, to: period };
  }
  return { from: `${m[1]}-${pad(mo)}-01`, to: `${m[1]}-${pad(mo)}-${pad(last)}` };
}

/** The report, or null when the period has no data at all (spec: `empty-data`). */
export function usageReport(
  period: string,
  rows: readonly UsageRow[],
  peaks: readonly PeakRow[],
  names: Names,
): UsageReport | null {
  const bounds = periodBounds(period);
  if (!bounds || (rows.length === 0 && peaks.length === 0)) return null;
  const peakOf = new Map(peaks.map((p) => [p.scope, p]));
  const total = zero();
  const partners = new Map<string, { counters: UsageCounters; users: Map<string, UsageCounters> }>();
  const loose = new Map<string, UsageCounters>();
  const userCounters = (partnerId: string | null, userId: string): UsageCounters => {
    if (partnerId === null) {
      if (!loose.has(userId)) loose.set(userId, zero());
      return loose.get(userId)!;
    }
    let p = partners.get(partnerId);
    if (!p) partners.set(partnerId, (p = { counters: zero(), users: new Map() }));
    if (!p.users.has(userId)) p.users.set(userId, zero());
    return p.users.get(userId)!;
  };
  for (const r of rows) {
    add(total, r);
    if (r.userId === null) continue;
    add(userCounters(r.partnerId, r.userId), r);
    if (r.partnerId !== null) add(partners.get(r.partnerId)!.counters, r);
  }
  // Users and partners with a peak but no counters (registered, never called) show too.
  for (const p of peaks) {
    if (p.scope.startsWith('p:') && !partners.has(p.scope.slice(2))) {
      partners.set(p.scope.slice(2), { counters: zero(), users: new Map() });
    }
  }
  const userEntry = (id: string, c: UsageCounters): UserUsage => ({
    ...finish(c, peakOf.get(`u:${id}`)),
    username: names.users.get(id) ?? '',
  });
  const partner: Record<string, PartnerUsage> = {};
  for (const [id, p] of partners) {
    const user: Record<string, UserUsage> = {};
    for (const [uid, c] of p.users) user[uid] = userEntry(uid, c);
    partner[names.partners.get(id) ?? id] = { ...finish(p.counters, peakOf.get(`p:${id}`)), user };
  }
  const user: Record<string, UserUsage> = {};
  for (const [uid, c] of loose) user[uid] = userEntry(uid, c);
  return {
    period,
    ...bounds,
    timezone: 'UTC',
    total: finish(total, peakOf.get('')),
    partner,
    user,
  };
}
