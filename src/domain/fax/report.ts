import { t30Retryable } from './t30.js';

/**
 * The life of a fax report (spec 3.13): an outgoing one walks
 * `dial` -> `transmit` -> `ok` / `fail` / `busy` / `cancel` / `error`, going
 * back to `dial` for each retry; an incoming one starts at `transmit`. The
 * end states are final: a late event of an ended attempt never reopens it.
 */
export type ReportStatus = 'dial' | 'transmit' | 'ok' | 'fail' | 'cancel' | 'busy' | 'error';

export const FINAL_REPORT_STATUSES: readonly ReportStatus[] = ['ok', 'fail', 'cancel', 'busy', 'error'];

export function isFinalReportStatus(s: ReportStatus): boolean {
  return FINAL_REPORT_STATUSES.includes(s);
}

/** Whether a report in `from` may change to `to` (the same status again is a progress update). */
export function canMoveReport(from: ReportStatus, _to: ReportStatus): boolean {
  // Any move out of dial/transmit is fine, transmit -> dial included (the next attempt).
  return !isFinalReportStatus(from);
}

/** How one dialling attempt of a send ended, as the call side saw it. */
export interface AttemptEnd {
  /** The user cancelled (DELETE on the fax, or the call API). */
  cancelled?: boolean;
  /** The call was answered and the fax stack ran (then `faxErrorCode` tells how it went). */
  answered: boolean;
  /** Final SIP status of the call (200 when answered). */
  sipStatusCode: number | null;
  /** T.30 completion code once the fax stack ran (0 = success). */
  faxErrorCode: number | null;
  /** Something on our side failed (no trunk, no media port ...). */
  internalError?: boolean;
}

export interface AttemptVerdict {
  status: Exclude<ReportStatus, 'dial' | 'transmit'>;
  /** Another attempt may succeed (busy, no answer, a line failure during T.30). */
  retryable: boolean;
}

/** SIP final responses after which dialling again makes sense (RFC 3261 §21). */
const RETRY_SIP = new Set([408, 480, 486, 487, 500, 503, 504, 600]);

/**
 * What an attempt's end means for the report: busy (486/600) is `busy`,
 * a fax that went through is `ok`, everything else the far end or the line
 * caused is `fail`; our own failures are `error`. Busy, no answer and T.30
 * line failures may be retried; a refused number or an unreadable document
 * not.
 */
export function attemptVerdict(end: AttemptEnd): AttemptVerdict {
  if (end.cancelled) return { status: 'cancel', retryable: false };
  if (end.internalError) return { status: 'error', retryable: false };
  if (!end.answered) {
    const sip = end.sipStatusCode ?? 0;
    if (sip === 486 || sip === 600) return { status: 'busy', retryable: true };
    return { status: 'fail', retryable: RETRY_SIP.has(sip) || sip === 0 };
  }
  const code = end.faxErrorCode ?? 0;
  if (code === 0) return { status: 'ok', retryable: false };
  return { status: 'fail', retryable: t30Retryable(code) };
}

/**
 * The delay before attempt `attempt + 1` (1-based: after the first attempt
 * `attempt` is 1), or null when no attempt is left: `delays` are seconds per
 * retry, the last one repeating, `retries` how many retries there are.
 */
export function retryDelaySeconds(
  attempt: number,
  retries: number,
  delays: readonly number[],
): number | null {
  if (attempt > retries || delays.length === 0) return null;
  return delays[Math.min(attempt - 1, delays.length - 1)]!;
}
