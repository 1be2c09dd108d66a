/**
 * The embedded telephony adapter: the SIP stack's transaction user. It
 * serves REGISTER, classifies INVITEs (carrier trunk or authenticated SIP
 * account), keeps the dialogs of all legs and implements the signalling and
 * media ports the call engine drives.
 */
import type { Logger } from '../engine/logger.js';
import {
  CAUSE,
  type DtmfEvent,
  type InboundLeg,
  type Leg,
  type MediaPort,
  type MediaStats,
  type OriginateRequest,
  type OutboundLeg,
  type PlayHandle,
  type PlayOptions,
  type PromptSource,
  type RecordHandle,
  type RecordOptions,
  type SignalingPort,
} from '../ports.js';
import type { Authenticator } from './authenticator.js';
import { DialogEventServer, type Watchers } from './dialog-events.js';
import { EmbeddedInboundLeg } from './inbound-leg.js';
import { LegBase } from './leg-base.js';
import { bridgeChannels, MediaChannel, NO_PLAYBACK, NO_RECORDING } from './media-channel.js';
import { Player } from './media/player.js';
import type { DialogLeg, LegContext } from './leg-context.js';
import { EmbeddedOutboundLeg, type OutboundRoute } from './outbound-leg.js';
import type { Registrar } from './registrar.js';
import type { RtpPortPool } from './rtp/port-pool.js';
import { contactUri, dialogKey, type Dialog } from './sip/dialog.js';
import { SipRequest, tagOf, type SipResponse } from './sip/message.js';
import { parseSdp } from './sip/sdp.js';
import { randomToken, type SipStack, type TransactionUser } from './sip/stack.js';
import type { ServerTransaction } from './sip/transaction.js';
import type { Peer } from './sip/transport.js';
import { parseNameAddr, parseUri } from './sip/uri.js';
import type { Binding } from '../../store/redis/registrations.js';
import type { SipNotifier, SipNotifyRequest } from '../../store/redis/sip-notify-relay.js';

export interface TrunkEntry {
  host: string;
  port: number | null;
}

export interface EmbeddedSignalingOptions {
  stack: SipStack;
  pool: RtpPortPool;
  registrar: Registrar;
  auth: Authenticator;
  /** Carrier trunks (SIP_TRUNK), resolved to addresses; the first carries outbound calls. */
  trunks: TrunkEntry[];
  domain: string;
  mediaAddress: string;
  rtpTimeoutMs: number;
  /** Who may watch which number (BLF); null leaves SUBSCRIBE unanswered with 489. */
  watchers: Watchers | null;
  log: Logger;
}

export class EmbeddedSignaling implements SignalingPort, MediaPort, TransactionUser, SipNotifier {
  private readonly dialogs = new Map<string, DialogLeg>();
  /** INVITE server transactions awaiting an answer, for CANCEL. */
  private readonly pending = new Map<ServerTransaction, EmbeddedInboundLeg>();
  private inbound: (leg: InboundLeg) => void = (leg) => leg.reject(CAUSE.congestion);
  private readonly ctx: LegContext;
  /** The dialog event package server (BLF), when watchers are configured. */
  readonly presence: DialogEventServer | null;
  /** Prompts decoded once and shared by every call. */
  readonly player = new Player();

  constructor(private readonly o: EmbeddedSignalingOptions) {
    this.ctx = {
      stack: o.stack,
      openRtp: () => o.pool.open(),
      mediaAddress: o.mediaAddress,
      rtpTimeoutMs: o.rtpTimeoutMs,
      domain: o.domain,
      addDialog: (d, leg) => this.dialogs.set(d.key, leg),
      removeDialog: (d: Dialog) => this.dialogs.delete(d.key),
    };
    o.stack.setUser(this);
    this.presence = o.watchers ? new DialogEventServer(this.ctx, o.auth, o.watchers) : null;
  }

  get activeDialogs(): number {
    return this.dialogs.size;
  }

  onInbound(handler: (leg: InboundLeg) => void): void {
    this.inbound = handler;
  }

  // ------------------------------------------------------------ SignalingPort --

  originate(req: OriginateRequest): OutboundLeg {
    const route = this.routeFor(req);
    const leg = new EmbeddedOutboundLeg(
      this.ctx,
      req,
      route ?? { uri: 'sip:invalid@invalid', peer: NO_PEER },
    );
    if (!route) queueMicrotask(() => leg.hangup(CAUSE.congestion));
    else void leg.start();
    return leg;
  }

  private routeFor(req: OriginateRequest): OutboundRoute | null {
    const t = req.target;
    if (t.kind === 'trunk') {
      const trunk = this.o.trunks[0];
      if (!trunk) return null;
      const port = trunk.port ?? 5060;
      return {
        uri: `sip:${t.number}@${trunk.host}:${port}`,
        peer: { transport: 'udp', address: trunk.host, port },
      };
    }
    const colon = t.source.lastIndexOf(':');
    const address = t.source.slice(0, colon);
    const port = Number(t.source.slice(colon + 1));
    if (!address || !Number.isInteger(port)) return null;
    // Calls to a phone go back over the flow it registered from (NAT, RFC 5626 spirit).
    return { uri: t.contact, peer: { transport: t.transport, address, port } };
  }

  /**
   * spec 3.21 .../notify: an out-of-dialog NOTIFY (e.g. `check-sync`) to a
   * registered device over the flow it registered from. Resolves with the
   * device's answer, rejects on a timeout.
   */
  notify(binding: Binding, account: { name: string; domain: string }, req: SipNotifyRequest): Promise<void> {
    const colon = binding.source.lastIndexOf(':');
    const peer: Peer = {
      transport: binding.transport,
      address: binding.source.slice(0, colon),
      port: Number(binding.source.slice(colon + 1)),
    };
    const aor = `<sip:${account.name}@${account.domain}>`;
    const n = new SipRequest('NOTIFY', binding.contact);
    n.set('from', `${aor};tag=${randomToken(6)}`);
    n.set('to', aor);
    n.set('call-id', `${randomToken(10)}@${this.o.stack.advertisedHost}`);
    n.set('cseq', '1 NOTIFY');
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

  // ---------------------------------------------------------------- MediaPort --

  bridge(a: Leg, b: Leg): () => void {
    const ca = this.channel(a);
    const cb = this.channel(b);
    if (!ca || !cb || ca === cb) return () => undefined;
    return bridgeChannels(ca, cb);
  }

  play(leg: Leg, sources: readonly PromptSource[], opts?: PlayOptions): PlayHandle {
    return this.channel(leg)?.play(sources, opts) ?? NO_PLAYBACK;
  }

  record(leg: Leg, opts: RecordOptions): RecordHandle {
    return this.channel(leg)?.record(opts) ?? NO_RECORDING;
  }

  onDtmf(leg: Leg, listener: (d: DtmfEvent) => void): () => void {
    return this.channel(leg)?.onDtmf(listener) ?? (() => undefined);
  }

  async sendDtmf(leg: Leg, digits: string, opts?: { durationMs?: number; pauseMs?: number }): Promise<void> {
    await this.channel(leg)?.sendDigits(digits, opts);
  }

  /** The leg's media fan-out, made at its first use (null: no media endpoint). */
  private channel(leg: Leg): MediaChannel | null {
    if (!(leg instanceof LegBase) || !leg.rtp) return null;
    if (leg.channel?.session !== leg.rtp) {
      leg.channel?.close();
      leg.channel = new MediaChannel(leg.rtp, () => leg.codecs, this.player);
    }
    return leg.channel;
  }

  stats(leg: Leg): MediaStats | null {
    const s = leg instanceof LegBase ? leg.rtp?.stats : undefined;
    return s ? { packetsIn: s.packetsIn, packetsOut: s.packetsOut, lost: s.lost } : null;
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
        tx.respond(200, 'OK', { headers: { allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO' } });
        return;
      case 'BYE':
        tx.respond(481, 'Call/Transaction Does Not Exist');
        return;
      default:
        tx.respond(405, 'Method Not Allowed', {
          headers: { allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER' },
        });
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

  private isTrunk(peer: Peer): boolean {
    return this.o.trunks.some((t) => t.host === peer.address && (t.port === null || t.port === peer.port));
  }

  private async invite(tx: ServerTransaction): Promise<void> {
    const req = tx.request;
    const fromTrunk = this.isTrunk(tx.peer);
    const account = fromTrunk ? null : await this.o.auth.authenticate(tx, true);
    if (!fromTrunk && !account) return;
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
    const from = parseNameAddr(req.get('from') ?? '');
    const fromUri = from ? parseUri(from.uri) : null;
    const pai = parseNameAddr(req.get('p-asserted-identity') ?? '');
    const paiUser = pai ? parseUri(pai.uri)?.user : null;
    const privacy = (req.get('privacy') ?? '').toLowerCase();
    const anonymous = fromUri?.user === 'anonymous' || fromUri?.host === 'anonymous.invalid';
    const number = account ? account.name : (paiUser ?? (anonymous ? null : (fromUri?.user ?? null)));
    const leg = new EmbeddedInboundLeg(
      this.ctx,
      tx,
      {
        origin: fromTrunk ? 'trunk' : 'account',
        account,
        caller: {
          number,
          display: from?.display ?? null,
          clir: privacy.includes('id') || privacy.includes('header') || anonymous,
        },
        called,
        header: (name) => req.get(name),
        source: `${tx.peer.address}:${tx.peer.port}`,
      },
      offer,
    );
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

const NO_PEER: Peer = { transport: 'udp', address: '127.0.0.1', port: 9 };
