import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

/**
 * Compact JWS (RFC 7515) signing for the two push providers' tokens:
 * ES256 for APNs provider tokens, RS256 for the Google OAuth2 JWT bearer
 * grant (RFC 7523). ES256 signatures are R || S, 64 bytes (RFC 7518 §3.4),
 * which node gives with dsaEncoding 'ieee-p1363' rather than DER.
 */
export type JwtAlgorithm = 'ES256' | 'RS256';

const b64url = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

export function privateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function signJwt(
  alg: JwtAlgorithm,
  key: KeyObject,
  header: Record<string, string>,
  claims: Record<string, string | number>,
): string {
  const input = `${b64url(JSON.stringify({ alg, ...header }))}.${b64url(JSON.stringify(claims))}`;
  const signature =
    alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(input), key);
  return `${input}.${b64url(signature)}`;
}

/**
 * A token reused until `ttlMs` after it was made. APNs refuses provider tokens
 * older than an hour and ones refreshed more than every 20 minutes
 * (TooManyProviderTokenUpdates), so it is made once per 40 minutes.
 */
export class CachedToken {
  private value: { token: string; until: number } | null = null;

  constructor(
    private readonly make: () => Promise<{ token: string; ttlMs: number }>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.value && this.value.until > this.now()) return this.value.token;
    const { token, ttlMs } = await this.make();
    this.value = { token, until: this.now() + ttlMs };
    return token;
  }

  /** The provider refused the token (expired, revoked): the next get() makes a new one. */
  invalidate(): void {
    this.value = null;
  }
}
