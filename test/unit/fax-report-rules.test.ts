import { describe, expect, it } from 'vitest';
import { faxQuotaAllows } from '../../src/domain/fax/quota.js';
import { attemptVerdict, canMoveReport, retryDelaySeconds } from '../../src/domain/fax/report.js';
import { T30_ERR } from '../../src/domain/fax/t30.js';

describe('fax report rules (spec 3.13 report statuses)', () => {
  it('end states are final; dial and transmit move on, transmit back to dial for a retry', () => {
    expect(canMoveReport('dial', 'transmit')).toBe(true);
    expect(canMoveReport('transmit', 'dial')).toBe(true);
    expect(canMoveReport('transmit', 'ok')).toBe(true);
    for (const end of ['ok', 'fail', 'busy', 'cancel', 'error'] as const) {
      expect(canMoveReport(end, 'transmit')).toBe(false);
      expect(canMoveReport(end, end)).toBe(false);
    }
  });

  it('judges an attempt: busy, no answer, refused, T.30 failures, cancel and our own errors', () => {
    const unanswered = (sip: number) =>
      attemptVerdict({ answered: false, sipStatusCode: sip, faxErrorCode: null });
    expect(unanswered(486)).toEqual({ status: 'busy', retryable: true });
    expect(unanswered(600)).toEqual({ status: 'busy', retryable: true });
    expect(unanswered(480)).toEqual({ status: 'fail', retryable: true });
    expect(unanswered(408)).toEqual({ status: 'fail', retryable: true });
    expect(unanswered(404)).toEqual({ status: 'fail', retryable: false });
    expect(unanswered(403)).toEqual({ status: 'fail', retryable: false });
    const answered = (code: number) =>
      attemptVerdict({ answered: true, sipStatusCode: 200, faxErrorCode: code });
    expect(answered(T30_ERR.OK)).toEqual({ status: 'ok', retryable: false });
    expect(answered(T30_ERR.CALLDROPPED)).toEqual({ status: 'fail', retryable: true });
    expect(answered(T30_ERR.BADTIFF)).toEqual({ status: 'fail', retryable: false });
    expect(attemptVerdict({ cancelled: true, answered: true, sipStatusCode: 200, faxErrorCode: 49 })).toEqual(
      {
        status: 'cancel',
        retryable: false,
      },
    );
    expect(
      attemptVerdict({ internalError: true, answered: false, sipStatusCode: null, faxErrorCode: null }),
    ).toEqual({ status: 'error', retryable: false });
  });

  it('back-off: one delay per retry, the last repeating, none after the last retry', () => {
    expect(retryDelaySeconds(1, 3, [60, 300])).toBe(60);
    expect(retryDelaySeconds(2, 3, [60, 300])).toBe(300);
    expect(retryDelaySeconds(3, 3, [60, 300])).toBe(300);
    expect(retryDelaySeconds(4, 3, [60, 300])).toBeNull();
    expect(retryDelaySeconds(1, 0, [60])).toBeNull();
  });

  it('quota: pages fit while used + pages stays within it', () => {
    expect(faxQuotaAllows(50, 47, 3)).toBe(true);
    expect(faxQuotaAllows(50, 48, 3)).toBe(false);
  });
});
