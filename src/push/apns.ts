import http2 from 'node:http2';
import type { KeyObject } from 'node:crypto';
import { CachedToken, privateKey, signJwt } from './jwt.js';
import { retryAfterMs, type PushOutcome } from './outcome.js';

export interface ApnsOptions {
  teamId: string;
  keyId: string;
  keyPem: string;
  /** Provider API base URLs, e.g. https://api.push.apple.com (http:// speaks h2c, for tests). */
  productionUrl: string;
  sandboxUrl: string;
  timeoutMs: number;
  now?: () => number;
}

export interface ApnsNotification {
  /** 64 hex digits. */
  deviceToken: string;
  sandbox: boolean;
  topic: string;
  /** `background` for content-available pushes (spec 8.2), `voip` for PushKit wake-ups. */
  pushType: 'background' | 'alert' | 'voip';
  payload: Record<string, unknown>;
  /** Expiry in seconds since the epoch; 0 = try once only. */
  expiration?: number;
}

const TOKEN_TTL_MS = 40 * 60_000;

/**
 * The APNs provider API over HTTP/2 with token-based authentication (Apple:
 * "Sending notification requests to APNs", "Establishing a token-based
 * connection to APNs"): `POST /3/device/<token>` with `authorization: bearer
 * <ES256 JWT {iss: team id, iat}, kid = key id>`, `apns-topic`,
 * `apns-push-type` and `apns-priority` (5 for background pushes, which Apple
 * requires; 10 otherwise). One HTTP/2 connection per base URL, kept open and
 * made again after GOAWAY or an error.
 */
export class ApnsClient {
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();
  private readonly token: CachedToken;
  private readonly key: KeyObject;
  private readonly now: () => number;

  constructor(private readonly o: ApnsOptions) {
    this.key = privateKey(o.keyPem);
    this.now = o.now ?? Date.now;
    this.token = new CachedToken(async () => ({
      token: signJwt(
        'ES256',
        this.key,
        { kid: o.keyId },
        { iss: o.teamId, iat: Math.floor(this.now() / 1000) },
      ),
      ttlMs: TOKEN_TTL_MS,
    }));
  }

  private session(origin: string): http2.ClientHttp2Session {
    const open = this.sessions.get(origin);
    if (open && !open.closed && !open.destroyed) return open;
    const s = http2.connect(origin);
    const forget = (): void => {
      if (this.sessions.get(origin) === s) this.sessions.delete(origin);
    };
    s.on('error', forget);
    s.on('goaway', forget);
    s.on('close', forget);
    // An idle connection must not keep the process alive.
    s.unref();
    this.sessions.set(origin, s);
    return s;
  }

  async send(n: ApnsNotification): Promise<PushOutcome> {
    const first = await this.attempt(n);
    // A refused provider token is made anew and the push tried once more at once.
    if (first.kind === 'retry' && /ProviderToken/.test(first.reason)) {
      this.token.invalidate();
      return this.attempt(n);
    }
    return first;
  }

  private async attempt(n: ApnsNotification): Promise<PushOutcome> {
    const origin = n.sandbox ? this.o.sandboxUrl : this.o.productionUrl;
    const jwt = await this.token.get();
    const body = Buffer.from(JSON.stringify(n.payload));
    let session: http2.ClientHttp2Session;
    try {
      session = this.session(origin);
    } catch (err) {
      return { kind: 'retry', reason: `connect: ${(err as Error).message}` };
    }
    return new Promise<PushOutcome>((resolve) => {
      let settled = false;
      const done = (o: PushOutcome): void => {
        if (settled) return;
        settled = true;
        resolve(o);
      };
      const req = session.request({
        ':method': 'POST',
        ':path': `/3/device/${n.deviceToken}`,
        authorization: `bearer ${jwt}`,
        'apns-topic': n.topic,
        'apns-push-type': n.pushType,
        'apns-priority': n.pushType === 'background' ? '5' : '10',
        'apns-expiration': String(n.expiration ?? 0),
        'content-type': 'application/json',
        'content-length': String(body.length),
      });
      req.setTimeout(this.o.timeoutMs, () => {
        req.close(http2.constants.NGHTTP2_CANCEL);
        done({ kind: 'retry', reason: `no answer within ${this.o.timeoutMs} ms` });
      });
      let status = 0;
      let retryAfter: string | string[] | undefined;
      const chunks: Buffer[] = [];
      req.on('response', (headers) => {
        status = Number(headers[':status']);
        retryAfter = headers['retry-after'];
      });
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => done(apnsOutcome(status, Buffer.concat(chunks).toString('utf8'), retryAfter)));
      req.on('error', (err: Error) => done({ kind: 'retry', reason: err.message }));
      req.end(body);
    });
  }

  close(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}

/** Apple's status codes and reasons ("Handling notification responses from APNs"). */
export function apnsOutcome(status: number, text: string, retryAfter?: string | string[]): PushOutcome {
  if (status === 200) return { kind: 'sent' };
  let reason = `HTTP ${status}`;
  let timestamp: number | undefined;
  try {
    const j = JSON.parse(text) as { reason?: unknown; timestamp?: unknown };
    if (typeof j.reason === 'string') reason = j.reason;
    if (typeof j.timestamp === 'number') timestamp = j.timestamp;
  } catch {
    // No JSON body: the status alone decides.
  }
  if (status === 410)
    return { kind: 'dead', reason, ...(timestamp !== undefined ? { sinceMs: timestamp } : {}) };
  if (status === 403 && /ProviderToken/.test(reason)) return { kind: 'retry', reason };
  if (status === 429 || status >= 500) {
    const after = retryAfterMs(retryAfter);
    return { kind: 'retry', reason, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  return { kind: 'rejected', reason };
}
