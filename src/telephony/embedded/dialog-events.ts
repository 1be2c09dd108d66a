/**
 * What phones SUBSCRIBE to (RFC 6665), for both SIP adapters:
 *
 * - the dialog event package (RFC 4235) of numbers their account watches,
 *   the busy lamp field of spec 3.21 blf: a NOTIFY with the number's calls
 *   whenever one rings, is answered or ends;
 * - the message-summary package (RFC 3842) of their own mailbox, the message
 *   lamp of spec 13.1.2: a NOTIFY with the owner's new and old voice messages
 *   at once and whenever they change.
 *
 * Subscriptions live on the node that accepted them, like the phone's flow;
 * what they watch comes from every node (telephony/node.ts passes the
 * updates of the others on). `PresenceState` holds what is watched and who
 * watches it; each adapter only speaks SIP around it.
 */
import type { AccountRef, DialogInfo, MailboxState, PresencePort } from '../adapter.js';
import type { WatcherDirectory } from '../environment.js';
import { MESSAGE_SUMMARY_TYPE, messageSummaryBody } from '../../domain/mwi/message-summary.js';
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

export type EventPackage = 'dialog' | 'message-summary';

/** The Allow-Events of a 489 (RFC 6665 §8.2.2). */
export const ALLOW_EVENTS = 'dialog, message-summary';

/** The package an `Event` header names, null when it is not one served here. */
export function eventPackageOf(event: string | undefined): EventPackage | null {
  const name = (event ?? '').split(';')[0]?.trim().toLowerCase();
  return name === 'dialog' || name === 'message-summary' ? name : null;
}

/**
 * What one subscription watches: a number's calls (key: the number), or the
 * mailbox of the account's owner (key: the owner; uri: the account, the
 * `Message-Account` of the summary).
 */
export interface WatchedResource {
  pkg: EventPackage;
  key: string;
  uri: string;
}

/**
 * What `account`'s SUBSCRIBE to `requestUri` watches, or null when the
 * account may not: BLF only of the numbers the account watches (spec 3.21
 * blf); message summary only of its own owner's voice messages, whatever
 * the request URI names (phones use their own AOR or a voicemail number).
 */
export async function watchedResource(
  pkg: EventPackage,
  account: AccountRef,
  requestUri: string,
  watchers: WatcherDirectory,
  domain: string,
): Promise<WatchedResource | null> {
  if (pkg === 'message-summary') {
    return { pkg, key: account.owner, uri: `sip:${account.name}@${account.domain || domain}` };
  }
  const user = parseUri(requestUri)?.user ?? '';
  const number = user.startsWith('+') ? user : `+${user}`;
  if (!(await watchers.watchersOf(number)).includes(account.name)) return null;
  return { pkg, key: number, uri: `sip:${number}@${domain}` };
}

/** The 403 reason of a refused SUBSCRIBE. */
export const FORBIDDEN_SUBSCRIPTION = 'Forbidden (not a BLF subscription of this account)';

export interface WatchedSubscription {
  readonly resource: WatchedResource;
  /** The dialog-info version of its next NOTIFY (RFC 4235 §4.1). */
  version: number;
}

export interface NotifyBody {
  event: EventPackage;
  contentType: string;
  content: string;
}

const NO_MESSAGES: MailboxState = { newMessages: 0, oldMessages: 0 };

/**
 * The calls of watched numbers, the mailboxes of subscribed owners and the
 * subscriptions to each (one node's). Updates of resources nobody here
 * watches cost a map lookup.
 */
export class PresenceState<S extends WatchedSubscription> {
  private readonly subs = new Map<string, Set<S>>();
  /** The calls of each number, by Call-ID (what a new subscriber is told first). */
  private readonly calls = new Map<string, Map<string, DialogInfo>>();
  private readonly mailboxes = new Map<string, MailboxState>();

  private static id(r: WatchedResource): string {
    return `${r.pkg}\n${r.key}`;
  }

  add(sub: S, mailbox?: MailboxState): void {
    const id = PresenceState.id(sub.resource);
    let set = this.subs.get(id);
    if (!set) this.subs.set(id, (set = new Set()));
    set.add(sub);
    if (mailbox) this.mailboxes.set(sub.resource.key, mailbox);
  }

  has(sub: S): boolean {
    return this.subs.get(PresenceState.id(sub.resource))?.has(sub) ?? false;
  }

  /** False when it was not here (ended already). */
  delete(sub: S): boolean {
    const id = PresenceState.id(sub.resource);
    const set = this.subs.get(id);
    if (!set?.delete(sub)) return false;
    if (set.size === 0) {
      this.subs.delete(id);
      if (sub.resource.pkg === 'message-summary') this.mailboxes.delete(sub.resource.key);
    }
    return true;
  }

  /** A mailbox read again (a refresh): kept while anybody here watches it. */
  setMailbox(owner: string, state: MailboxState): void {
    if (this.subs.has(`message-summary\n${owner}`)) this.mailboxes.set(owner, state);
  }

  /** The body of `sub`'s next NOTIFY: the current state of what it watches. */
  body(sub: S): NotifyBody {
    const r = sub.resource;
    if (r.pkg === 'message-summary') {
      return {
        event: r.pkg,
        contentType: MESSAGE_SUMMARY_TYPE,
        content: messageSummaryBody(this.mailboxes.get(r.key) ?? NO_MESSAGES, r.uri),
      };
    }
    const dialogs = [...(this.calls.get(r.key)?.values() ?? [])];
    return {
      event: r.pkg,
      contentType: 'application/dialog-info+xml',
      content: dialogInfoXml(r.uri, sub.version++, dialogs),
    };
  }

  /** A call of `number` changed: `notify` is called for each watcher (with the ended call still listed). */
  update(number: string, info: DialogInfo, notify: (sub: S) => void): void {
    let calls = this.calls.get(number);
    if (!calls) this.calls.set(number, (calls = new Map<string, DialogInfo>()));
    calls.set(info.callId, info);
    for (const sub of this.subs.get(`dialog\n${number}`) ?? []) notify(sub);
    if (info.state === 'terminated') {
      calls.delete(info.callId);
      if (calls.size === 0) this.calls.delete(number);
    }
  }

  mailbox(owner: string, state: MailboxState, notify: (sub: S) => void): void {
    const subs = this.subs.get(`message-summary\n${owner}`);
    if (!subs) return;
    this.mailboxes.set(owner, state);
    for (const sub of subs) notify(sub);
  }

  get size(): number {
    let n = 0;
    for (const s of this.subs.values()) n += s.size;
    return n;
  }

  all(): S[] {
    return [...this.subs.values()].flatMap((s) => [...s]);
  }

  clear(): void {
    this.subs.clear();
    this.mailboxes.clear();
  }
}

class Subscription implements DialogLeg, WatchedSubscription {
  version = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly resource: WatchedResource,
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
    const expires = subscriptionExpires(tx.request.get('expires'));
    tx.respond(200, 'OK', { headers: { expires: String(expires) } });
    if (expires === 0) this.server.end(this, 'timeout');
    else {
      this.arm(expires);
      this.server.refreshed(this, expires);
    }
  }

  acked(): void {}
}

export class DialogEventServer implements PresencePort {
  private readonly state = new PresenceState<Subscription>();

  constructor(
    private readonly ctx: LegContext,
    private readonly auth: Authenticator,
    private readonly watchers: WatcherDirectory,
    private readonly mailboxes: { summary(owner: string): Promise<MailboxState> },
  ) {}

  /** An out-of-dialog SUBSCRIBE. */
  async subscribe(tx: ServerTransaction): Promise<void> {
    const req = tx.request;
    const pkg = eventPackageOf(req.get('event'));
    if (!pkg) {
      tx.respond(489, 'Bad Event', { headers: { 'allow-events': ALLOW_EVENTS } });
      return;
    }
    const account = await this.auth.authenticate(tx, false);
    if (!account) return;
    const resource = await watchedResource(pkg, account, req.uri, this.watchers, this.ctx.domain);
    if (!resource) {
      tx.respond(403, FORBIDDEN_SUBSCRIPTION);
      return;
    }
    // The lamp's state before the answer: the first NOTIFY carries it (RFC 6665 §4.2.1.2).
    const mailbox = pkg === 'message-summary' ? await this.mailboxes.summary(resource.key) : undefined;
    const expires = subscriptionExpires(req.get('expires'));
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
    const sub = new Subscription(resource, dialog, this);
    this.state.add(sub, mailbox);
    if (expires === 0) {
      // A fetch (RFC 6665 §4.4.3): one NOTIFY with the state, then done.
      this.notify(sub, 'terminated;reason=timeout');
      this.state.delete(sub);
      return;
    }
    this.ctx.addDialog(dialog, sub);
    sub.arm(expires);
    this.notify(sub, `active;expires=${expires}`);
  }

  /** A refresh: the state again, the mailbox read anew (an update may have been lost). */
  refreshed(sub: Subscription, expires: number): void {
    const state = `active;expires=${expires}`;
    if (sub.resource.pkg !== 'message-summary') {
      this.notify(sub, state);
      return;
    }
    this.mailboxes.summary(sub.resource.key).then(
      (m) => {
        this.state.setMailbox(sub.resource.key, m);
        this.notify(sub, state);
      },
      () => this.notify(sub, state),
    );
  }

  end(sub: Subscription, reason: string): void {
    sub.clear();
    this.ctx.removeDialog(sub.dialog);
    // The final NOTIFY still carries the state, before the mailbox is forgotten.
    this.notify(sub, `terminated;reason=${reason}`);
    this.state.delete(sub);
  }

  notify(sub: Subscription, state: string): void {
    const body = this.state.body(sub);
    const n = sub.dialog.request('NOTIFY');
    n.set('event', body.event);
    n.set('subscription-state', state);
    n.set('contact', this.ctx.stack.contact(null, sub.dialog.peer));
    n.setBody(body.contentType, body.content);
    this.ctx.stack.request(n, sub.dialog.peer, { onResponse: () => undefined, onTimeout: () => undefined });
  }

  update(number: string, info: DialogInfo): void {
    this.state.update(number, info, (sub) => this.notify(sub, 'active'));
  }

  mailbox(owner: string, state: MailboxState): void {
    this.state.mailbox(owner, state, (sub) => this.notify(sub, 'active'));
  }

  get subscriptions(): number {
    return this.state.size;
  }

  close(): void {
    for (const s of this.state.all()) s.clear();
    this.state.clear();
  }
}
