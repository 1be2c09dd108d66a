/**
 * Busy lamp field (spec 3.21 blf): phones SUBSCRIBE to the dialog event
 * package (RFC 6665, RFC 4235) of numbers their account watches and get a
 * NOTIFY with the number's calls whenever one rings, is answered or ends.
 * Subscriptions live on the node that accepted them, like the phone's flow.
 */
import type { DialogInfo, PresencePort, WatcherDirectory } from '../adapter.js';
import type { Authenticator } from './authenticator.js';
import type { DialogLeg, LegContext } from './leg-context.js';
import { contactUri, Dialog, tagOf, withoutTag } from './sip/dialog.js';
import { dialogInfoXml } from './sip/dialog-info.js';
import { randomToken } from './sip/stack.js';
import type { ServerTransaction } from './sip/transaction.js';
import { parseUri } from './sip/uri.js';

const MAX_EXPIRES = 3600;
const DEFAULT_EXPIRES = 600;

/** A SUBSCRIBE's Expires as granted: its value up to an hour, 10 minutes when it gives none. */
export function subscriptionExpires(raw: string | undefined): number {
  const n = raw !== undefined && /^[0-9]{1,10}$/.test(raw.trim()) ? Number(raw) : DEFAULT_EXPIRES;
  return Math.min(n, MAX_EXPIRES);
}

class Subscription implements DialogLeg {
  version = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly number: string,
    readonly dialog: Dialog,
    private readonly server: DialogEventServer,
  ) {}

  arm(seconds: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.server.end(this, 'timeout'), seconds * 1000);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  inDialog(tx: ServerTransaction): void {
    if (tx.request.method !== 'SUBSCRIBE') {
      tx.respond(200, 'OK');
      return;
    }
    const expires = this.server.expiresOf(tx);
    tx.respond(200, 'OK', { headers: { expires: String(expires) } });
    if (expires === 0) this.server.end(this, 'timeout');
    else {
      this.arm(expires);
      this.server.notify(this, `active;expires=${expires}`);
    }
  }

  acked(): void {}
}

export class DialogEventServer implements PresencePort {
  private readonly byNumber = new Map<string, Set<Subscription>>();
  /** The calls of each watched number, by Call-ID. */
  private readonly calls = new Map<string, Map<string, DialogInfo>>();

  constructor(
    private readonly ctx: LegContext,
    private readonly auth: Authenticator,
    private readonly watchers: WatcherDirectory,
  ) {}

  expiresOf(tx: ServerTransaction): number {
    return subscriptionExpires(tx.request.get('expires'));
  }

  /** An out-of-dialog SUBSCRIBE. */
  async subscribe(tx: ServerTransaction): Promise<void> {
    const req = tx.request;
    if ((req.get('event') ?? '').split(';')[0]?.trim().toLowerCase() !== 'dialog') {
      tx.respond(489, 'Bad Event', { headers: { 'allow-events': 'dialog' } });
      return;
    }
    const account = await this.auth.authenticate(tx, false);
    if (!account) return;
    const user = parseUri(req.uri)?.user ?? '';
    const number = user.startsWith('+') ? user : `+${user}`;
    if (!(await this.watchers.watchersOf(number)).includes(account.name)) {
      tx.respond(403, 'Forbidden (not a BLF subscription of this account)');
      return;
    }
    const expires = this.expiresOf(tx);
    const localTag = randomToken(6);
    tx.respond(200, 'OK', {
      toTag: localTag,
      headers: { expires: String(expires), contact: this.ctx.stack.contact(null, tx.peer) },
    });
    const dialog = new Dialog(
      req.callId,
      localTag,
      tagOf(req.get('from')) ?? '',
      withoutTag(req.get('to') ?? ''),
      withoutTag(req.get('from') ?? ''),
      contactUri(req.get('contact')) ?? req.uri,
      req.getAll('record-route'),
      tx.peer,
      0,
    );
    const sub = new Subscription(number, dialog, this);
    if (expires === 0) {
      // A fetch (RFC 6665 §4.4.3): one NOTIFY with the state, then done.
      this.notify(sub, 'terminated;reason=timeout');
      return;
    }
    this.ctx.addDialog(dialog, sub);
    let set = this.byNumber.get(number);
    if (!set) this.byNumber.set(number, (set = new Set<Subscription>()));
    set.add(sub);
    sub.arm(expires);
    this.notify(sub, `active;expires=${expires}`);
  }

  end(sub: Subscription, reason: string): void {
    sub.clear();
    this.byNumber.get(sub.number)?.delete(sub);
    this.ctx.removeDialog(sub.dialog);
    this.notify(sub, `terminated;reason=${reason}`);
  }

  notify(sub: Subscription, state: string): void {
    const n = sub.dialog.request('NOTIFY');
    n.set('event', 'dialog');
    n.set('subscription-state', state);
    n.set('contact', this.ctx.stack.contact(null, sub.dialog.peer));
    const dialogs = [...(this.calls.get(sub.number)?.values() ?? [])];
    n.setBody(
      'application/dialog-info+xml',
      dialogInfoXml(`sip:${sub.number}@${this.ctx.domain}`, sub.version++, dialogs),
    );
    this.ctx.stack.request(n, sub.dialog.peer, { onResponse: () => undefined, onTimeout: () => undefined });
  }

  update(number: string, info: DialogInfo): void {
    let calls = this.calls.get(number);
    if (!calls) this.calls.set(number, (calls = new Map<string, DialogInfo>()));
    calls.set(info.callId, info);
    for (const sub of this.byNumber.get(number) ?? []) this.notify(sub, 'active');
    if (info.state === 'terminated') {
      calls.delete(info.callId);
      if (calls.size === 0) this.calls.delete(number);
    }
  }

  get subscriptions(): number {
    let n = 0;
    for (const s of this.byNumber.values()) n += s.size;
    return n;
  }

  close(): void {
    for (const set of this.byNumber.values()) for (const s of set) s.clear();
    this.byNumber.clear();
  }
}
