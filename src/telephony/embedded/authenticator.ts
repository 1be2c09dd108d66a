/**
 * Digest authentication of requests from SIP accounts (RFC 3261 §22):
 * REGISTER is challenged with 401/WWW-Authenticate, calls with
 * 407/Proxy-Authenticate. Challenges offer the configured algorithms in
 * order (RFC 8760; SIP_DIGEST_ALGORITHMS): MD5 alone by default, because
 * deployed phones (baresip 1.0 among them) fail on a challenge whose
 * algorithm they lack instead of skipping it. Answers with either
 * algorithm are verified whatever was offered.
 * Repeated failures are refused for a while, right password or not: per
 * address and account, per address and per account
 * (store/redis/auth-guard.ts), so a phone behind the same address as a
 * guesser keeps registering. The guard is asked once per answered
 * challenge, never before a challenge.
 */
import type { AccountRef } from '../adapter.js';
import type { AccountCredentials, AuthGuard } from '../environment.js';
import {
  challenge,
  NonceService,
  parseDigestCredentials,
  verifyDigest,
  type DigestAlgorithm,
} from './sip/digest.js';
import { originOf, type ProxyEntry } from './sip/path.js';
import { randomToken } from './sip/stack.js';
import type { SipExchange } from './sip/transaction.js';
import { parseNameAddr, parseUri } from './sip/uri.js';

export interface AuthenticatorOptions {
  domains: readonly string[];
  nonceSecret: Buffer;
  nonceTtlMs: number;
  algorithms: readonly DigestAlgorithm[];
  /** Edge proxies: the guard counts failures by the sender below them, not by the proxy. */
  proxies?: readonly ProxyEntry[];
}

export class Authenticator {
  private readonly nonces: NonceService;

  constructor(
    private readonly accounts: AccountCredentials,
    private readonly guard: AuthGuard,
    private readonly opts: AuthenticatorOptions,
  ) {
    this.nonces = new NonceService(opts.nonceSecret, opts.nonceTtlMs);
  }

  /** The realm to challenge with: the request's own domain when it is one of ours. */
  private realmOf(tx: SipExchange): string {
    const req = tx.request;
    const candidates = [
      parseUri(req.uri)?.host,
      parseUri(parseNameAddr(req.get('from') ?? '')?.uri ?? '')?.host,
    ];
    for (const c of candidates) if (c && this.opts.domains.includes(c)) return c;
    return this.opts.domains[0] ?? 'callplane';
  }

  private challengeResponse(tx: SipExchange, proxy: boolean, stale: boolean): void {
    const realm = this.realmOf(tx);
    const nonce = this.nonces.issue();
    const header = proxy ? 'proxy-authenticate' : 'www-authenticate';
    tx.respond(proxy ? 407 : 401, proxy ? 'Proxy Authentication Required' : 'Unauthorized', {
      toTag: randomToken(6),
      headers: {
        [header]: this.opts.algorithms.map((algorithm) => challenge({ realm, nonce, algorithm, stale })),
      },
    });
  }

  /**
   * The authenticated account, or null when a response (challenge or 403)
   * has been sent. `proxy` selects 407/Proxy-* (calls) over 401 (REGISTER).
   */
  async authenticate(tx: SipExchange, proxy: boolean): Promise<AccountRef | null> {
    const req = tx.request;
    const ip = originOf(req, tx.peer, this.opts.proxies ?? []).address;
    const value = req.get(proxy ? 'proxy-authorization' : 'authorization');
    // No guard before a challenge: it costs the guard nothing and tells a guesser nothing.
    if (!value) {
      this.challengeResponse(tx, proxy, false);
      return null;
    }
    const creds = parseDigestCredentials(value);
    if (!creds) {
      await this.guard.failure(ip, null);
      tx.respond(400, 'Bad Request (malformed credentials)');
      return null;
    }
    const freshness = this.nonces.check(creds.nonce);
    if (freshness !== 'ok') {
      // An unknown nonce is a retry against another secret or a forgery: challenge again.
      this.challengeResponse(tx, proxy, freshness === 'stale');
      return null;
    }
    const found = await this.accounts.credentials(creds.username);
    const ok =
      found !== null &&
      creds.realm === found.domain &&
      verifyDigest({
        method: req.method,
        credentials: creds,
        ha1: creds.algorithm === 'SHA-256' ? found.ha1.sha256 : found.ha1.md5,
        body: req.body.toString(),
      });
    // The verdict and the block test are one round trip; a blocked pair is refused even with the right password.
    if (!(await this.guard.attempt(ip, creds.username, ok))) {
      tx.respond(403, 'Forbidden (too many failed attempts)');
      return null;
    }
    if (!ok || !found) {
      tx.respond(403, 'Forbidden');
      return null;
    }
    return { name: found.name, owner: found.owner, domain: found.domain };
  }
}
