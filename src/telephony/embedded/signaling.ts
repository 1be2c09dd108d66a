/**
 * The embedded signalling adapter: the SIP stack's transaction user. It
 * serves REGISTER and SUBSCRIBE, takes INVITEs (from a carrier trunk, or
 * digest-authenticated from a SIP account) as new calls, originates legs to
 * the trunk and to accounts' registered devices, keeps every leg's dialog,
 * and sends out-of-dialog NOTIFYs. The legs of one call offer and answer
 * alike (preferredCodecs), so bridges relay RTP unchanged.
 */
import { newId } from '../../lib/ids.js';
import {
  type DeviceBinding,
  type InboundLeg,
  type Logger,
  type NotifyPort,
  type NodeJoin,
  type NotifyRequest,
  type OriginateRequest,
  type OriginateTarget,
  type OutboundLeg,
  type SignalingPort,
} from '../adapter.js';
import { type DeviceWake, type LocationStore } from '../environment.js';
import { CAUSE, reasonHeader, type EndCause } from '../causes.js';
import { makeNodeToken, verifyNodeToken } from '../../lib/node-token.js';
import { AccountLeg, ringAccount } from './account-leg.js';
import type { Authenticator } from './authenticator.js';
import type { DialogEventServer } from './dialog-events.js';
import { EmbeddedInboundLeg } from './inbound-leg.js';
import type { LegBase } from './leg-base.js';
import type { DialogLeg, LegContext } from './leg-context.js';
import { EmbeddedOutboundLeg, type OutboundRoute } from './outbound-leg.js';
import type { Registrar } from './registrar.js';
import type { RtpPortPool } from './rtp/port-pool.js';
import { contactUri, dialogFromSnapshot, dialogKey, type Dialog, type DialogSnapshot } from './sip/dialog.js';
import { SipRequest, tagOf, type SipResponse } from './sip/message.js';
import { firstHop, originOf, type ProxyEntry } from './sip/path.js';
import { callerOf } from './sip/parties.js';
import { parseReplaces } from './sip/replaces.js';
import { parseSdp, type SdpCodec } from './sip/sdp.js';
import { randomToken, type SipStack, type TransactionUser } from './sip/stack.js';
import type { ServerTransaction, SipExchange } from './sip/transaction.js';
import type { Peer } from './sip/transport.js';
import { parseUri } from './sip/uri.js';

export interface TrunkEntry {
  host: string;
  port: number | null;
}

export interface EmbeddedSignalingOptions {
  stack: SipStack;
  pool: RtpPortPool;
  registrar: Registrar;
  auth: Authenticator;
  location: LocationStore;
  /** Push wake-up of mobile softphones (RFC 8599); null: none. */
  wake?: DeviceWake | null;
  /** Carrier trunks (SIP_TRUNK), resolved to addresses; the first carries outbound calls. */
  trunks: TrunkEntry[];
  /** Edge proxies (SIP_PROXY): what they relay counts as from the sender below them. */
  proxies?: readonly ProxyEntry[];
  domain: string;
  mediaAddress: string;
  rtpTimeoutMs: number;
  /** Signs and checks the passes of calls between telephony nodes (from SECRET_KEY); null: none served. */
  nodeTokenKey: Buffer | null;
  log: Logger;
}

/** The header carrying a call's pass between telephony nodes (node-token.ts). */
export const NODE_JOIN_HEADER = 'x-callplane-join';

/** The methods the engine serves (RFC 3261 §20.5 Allow). */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, INFO';

export class EmbeddedSignaling implements SignalingPort, NotifyPort, TransactionUser {
  private readonly dialogs = new Map<string, DialogLeg>();
  /** INVITE server transactions awaiting an answer, for CANCEL. */
  private readonly pending = new Map<ServerTransaction, EmbeddedInboundLeg>();
  /** The legs of each call (by call uuid) while they last. */
  private readonly calls = new Map<string, Set<LegBase>>();
  private inbound: (leg: InboundLeg) => void = (leg) => leg.reject(CAUSE.congestion);
  readonly ctx: LegContext;
  /** The dialog event package server (BLF), set by the adapter. */
  presence: DialogEventServer | null = null;

  constructor(private readonly o: EmbeddedSignalingOptions) {
    this.ctx = {
      stack: o.stack,
      openRtp: () => o.pool.open(),
      mediaAddress: o.mediaAddress,
      rtpTimeoutMs: o.rtpTimeoutMs,
      domain: o.domain,
      addDialog: (d, leg) => this.dialogs.set(d.key, leg),
      removeDialog: (d: Dialog) => this.dialogs.delete(d.key),
      preferredCodecs: (leg) => this.preferredCodecs(leg),
    };
    o.stack.setUser(this);
  }

  get activeDialogs(): number {
    return this.dialogs.size;
  }

  /** Legs with an RTP endpoint or a transaction still open, by call. */
  get activeCalls(): number {
    return this.calls.size;
  }

  onInbound(handler: (leg: InboundLeg) => void): void {
    this.inbound = handler;
  }

  // ------------------------------------------------------ calls and legs --

  private track(leg: LegBase): void {
    let set = this.calls.get(leg.call);
    if (!set) this.calls.set(leg.call, (set = new Set<LegBase>()));
    set.add(leg);
    leg.once('ended', () => {
      set.delete(leg);
      if (set.size === 0 && this.calls.get(leg.call) === set) this.calls.delete(leg.call);
    });
  }

  private preferredCodecs(leg: LegBase): SdpCodec[] | undefined {
    const others = [...(this.calls.get(leg.call) ?? [])].filter((l) => l !== leg && l.state !== 'ended');
    const agreed = others.find((l) => l.rtp !== null && l.codecs !== null);
    if (agreed?.codecs) return agreed.codecs;
    // A caller still waiting for the answer: what it offered.
    return others.find((l) => l instanceof EmbeddedInboundLeg)?.mediaCodecs ?? undefined;
  }

  originate(req: OriginateRequest): OutboundLeg {
    const t = req.target;
    if (t.kind === 'account') {
      const leg = new AccountLeg<EmbeddedOutboundLeg>(req.call, t);
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
    if (t.kind === 'node') return this.originateNode(req, t);
    const trunk = this.o.trunks[0];
    if (!trunk) {
      const leg = new EmbeddedOutboundLeg(this.ctx, req, { uri: 'sip:invalid@invalid', peer: NO_PEER });
      queueMicrotask(() => leg.hangup(CAUSE.congestion));
      return leg;
    }
    const port = trunk.port ?? 5060;
    return this.startLeg(req, {
      uri: `sip:${t.number}@${trunk.host}:${port}`,
      peer: { transport: 'udp', address: trunk.host, port },
    });
  }

  /** A call to another telephony node, with the pass its adapter checks. */
  private originateNode(req: OriginateRequest, t: Extract<OriginateTarget, { kind: 'node' }>): OutboundLeg {
    const uri = parseUri(t.uri);
    const port = uri?.port ?? 5060;
    if (!uri || uri.scheme === 'tel' || !this.o.nodeTokenKey) {
      this.o.log.warn({ uri: t.uri }, 'no call to the node: bad address or no key');
      const leg = new EmbeddedOutboundLeg(this.ctx, req, { uri: 'sip:invalid@invalid', peer: NO_PEER });
      queueMicrotask(() => leg.hangup(CAUSE.unavailable));
      return leg;
    }
    const host = uri.host.replace(/^\[|\]$/g, '');
    const token = makeNodeToken(this.o.nodeTokenKey, t.join, Date.now());
    return this.startLeg(req, {
      uri: `sip:${'callreverse' in t.join ? 'callreverse' : 'conference'}@${uri.host}:${port}`,
      peer: { transport: 'udp', address: host, port },
      headers: { [NODE_JOIN_HEADER]: token },
    });
  }

  private startLeg(req: OriginateRequest, route: OutboundRoute): EmbeddedOutboundLeg {
    const leg = new EmbeddedOutboundLeg(this.ctx, req, route);
    this.track(leg);
    void leg.start();
    return leg;
  }

  /**
   * spec 3.21 .../notify: an out-of-dialog NOTIFY (e.g. `check-sync`) to a
   * registered device over the flow it registered from. Resolves with the
   * device's answer, rejects on a timeout.
   */
  notify(
    binding: DeviceBinding,
    account: { name: string; domain: string },
    req: NotifyRequest,
  ): Promise<void> {
    const route = routeTo(binding);
    if (!route) return Promise.reject(new Error(`no address in ${binding.source}`));
    const peer = route.peer;
    const aor = `<sip:${account.name}@${account.domain}>`;
    const n = new SipRequest('NOTIFY', binding.contact);
    n.set('from', `${aor};tag=${randomToken(6)}`);
    n.set('to', aor);
    n.set('call-id', `${randomToken(10)}@${this.o.stack.advertisedHost}`);
    n.set('cseq', '1 NOTIFY');
    for (const r of route.routes ?? []) n.add('route', r);
    n.set('event', req.event);
    n.set('subscription-state', 'terminated');
    n.set('contact', this.o.stack.contact(null, peer));
    if (req.content !== '' || req.contentType !== '') n.setBody(req.contentType || 'text/plain', req.content);
    return new Promise((resolve, reject) => {
      this.o.stack.request(n, peer, {
        onResponse: (res) => {
          if (res.status >= 200) resolve();
        },
        onTimeout: () => reject(new Error(`NOTIFY to ${binding.contact} timed out`)),
      });
    });
  }

  /** Ends the far end of a leg another process held (its dialog snapshot): BYE with the cause. */
  terminate(snapshot: DialogSnapshot, cause: EndCause): Promise<void> {
    const d = dialogFromSnapshot(snapshot);
    const bye = d.request('BYE');
    bye.set('reason', reasonHeader(cause));
    return new Promise((resolve) => {
      this.o.stack.request(bye, d.peer, {
        onResponse: (res) => {
          if (res.status >= 200) resolve();
        },
        onTimeout: () => resolve(),
      });
    });
  }

  // ---------------------------------------------------------- TransactionUser --

  onRequest(tx: ServerTransaction): void {
    const req = tx.request;
    const toTag = tagOf(req.get('to'));
    if (toTag) {
      const leg = this.dialogs.get(dialogKey(req.callId, toTag));
      if (leg) leg.inDialog(tx);
      else tx.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    switch (req.method) {
      case 'REGISTER':
        this.o.registrar.handle(tx).catch((err: unknown) => this.fail(tx, err));
        return;
      case 'INVITE':
        this.invite(tx).catch((err: unknown) => this.fail(tx, err));
        return;
      case 'SUBSCRIBE':
        if (this.presence) this.presence.subscribe(tx).catch((err: unknown) => this.fail(tx, err));
        else tx.respond(489, 'Bad Event');
        return;
      case 'OPTIONS':
        tx.respond(200, 'OK', { toTag: randomToken(6), headers: { allow: ALLOW } });
        return;
      case 'BYE':
        tx.respond(481, 'Call/Transaction Does Not Exist');
        return;
      default:
        tx.respond(405, 'Method Not Allowed', { toTag: randomToken(6), headers: { allow: ALLOW } });
    }
  }

  private fail(tx: ServerTransaction, err: unknown): void {
    this.o.log.error({ err }, 'sip request failed');
    tx.respond(500, 'Server Internal Error');
  }

  onAck(ack: SipRequest): void {
    const tag = tagOf(ack.get('to'));
    if (tag) this.dialogs.get(dialogKey(ack.callId, tag))?.acked(ack);
  }

  onCancel(invite: ServerTransaction): void {
    const leg = this.pending.get(invite);
    if (leg) leg.cancelled();
    else invite.respond(487, 'Request Terminated');
  }

  onStray2xx(res: SipResponse, peer: Peer): void {
    // A 2xx of a fork we gave up on: nothing to relay, so acknowledge and end it (§13.2.2.4).
    this.o.log.debug({ callId: res.callId }, 'stray 2xx');
    const target = contactUri(res.get('contact'));
    if (!target) return;
    const seq = res.cseq.seq;
    for (const [method, cseq] of [
      ['ACK', seq],
      ['BYE', seq + 1],
    ] as const) {
      const req = new SipRequest(method, target);
      req.set('via', this.o.stack.via(peer));
      req.set('from', res.get('from') ?? '');
      req.set('to', res.get('to') ?? '');
      req.set('call-id', res.callId);
      req.set('cseq', `${cseq} ${method}`);
      req.set('max-forwards', '70');
      if (method === 'ACK') this.o.stack.sendRaw(req, peer);
      else this.o.stack.request(req, peer, { onResponse: () => undefined, onTimeout: () => undefined });
    }
  }

  private async invite(tx: ServerTransaction): Promise<void> {
    const req = tx.request;
    const join = nodeJoinOf(tx, this.o.nodeTokenKey, this.o.log);
    if (join === null) return;
    const fromNode = join !== undefined;
    // The sender once per request: the trunk check and the leg's source both want it.
    const origin = originOf(req, tx.peer, this.o.proxies ?? []);
    const fromTrunk = !fromNode && isTrunk(this.o.trunks, origin);
    const account = fromTrunk || fromNode ? null : await this.o.auth.authenticate(tx, true);
    if (!fromTrunk && !fromNode && !account) return;
    let offer = null;
    if (req.body.length > 0) {
      offer = parseSdp(req.body.toString());
      if (!offer) {
        tx.respond(400, 'Bad Request (malformed SDP)');
        return;
      }
      if (!offer.audio) {
        tx.respond(488, 'Not Acceptable Here');
        return;
      }
    }
    const called = parseUri(req.uri)?.user ?? '';
    const replacesHeader = req.get('replaces');
    const leg = new EmbeddedInboundLeg(
      this.ctx,
      tx,
      newId(),
      {
        origin: fromNode ? 'node' : fromTrunk ? 'trunk' : 'account',
        account,
        caller: callerOf(req, account),
        called,
        replaces: replacesHeader !== undefined ? parseReplaces(replacesHeader) : null,
        source: sourceOf(origin),
        ...(join ? { join } : {}),
      },
      offer,
    );
    this.track(leg);
    this.pending.set(tx, leg);
    leg.on('ended', () => this.pending.delete(tx));
    leg.on('answered', () => this.pending.delete(tx));
    if (tx.cancelled) {
      leg.cancelled();
      return;
    }
    try {
      this.inbound(leg);
    } catch (err) {
      this.o.log.error({ err }, 'inbound call handler failed');
      leg.hangup(CAUSE.failure);
    }
  }
}

/** Whether a request's sender (below a trusted edge proxy, if one relayed it) is a carrier trunk. */
export function isTrunk(trunks: readonly TrunkEntry[], p: { address: string; port: number }): boolean {
  return trunks.some((t) => t.host === p.address && (t.port === null || t.port === p.port));
}

/**
 * The pass of a call from another telephony node, when it carries one:
 * checked (signature, expiry) or refused with 403. undefined: no pass.
 */
export function nodeJoinOf(tx: SipExchange, key: Buffer | null, log: Logger): NodeJoin | null | undefined {
  const token = tx.request.get(NODE_JOIN_HEADER);
  if (token === undefined) return undefined;
  const check = key ? verifyNodeToken(key, token, Date.now()) : null;
  if (check?.ok) return check.join;
  log.warn(
    { source: `${tx.peer.address}:${tx.peer.port}`, reason: check?.reason ?? 'no key' },
    'call from a node refused',
  );
  tx.respond(403, 'Forbidden');
  return null;
}

const sourceOf = (p: Peer): string => `${p.address}:${p.port}`;

/**
 * How to reach a registered device: through its Path (RFC 3327) as a
 * pre-loaded Route set, first hop = the proxy it registered through, from
 * whatever node sends; else back over the flow it registered from (NAT,
 * RFC 5626 spirit).
 */
export function routeTo(b: DeviceBinding): OutboundRoute | null {
  if (b.path && b.path.length > 0) {
    const peer = firstHop(b.path);
    return peer ? { uri: b.contact, peer, routes: [...b.path] } : null;
  }
  const peer = peerOf(b.source, b.transport);
  return peer ? { uri: b.contact, peer } : null;
}

/** "address:port" of a registration as a transport peer (IPv6 addresses keep their colons). */
export function peerOf(source: string, transport: 'udp' | 'tcp'): Peer | null {
  const colon = source.lastIndexOf(':');
  const address = source.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(source.slice(colon + 1));
  if (!address || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { transport, address, port };
}

const NO_PEER: Peer = { transport: 'udp', address: '127.0.0.1', port: 9 };
