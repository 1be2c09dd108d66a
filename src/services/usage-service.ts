import { sql } from 'kysely';
import { ServiceError } from '../errors/index.js';
import {
  periodBounds,
  USAGE_COUNTERS,
  usageReport,
  type PeakRow,
  type UsageReport,
  type UsageRow,
} from '../domain/usage/usage-report.js';
import type { Db } from '../store/db.js';
import type { LiveCounters, LiveKind } from '../store/redis/live-counters.js';
import type { UserService } from './user-service.js';

/** A call that never reports its end lapses from the live count after this long. */
export const CALL_LAPSE_MS = 6 * 3600_000;
/** How long a user's partner is taken from memory for the peak scopes. */
const PARTNER_CACHE_MS = 60_000;

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Usage and statistics (spec 13.1.3-13.1.4) for users with the `statistics`
 * permission. Counters come from the database's own totals (012-usage.ts);
 * peaks from live counters in Redis:
 *
 * - registrations: the registrar's location store reports each account that
 *   gets its first binding or loses its last (RegistrationStore `onAccount`);
 * - concurrent calls: the telephony role reports `callStarted` / `callEnded`
 *   per call leg owned by a user (the call seam wires this; calls that never
 *   report their end lapse after CALL_LAPSE_MS).
 *
 * Each report raises the day's and the month's maximum of the system, the
 * user's partner and the user when it exceeds them (one upsert, only then).
 */
export class UsageService {
  private readonly partnerOf = new Map<string, { partner: string | null; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly live: LiveCounters,
    private readonly users: Pick<UserService, 'hasPermission'>,
    private readonly log: (message: string) => void = (m) => process.stderr.write(`callplane usage: ${m}\n`),
    private readonly now: () => number = Date.now,
  ) {}

  /** GET /api/statistics/(date): the day's report (spec 13.1.3). */
  statistics(userId: string, date: string): Promise<UsageReport> {
    return this.report(userId, date, /^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
  }

  /** GET /api/usage/(month): the month's report (spec 13.1.4). */
  usage(userId: string, month: string): Promise<UsageReport> {
    return this.report(userId, month, /^\d{4}-\d{2}$/, 'a month YYYY-MM');
  }

  private async report(userId: string, period: string, shape: RegExp, what: string): Promise<UsageReport> {
    if (!(await this.users.hasPermission(userId, 'statistics'))) {
      throw new ServiceError('access-denied', 'the user does not have the statistics permission');
    }
    if (!shape.test(period) || !periodBounds(period)) {
      throw new ServiceError('wrong-syntax', `'${period}' is not ${what}`);
    }
    const report = await this.load(period);
    if (!report) throw new ServiceError('empty-data', `no statistics items were found for ${period}`);
    return report;
  }

  /**
   * The report of a period straight from the totals; null when there is none.
   * Two statements, each joined with the names it shows: one row per user
   * active in the period, one per scope with a peak.
   */
  async load(period: string): Promise<UsageReport | null> {
    const counters = sql.join(USAGE_COUNTERS.map((c) => sql.ref(`t.${c}`)));
    const [totals, peaks] = await Promise.all([
      sql<Record<string, unknown>>`
        SELECT t.partner_id, t.user_id, u.username, p.name AS partner_name, ${counters}
        FROM usage_totals t
        LEFT JOIN users u ON u.uuid = nullif(t.user_id, '')::uuid
        LEFT JOIN partners p ON p.id = nullif(t.partner_id, '')::uuid
        WHERE t.period = ${period}`.execute(this.db),
      sql<{
        scope: string;
        registrations: number;
        calls: number;
        username: string | null;
        user_partner: string | null;
        partner_name: string | null;
        user_partner_name: string | null;
      }>`
        SELECT k.scope, k.registrations, k.calls, u.username, u.partner_id AS user_partner,
          p.name AS partner_name, up.name AS user_partner_name
        FROM usage_peaks k
        LEFT JOIN users u ON u.uuid = CASE WHEN k.scope LIKE 'u:%' THEN substr(k.scope, 3)::uuid END
        LEFT JOIN partners up ON up.id = u.partner_id
        LEFT JOIN partners p ON p.id = CASE WHEN k.scope LIKE 'p:%' THEN substr(k.scope, 3)::uuid END
        WHERE k.period = ${period}`.execute(this.db),
    ]);
    const names = { partners: new Map<string, string>(), users: new Map<string, string>() };
    const rows: UsageRow[] = totals.rows.map((r) => {
      const partnerId = r['partner_id'] === '' ? null : String(r['partner_id']);
      const userId = r['user_id'] === '' ? null : String(r['user_id']);
      if (partnerId !== null && typeof r['partner_name'] === 'string')
        names.partners.set(partnerId, r['partner_name']);
      if (userId !== null && typeof r['username'] === 'string') names.users.set(userId, r['username']);
      const row = { partnerId, userId } as UsageRow;
      for (const c of USAGE_COUNTERS) row[c] = Number(r[c]);
      return row;
    });
    const seen = new Set(rows.map((r) => r.userId));
    for (const k of peaks.rows) {
      if (k.scope.startsWith('p:') && k.partner_name !== null)
        names.partners.set(k.scope.slice(2), k.partner_name);
      if (!k.scope.startsWith('u:') || seen.has(k.scope.slice(2))) continue;
      // A user with a peak but no counters (registered, never called) is listed with zeros.
      const userId = k.scope.slice(2);
      if (k.username !== null) names.users.set(userId, k.username);
      if (k.user_partner !== null && k.user_partner_name !== null) {
        names.partners.set(k.user_partner, k.user_partner_name);
      }
      const row = { partnerId: k.user_partner, userId } as UsageRow;
      for (const c of USAGE_COUNTERS) row[c] = 0;
      rows.push(row);
    }
    const peakRows: PeakRow[] = peaks.rows.map((k) => ({
      scope: k.scope,
      registrations: Number(k.registrations),
      calls: Number(k.calls),
    }));
    return usageReport(period, rows, peakRows, names);
  }

  // ------------------------------------------------------------------ peaks --

  /** RegistrationStore's onAccount: an account got its first binding (until `expiresAt`) or lost its last. */
  async registrationChanged(
    account: { name: string; owner: string },
    registered: boolean,
    expiresAt: number,
  ): Promise<void> {
    await this.change('registrations', account.name, account.owner, registered, expiresAt);
  }

  /** A call leg owned by `userId` began (the telephony role calls this). */
  async callStarted(callId: string, userId: string): Promise<void> {
    await this.change('calls', callId, userId, true, this.now() + CALL_LAPSE_MS);
  }

  async callEnded(callId: string, userId: string): Promise<void> {
    await this.change('calls', callId, userId, false, 0);
  }

  /** Never throws: statistics must not fail a REGISTER or a call. */
  private async change(
    kind: LiveKind,
    id: string,
    userId: string,
    live: boolean,
    lapse: number,
  ): Promise<void> {
    try {
      const scopes = ['', `u:${userId}`];
      const partner = await this.partner(userId);
      if (partner) scopes.push(`p:${partner}`);
      if (!live) {
        await this.live.leave(kind, id, scopes);
        return;
      }
      const now = this.now();
      const day = utcDay(now);
      const raised = await this.live.enter(kind, id, scopes, lapse, day, now);
      if (raised.length > 0) await this.raise(kind, day, raised);
    } catch (err) {
      this.log(`${kind} of ${userId}: ${(err as Error).message}`);
    }
  }

  private async raise(
    kind: LiveKind,
    day: string,
    raised: Array<{ scope: string; count: number }>,
  ): Promise<void> {
    const rows = raised.flatMap(({ scope, count }) =>
      [day, day.slice(0, 7)].map((period) => ({
        period,
        scope,
        registrations: kind === 'registrations' ? count : 0,
        calls: kind === 'calls' ? count : 0,
      })),
    );
    await this.db
      .insertInto('usage_peaks')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['period', 'scope'])
          .doUpdateSet(
            kind === 'registrations'
              ? { registrations: sql`greatest(usage_peaks.registrations, excluded.registrations)` }
              : { calls: sql`greatest(usage_peaks.calls, excluded.calls)` },
          ),
      )
      .execute();
  }

  private async partner(userId: string): Promise<string | null> {
    const now = this.now();
    const hit = this.partnerOf.get(userId);
    if (hit && hit.until > now) return hit.partner;
    const row = await this.db
      .selectFrom('users')
      .select('partner_id')
      .where('uuid', '=', userId)
      .executeTakeFirst();
    const partner = row?.partner_id ?? null;
    if (this.partnerOf.size > 100_000) this.partnerOf.clear();
    this.partnerOf.set(userId, { partner, until: now + PARTNER_CACHE_MS });
    return partner;
  }
}
