/**
 * The registrar (RFC 3261 §10.3): authenticated REGISTER requests add,
 * refresh and remove bindings of a SIP account in the Redis location store,
 * several contacts per account. The answer lists the current bindings.
 * A contact with push parameters (RFC 8599 pn-provider, pn-prid, pn-param)
 * is kept for push wake-up too, and the answer says which push services
 * are served (`Feature-Caps: *;+sip.pns="apns"`); a pn-provider this
 * platform cannot push binds as an ordinary contact without that.
 */
import { RegistrationOrderError } from '../../errors/sip.js';
import { featureCaps, pnParams } from '../../domain/push/pn-params.js';
import type { Logger } from '../adapter.js';
import type { DeviceWake, LocationBinding, LocationStore } from '../environment.js';
import type { Authenticator } from './authenticator.js';
import type { SipExchange } from './sip/transaction.js';
import { originOf, parsePath, supports, type ProxyEntry } from './sip/path.js';
import { parseNameAddr, parseUri } from './sip/uri.js';

export interface RegistrarOptions {
  /** Shortest registration accepted (423 below, RFC 3261 §10.3 step 7). */
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
  /** Edge proxies (SIP_PROXY): a binding's source is the phone below them. */
  proxies?: readonly ProxyEntry[];
  /** Push wake-up (RFC 8599); null: pn parameters are not looked at. */
  wake?: DeviceWake | null;
}

export class Registrar {
  constructor(
    private readonly auth: Authenticator,
    private readonly store: LocationStore,
    private readonly opts: RegistrarOptions,
    private readonly log: Logger | null = null,
  ) {}

  async handle(tx: SipExchange): Promise<void> {
    const req = tx.request;
    // RFC 3327 §5.3: a Path is used (and returned) only when the UA said it supports it.
    const pathValues = supports(req, 'path') ? req.getAll('path') : [];
    const path = parsePath(pathValues);
    if (!path) {
      tx.respond(400, 'Bad Request (bad Path)');
      return;
    }
    const account = await this.auth.authenticate(tx, false);
    if (!account) return;
    // §10.3 step 5: the address-of-record must be the authenticated account.
    const toUser = parseUri(parseNameAddr(req.get('to') ?? '')?.uri ?? '')?.user;
    if (toUser !== account.name) {
      tx.respond(403, 'Forbidden (To is not your account)');
      return;
    }
    const headerExpires = req.get('expires');
    const contacts = req.getAll('contact');
    const order = { callId: req.callId, cseq: req.cseq.seq };
    const origin = originOf(req, tx.peer, this.opts.proxies ?? []);
    const source = `${origin.address}:${origin.port}`;
    const pushed: string[] = [];
    // The bindings after the last bind, as the store answered it (null: read them at the end).
    let current: LocationBinding[] | null = null;
    try {
      if (contacts.length === 1 && contacts[0]?.trim() === '*') {
        if (headerExpires?.trim() !== '0') {
          tx.respond(400, 'Bad Request (Contact: * needs Expires: 0)');
          return;
        }
        await this.store.unbindAll(account, order);
        this.log?.info({ account: account.name, source, callId: req.callId }, 'unregistered (all contacts)');
      } else {
        for (const c of contacts) {
          const na = parseNameAddr(c);
          if (!na || na.uri === '*') {
            tx.respond(400, 'Bad Request (bad Contact)');
            return;
          }
          const raw = na.params.get('expires') ?? headerExpires;
          let expires =
            raw !== undefined && /^[0-9]{1,10}$/.test(raw.trim()) ? Number(raw) : this.opts.defaultExpires;
          if (expires > 0 && expires < this.opts.minExpires) {
            tx.respond(423, 'Interval Too Brief', {
              headers: { 'min-expires': String(this.opts.minExpires) },
            });
            return;
          }
          expires = Math.min(expires, this.opts.maxExpires);
          const ua = req.get('user-agent');
          this.log?.info(
            { account: account.name, contact: na.uri, source, expires, userAgent: ua, callId: req.callId },
            expires === 0 ? 'unregistered' : 'registered',
          );
          if (expires === 0) {
            await this.store.unbind(account, na.uri, order);
            current = null;
          } else
            current = await this.store.bind(account, {
              contact: na.uri,
              source,
              transport: origin.transport,
              expires,
              callId: req.callId,
              cseq: req.cseq.seq,
              ...(ua !== undefined ? { userAgent: ua } : {}),
              ...(path.length > 0 ? { path } : {}),
            });
          const wake = this.opts.wake;
          const pn =
            wake && /pn-provider/i.test(na.uri)
              ? pnParams(parseUri(na.uri)?.params ?? new Map<string, string>())
              : null;
          if (wake && pn?.kind === 'push' && wake.supports(pn.push.provider)) {
            await wake.registered(account, na.uri, pn.push, expires);
            if (expires > 0) pushed.push(pn.push.provider);
          } else if (
            pn?.kind === 'unsupported' ||
            (pn?.kind === 'push' && !wake?.supports(pn.push.provider))
          ) {
            this.log?.info(
              {
                account: account.name,
                contact: na.uri,
                provider: pn.kind === 'push' ? pn.push.provider : pn.provider,
              },
              `no push wake-up for this contact: ${pn.kind === 'push' ? 'pn-provider not configured' : pn.reason}`,
            );
          }
        }
      }
    } catch (err) {
      if (err instanceof RegistrationOrderError) {
        tx.respond(500, 'Server Internal Error (out-of-order REGISTER)');
        return;
      }
      throw err;
    }
    const now = Date.now();
    current ??= await this.store.bindings(account.name);
    const caps = featureCaps(pushed);
    tx.respond(200, 'OK', {
      toTag: 'reg',
      headers: {
        contact: current.map(
          (b) => `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`,
        ),
        date: new Date(now).toUTCString(),
        ...(path.length > 0 ? { path: pathValues, supported: 'path' } : {}),
        ...(caps ? { 'feature-caps': caps } : {}),
      },
    });
  }
}
