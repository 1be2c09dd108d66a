import { randomInt } from 'node:crypto';
import type { RemoteInfo, Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { buildRtp, emptyRtpHeader, isRtcp, parseRtpInto, type RtpHeader } from './packet.js';

export interface RtpEndpoint {
  address: string;
  port: number;
}

export interface RtpStats {
  /** RTP packets accepted from the latched source. */
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  /** Expected minus received over the latched streams (RFC 3550 §6.4.1, Appendix A.3). */
  lost: number;
  /** Datagrams ignored: not RTP, RTCP, or from a source other than the latched one. */
  dropped: number;
  /** Wall-clock time (ms, Date.now() scale) of the last accepted packet. */
  lastPacketAt: number | null;
}

/**
 * Gets each accepted packet as received. `header` is one object reused for
 * every packet of the session: read it during the call, copy what you keep.
 */
export type RtpPacketListener = (packet: Buffer, header: RtpHeader) => void;

// RFC 3550 Appendix A.1.
const RTP_SEQ_MOD = 0x10000;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

/** One sweep for every watched session of the process, instead of a timer per session. */
export const WATCH_SWEEP_MS = 500;

interface Watch {
  timeoutMs: number;
  since: number;
  onTimeout: () => void;
}

/**
 * One call leg's media endpoint: a bound UDP socket (RtpPortPool.open()
 * makes them), the remote it sends to, and the stream it accepts.
 *
 * Symmetric RTP (RFC 4961) for NATed phones: the first RTP packet received
 * latches its source as the remote, in place of the address from the SDP;
 * packets from any other source are then dropped until relatch(). Sending
 * goes to the latched source, else to the SDP address, else nowhere.
 */
export class RtpSession {
  static readonly #watched = new Map<RtpSession, Watch>();
  static #sweepTimer: NodeJS.Timeout | null = null;

  readonly localAddress: string;
  readonly localPort: number;
  /** SSRC of the packets sendRtp() generates (random, RFC 3550 §5.1, §8). */
  readonly ssrc: number;

  readonly #socket: Socket;
  readonly #release: () => void;
  readonly #header = emptyRtpHeader();
  #listener: RtpPacketListener | null = null;
  #errorListener: ((err: unknown) => void) | null = null;
  #closing: Promise<void> | null = null;

  #sdpRemote: RtpEndpoint | null = null;
  /** Where send() goes; port 0 while no remote is known. */
  #remoteAddress = '';
  #remotePort = 0;
  #latched = false;

  #outSequence: number;

  #packetsIn = 0;
  #packetsOut = 0;
  #bytesIn = 0;
  #dropped = 0;
  #lastPacket: number | null = null;

  // Sequence state of the latched stream (RFC 3550 Appendix A.1).
  #tracking = false;
  #streamSsrc = 0;
  #baseSeq = 0;
  #maxSeq = 0;
  #cycles = 0;
  #badSeq = RTP_SEQ_MOD + 1;
  #received = 0;
  #lostBefore = 0;

  /**
   * `socket` is bound (at `local`, when the caller knows it: one system call
   * less per session); `release` runs once the socket is closed.
   */
  constructor(socket: Socket, release: () => void = () => undefined, local?: RtpEndpoint) {
    const { address, port } = local ?? socket.address();
    this.localAddress = address;
    this.localPort = port;
    this.ssrc = randomInt(0, 0x100000000);
    this.#outSequence = randomInt(0, RTP_SEQ_MOD);
    this.#socket = socket;
    this.#release = release;
    socket.on('message', this.#onMessage);
    socket.on('error', (err) => this.#fail(err));
  }

  /**
   * The remote from the peer's SDP (null: none yet). Port 0 means the stream is
   * disabled (RFC 3264 §5.1) and address 0.0.0.0 means hold (RFC 3264 §8.4):
   * both send nothing. A latched source keeps precedence until relatch().
   */
  setRemote(ep: RtpEndpoint | null): void {
    if (
      ep !== null &&
      (!isIPv4(ep.address) || !Number.isInteger(ep.port) || ep.port < 0 || ep.port > 65535)
    ) {
      throw new RangeError(`RTP remote must be an IPv4 address and a port: ${ep.address}:${ep.port}`);
    }
    this.#sdpRemote = ep && ep.port !== 0 && ep.address !== '0.0.0.0' ? { ...ep } : null;
    if (!this.#latched) this.#useSdpRemote();
  }

  /** Forgets the latched source: the next RTP packet latches again (a re-INVITE). */
  relatch(): void {
    this.#latched = false;
    this.#useSdpRemote();
    this.#endStream();
  }

  /** Where send() goes now: the latched source, the SDP remote, or null. */
  get remote(): RtpEndpoint | null {
    return this.#remotePort === 0 ? null : { address: this.#remoteAddress, port: this.#remotePort };
  }

  get latched(): boolean {
    return this.#latched;
  }

  /** Sets the one packet listener (replacing any other); null removes it. */
  onPacket(cb: RtpPacketListener | null): void {
    this.#listener = cb;
  }

  get packetListener(): RtpPacketListener | null {
    return this.#listener;
  }

  /** Where socket errors and exceptions of listeners go; without one they are ignored. */
  onError(cb: ((err: unknown) => void) | null): void {
    this.#errorListener = cb;
  }

  /** Sends the packet as is to the remote; does nothing while none is known. */
  send(packet: Buffer): void {
    if (this.#remotePort === 0 || this.#closing) return;
    this.#socket.send(packet, this.#remotePort, this.#remoteAddress);
    this.#packetsOut += 1;
  }

  /**
   * Sends generated media (prompts, tones) under this session's own SSRC and
   * sequence numbers; the timestamp is the caller's (taken modulo 2^32).
   */
  sendRtp(payloadType: number, timestamp: number, payload: Buffer, marker = false): void {
    if (this.#remotePort === 0 || this.#closing) return;
    const sequence = this.#outSequence;
    this.send(
      buildRtp({ payloadType, marker, sequence, timestamp: timestamp >>> 0, ssrc: this.ssrc }, payload),
    );
    this.#outSequence = (sequence + 1) % RTP_SEQ_MOD;
  }

  get stats(): RtpStats {
    return {
      packetsIn: this.#packetsIn,
      packetsOut: this.#packetsOut,
      bytesIn: this.#bytesIn,
      lost: this.#lostBefore + this.#streamLost(),
      dropped: this.#dropped,
      lastPacketAt: this.#lastPacket === null ? null : Math.floor(performance.timeOrigin + this.#lastPacket),
    };
  }

  /**
   * Calls onTimeout once when no packet has been accepted for timeoutMs,
   * counted from the last packet or from this call, whichever is later. The
   * check runs every WATCH_SWEEP_MS, so it fires up to that much late. A new
   * watch() replaces the previous one.
   */
  watch(timeoutMs: number, onTimeout: () => void): void {
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs))
      throw new RangeError(`bad RTP timeout: ${timeoutMs}`);
    if (this.#closing) return;
    RtpSession.#watched.set(this, { timeoutMs, since: performance.now(), onTimeout });
    if (RtpSession.#sweepTimer === null) {
      RtpSession.#sweepTimer = setInterval(RtpSession.#sweep, WATCH_SWEEP_MS);
      RtpSession.#sweepTimer.unref();
    }
  }

  unwatch(): void {
    const watched = RtpSession.#watched;
    watched.delete(this);
    if (watched.size === 0 && RtpSession.#sweepTimer !== null) {
      clearInterval(RtpSession.#sweepTimer);
      RtpSession.#sweepTimer = null;
    }
  }

  /** Closes the socket and gives the port back; every call answers the same promise. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.unwatch();
      this.#listener = null;
      const done = (): void => {
        this.#release();
        resolve();
      };
      try {
        this.#socket.close(done);
      } catch {
        done(); // closed behind our back: the port is free all the same
      }
    });
    return this.#closing;
  }

  static #sweep(this: void): void {
    const now = performance.now();
    for (const [session, w] of RtpSession.#watched) {
      const last = session.#lastPacket;
      const since = last !== null && last > w.since ? last : w.since;
      if (now - since < w.timeoutMs) continue;
      session.unwatch();
      try {
        w.onTimeout();
      } catch (err) {
        session.#fail(err);
      }
    }
  }

  readonly #onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    const h = this.#header;
    if (this.#closing || isRtcp(msg) || !parseRtpInto(msg, h)) {
      this.#dropped += 1;
      return;
    }
    if (!this.#latched) {
      this.#remoteAddress = rinfo.address;
      this.#remotePort = rinfo.port;
      this.#latched = true;
    } else if (rinfo.port !== this.#remotePort || rinfo.address !== this.#remoteAddress) {
      this.#dropped += 1;
      return;
    }
    this.#packetsIn += 1;
    this.#bytesIn += msg.length;
    this.#lastPacket = performance.now();
    this.#track(h);
    const listener = this.#listener;
    if (listener === null) return;
    try {
      listener(msg, h);
    } catch (err) {
      this.#fail(err);
    }
  };

  /** update_seq() of RFC 3550 Appendix A.1, without the probation (the source is latched). */
  #track(h: RtpHeader): void {
    if (!this.#tracking || h.ssrc !== this.#streamSsrc) {
      this.#startStream(h);
      return;
    }
    const seq = h.sequence;
    const udelta = (seq - this.#maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (udelta < MAX_DROPOUT) {
      if (seq < this.#maxSeq) this.#cycles += RTP_SEQ_MOD; // wrapped
      this.#maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A big jump: the source restarted if the next packet follows on from it.
      if (seq === this.#badSeq) {
        this.#startStream(h);
        return;
      }
      this.#badSeq = (seq + 1) % RTP_SEQ_MOD;
      return;
    }
    // else a duplicate or a late packet: counted, and the maximum stays.
    this.#received += 1;
  }

  #startStream(h: RtpHeader): void {
    this.#endStream();
    this.#tracking = true;
    this.#streamSsrc = h.ssrc;
    this.#baseSeq = h.sequence;
    this.#maxSeq = h.sequence;
    this.#cycles = 0;
    this.#badSeq = RTP_SEQ_MOD + 1;
    this.#received = 1;
  }

  #endStream(): void {
    this.#lostBefore += this.#streamLost();
    this.#tracking = false;
    this.#received = 0;
  }

  #streamLost(): number {
    if (!this.#tracking) return 0;
    const expected = this.#cycles + this.#maxSeq - this.#baseSeq + 1;
    return Math.max(0, expected - this.#received);
  }

  #useSdpRemote(): void {
    this.#remoteAddress = this.#sdpRemote?.address ?? '';
    this.#remotePort = this.#sdpRemote?.port ?? 0;
  }

  #fail(err: unknown): void {
    const cb = this.#errorListener;
    if (cb === null) return;
    try {
      cb(err);
    } catch {
      // An error handler that throws must not take the media engine down.
    }
  }
}
