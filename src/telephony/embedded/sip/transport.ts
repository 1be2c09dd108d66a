/**
 * SIP transports (RFC 3261 §18): one UDP socket and one TCP listener on the
 * same port. TCP connections are reused in both directions (a phone's
 * registration flow carries the calls to it, RFC 5626 spirit) and framed by
 * Content-Length. A transport delivers raw messages; parsing is above it.
 *
 * TCP is bounded (issue 14, item 5: one client holding 19,900 idle
 * connections exhausted the open files, and a connection trickling a byte
 * every 10 s was never dropped): a global and a per-address cap on accepted
 * connections (refused at once, so they hold no descriptor), a deadline for
 * each complete message (the first one counted from the accept), and an
 * idle timeout. The global cap is kept under half the open-file limit, so
 * the API, RTP and UDP SIP always have descriptors left.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { openFileLimit } from '../../../lib/open-files.js';
import { MAX_MESSAGE_BYTES, StreamFramer } from './message.js';

export type TransportName = 'udp' | 'tcp';

export interface Peer {
  transport: TransportName;
  address: string;
  port: number;
}

export const peerKey = (p: Peer): string => `${p.transport}:${p.address}:${p.port}`;

export interface TcpLimits {
  /** Accepted connections at once, all addresses (further ones are closed at accept). */
  maxConnections: number;
  /** Accepted connections at once from one address (a NATed office shares one). */
  maxPerSource: number;
  /** A message must be complete this long after its first byte, or after the accept (ms). */
  messageTimeoutMs: number;
  /** A connection without traffic is closed after this long (ms); phones send keep-alives. */
  idleMs: number;
}

export const DEFAULT_TCP_LIMITS: TcpLimits = {
  maxConnections: 4096,
  maxPerSource: 100,
  messageTimeoutMs: 10_000,
  idleMs: 600_000,
};

export interface TransportOptions {
  host: string;
  port: number;
  tcp?: Partial<TcpLimits>;
}

type Handler = (raw: Buffer, peer: Peer) => void;

export class SipTransports {
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly conns = new Map<string, net.Socket>();
  /** Accepted connections per address. */
  private readonly perSource = new Map<string, number>();
  private accepted = 0;
  private handler: Handler = () => undefined;
  private boundPort = 0;
  readonly limits: TcpLimits;
  /** Connections refused at accept or closed by a limit, for metrics and tests. */
  readonly tcpStats = { refusedGlobal: 0, refusedSource: 0, messageTimeouts: 0, idleTimeouts: 0 };

  constructor(private readonly opts: TransportOptions) {
    const limits = { ...DEFAULT_TCP_LIMITS, ...opts.tcp };
    const files = openFileLimit();
    if (files !== null) limits.maxConnections = Math.min(limits.maxConnections, Math.floor(files.soft / 2));
    this.limits = limits;
  }

  /** Accepted TCP connections open now. */
  get tcpConnections(): number {
    return this.accepted;
  }

  onMessage(h: Handler): void {
    this.handler = h;
  }

  get port(): number {
    return this.boundPort;
  }

  /**
   * Binds UDP, then TCP on the same port. With port 0 the UDP port is the
   * system's pick, which another process may hold for TCP (any outgoing TCP
   * connection takes a local port from the same range): then both are let
   * go and another pick is tried. A configured port fails at once.
   */
  async listen(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.bindBoth();
        return;
      } catch (err) {
        const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (!taken || this.opts.port !== 0 || attempt >= 20) throw err;
      }
    }
  }

  private async bindBoth(): Promise<void> {
    const udp = dgram.createSocket({
      type: 'udp4',
      recvBufferSize: 4 * 1024 * 1024,
      sendBufferSize: 4 * 1024 * 1024,
    });
    udp.on('message', (msg, rinfo) => {
      if (msg.length > MAX_MESSAGE_BYTES) return;
      this.handler(msg, { transport: 'udp', address: rinfo.address, port: rinfo.port });
    });
    udp.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.opts.port, this.opts.host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const port = udp.address().port;
    const tcp = net.createServer((s) => this.adopt(s));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, this.opts.host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      udp.close();
      throw err;
    }
    this.udp = udp;
    this.boundPort = port;
    this.tcp = tcp;
  }

  private adopt(s: net.Socket): void {
    const address = (s.remoteAddress ?? '').replace(/^::ffff:/, '');
    const fromSource = this.perSource.get(address) ?? 0;
    if (this.accepted >= this.limits.maxConnections || fromSource >= this.limits.maxPerSource) {
      if (this.accepted >= this.limits.maxConnections) this.tcpStats.refusedGlobal += 1;
      else this.tcpStats.refusedSource += 1;
      s.on('error', () => undefined);
      s.destroy();
      return;
    }
    this.accepted += 1;
    this.perSource.set(address, fromSource + 1);
    const peer: Peer = { transport: 'tcp', address, port: s.remotePort ?? 0 };
    const key = peerKey(peer);
    this.conns.set(key, s);
    const framer = new StreamFramer();
    s.setNoDelay(true);
    // Slowloris: the first message, and every later one once begun, must be complete in time.
    let deadline: NodeJS.Timeout | null = null;
    const arm = (): void => {
      deadline ??= setTimeout(() => {
        this.tcpStats.messageTimeouts += 1;
        s.destroy();
      }, this.limits.messageTimeoutMs);
    };
    arm();
    s.setTimeout(this.limits.idleMs, () => {
      this.tcpStats.idleTimeouts += 1;
      s.destroy();
    });
    s.on('data', (chunk) => {
      const { messages, broken } = framer.push(chunk);
      if (messages.length > 0 && deadline) {
        clearTimeout(deadline);
        deadline = null;
      }
      if (framer.pending > 0) arm();
      for (const m of messages) this.handler(m, peer);
      if (broken) s.destroy();
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      if (deadline) clearTimeout(deadline);
      this.accepted -= 1;
      const n = (this.perSource.get(address) ?? 1) - 1;
      if (n > 0) this.perSource.set(address, n);
      else this.perSource.delete(address);
      if (this.conns.get(key) === s) this.conns.delete(key);
    });
  }

  send(raw: Buffer, peer: Peer): void {
    if (peer.transport === 'udp') {
      this.udp?.send(raw, peer.port, peer.address);
      return;
    }
    const key = peerKey(peer);
    let s = this.conns.get(key);
    if (!s || s.destroyed) {
      s = net.connect({ host: peer.address, port: peer.port });
      this.adoptOutgoing(s, peer, key);
    }
    s.write(raw);
  }

  private adoptOutgoing(s: net.Socket, peer: Peer, key: string): void {
    this.conns.set(key, s);
    const framer = new StreamFramer();
    s.setNoDelay(true);
    s.on('data', (chunk) => {
      const { messages, broken } = framer.push(chunk);
      for (const m of messages) this.handler(m, peer);
      if (broken) s.destroy();
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      if (this.conns.get(key) === s) this.conns.delete(key);
    });
  }

  async close(): Promise<void> {
    for (const s of this.conns.values()) s.destroy();
    this.conns.clear();
    await new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r()));
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r()));
    this.udp = null;
    this.tcp = null;
  }
}
