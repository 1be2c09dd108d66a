import { describe, expect, it } from 'vitest';
import { apnsPayload, apnsTopicOf, gcmData } from '../../src/domain/push/push-events.js';
import { apnsOutcome } from '../../src/push/apns.js';
import { fcmOutcome } from '../../src/push/fcm.js';
import { retryAfterMs } from '../../src/push/outcome.js';
import { pushBackoff } from '../../src/push/worker.js';

const OWNER = '9aed5e94-3803-11e3-8475-0024e8f90cc0';

describe('push payloads (spec 8.2)', () => {
  it('fax_new: GCM strings only, APNs with content-available and a numeric page_count', () => {
    const e = {
      message: 'fax_new' as const,
      fax: 'af729cc0-3251-11e2-81c1-0800200c9a66',
      phone: '+492215587412',
      page_count: 2,
    };
    expect(gcmData(OWNER, e)).toEqual({
      owner: OWNER,
      message: 'fax_new',
      fax: 'af729cc0-3251-11e2-81c1-0800200c9a66',
      phone: '+492215587412',
      page_count: '2',
    });
    expect(apnsPayload(OWNER, e)).toEqual({
      aps: { 'content-available': 1 },
      owner: OWNER,
      message: 'fax_new',
      fax: 'af729cc0-3251-11e2-81c1-0800200c9a66',
      phone: '+492215587412',
      page_count: 2,
    });
  });

  it('the APNs topic is apns_topic, else the bundle id of the application id', () => {
    expect(apnsTopicOf('39JSDKGJ38.de.cospace.app', null)).toBe('de.cospace.app');
    expect(apnsTopicOf('39JSDKGJ38.de.cospace.app', 'de.cospace.app.voip')).toBe('de.cospace.app.voip');
  });
});

describe('provider answers', () => {
  it('APNs: 200 sent, 410 dead with its timestamp, 429/5xx retry, 403 token refresh, other 4xx rejected', () => {
    expect(apnsOutcome(200, '')).toEqual({ kind: 'sent' });
    expect(apnsOutcome(410, '{"reason":"Unregistered","timestamp":1700000000000}')).toEqual({
      kind: 'dead',
      reason: 'Unregistered',
      sinceMs: 1700000000000,
    });
    expect(apnsOutcome(429, '{"reason":"TooManyRequests"}', '3')).toEqual({
      kind: 'retry',
      reason: 'TooManyRequests',
      retryAfterMs: 3000,
    });
    expect(apnsOutcome(503, 'not json').kind).toBe('retry');
    expect(apnsOutcome(403, '{"reason":"ExpiredProviderToken"}').kind).toBe('retry');
    expect(apnsOutcome(403, '{"reason":"BadCertificateEnvironment"}').kind).toBe('rejected');
    expect(apnsOutcome(400, '{"reason":"BadDeviceToken"}')).toEqual({
      kind: 'rejected',
      reason: 'BadDeviceToken',
    });
  });

  it('FCM: UNREGISTERED dead, 401 re-authenticates, 429/5xx retry, INVALID_ARGUMENT rejected', () => {
    const err = (status: number, code: string, grpc = 'X') =>
      JSON.stringify({
        error: { code: status, status: grpc, details: [{ '@type': 'x.FcmError', errorCode: code }] },
      });
    expect(fcmOutcome(200, '{}')).toEqual({ kind: 'sent' });
    expect(fcmOutcome(404, err(404, 'UNREGISTERED', 'NOT_FOUND'))).toEqual({
      kind: 'dead',
      reason: 'UNREGISTERED',
    });
    expect(fcmOutcome(401, '{}')).toEqual({ kind: 'retry', reason: 'UNAUTHENTICATED' });
    expect(fcmOutcome(429, err(429, 'QUOTA_EXCEEDED'), '7')).toEqual({
      kind: 'retry',
      reason: 'QUOTA_EXCEEDED',
      retryAfterMs: 7000,
    });
    expect(fcmOutcome(503, '').kind).toBe('retry');
    expect(fcmOutcome(400, err(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT')).kind).toBe('rejected');
  });

  it('Retry-After in seconds or as a date; back-off doubles, honours Retry-After, is capped', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect([1, 2, 3, 4].map((n) => pushBackoff(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(pushBackoff(30, 1000)).toBe(3_600_000);
  });
});
