import {
  attemptVerdict,
  isFinalReportStatus,
  retryDelaySeconds,
  type AttemptEnd,
} from '../domain/fax/report.js';
import type { FaxAttempt, FaxReport, FaxTransport } from './fax-reports.js';
import type { FaxService } from './fax-service.js';
import type { FaxSendJob, FaxSendQueue, FaxSendService } from './fax-send.js';

/**
 * The worker side of a fax send (issue 18): one queued job is one dialling
 * attempt. It records the attempt in the report, has the telephony side
 * (FaxDialer) place the call and transmit, judges the end
 * (domain/fax/report.ts) and either ends the report or queues the next
 * attempt after its back-off. Crash-safe: a job started again after its
 * worker died finds its attempt open, closes it as failed and goes on as a
 * new attempt, so no report stays in `transmit`.
 */

/** Progress the dialer reports while an attempt runs. */
export interface FaxDialHooks {
  /** The far end answered: the report moves to `transmit`. */
  answered(sipStatusCode: number): Promise<void>;
  /** Phase B: the far end's CSI and the negotiated rate. */
  negotiated(info: {
    remoteIdent: string;
    bitRate: number;
    ecm: boolean;
    transport: FaxTransport;
  }): Promise<void>;
  /** A page went through. */
  page(progress: { pagesDone: number; pageCount: number | null }): Promise<void>;
}

export interface FaxDialRequest {
  report: string;
  /** The fax being sent (its CDR names it). */
  fax?: string;
  owner: string;
  from: string;
  to: string;
  tiff: string;
  ident: string | null;
  header: string | null;
}

export interface FaxDialOutcome extends AttemptEnd {
  pagesDone?: number;
  remoteIdent?: string;
  bitRate?: number;
  ecm?: boolean;
  transport?: FaxTransport;
  durationMs?: number;
}

/**
 * What the telephony side provides (the call engine on the adapter): place
 * the call through the trunk gate (call filter service `fax`, call limit,
 * credit, zone billing), run a FaxSession on it (T.38 re-INVITE with audio
 * fallback), end the call when `signal` aborts (cancel), and resolve once
 * the call is over.
 */
export interface FaxDialer {
  send(request: FaxDialRequest, hooks: FaxDialHooks, signal: AbortSignal): Promise<FaxDialOutcome>;
}

export interface FaxSenderOptions {
  retries: number;
  retryDelays: readonly number[];
  /** How often a running attempt looks for a cancel request. */
  cancelPollMs?: number;
  now?: () => number;
}

type Faxes = Pick<FaxService, 'report' | 'updateReport' | 'contentTiff'>;

export class FaxSender {
  private readonly now: () => number;

  constructor(
    private readonly faxes: Faxes,
    private readonly sends: Pick<FaxSendService, 'cancelRequested'>,
    private readonly queue: FaxSendQueue,
    private readonly dialer: FaxDialer,
    private readonly opts: FaxSenderOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Runs one queued attempt of a send. */
  async run(job: FaxSendJob): Promise<void> {
    const report = await this.faxes.report(job.report);
    if (!report || isFinalReportStatus(report.status)) return;
    const attempts = [...report.attempts];
    const open = attempts.at(-1);
    if (open && open.timeEnd === null) {
      // Left open by a worker that died mid-call: that attempt failed; the
      // send goes on as the next attempt (queued with its back-off) or ends.
      attempts[attempts.length - 1] = { ...open, timeEnd: this.seconds(), status: 'fail' };
      await this.retryOrEnd(job, report, attempts, { status: 'fail', retryable: true }, {});
      return;
    }
    if (attempts.length >= job.attempt) return; // this attempt ran already (a repeated job)
    if (await this.sends.cancelRequested(job.report)) {
      await this.end(report, attempts, 'cancel', {});
      return;
    }
    const content = await this.faxes.contentTiff(job.fax);
    if (!content) {
      await this.end(report, attempts, 'error', {});
      return;
    }
    const attempt: FaxAttempt = {
      timeStart: this.seconds(),
      timeEnd: null,
      status: 'dial',
      sipStatusCode: null,
      faxErrorCode: null,
    };
    attempts.push(attempt);
    await this.faxes.updateReport(job.report, { status: 'dial', attempts });

    const abort = new AbortController();
    const poll = setInterval(() => {
      this.sends.cancelRequested(job.report).then(
        (yes) => yes && abort.abort(),
        () => undefined,
      );
    }, this.opts.cancelPollMs ?? 1000);
    let outcome: FaxDialOutcome;
    try {
      outcome = await this.dialer.send(
        {
          report: job.report,
          fax: job.fax,
          owner: job.owner,
          from: job.from,
          to: job.dial,
          tiff: content.tiff,
          ident: job.ident,
          header: job.header,
        },
        this.hooks(job.report, content.pageCount),
        abort.signal,
      );
    } catch {
      outcome = { answered: false, sipStatusCode: null, faxErrorCode: null, internalError: true };
    } finally {
      clearInterval(poll);
    }
    if (abort.signal.aborted) outcome = { ...outcome, cancelled: true };
    const verdict = attemptVerdict(outcome);
    attempts[attempts.length - 1] = {
      ...attempt,
      timeEnd: this.seconds(),
      status: verdict.status,
      sipStatusCode: outcome.sipStatusCode,
      faxErrorCode: outcome.faxErrorCode,
    };
    const current = (await this.faxes.report(job.report)) ?? report;
    await this.retryOrEnd(job, current, attempts, verdict, outcome);
  }

  /** Queues the next attempt (report back to `dial`), or ends the report; true when retrying. */
  private async retryOrEnd(
    job: FaxSendJob,
    report: FaxReport,
    attempts: FaxAttempt[],
    verdict: ReturnType<typeof attemptVerdict>,
    outcome: Partial<FaxDialOutcome>,
  ): Promise<boolean> {
    const delay = verdict.retryable
      ? retryDelaySeconds(attempts.length, this.opts.retries, this.opts.retryDelays)
      : null;
    if (delay === null) {
      await this.end(report, attempts, verdict.status, outcome);
      return false;
    }
    await this.faxes.updateReport(report.uuid, {
      status: 'dial',
      attempts,
      ...(outcome.sipStatusCode !== undefined ? { sipStatusCode: outcome.sipStatusCode } : {}),
      ...(outcome.faxErrorCode !== undefined ? { faxErrorCode: outcome.faxErrorCode } : {}),
    });
    await this.queue.enqueue({ ...job, attempt: attempts.length + 1 }, delay * 1000);
    return true;
  }

  private async end(
    report: FaxReport,
    attempts: FaxAttempt[],
    status: FaxAttempt['status'],
    outcome: Partial<FaxDialOutcome>,
  ): Promise<void> {
    await this.faxes.updateReport(report.uuid, {
      status,
      timeEnd: this.seconds(),
      attempts,
      ...(outcome.sipStatusCode !== undefined ? { sipStatusCode: outcome.sipStatusCode } : {}),
      ...(outcome.faxErrorCode !== undefined ? { faxErrorCode: outcome.faxErrorCode } : {}),
      ...(outcome.pagesDone !== undefined ? { pages: outcome.pagesDone } : {}),
      ...(outcome.remoteIdent ? { remoteIdent: outcome.remoteIdent } : {}),
      ...(outcome.bitRate ? { bitRate: outcome.bitRate } : {}),
      ...(outcome.ecm !== undefined ? { ecm: outcome.ecm } : {}),
      ...(outcome.transport ? { transport: outcome.transport } : {}),
      ...(outcome.durationMs !== undefined ? { durationMs: outcome.durationMs } : {}),
    });
  }

  private hooks(report: string, pageCount: number): FaxDialHooks {
    return {
      answered: async (sipStatusCode) => {
        await this.faxes.updateReport(report, { status: 'transmit', sipStatusCode, pages: 0, pageCount });
      },
      negotiated: async (info) => {
        await this.faxes.updateReport(report, info);
      },
      page: async (p) => {
        await this.faxes.updateReport(report, {
          pages: p.pagesDone,
          ...(p.pageCount !== null ? { pageCount: p.pageCount } : {}),
        });
      },
    };
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }
}
