import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * HTTP Digest authentication as SIP uses it (RFC 3261 §22.4): RFC 2617 with
 * MD5, RFC 7616 / RFC 8760 with SHA-256. Plain strings in and out, so the SIP
 * stack (embedded or drachtio) calls it with header values it already has.
 */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** The parameters of an `Authorization` / `Proxy-Authorization: Digest …` value. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  /** Lower-case hex, 32 digits for MD5 and 64 for SHA-256. */
  response: string;
  /** `MD5` when the client sent none (RFC 2617 §3.2.2). */
  algorithm: DigestAlgorithm;
  qop?: 'auth' | 'auth-int';
  cnonce?: string;
  /** Nonce count, 8 hex digits; present exactly when qop is. */
  nc?: string;
  opaque?: string;
}

/** Longer header values are refused unread (a credential is a few hundred bytes). */
export const MAX_DIGEST_HEADER = 4096;

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const isTokenChar = (c: string): boolean => TOKEN.test(c);
const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t';
// Control characters other than tab never belong in a header value.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const HEX = /^[0-9a-fA-F]+$/;
const KNOWN = new Set([
  'username',
  'realm',
  'nonce',
  'uri',
  'response',
  'algorithm',
  'cnonce',
  'qop',
  'nc',
  'opaque',
]);

/** Splits `name=value, name="quoted, value"` into lower-case names and unquoted values; null when malformed. */
function parseParams(s: string, start: number): Map<string, string> | null {
  const params = new Map<string, string>();
  let i = start;
  const skipWs = (): void => {
    while (isWs(s[i])) i++;
  };
  for (;;) {
    skipWs();
    // Empty list elements (`a=1,,b=2`, a trailing comma) are tolerated (RFC 7230 §7).
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (i >= s.length) break;
    const nameStart = i;
    while (i < s.length && isTokenChar(s[i]!)) i++;
    if (i === nameStart) return null;
    const name = s.slice(nameStart, i).toLowerCase();
    skipWs();
    if (s[i] !== '=') return null;
    i++;
    skipWs();
    let value = '';
    if (s[i] === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const c = s[i]!;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\') {
          const next = s[i + 1];
          if (next === undefined) return null;
          value += next;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      if (!closed || CONTROL.test(value)) return null;
    } else {
      const valueStart = i;
      while (i < s.length && isTokenChar(s[i]!)) i++;
      if (i === valueStart) return null;
      value = s.slice(valueStart, i);
    }
    // A repeated known parameter is ambiguous; unknown auth-params are skipped.
    if (KNOWN.has(name)) {
      if (params.has(name)) return null;
      params.set(name, value);
    }
    skipWs();
    if (i >= s.length) break;
    if (s[i] !== ',') return null;
    i++;
  }
  return params;
}

/**
 * Parses an `Authorization` / `Proxy-Authorization` value. Null for anything
 * malformed or unusable: another scheme, a missing required parameter, an
 * algorithm other than MD5 / SHA-256, qop without cnonce and nc (RFC 2617
 * §3.2.2), a response of the wrong length. Never throws.
 */
export function parseDigestCredentials(headerValue: string): DigestCredentials | null {
  if (typeof headerValue !== 'string' || headerValue.length > MAX_DIGEST_HEADER) return null;
  const s = headerValue.trim();
  if (s.length < 7 || s.slice(0, 6).toLowerCase() !== 'digest' || !isWs(s[6])) return null;
  const p = parseParams(s, 7);
  if (!p) return null;
  const username = p.get('username');
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  const uri = p.get('uri');
  const response = p.get('response');
  if (username === undefined || realm === undefined || nonce === undefined) return null;
  if (uri === undefined || uri === '' || response === undefined) return null;

  const alg = (p.get('algorithm') ?? 'MD5').toUpperCase();
  if (alg !== 'MD5' && alg !== 'SHA-256') return null;
  const algorithm: DigestAlgorithm = alg;
  if (!HEX.test(response) || response.length !== (algorithm === 'MD5' ? 32 : 64)) return null;

  const out: DigestCredentials = {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    algorithm,
  };
  const qop = p.get('qop')?.toLowerCase();
  const cnonce = p.get('cnonce');
  const nc = p.get('nc');
  if (qop !== undefined) {
    if (qop !== 'auth' && qop !== 'auth-int') return null;
    if (cnonce === undefined || cnonce === '' || nc === undefined) return null;
    if (nc.length !== 8 || !HEX.test(nc)) return null;
    out.qop = qop;
    out.cnonce = cnonce;
    out.nc = nc.toLowerCase();
  } else if (nc !== undefined) {
    return null;
  } else if (cnonce !== undefined) {
    // RFC 2617 allows cnonce only with qop; keep it for nothing but don't refuse the request.
    out.cnonce = cnonce;
  }
  const opaque = p.get('opaque');
  if (opaque !== undefined) out.opaque = opaque;
  return out;
}

/**
 * Stateless nonces (RFC 2617 §3.2.1 suggests time-stamp + keyed hash): 8 bytes
 * issue time (ms), 8 random bytes, 16 bytes HMAC-SHA256 over both, base64url.
 * Any node with the same secret verifies a nonce another node issued, and no
 * state is kept per challenge. An authentic nonce older than ttlMs is
 * `stale`: the client retries with the new nonce without asking its user for
 * the password again (stale=true). Within the TTL a nonce can be replayed;
 * the TTL bounds that.
 */
export class NonceService {
  /** A nonce issued this far in the future (clock skew between nodes) is still accepted. */
  static readonly MAX_SKEW_MS = 30_000;
  private static readonly RAW_BYTES = 32;

  constructor(
    private readonly secret: Buffer,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < 16) throw new RangeError('nonce secret must be at least 16 bytes');
    if (!(ttlMs > 0)) throw new RangeError('nonce ttl must be positive');
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(body).digest().subarray(0, 16);
  }

  issue(): string {
    const body = Buffer.alloc(16);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.now()))), 0);
    randomBytes(8).copy(body, 8);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  check(nonce: string): 'ok' | 'stale' | 'invalid' {
    if (typeof nonce !== 'string' || nonce.length !== 43 || !/^[A-Za-z0-9_-]+$/.test(nonce)) return 'invalid';
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== NonceService.RAW_BYTES || raw.toString('base64url') !== nonce) return 'invalid';
    const body = raw.subarray(0, 16);
    if (!timingSafeEqual(raw.subarray(16), this.mac(body))) return 'invalid';
    const age = this.now() - Number(body.readBigUInt64BE(0));
    if (age < -NonceService.MAX_SKEW_MS) return 'invalid';
    return age > this.ttlMs ? 'stale' : 'ok';
  }
}

const quote = (v: string): string => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/**
 * A `WWW-Authenticate` / `Proxy-Authenticate` value offering qop="auth". For
 * RFC 8760 the stack sends one challenge per algorithm, SHA-256 first.
 */
export function challenge(opts: {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  stale?: boolean;
  opaque?: string;
}): string {
  const parts = [`realm=${quote(opts.realm)}`, `nonce=${quote(opts.nonce)}`];
  if (opts.opaque !== undefined) parts.push(`opaque=${quote(opts.opaque)}`);
  if (opts.stale) parts.push('stale=true');
  parts.push(`algorithm=${opts.algorithm}`, 'qop="auth"');
  return `Digest ${parts.join(', ')}`;
}

const H = (algorithm: DigestAlgorithm, text: string): string =>
  createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text, 'utf8')
    .digest('hex');

/** The `response` a client with this HA1 computes (RFC 2617 §3.2.2.1, RFC 7616 §3.4.1). */
export function digestResponse(opts: {
  method: string;
  credentials: DigestCredentials;
  ha1: string;
  body?: string;
}): string {
  const c = opts.credentials;
  const a2 =
    c.qop === 'auth-int'
      ? `${opts.method}:${c.uri}:${H(c.algorithm, opts.body ?? '')}`
      : `${opts.method}:${c.uri}`;
  const ha2 = H(c.algorithm, a2);
  const ha1 = opts.ha1.toLowerCase();
  return c.qop
    ? H(c.algorithm, `${ha1}:${c.nonce}:${c.nc ?? ''}:${c.cnonce ?? ''}:${c.qop}:${ha2}`)
    : H(c.algorithm, `${ha1}:${c.nonce}:${ha2}`);
}

/**
 * Checks the client's response against HA1 = H(username:realm:password) of
 * the credentials' algorithm (the caller picks the MD5 or SHA-256 HA1). The
 * comparison is constant-time. Nonce freshness, realm and the account are the
 * caller's to check (NonceService.check, SipAccountService.credentials).
 */
export function verifyDigest(opts: {
  method: string;
  credentials: DigestCredentials;
  ha1: string;
  body?: string;
}): boolean {
  const expected = Buffer.from(digestResponse(opts), 'utf8');
  const given = Buffer.from(opts.credentials.response.toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
