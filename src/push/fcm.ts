import type { KeyObject } from 'node:crypto';
import { CachedToken, privateKey, signJwt } from './jwt.js';
import { retryAfterMs, type PushOutcome } from './outcome.js';

export interface FcmOptions {
  projectId: string;
  clientEmail: string;
  privateKeyPem: string;
  /** OAuth2 token endpoint (the service account's token_uri). */
  tokenUrl: string;
  /** API base URL, https://fcm.googleapis.com. */
  baseUrl: string;
  timeoutMs: number;
  now?: () => number;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** Access tokens are dropped this long before they expire. */
const TOKEN_MARGIN_MS = 5 * 60_000;

/**
 * FCM's HTTP v1 API: `POST /v1/projects/<project>/messages:send` with
 * `{"message": {"token", "data", "android": {"priority": "high"}}}`, authorized
 * by an OAuth2 access token from the service account (JWT bearer grant,
 * RFC 7523: an RS256 JWT {iss: client_email, scope, aud: token_uri, iat,
 * exp} posted to the token endpoint), reused until shortly before it expires.
 */
export class FcmClient {
  private readonly key: KeyObject;
  private readonly token: CachedToken;
  private readonly now: () => number;

  constructor(private readonly o: FcmOptions) {
    this.key = privateKey(o.privateKeyPem);
    this.now = o.now ?? Date.now;
    this.token = new CachedToken(() => this.accessToken());
  }

  private async accessToken(): Promise<{ token: string; ttlMs: number }> {
    const iat = Math.floor(this.now() / 1000);
    const assertion = signJwt(
      'RS256',
      this.key,
      { typ: 'JWT' },
      { iss: this.o.clientEmail, scope: SCOPE, aud: this.o.tokenUrl, iat, exp: iat + 3600 },
    );
    const res = await fetch(this.o.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      signal: AbortSignal.timeout(this.o.timeoutMs),
    });
    const j = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    if (!res.ok || typeof j.access_token !== 'string') {
      throw new FcmTokenError(`token endpoint answered HTTP ${res.status}`);
    }
    const expiresIn = typeof j.expires_in === 'number' ? j.expires_in : 3600;
    return { token: j.access_token, ttlMs: Math.max(0, expiresIn * 1000 - TOKEN_MARGIN_MS) };
  }

  /** `ttlSeconds`: how long FCM may hold the message for an offline device (a call's wake-up: seconds). */
  async send(
    registrationId: string,
    data: Record<string, string>,
    opts: { ttlSeconds?: number } = {},
  ): Promise<PushOutcome> {
    const first = await this.attempt(registrationId, data, opts);
    // 401: the access token was refused (revoked, clock skew); one new token, one more try.
    if (first.kind === 'retry' && first.reason === 'UNAUTHENTICATED') {
      this.token.invalidate();
      return this.attempt(registrationId, data, opts);
    }
    return first;
  }

  private async attempt(
    registrationId: string,
    data: Record<string, string>,
    opts: { ttlSeconds?: number },
  ): Promise<PushOutcome> {
    let access: string;
    try {
      access = await this.token.get();
    } catch (err) {
      return { kind: 'retry', reason: `access token: ${(err as Error).message}` };
    }
    let res: Response;
    try {
      res = await fetch(
        `${this.o.baseUrl}/v1/projects/${encodeURIComponent(this.o.projectId)}/messages:send`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({
            message: {
              token: registrationId,
              data,
              android: {
                priority: 'high',
                ...(opts.ttlSeconds !== undefined ? { ttl: `${opts.ttlSeconds}s` } : {}),
              },
            },
          }),
          signal: AbortSignal.timeout(this.o.timeoutMs),
        },
      );
    } catch (err) {
      return { kind: 'retry', reason: (err as Error).message };
    }
    return fcmOutcome(
      res.status,
      await res.text().catch(() => ''),
      res.headers.get('retry-after') ?? undefined,
    );
  }
}

export class FcmTokenError extends Error {
  override name = 'FcmTokenError';
}

/** FCM's error codes (Firebase "FCM error codes", HTTP v1). */
export function fcmOutcome(status: number, text: string, retryAfter?: string): PushOutcome {
  if (status === 200) return { kind: 'sent' };
  let code = '';
  let grpc = '';
  try {
    const e = (JSON.parse(text) as { error?: { status?: unknown; details?: unknown } }).error;
    if (typeof e?.status === 'string') grpc = e.status;
    if (Array.isArray(e?.details)) {
      for (const d of e.details as Array<Record<string, unknown>>) {
        if (typeof d['errorCode'] === 'string') code = d['errorCode'];
      }
    }
  } catch {
    // No JSON body: the status alone decides.
  }
  const reason = code || grpc || `HTTP ${status}`;
  if (code === 'UNREGISTERED') return { kind: 'dead', reason };
  if (status === 401) return { kind: 'retry', reason: 'UNAUTHENTICATED' };
  if (status === 429 || status >= 500) {
    const after = retryAfterMs(retryAfter);
    return { kind: 'retry', reason, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  return { kind: 'rejected', reason };
}
