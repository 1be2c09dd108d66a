/**
 * What inbound and outbound legs of the embedded engine share: identity,
 * state, timestamps, the RTP endpoint and the one-way trip to `ended`.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { EndCause, LegEvents, LegState } from '../ports.js';
import type { RtpSession } from './rtp/session.js';
import type { SdpCodec } from './sip/sdp.js';
import { randomToken } from './sip/stack.js';

export const REASON_PHRASES: Record<number, string> = {
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  484: 'Address Incomplete',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  503: 'Service Unavailable',
  603: 'Decline',
};

export const reasonPhrase = (status: number): string => REASON_PHRASES[status] ?? 'Unknown';

export abstract class LegBase extends EventEmitter<LegEvents> {
  readonly id = randomToken(8);
  state: LegState = 'new';
  readonly startedAt = Date.now();
  answeredAt: number | null = null;
  endedAt: number | null = null;
  endCause: EndCause | null = null;
  rtp: RtpSession | null = null;
  /** The codecs both ends agreed on (the answer's), once known. */
  codecs: SdpCodec[] | null = null;

  /**
   * Points the RTP endpoint at the peer's SDP address. A host name or IPv6
   * literal is not resolved: the endpoint then latches to the first packet
   * from the peer (symmetric RTP), which is where its media comes from anyway.
   */
  protected mediaTo(audio: { address: string; port: number }): void {
    const rtp = this.rtp;
    if (!rtp) return;
    rtp.setRemote(net.isIPv4(audio.address) ? { address: audio.address, port: audio.port } : null);
  }

  protected markAnswered(): void {
    if (this.state === 'ended' || this.state === 'answered') return;
    this.state = 'answered';
    this.answeredAt = Date.now();
    this.safeEmit('answered');
  }

  protected markRinging(status: number): void {
    if (this.state === 'new') this.state = 'ringing';
    if (this.state !== 'ended') this.safeEmit('progress', status);
  }

  /** Ends the leg once; releases its media. */
  protected markEnded(cause: EndCause, by: 'local' | 'remote'): boolean {
    if (this.state === 'ended') return false;
    this.state = 'ended';
    this.endedAt = Date.now();
    this.endCause = cause;
    const rtp = this.rtp;
    this.rtp = null;
    void rtp?.close();
    this.release();
    this.safeEmit('ended', cause, by);
    return true;
  }

  /** Removes the leg from its owner's maps. */
  protected abstract release(): void;

  /** A listener's exception must not take the SIP stack down (mediasoup's safeEmit). */
  protected safeEmit<K extends keyof LegEvents>(event: K, ...args: LegEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: LegEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      process.emitWarning(`leg ${this.id} ${String(event)} listener failed: ${(err as Error).message}`);
    }
  }
}
