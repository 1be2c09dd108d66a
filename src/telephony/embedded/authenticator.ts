/**
 * Digest authentication of requests from SIP accounts (RFC 3261 §22):
 * REGISTER is challenged with 401/WWW-Authenticate, calls with
 * 407/Proxy-Authenticate. Challenges offer the configured algorithms in
 * order (RFC 8760; SIP_DIGEST_ALGORITHMS): MD5 alone by default, because
 * deployed phones (baresip 1.0 among them) fail on a challenge whose
 * algorithm they lack instead of skipping it. Answers with either
 * algorithm are verified whatever was offered.
 * Addresses that keep failing are refused outright for a while.
 */
import type { AccountCredentials, AccountRef, AuthGuard } from '../adapter.js';
import {
  challenge,
  NonceService,
  parseDigestCredentials,
  verifyDigest,
  type DigestAlgorithm,
} from './sip/digest.js';
import { randomToken } from './sip/stack.js';
import type { ServerTransaction } from './sip/transaction.js';
import { parseNameAddr, parseUri } from './sip/uri.js';

export interface AuthenticatorOptions {
  domains: readonly string[];
  nonceSecret: Buffer;
  nonceTtlMs: number;
  algorithms: readonly DigestAlgorithm[];
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
  private realmOf(tx: ServerTransaction): string {
    const req = tx.request;
    const candidates = [
      parseUri(req.uri)?.host,
      parseUri(parseNameAddr(req.get('from') ?? '')?.uri ?? '')?.host,
    ];
    for (const c of candidates) if (c && this.opts.domains.includes(c)) return c;
    return this.opts.domains[0] ?? 'callplane';
  }

  private challengeResponse(tx: ServerTransaction, proxy: boolean, stale: boolean): void {
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
  async authenticate(tx: ServerTransaction, proxy: boolean): Promise<AccountRef | null> {
    const ip = tx.peer.address;
    const req = tx.request;
    const value = req.get(proxy ? 'proxy-authorization' : 'authorization');
    const creds = value ? parseDigestCredentials(value) : null;
    if (await this.guard.blocked(ip, creds?.username ?? null)) {
      tx.respond(403, 'Forbidden (too many failed attempts)');
      return null;
    }
    if (!value) {
      this.challengeResponse(tx, proxy, false);
      return null;
    }
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
    const account = await this.accounts.credentials(creds.username);
    const ok =
      account !== null &&
      creds.realm === account.domain &&
      verifyDigest({
        method: req.method,
        credentials: creds,
        ha1: creds.algorithm === 'SHA-256' ? account.ha1.sha256 : account.ha1.md5,
        body: req.body.toString(),
      });
    if (!ok || !account) {
      await this.guard.failure(ip, creds.username);
      tx.respond(403, 'Forbidden');
      return null;
    }
    await this.guard.success(ip, account.name);
    return { name: account.name, owner: account.owner, domain: account.domain };
  }
}
