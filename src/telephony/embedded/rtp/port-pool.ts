import { createSocket, type Socket } from 'node:dgram';
import { closeSocket, RtpSession } from './session.js';

export interface RtpPortPoolOptions {
  /** The IPv4 address to bind (the media address the SDP announces). */
  host: string;
  min: number;
  max: number;
  /** How long a released socket stays bound for its port's next turn (default IDLE_SOCKET_MS; 0: closed at once). */
  idleSocketMs?: number;
}

/** How long a released socket stays bound, waiting for its port's next turn, before it is closed. */
export const IDLE_SOCKET_MS = 30_000;

/**
 * Hands out RTP ports from [min, max]: even ones, each with the odd port
 * above it kept for RTCP (RFC 3550 §11) and never handed out, so a pair lies
 * wholly inside the range. Allocation is round-robin: a released port comes
 * back only after every other port has had its turn, so late packets of an
 * ended call do not reach the next one. Ports some other process holds are
 * skipped.
 *
 * A released socket stays bound for up to IDLE_SOCKET_MS (datagrams that
 * reach it meanwhile are read and dropped): when its port's turn comes
 * round within that time, as it does under load, the next session takes
 * the socket as it is. Binding and closing a socket per session (two a
 * call) were about 4 % of the call path's CPU profile; `npm run
 * bench:rtp-pool`: 22 µs against 8 µs per session. close() closes the
 * kept sockets.
 */
export class RtpPortPool {
  readonly #host: string;
  readonly #first: number;
  readonly #capacity: number;
  readonly #idleMs: number;
  /** Ports bound or being bound for a session. */
  readonly #taken = new Set<number>();
  /** Released sockets still bound, by port, oldest release first. */
  readonly #idle = new Map<number, { socket: Socket; since: number }>();
  #sweeper: NodeJS.Timeout | null = null;
  #closed = false;
  #cursor = 0;

  constructor(opts: RtpPortPoolOptions) {
    const { host, min, max } = opts;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535 || min > max) {
      throw new RangeError(`bad RTP port range ${min}-${max}`);
    }
    this.#host = host;
    this.#first = min % 2 === 0 ? min : min + 1;
    this.#capacity = Math.max(0, Math.floor((max - 1 - this.#first) / 2) + 1);
    this.#idleMs = opts.idleSocketMs ?? IDLE_SOCKET_MS;
    if (this.#capacity === 0) throw new RangeError(`RTP port range ${min}-${max} holds no even/odd pair`);
  }

  /** Port pairs in the range. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Sessions open (or opening) now. */
  get inUse(): number {
    return this.#taken.size;
  }

  /** Released sockets kept bound for their port's next turn. */
  get idle(): number {
    return this.#idle.size;
  }

  /** A session on the next free even port; throws Error('no free RTP port') when there is none. */
  async open(): Promise<RtpSession> {
    if (this.#closed) throw new Error('the RTP port pool is closed');
    for (let tried = 0; tried < this.#capacity; tried += 1) {
      const port = this.#first + 2 * this.#cursor;
      this.#cursor = (this.#cursor + 1) % this.#capacity;
      if (this.#taken.has(port)) continue;
      this.#taken.add(port);
      const kept = this.#idle.get(port);
      if (kept) {
        this.#idle.delete(port);
        kept.socket.ref();
        return this.#session(kept.socket, port);
      }
      let socket: Socket;
      try {
        socket = await bind(this.#host, port);
      } catch (err) {
        this.#taken.delete(port);
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw err;
      }
      if (this.#closed) {
        this.#taken.delete(port);
        await closeSocket(socket);
        throw new Error('the RTP port pool is closed');
      }
      // Errors while a socket is idle (nobody else listens then) end it.
      socket.on('error', () => this.#drop(port, socket));
      return this.#session(socket, port);
    }
    throw new Error('no free RTP port');
  }

  /** Closes the sockets kept idle; sessions still open close theirs when they end. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = null;
    const idle = [...this.#idle.values()];
    this.#idle.clear();
    await Promise.all(idle.map((k) => closeSocket(k.socket)));
  }

  #session(socket: Socket, port: number): RtpSession {
    return new RtpSession(socket, (s, healthy) => this.#release(port, s, healthy), {
      address: this.#host,
      port,
    });
  }

  #release(port: number, socket: Socket, healthy: boolean): Promise<void> | void {
    if (!healthy || this.#closed || this.#idleMs <= 0) {
      return closeSocket(socket).then(() => void this.#taken.delete(port));
    }
    this.#taken.delete(port);
    socket.unref(); // an idle socket keeps no process alive
    this.#idle.set(port, { socket, since: performance.now() });
    if (this.#sweeper === null) {
      this.#sweeper = setInterval(() => this.#sweep(), Math.max(10, this.#idleMs / 2));
      this.#sweeper.unref();
    }
  }

  /** Closes the sockets idle for longer than the idle time (the map holds them in release order). */
  #sweep(): void {
    const before = performance.now() - this.#idleMs;
    for (const [port, k] of this.#idle) {
      if (k.since > before) break;
      this.#drop(port, k.socket);
    }
    if (this.#idle.size === 0 && this.#sweeper) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
  }

  /** Closes an idle socket (a session's socket is its session's to close). */
  #drop(port: number, socket: Socket): void {
    if (this.#idle.get(port)?.socket !== socket) return;
    this.#idle.delete(port);
    void closeSocket(socket);
  }
}

function bind(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: 'udp4' });
    const onError = (err: Error): void => {
      try {
        socket.close();
      } catch {
        // never bound: nothing to close
      }
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
