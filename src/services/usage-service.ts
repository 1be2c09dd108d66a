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

  /** The report of a period straight from the totals; null when there is none. */
  async load(period: string): Promise<UsageReport | null> {
    const [rows, peaks] = await Promise.all([
      this.db.selectFrom('usage_totals').selectAll().where('period', '=', period).execute(),
      this.db.selectFrom('usage_peaks').selectAll().where('period', '=', period).execute(),
    ]);
    const usageRows: UsageRow[] = rows.map((r) => ({
      ...(Object.fromEntries(USAGE_COUNTERS.map((c) => [c, Number(r[c])])) as Record<
        (typeof USAGE_COUNTERS)[number],
        number
      >),
      partnerId: r.partner_id === '' ? null : r.partner_id,
      userId: r.user_id === '' ? null : r.user_id,
    }));
    const seen = new Set(usageRows.map((r) => r.userId));
    const peakUsers = peaks.filter((p) => p.scope.startsWith('u:') && !seen.has(p.scope.slice(2)));
    const userIds = [
      ...new Set([...usageRows.map((r) => r.userId), ...peakUsers.map((p) => p.scope.slice(2))]),
    ].filter((u): u is string => u !== null);
    const users = userIds.length
      ? await this.db
          .selectFrom('users')
          .select(['uuid', 'username', 'partner_id'])
          .where('uuid', 'in', userIds)
          .execute()
      : [];
    const userRows = new Map(users.map((u) => [u.uuid, u]));
    // A user with a peak but no counters: registered, never called. Listed with zeros.
    for (const p of peakUsers) {
      const id = p.scope.slice(2);
      const zeros = Object.fromEntries(USAGE_COUNTERS.map((c) => [c, 0])) as Record<
        (typeof USAGE_COUNTERS)[number],
        number
      >;
      usageRows.push({ ...zeros, partnerId: userRows.get(id)?.partner_id ?? null, userId: id });
    }
    const partnerIds = [
      ...new Set([
        ...usageRows.map((r) => r.partnerId),
        ...peaks.filter((p) => p.scope.startsWith('p:')).map((p) => p.scope.slice(2)),
      ]),
    ].filter((p): p is string => p !== null);
    const partners = partnerIds.length
      ? await this.db.selectFrom('partners').select(['id', 'name']).where('id', 'in', partnerIds).execute()
      : [];
    const peakRows: PeakRow[] = peaks.map((p) => ({
      scope: p.scope,
      registrations: Number(p.registrations),
      calls: Number(p.calls),
    }));
    return usageReport(period, usageRows, peakRows, {
      partners: new Map(partners.map((p) => [p.id, p.name])),
      users: new Map(users.map((u) => [u.uuid, u.username])),
    });
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
