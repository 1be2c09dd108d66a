/**
 * Signalling of the drachtio + FreeSWITCH adapter: drachtio-server holds
 * the SIP dialogs, this node is its application. INVITEs from a carrier
 * trunk, from another telephony node (with its pass) or digest-authenticated
 * from an account become inbound legs; REGISTER goes to the same registrar,
 * SUBSCRIBE to the same dialog event package and the same auth guard as the
 * embedded engine's; legs go out to the trunk, to other nodes and to every
 * registered device of an account.
 */
import type Srf from 'drachtio-srf';
import { formatQ850Reason } from '../../domain/cdr/q850.js';
import { newId } from '../../lib/ids.js';
import { makeNodeToken } from '../../lib/node-token.js';
import type {
  DeviceBinding,
  DialogInfo,
  InboundLeg,
  LegSnapshot,
  Logger,
  MailboxState,
  NotifyPort,
  NotifyRequest,
  OriginateRequest,
  OutboundLeg,
  PresencePort,
  SignalingPort,
} from '../adapter.js';
import type { DeviceWake, LocationStore, MailboxDirectory, WatcherDirectory } from '../environment.js';
import { CAUSE, type EndCause } from '../causes.js';
import { AccountLeg, ringAccount } from '../embedded/account-leg.js';
import type { Authenticator } from '../embedded/authenticator.js';
import type { Registrar } from '../embedded/registrar.js';
import { isTrunk, nodeJoinOf, peerOf, type TrunkEntry } from '../embedded/signaling.js';
import {
  ALLOW_EVENTS,
  eventPackageOf,
  FORBIDDEN_SUBSCRIPTION,
  PresenceState,
  subscriptionExpires,
  watchedResource,
  type WatchedSubscription,
} from '../embedded/dialog-events.js';
import { tagOf } from '../embedded/sip/message.js';
import { callerHeaders, callerOf } from '../embedded/sip/parties.js';
import { firstHop, originOf, type ProxyEntry } from '../embedded/sip/path.js';
import { parseReplaces } from '../embedded/sip/replaces.js';
import { parseSdp } from '../embedded/sip/sdp.js';
import { parseUri } from '../embedded/sip/uri.js';
import { DrachtioExchange } from './exchange.js';
import {
  FsInboundLeg,
  FsOutboundLeg,
  stackDialogId,
  type FsLeg,
  type FsLegContext,
  type FsRoute,
} from './legs.js';

export interface FsSignalingOptions {
  ctx: FsLegContext;
  registrar: Registrar;
  auth: Authenticator;
  location: LocationStore;
  /** Push wake-up of mobile softphones (RFC 8599); null: none. */
  wake?: DeviceWake | null;
  watchers: WatcherDirectory;
  mailboxes: MailboxDirectory;
  trunks: TrunkEntry[];
  proxies: readonly ProxyEntry[];
  domain: string;
  nodeTokenKey: Buffer | null;
  log: Logger;
}

/** What another process needs to end a leg: drachtio's dialog id (drachtio-server keeps the dialog). */
export interface FsLegSnapshot {
  adapter: 'freeswitch';
  dialog: string;
  /** The FreeSWITCH channel of the leg. */
  channel: string | null;
}

/** Srf#request as drachtio-srf 5 takes it (its bundled types get the arguments wrong). */
type SrfRequestFn = (
  uriOrOpts: string | Record<string, unknown>,
  opts?: Record<string, unknown>,
) => Promise<Srf.SrfRequest>;

interface Subscription extends WatchedSubscription {
  dialog: Promise<Srf.Dialog>;
  timer: NodeJS.Timeout | null;
  /** NOTIFYs go one after the other (their CSeq and version order). */
  queue: Promise<void>;
}

export class FsSignaling implements SignalingPort, NotifyPort, PresencePort {
  private inbound: (leg: InboundLeg) => void = (leg) => leg.reject(CAUSE.congestion);
  private readonly presence = new PresenceState<Subscription>();

  constructor(private readonly o: FsSignalingOptions) {}

  private get srf(): Srf {
    return this.o.ctx.srf;
  }

  private request(
    uriOrOpts: string | Record<string, unknown>,
    opts?: Record<string, unknown>,
  ): Promise<Srf.SrfRequest> {
    const srf = this.srf as unknown as { request: SrfRequestFn };
    return opts ? srf.request(uriOrOpts, opts) : srf.request(uriOrOpts);
  }

  private async register(req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
    const x = DrachtioExchange.of(req, res);
    if (!x) res.send(400);
    else await this.o.registrar.handle(x);
  }

  /** Takes drachtio's requests: INVITE, REGISTER, SUBSCRIBE, OPTIONS. */
  listen(): void {
    const guard = (what: string, res: Srf.SrfResponse) => (err: unknown) => {
      this.o.log.error({ err }, `${what} failed`);
      if (!res.finalResponseSent) res.send(500);
    };
    this.srf.invite((req, res) => void this.invite(req, res).catch(guard('INVITE', res)));
    this.srf.use('register', (req, res) => void this.register(req, res).catch(guard('REGISTER', res)));
    this.srf.use('subscribe', (req, res) => void this.subscribe(req, res).catch(guard('SUBSCRIBE', res)));
    this.srf.use('options', (_req, res) => res.send(200));
  }

  onInbound(handler: (leg: InboundLeg) => void): void {
    this.inbound = handler;
  }

  // ------------------------------------------------------------- calls in --

  private async invite(req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
    const x = DrachtioExchange.of(req, res);
    if (!x) {
      res.send(400);
      return;
    }
    const sip = x.request;
    const join = nodeJoinOf(x, this.o.nodeTokenKey, this.o.log);
    if (join === null) return;
    const origin = originOf(sip, x.peer, this.o.proxies);
    const fromTrunk = join === undefined && isTrunk(this.o.trunks, origin);
    const account = fromTrunk || join ? null : await this.o.auth.authenticate(x, true);
    if (!fromTrunk && !join && !account) return;
    if (req.body) {
      const offer = parseSdp(req.body);
      if (!offer) {
        x.respond(400, 'Bad Request (malformed SDP)');
        return;
      }
      if (!offer.audio) {
        x.respond(488, 'Not Acceptable Here');
        return;
      }
    }
    const replaces = sip.get('replaces');
    const leg = new FsInboundLeg(
      newId(),
      this.o.ctx,
      req,
      res,
      {
        origin: join ? 'node' : fromTrunk ? 'trunk' : 'account',
        account,
        caller: callerOf(sip, account),
        called: parseUri(sip.uri)?.user ?? '',
        replaces: replaces !== undefined ? parseReplaces(replaces) : null,
        source: `${origin.address}:${origin.port}`,
        ...(join ? { join } : {}),
      },
      { callId: sip.callId, localTag: '', remoteTag: tagOf(sip.get('from')) ?? '' },
    );
    this.o.ctx.track(leg);
    req.on('cancel', () => leg.cancelled());
    try {
      this.inbound(leg);
    } catch (err) {
      this.o.log.error({ err }, 'inbound call handler failed');
      leg.hangup(CAUSE.failure);
    }
  }

  // ------------------------------------------------------------ calls out --

  private callerOf(req: OriginateRequest): Record<string, string> {
    const { from, more } = callerHeaders(req, this.o.domain);
    return { From: from, ...more };
  }

  private startLeg(
    req: OriginateRequest,
    route: Omit<FsRoute, 'headers'> & { headers?: Record<string, string> },
  ): FsOutboundLeg {
    const leg = new FsOutboundLeg(this.o.ctx, req, {
      ...route,
      headers: { ...this.callerOf(req), To: `<${route.uri}>`, ...(route.headers ?? {}) },
    });
    this.o.ctx.track(leg);
    void leg.start();
    return leg;
  }

  private failed(req: OriginateRequest, cause: EndCause): OutboundLeg {
    const leg = new FsOutboundLeg(this.o.ctx, req, { uri: 'sip:invalid@invalid', headers: {} });
    queueMicrotask(() => leg.hangup(cause));
    return leg;
  }

  originate(req: OriginateRequest): OutboundLeg {
    const t = req.target;
    if (t.kind === 'account') {
      const leg = new AccountLeg<FsOutboundLeg>(req.call, t);
      ringAccount(leg, req, {
        location: this.o.location,
        wake: this.o.wake ?? null,
        log: this.o.log,
        branch: (b) => {
          const route = routeTo(b);
          return route ? this.startLeg(req, route) : null;
        },
      });
      return leg;
    }
    if (t.kind === 'node') {
      const uri = parseUri(t.uri);
      if (!uri || uri.scheme === 'tel' || !this.o.nodeTokenKey) return this.failed(req, CAUSE.unavailable);
      const token = makeNodeToken(this.o.nodeTokenKey, t.join, Date.now());
      return this.startLeg(req, {
        uri: `sip:conference@${uri.host}:${uri.port ?? 5060}`,
        headers: { 'X-Callplane-Join': token },
      });
    }
    const trunk = this.o.trunks[0];
    if (!trunk) return this.failed(req, CAUSE.congestion);
    return this.startLeg(req, { uri: `sip:${t.number}@${trunk.host}:${trunk.port ?? 5060}` });
  }

  // --------------------------------------------------------------- notify --

  async notify(
    binding: DeviceBinding,
    account: { name: string; domain: string },
    n: NotifyRequest,
  ): Promise<void> {
    const route = routeTo(binding);
    if (!route) throw new Error(`no address in ${binding.source}`);
    const aor = `<sip:${account.name}@${account.domain}>`;
    const headers: Record<string, string> = {
      From: aor,
      To: aor,
      Event: n.event,
      'Subscription-State': 'terminated',
      ...(route.headers ?? {}),
    };
    if (n.content !== '' || n.contentType !== '') headers['Content-Type'] = n.contentType || 'text/plain';
    // The callback form: the response can come in the same read as drachtio's "sent", before
    // a promise continuation could listen for it.
    const srf = this.srf as unknown as {
      request(
        uri: string,
        opts: Record<string, unknown>,
        cb: (err: Error | null, req?: Srf.SrfRequest) => void,
      ): void;
    };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`NOTIFY to ${binding.contact} timed out`)), 32_000);
      srf.request(
        route.uri,
        { method: 'NOTIFY', headers, body: n.content, ...(route.proxy ? { proxy: route.proxy } : {}) },
        (err, sent) => {
          if (err || !sent) {
            clearTimeout(timer);
            reject(err ?? new Error('NOTIFY not sent'));
            return;
          }
          sent.on('response', (res?: Srf.SrfResponse) => {
            if (res && res.status >= 200) {
              clearTimeout(timer);
              resolve();
            }
          });
        },
      );
    });
  }

  // ------------------------------------------------------------- presence --

  private async subscribe(req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
    const x = DrachtioExchange.of(req, res);
    if (!x) {
      res.send(400);
      return;
    }
    const pkg = eventPackageOf(x.request.get('event'));
    if (!pkg) {
      x.respond(489, 'Bad Event', { headers: { 'allow-events': ALLOW_EVENTS } });
      return;
    }
    const account = await this.o.auth.authenticate(x, false);
    if (!account) return;
    const resource = await watchedResource(pkg, account, x.request.uri, this.o.watchers, this.o.domain);
    if (!resource) {
      x.respond(403, FORBIDDEN_SUBSCRIPTION);
      return;
    }
    const mailbox = pkg === 'message-summary' ? await this.o.mailboxes.summary(resource.key) : undefined;
    const expires = subscriptionExpires(x.request.get('expires'));
    // Known before drachtio answers: an update right after the answer is told too, in order.
    const sub: Subscription = {
      resource,
      dialog: this.srf.createUAS(req, res, { localSdp: '', headers: { Expires: String(expires) } }),
      version: 0,
      timer: null,
      queue: Promise.resolve(),
    };
    this.presence.add(sub, mailbox);
    if (expires === 0) {
      this.send(sub, 'terminated;reason=timeout');
      this.presence.delete(sub);
      return;
    }
    const arm = (s: number) => {
      if (sub.timer) clearTimeout(sub.timer);
      sub.timer = setTimeout(() => this.endSub(sub, 'timeout'), s * 1000);
      sub.timer.unref();
    };
    arm(expires);
    this.send(sub, `active;expires=${expires}`);
    const dialog = await sub.dialog;
    dialog.on('unsubscribe' as 'destroy', () => this.endSub(sub, 'timeout'));
    dialog.on('subscribe' as 'modify', (r: Srf.SrfRequest, rs: Srf.SrfResponse) => {
      const e = subscriptionExpires(r.get('Expires'));
      rs.send(200, { headers: { Expires: String(e) } });
      if (e === 0) {
        this.endSub(sub, 'timeout');
        return;
      }
      arm(e);
      if (pkg !== 'message-summary') this.send(sub, `active;expires=${e}`);
      else {
        // A refresh reads the mailbox anew (an update may have been lost).
        const again = () => this.send(sub, `active;expires=${e}`);
        this.o.mailboxes.summary(resource.key).then((m) => {
          this.presence.setMailbox(resource.key, m);
          again();
        }, again);
      }
    });
  }

  private endSub(sub: Subscription, reason: string): void {
    if (sub.timer) clearTimeout(sub.timer);
    if (!this.presence.has(sub)) return;
    this.send(sub, `terminated;reason=${reason}`);
    this.presence.delete(sub);
  }

  private send(sub: Subscription, state: string): void {
    const body = this.presence.body(sub);
    sub.queue = sub.queue
      .then(async () => {
        const dialog = await sub.dialog;
        await dialog.request({
          method: 'NOTIFY',
          headers: {
            Event: body.event,
            'Subscription-State': state,
            'Content-Type': body.contentType,
          },
          body: body.content,
        } as unknown as Srf.SrfRequest);
      })
      .catch((err: unknown) => this.o.log.debug({ err }, `${body.event} NOTIFY failed`));
  }

  update(number: string, info: DialogInfo): void {
    this.presence.update(number, info, (sub) => this.send(sub, 'active'));
  }

  mailbox(owner: string, state: MailboxState): void {
    this.presence.mailbox(owner, state, (sub) => this.send(sub, 'active'));
  }

  // ------------------------------------------------------------- recovery --

  snapshot(leg: FsLeg): LegSnapshot | null {
    if (leg.state !== 'answered' || !leg.sipDialog) return null;
    const s: FsLegSnapshot = {
      adapter: 'freeswitch',
      dialog: stackDialogId(leg.sipDialog),
      channel: leg.ep?.uuid ?? null,
    };
    return { ...s };
  }

  /** A BYE in the dialog drachtio-server still holds for the dead process. */
  async terminate(snapshot: FsLegSnapshot, cause: EndCause): Promise<void> {
    try {
      // drachtio-server sends it in the dialog it names; the request URI is its placeholder.
      await this.request('sip:placeholder', {
        method: 'BYE',
        stackDialogId: snapshot.dialog,
        headers: { Reason: formatQ850Reason(cause.q850) },
      });
    } catch (err) {
      this.o.log.debug({ err, dialog: snapshot.dialog }, 'BYE of a dead process’s leg not sent');
    }
  }

  close(): void {
    for (const s of this.presence.all()) if (s.timer) clearTimeout(s.timer);
    this.presence.clear();
  }
}

/**
 * How to reach a registered device through drachtio: its contact as the
 * request URI, sent to its Path's first proxy (with the Path as Route) or
 * back over the address it registered from.
 */
export function routeTo(
  b: DeviceBinding,
): (Omit<FsRoute, 'headers'> & { headers?: Record<string, string> }) | null {
  const path = b.path && b.path.length > 0 ? b.path : null;
  const hop = path ? firstHop(path) : peerOf(b.source, b.transport);
  if (!hop) return null;
  return {
    uri: b.contact,
    proxy: `sip:${hop.address}:${hop.port};transport=${hop.transport}`,
    ...(path ? { headers: { Route: path.join(', ') } } : {}),
  };
}
