/**
 * The SIP stack: transports + transaction layer (RFC 3261 §17, §18). It
 * parses what arrives, answers malformed requests with 400, matches
 * transactions, absorbs retransmissions and hands new requests, 2xx ACKs and
 * CANCELs to the transaction user (the B2BUA). It knows nothing of calls.
 */
import { randomBytes } from 'node:crypto';
import { formatVia, isParseFailure, parseMessage, parseVia, SipRequest, SipResponse } from './message.js';
import {
  ClientTransaction,
  DEFAULT_TIMERS,
  ServerTransaction,
  type ClientHandlers,
  type SipTimers,
} from './transaction.js';
import { SipTransports, type Peer, type TcpLimits } from './transport.js';

/** Where the stack's bytes go (transport.ts on sockets; tests use an in-memory one). */
export interface SipTransport {
  readonly port: number;
  onMessage(handler: (raw: Buffer, peer: Peer) => void): void;
  listen(): Promise<void>;
  close(): Promise<void>;
  send(raw: Buffer, peer: Peer): void;
}

export interface StackOptions {
  host: string;
  port: number;
  /** The address written into Via/Contact/SDP (defaults to host, or 127.0.0.1 for 0.0.0.0). */
  advertisedHost?: string;
  timers?: Partial<SipTimers>;
  userAgent?: string;
  /** Default: UDP and TCP sockets on host:port. */
  transport?: SipTransport;
  /** TCP connection caps and timeouts (transport.ts DEFAULT_TCP_LIMITS when unset). */
  tcp?: Partial<TcpLimits>;
  /** Sees every message in and out (SIP_TRACE); unset costs nothing. */
  trace?: SipTracer;
  /** A message whose handling threw: it is dropped, the stack goes on (default: nothing said). */
  onError?: (err: unknown, peer: Peer) => void;
}

export type SipTracer = (direction: 'in' | 'out', raw: Buffer, peer: Peer) => void;

export interface TransactionUser {
  /** A new request (not ACK/CANCEL) in a new server transaction. */
  onRequest(tx: ServerTransaction): void;
  /** An ACK for a 2xx (its own transaction, RFC 3261 §17.1.1.3). */
  onAck(ack: SipRequest, peer: Peer): void;
  /** CANCEL matched a pending INVITE transaction; the stack already answered the CANCEL 200. */
  onCancel(invite: ServerTransaction, cancel: SipRequest): void;
  /** A 2xx to an INVITE whose client transaction is gone (forked or late): the TU must ACK and BYE. */
  onStray2xx?(res: SipResponse, peer: Peer): void;
}

export const MAGIC_COOKIE = 'z9hG4bK';

/** Random bytes drawn in 4 KiB refills: tags, branches and Call-IDs are made several times per call. */
let pool = randomBytes(4096);
let poolAt = 0;

export function randomToken(bytes = 8): string {
  if (poolAt + bytes > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  const out = pool.toString('hex', poolAt, poolAt + bytes);
  poolAt += bytes;
  return out;
}

export class SipStack {
  readonly transports: SipTransport;
  readonly timers: SipTimers;
  private readonly server = new Map<string, ServerTransaction>();
  private readonly client = new Map<string, ClientTransaction>();
  /** INVITE server transactions in Accepted state by Call-ID + CSeq, for the 2xx ACK. */
  private readonly accepted = new Map<string, ServerTransaction>();
  private tu: TransactionUser | null = null;
  readonly advertisedHost: string;
  readonly userAgent: string;
  stats = { received: 0, malformed: 0, sent: 0, failed: 0 };

  constructor(private readonly opts: StackOptions) {
    this.transports =
      opts.transport ??
      new SipTransports({
        host: opts.host,
        port: opts.port,
        ...(opts.tcp ? { tcp: opts.tcp } : {}),
      });
    this.timers = { ...DEFAULT_TIMERS, ...opts.timers };
    this.advertisedHost = opts.advertisedHost ?? (opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host);
    this.userAgent = opts.userAgent ?? 'callplane';
    this.transports.onMessage((raw, peer) => {
      // One message that trips a bug must not take every call of this process with it.
      try {
        this.receive(raw, peer);
      } catch (err) {
        this.stats.failed++;
        this.opts.onError?.(err, peer);
      }
    });
  }

  get port(): number {
    return this.transports.port;
  }

  setUser(tu: TransactionUser): void {
    this.tu = tu;
  }

  async start(): Promise<void> {
    await this.transports.listen();
  }

  async stop(): Promise<void> {
    for (const t of [...this.server.values()]) t.terminate();
    for (const t of [...this.client.values()]) t.terminate();
    await this.transports.close();
  }

  /** Writes a message to the wire. */
  sendRaw = (msg: SipRequest | SipResponse, peer: Peer): void => {
    this.stats.sent++;
    const raw = msg.toBuffer();
    this.opts.trace?.('out', raw, peer);
    this.transports.send(raw, peer);
  };

  /** Our Via for a new request on the given transport, with a fresh branch. */
  via(peer: Peer, branch = MAGIC_COOKIE + randomToken(10)): string {
    return `SIP/2.0/${peer.transport.toUpperCase()} ${this.advertisedHost}:${this.port};branch=${branch};rport`;
  }

  /** Contact URI of this stack for a transport. */
  contact(user: string | null, peer: Peer): string {
    const u = user ? `${encodeURIComponent(user).replace(/%2B/g, '+')}@` : '';
    return `<sip:${u}${this.advertisedHost}:${this.port}${peer.transport === 'tcp' ? ';transport=tcp' : ''}>`;
  }

  /**
   * Sends a request in a new client transaction. The request must carry all
   * headers but Via (added here unless present); ACK for 2xx is sent with
   * sendRaw instead, outside any transaction.
   */
  request(req: SipRequest, peer: Peer, handlers: ClientHandlers): ClientTransaction {
    if (!req.get('via')) req.set('via', this.via(peer));
    if (!req.get('max-forwards')) req.set('max-forwards', '70');
    if (!req.get('user-agent')) req.set('user-agent', this.userAgent);
    const key = this.clientKey(req.get('via') ?? '', req.cseq.method);
    const tx = new ClientTransaction(req, peer, handlers, this.timers, this.sendRaw, () =>
      this.client.delete(key),
    );
    this.client.set(key, tx);
    return tx;
  }

  /** CANCEL for a pending INVITE (RFC 3261 §9.1): same Request-URI, Call-ID, From, To, Via, CSeq number. */
  cancel(invite: ClientTransaction, reason?: string): void {
    const req = invite.request;
    const c = new SipRequest('CANCEL', req.uri);
    c.set('via', req.get('via') ?? '');
    for (const r of req.getAll('route')) c.add('route', r);
    c.set('from', req.get('from') ?? '');
    c.set('to', req.get('to') ?? '');
    c.set('call-id', req.callId);
    c.set('cseq', `${req.cseq.seq} CANCEL`);
    c.set('max-forwards', '70');
    if (reason) c.set('reason', reason);
    this.request(c, invite.peer, { onResponse: () => undefined, onTimeout: () => undefined });
  }

  private clientKey(via: string, method: string): string {
    const branch = parseVia(via)?.params.get('branch') ?? '';
    return `${branch}|${method === 'ACK' ? 'INVITE' : method}`;
  }

  private serverKey(req: SipRequest): string {
    const via = parseVia(req.get('via') ?? '');
    const branch = via?.params.get('branch') ?? '';
    const method = req.method === 'ACK' || req.method === 'CANCEL' ? 'INVITE' : req.method;
    if (branch.startsWith(MAGIC_COOKIE)) return `${branch}|${via?.host}:${via?.port ?? ''}|${method}`;
    // RFC 2543 peers (§17.2.3 fallback): Call-ID, CSeq number, From tag, top Via.
    return `${req.callId}|${req.cseq.seq}|${req.get('from')}|${req.get('via')}|${method}`;
  }

  private receive(raw: Buffer, peer: Peer): void {
    this.stats.received++;
    this.opts.trace?.('in', raw, peer);
    const parsed = parseMessage(raw);
    if (isParseFailure(parsed)) {
      this.stats.malformed++;
      // §8.2.2 / §16.3: answer 400 when a request is readable enough; drop everything else.
      const p = parsed.partial;
      if (p && p.method !== 'ACK') this.reply400(p, peer, parsed.error);
      return;
    }
    if (parsed instanceof SipResponse) {
      this.receiveResponse(parsed, peer);
      return;
    }
    this.receiveRequest(parsed, peer);
  }

  private reply400(req: SipRequest, peer: Peer, why: string): void {
    const res = new SipResponse(400, `Bad Request (${why.replace(/[\r\n]/g, ' ').slice(0, 80)})`);
    for (const v of req.getAll('via')) res.add('via', v);
    res.set('from', req.get('from') ?? '');
    res.set('to', req.get('to') ?? '');
    res.set('call-id', req.callId);
    if (req.get('cseq')) res.set('cseq', req.get('cseq') ?? '');
    this.sendRaw(res, this.responsePeer(req, peer));
  }

  /**
   * Where responses go (RFC 3261 §18.2.2 with RFC 3581 rport): back to the
   * source of the request; over TCP on the same connection.
   */
  private responsePeer(_req: SipRequest, peer: Peer): Peer {
    return peer;
  }

  private receiveRequest(req: SipRequest, peer: Peer): void {
    // RFC 3581: note where the request really came from.
    const top = parseVia(req.get('via') ?? '');
    if (top) {
      if (top.host !== peer.address) top.params.set('received', peer.address);
      if (top.params.has('rport')) top.params.set('rport', String(peer.port));
      const vias = req.getAll('via');
      vias[0] = formatVia(top);
    }
    const key = this.serverKey(req);
    if (req.method === 'ACK') {
      const tx = this.server.get(key);
      if (tx && tx.state === 'completed') {
        tx.acked();
        return;
      }
      const acc = this.accepted.get(`${req.callId}|${req.cseq.seq}`);
      if (acc) acc.acked();
      this.tu?.onAck(req, peer);
      return;
    }
    if (req.method === 'CANCEL') {
      const tx = this.server.get(key);
      const reply = new ServerTransaction(
        req,
        this.responsePeer(req, peer),
        this.timers,
        this.sendRaw,
        () => undefined,
      );
      if (!tx || tx.state !== 'proceeding') {
        reply.respond(481, 'Call/Transaction Does Not Exist');
        return;
      }
      reply.respond(200, 'OK');
      tx.cancelled = true;
      this.tu?.onCancel(tx, req);
      return;
    }
    const existing = this.server.get(key);
    if (existing) {
      existing.retransmitted();
      return;
    }
    const tx = new ServerTransaction(req, this.responsePeer(req, peer), this.timers, this.sendRaw, () => {
      this.server.delete(key);
      if (tx.isInvite) this.accepted.delete(`${req.callId}|${req.cseq.seq}`);
    });
    this.server.set(key, tx);
    if (tx.isInvite) this.accepted.set(`${req.callId}|${req.cseq.seq}`, tx);
    if (!this.tu) {
      tx.respond(503, 'Service Unavailable');
      return;
    }
    try {
      this.tu.onRequest(tx);
    } catch {
      tx.respond(500, 'Server Internal Error');
    }
  }

  private receiveResponse(res: SipResponse, peer: Peer): void {
    const tx = this.client.get(this.clientKey(res.get('via') ?? '', res.cseq.method));
    if (tx) {
      tx.receive(res);
      return;
    }
    if (res.cseq.method === 'INVITE' && res.status >= 200 && res.status < 300)
      this.tu?.onStray2xx?.(res, peer);
  }
}
