/**
 * SIP transports (RFC 3261 §18): one UDP socket and one TCP listener on the
 * same port. TCP connections are reused in both directions (a phone's
 * registration flow carries the calls to it, RFC 5626 spirit) and framed by
 * Content-Length. A transport delivers raw messages; parsing is above it.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { MAX_MESSAGE_BYTES, StreamFramer } from './message.js';

export type TransportName = 'udp' | 'tcp';

export interface Peer {
  transport: TransportName;
  address: string;
  port: number;
}

export const peerKey = (p: Peer): string => `${p.transport}:${p.address}:${p.port}`;

export interface TransportOptions {
  host: string;
  port: number;
  /** Idle TCP connections are closed after this long (ms). */
  tcpIdleMs?: number;
}

type Handler = (raw: Buffer, peer: Peer) => void;

export class SipTransports {
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly conns = new Map<string, net.Socket>();
  private handler: Handler = () => undefined;
  private boundPort = 0;

  constructor(private readonly opts: TransportOptions) {}

  onMessage(h: Handler): void {
    this.handler = h;
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(): Promise<void> {
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
    this.udp = udp;
    this.boundPort = udp.address().port;
    const tcp = net.createServer((s) => this.adopt(s));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.boundPort, this.opts.host, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
    this.tcp = tcp;
  }

  private adopt(s: net.Socket): void {
    const address = (s.remoteAddress ?? '').replace(/^::ffff:/, '');
    const peer: Peer = { transport: 'tcp', address, port: s.remotePort ?? 0 };
    const key = peerKey(peer);
    this.conns.set(key, s);
    const framer = new StreamFramer();
    s.setNoDelay(true);
    s.setTimeout(this.opts.tcpIdleMs ?? 600_000, () => s.destroy());
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
