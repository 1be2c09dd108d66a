import type { Redis } from 'ioredis';
import { featureSection } from '../domain/feature-packs.js';
import { evaluateCallFilter } from '../domain/policy/call-filter.js';
import { ServiceError } from '../errors/index.js';
import type { Db } from '../store/db.js';
import type { FaxService } from './fax-service.js';
import type { FaxReport } from './fax-reports.js';
import type { CallFilterService } from './policy/call-filter-service.js';

/**
 * POST /api/fax/(uuid)/send (spec 3.13): checks, the report in `dial`, and
 * one queued job per report that a telephony node's fax sender (fax-sender.ts)
 * runs: it dials through the trunk gate, transmits, retries with back-off.
 */

/** One attempt of a send as queued; the job id is `fax.send-<report>-<attempt>`. */
export interface FaxSendJob {
  report: string;
  fax: string;
  owner: string;
  from: string;
  /** The destination after the call filter's rewrites (spec 9.1.3 `replace`). */
  dial: string;
  /** TSI (spec 3.13 `fax_ident`, the user's by default). */
  ident: string | null;
  /** Header line (spec 3.13 `fax_header`, the user's by default). */
  header: string | null;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface FaxSendQueue {
  /** Adds the job unless its id is known already; `delayMs` for a retry's back-off. */
  enqueue(job: FaxSendJob, delayMs?: number): Promise<void>;
  /** Removes a queued (waiting or delayed) job; false when it is running or gone. */
  remove(job: Pick<FaxSendJob, 'report' | 'attempt'>): Promise<boolean>;
}

export function faxSendJobId(job: Pick<FaxSendJob, 'report' | 'attempt'>): string {
  return `fax.send-${job.report}-${job.attempt}`;
}

export interface FaxSendRequest {
  from: string;
  to: string;
  fax_ident?: string | undefined;
  fax_header?: string | undefined;
}

/** How long a cancel request is kept for a running attempt to see it. */
const CANCEL_TTL_SECONDS = 24 * 3600;

export class FaxSendService {
  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly faxes: FaxService,
    private readonly callFilters: Pick<CallFilterService, 'forUser'>,
    private readonly queue: FaxSendQueue,
  ) {}

  /** Spec 3.13 send: returns the new outgoing report. */
  async send(userId: string, faxUuid: string, req: FaxSendRequest): Promise<FaxReport> {
    const fax = await this.faxes.get(userId, faxUuid, 'write');
    const phone = await this.db
      .selectFrom('phones')
      .select(['number', 'unlock_code'])
      .where('number', '=', req.from)
      .where('user_uuid', '=', userId)
      .executeTakeFirst();
    if (!phone) throw new ServiceError('wrong-phone', `${req.from} is not one of your phone numbers`);
    if (phone.unlock_code !== null) throw new ServiceError('locked-phone', `${req.from} is not unlocked yet`);
    const content = await this.faxes.contentTiff(fax.uuid);
    if (!content) throw new ServiceError('no-content', 'the fax has no contents to send');
    const filter = await this.callFilters.forUser(userId);
    const decision = filter ? evaluateCallFilter(filter, { number: req.to, service: 'fax' }) : null;
    if (decision && !decision.allowed) {
      throw new ServiceError('forbidden-to', `sending a fax to ${req.to} is not allowed for this account`);
    }
    const user = await this.db
      .selectFrom('users')
      .select(['fax_ident', 'fax_header', 'feature_packs'])
      .where('uuid', '=', userId)
      .executeTakeFirstOrThrow();
    const packs = Array.isArray(user.feature_packs) ? user.feature_packs.map(String) : [];
    const quota = featureSection(packs, { volumeBytes: 0, faxPagesThisMonth: 0 }).quota.fax;
    const ident = req.fax_ident ?? user.fax_ident ?? null;
    const header = req.fax_header ?? user.fax_header ?? null;
    const report = await this.faxes.startSendReport(
      {
        fax: fax.uuid,
        incoming: false,
        from: req.from,
        to: req.to,
        status: 'dial',
        faxIdent: ident,
        faxHeader: header,
        pageCount: content.pageCount,
      },
      fax.owner,
      quota,
    );
    const job: FaxSendJob = {
      report: report.uuid,
      fax: fax.uuid,
      owner: fax.owner,
      from: req.from,
      dial: decision?.number ?? req.to,
      ident,
      header,
      attempt: 1,
    };
    try {
      await this.queue.enqueue(job);
    } catch (err) {
      // Without a job the report would stay in `dial` forever.
      await this.faxes.updateReport(report.uuid, { status: 'error', timeEnd: Math.floor(Date.now() / 1000) });
      throw err;
    }
    return report;
  }

  /**
   * Cancels the sends of a fax still under way (DELETE on the fax, spec
   * 3.13 `cancel`): a queued attempt is removed and its report set to
   * `cancel` at once; a running attempt sees the request and ends its call.
   */
  async cancelSends(faxUuid: string): Promise<void> {
    for (const r of await this.faxes.reports(faxUuid)) {
      if (r.incoming || (r.status !== 'dial' && r.status !== 'transmit')) continue;
      await this.redis.set(this.cancelKey(r.uuid), '1', 'EX', CANCEL_TTL_SECONDS);
      const running = r.attempts.at(-1);
      if (running && running.timeEnd === null) continue;
      const removed = await this.queue.remove({ report: r.uuid, attempt: r.attempts.length + 1 });
      if (removed) {
        await this.faxes
          .updateReport(r.uuid, { status: 'cancel', timeEnd: Math.floor(Date.now() / 1000) })
          .catch(() => undefined);
      }
    }
  }

  /** Whether the user asked to cancel the send of `report` (a running attempt polls this). */
  async cancelRequested(report: string): Promise<boolean> {
    return (await this.redis.exists(this.cancelKey(report))) === 1;
  }

  private cancelKey(report: string): string {
    return `${this.redisPrefix}fax:cancel:${report}`;
  }
}
