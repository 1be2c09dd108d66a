import { createSocket, type Socket } from 'node:dgram';
import { RtpSession } from './session.js';

export interface RtpPortPoolOptions {
  /** The IPv4 address to bind (the media address the SDP announces). */
  host: string;
  min: number;
  max: number;
}

/**
 * Hands out RTP ports from [min, max]: even ones, each with the odd port
 * above it kept for RTCP (RFC 3550 §11) and never handed out, so a pair lies
 * wholly inside the range. Allocation is round-robin: a released port comes
 * back only after every other port has had its turn, so late packets of an
 * ended call do not reach the next one. Ports some other process holds are
 * skipped.
 */
export class RtpPortPool {
  readonly #host: string;
  readonly #first: number;
  readonly #capacity: number;
  /** Ports bound or being bound. */
  readonly #taken = new Set<number>();
  #cursor = 0;

  constructor(opts: RtpPortPoolOptions) {
    const { host, min, max } = opts;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535 || min > max) {
      throw new RangeError(`bad RTP port range ${min}-${max}`);
    }
    this.#host = host;
    this.#first = min % 2 === 0 ? min : min + 1;
    this.#capacity = Math.max(0, Math.floor((max - 1 - this.#first) / 2) + 1);
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

  /** A session on the next free even port; throws Error('no free RTP port') when there is none. */
  async open(): Promise<RtpSession> {
    for (let tried = 0; tried < this.#capacity; tried += 1) {
      const port = this.#first + 2 * this.#cursor;
      this.#cursor = (this.#cursor + 1) % this.#capacity;
      if (this.#taken.has(port)) continue;
      this.#taken.add(port);
      let socket: Socket;
      try {
        socket = await bind(this.#host, port);
      } catch (err) {
        this.#taken.delete(port);
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw err;
      }
      return new RtpSession(socket, () => this.#taken.delete(port), { address: this.#host, port });
    }
    throw new Error('no free RTP port');
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
