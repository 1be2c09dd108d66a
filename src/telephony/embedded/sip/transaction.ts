/**
 * SIP transactions (RFC 3261 §17, with the RFC 6026 "Accepted" states): the
 * retransmission and timeout timers that make SIP reliable over UDP. A
 * transaction only sends through the `send` callback it is given, so the
 * state machines are tested without sockets.
 */
import { SipRequest, SipResponse } from './message.js';
import type { Peer } from './transport.js';

export interface SipTimers {
  /** RTT estimate (500 ms). */
  T1: number;
  /** Longest retransmit interval for non-INVITE requests and INVITE responses (4 s). */
  T2: number;
  /** Longest time a message stays in the network (5 s). */
  T4: number;
}

export const DEFAULT_TIMERS: SipTimers = { T1: 500, T2: 4000, T4: 5000 };

type Send = (msg: SipRequest | SipResponse, peer: Peer) => void;

// ------------------------------------------------------------------ client --

export interface ClientHandlers {
  onResponse(res: SipResponse): void;
  /** Timer B / F fired: no final response (the TU treats it as 408). */
  onTimeout(): void;
}

export type ClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

export class ClientTransaction {
  state: ClientState;
  private retransmit: NodeJS.Timeout | null = null;
  private timeout: NodeJS.Timeout | null = null;
  private interval: number;
  private ack: SipRequest | null = null;
  /** Set once a provisional response came: a CANCEL may be sent (RFC 3261 §9.1). */
  provisional = false;
  readonly isInvite: boolean;

  constructor(
    readonly request: SipRequest,
    readonly peer: Peer,
    private readonly handlers: ClientHandlers,
    private readonly timers: SipTimers,
    private readonly send: Send,
    private readonly onTerminated: () => void,
  ) {
    this.isInvite = request.method === 'INVITE';
    this.state = 'calling';
    this.interval = timers.T1;
    this.send(request, peer);
    if (peer.transport === 'udp') this.armRetransmit();
    // Timer B (INVITE) / Timer F (non-INVITE): 64*T1.
    this.timeout = setTimeout(() => this.fireTimeout(), 64 * timers.T1);
  }

  private armRetransmit(): void {
    this.retransmit = setTimeout(() => {
      if (this.state !== 'calling' && !(this.state === 'proceeding' && !this.isInvite)) return;
      this.send(this.request, this.peer);
      // Timer A doubles without bound; Timer E is capped at T2 (§17.1.2.2).
      this.interval = this.isInvite ? this.interval * 2 : Math.min(this.interval * 2, this.timers.T2);
      this.armRetransmit();
    }, this.interval);
  }

  private fireTimeout(): void {
    this.timeout = null;
    if (this.state === 'calling' || this.state === 'proceeding') {
      this.terminate();
      this.handlers.onTimeout();
    } else if (this.state === 'accepted') this.terminate();
  }

  receive(res: SipResponse): void {
    if (this.state === 'terminated') return;
    if (res.status < 200) {
      if (this.state === 'calling' || this.state === 'proceeding') {
        this.provisional = true;
        if (this.isInvite) this.clearRetransmit();
        else if (this.state === 'calling') this.interval = this.timers.T2;
        this.state = 'proceeding';
        this.handlers.onResponse(res);
      }
      return;
    }
    if (this.isInvite) {
      if (res.status < 300) {
        // RFC 6026 §8.4: stay Accepted for 64*T1 so forked/retransmitted 2xx reach the TU.
        if (this.state !== 'accepted') {
          this.clearRetransmit();
          this.state = 'accepted';
          this.restartTimeout(64 * this.timers.T1);
        }
        this.handlers.onResponse(res);
        return;
      }
      if (this.state === 'completed') {
        if (this.ack) this.send(this.ack, this.peer);
        return;
      }
      if (this.state === 'accepted') return;
      this.clearRetransmit();
      this.state = 'completed';
      this.ack = ackFor(this.request, res);
      this.send(this.ack, this.peer);
      // Timer D: 32 s on UDP, 0 on reliable transports.
      this.restartTimeout(this.peer.transport === 'udp' ? Math.max(32_000, 64 * this.timers.T1) : 0, true);
      this.handlers.onResponse(res);
      return;
    }
    if (this.state === 'completed') return;
    this.clearRetransmit();
    this.state = 'completed';
    // Timer K: T4 on UDP, 0 on reliable transports.
    this.restartTimeout(this.peer.transport === 'udp' ? this.timers.T4 : 0, true);
    this.handlers.onResponse(res);
  }

  private restartTimeout(ms: number, terminateOnly = false): void {
    if (this.timeout) clearTimeout(this.timeout);
    this.timeout = setTimeout(() => (terminateOnly ? this.terminate() : this.fireTimeout()), ms);
  }

  private clearRetransmit(): void {
    if (this.retransmit) clearTimeout(this.retransmit);
    this.retransmit = null;
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.clearRetransmit();
    if (this.timeout) clearTimeout(this.timeout);
    this.timeout = null;
    this.onTerminated();
  }
}

/** RFC 3261 §17.1.1.3: the ACK for a non-2xx final response, same branch as the INVITE. */
export function ackFor(invite: SipRequest, res: SipResponse): SipRequest {
  const ack = new SipRequest('ACK', invite.uri);
  ack.set('via', invite.get('via') ?? '');
  for (const r of invite.getAll('route')) ack.add('route', r);
  ack.set('from', invite.get('from') ?? '');
  ack.set('to', res.get('to') ?? '');
  ack.set('call-id', invite.callId);
  ack.set('cseq', `${invite.cseq.seq} ACK`);
  ack.set('max-forwards', '70');
  return ack;
}

// ------------------------------------------------------------------ server --

export type ServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

export interface ResponseInit {
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  contentType?: string;
  /** The To tag of a response that creates a dialog. */
  toTag?: string;
}

const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);

export class ServerTransaction {
  state: ServerState = 'proceeding';
  lastResponse: SipResponse | null = null;
  private retransmit: NodeJS.Timeout | null = null;
  private timeout: NodeJS.Timeout | null = null;
  private trying: NodeJS.Timeout | null = null;
  /** Set when the INVITE was cancelled (CANCEL received). */
  cancelled = false;
  /** Called when a 2xx is never acknowledged (RFC 3261 §13.3.1.4: the TU ends the dialog). */
  onNoAck: () => void = () => undefined;
  readonly isInvite: boolean;

  constructor(
    readonly request: SipRequest,
    readonly peer: Peer,
    private readonly timers: SipTimers,
    private readonly send: Send,
    private readonly onTerminated: () => void,
  ) {
    this.isInvite = request.method === 'INVITE';
    // §17.2.1: 100 Trying if the TU has not answered within 200 ms.
    if (this.isInvite)
      this.trying = setTimeout(() => this.lastResponse === null && this.respond(100, 'Trying'), 200);
  }

  /** A response with the request's Via, From, To (+ tag), Call-ID and CSeq (§8.2.6.2). */
  createResponse(status: number, reason: string, init: ResponseInit = {}): SipResponse {
    const req = this.request;
    const res = new SipResponse(status, reason);
    for (const v of req.getAll('via')) res.add('via', v);
    res.set('from', req.get('from') ?? '');
    let to = req.get('to') ?? '';
    if (init.toTag && status > 100 && !/;\s*tag=/i.test(to)) to += `;tag=${init.toTag}`;
    res.set('to', to);
    res.set('call-id', req.callId);
    res.set('cseq', req.get('cseq') ?? '');
    // §12.1.1: a dialog-creating response carries the request's Record-Route back.
    if (status > 100 && status < 300 && DIALOG_CREATING.has(req.method))
      for (const rr of req.getAll('record-route')) res.add('record-route', rr);
    for (const [k, v] of Object.entries(init.headers ?? {})) {
      if (Array.isArray(v)) for (const x of v) res.add(k, x);
      else res.set(k, v);
    }
    if (init.body !== undefined) res.setBody(init.contentType ?? 'application/sdp', init.body);
    return res;
  }

  respond(status: number, reason: string, init: ResponseInit = {}): SipResponse | null {
    return this.sendResponse(this.createResponse(status, reason, init));
  }

  sendResponse(res: SipResponse): SipResponse | null {
    if (this.state !== 'proceeding') return null;
    if (this.trying) clearTimeout(this.trying);
    this.trying = null;
    this.lastResponse = res;
    this.send(res, this.peer);
    if (res.status < 200) return res;
    const udp = this.peer.transport === 'udp';
    if (!this.isInvite) {
      this.state = 'completed';
      // Timer J: 64*T1 on UDP, 0 otherwise.
      this.timeout = setTimeout(() => this.terminate(), udp ? 64 * this.timers.T1 : 0);
      return res;
    }
    // 2xx: RFC 6026 Accepted, retransmitted until the ACK (§13.3.1.4); non-2xx: Timer G until the ACK.
    this.state = res.status < 300 ? 'accepted' : 'completed';
    if (udp || res.status < 300) this.armRetransmit(this.timers.T1);
    // Timer H (non-2xx) / Timer L (2xx): 64*T1.
    this.timeout = setTimeout(() => {
      const unacked = this.state === 'accepted';
      this.terminate();
      if (unacked) this.onNoAck();
    }, 64 * this.timers.T1);
    return res;
  }

  private armRetransmit(ms: number): void {
    this.retransmit = setTimeout(() => {
      if ((this.state !== 'completed' && this.state !== 'accepted') || !this.lastResponse) return;
      if (this.peer.transport === 'udp') this.send(this.lastResponse, this.peer);
      this.armRetransmit(Math.min(ms * 2, this.timers.T2));
    }, ms);
  }

  /** A retransmission of the request: resend the last response (§17.2.1, §17.2.2). */
  retransmitted(): void {
    if (this.lastResponse && this.state !== 'terminated' && this.state !== 'confirmed')
      this.send(this.lastResponse, this.peer);
  }

  /** The ACK: for a non-2xx it matched this transaction's branch; for a 2xx, the dialog. */
  acked(): void {
    if (this.state === 'completed') {
      this.clear();
      this.state = 'confirmed';
      // Timer I: T4 on UDP, 0 otherwise.
      this.timeout = setTimeout(() => this.terminate(), this.peer.transport === 'udp' ? this.timers.T4 : 0);
    } else if (this.state === 'accepted') this.terminate();
  }

  private clear(): void {
    if (this.retransmit) clearTimeout(this.retransmit);
    if (this.timeout) clearTimeout(this.timeout);
    if (this.trying) clearTimeout(this.trying);
    this.retransmit = this.timeout = this.trying = null;
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.clear();
    this.state = 'terminated';
    this.onTerminated();
  }
}

/**
 * What digest authentication and the registrar need of a server
 * transaction: the embedded stack's own, or a shim over another SIP
 * stack's request and response (the drachtio adapter's).
 */
export type SipExchange = Pick<ServerTransaction, 'request' | 'peer' | 'respond'>;
