/**
 * What inbound and outbound legs of the embedded engine share: identity,
 * state, timestamps, the RTP endpoint and the one-way trip to `ended`.
 */
import net from 'node:net';
import { SafeEmitter } from '../../lib/safe-emitter.js';
import type { EndCause, LegEvents, LegState } from '../adapter.js';
import type { FaxOfferHook, FaxSignaling } from './fax/t38-signaling.js';
import type { MediaChannel } from './media-channel.js';
import type { RtpSession } from './rtp/session.js';
import { dialogSnapshot, type Dialog, type DialogSnapshot } from './sip/dialog.js';
import type { Direction, SdpCodec } from './sip/sdp.js';
import { randomToken } from './sip/stack.js';

export abstract class LegBase extends SafeEmitter<LegEvents> {
  readonly id = randomToken(8);
  /** The engine's call the leg belongs to (legs of one call prefer each other's codecs). */
  abstract readonly call: string;
  state: LegState = 'new';
  readonly startedAt = Date.now();
  answeredAt: number | null = null;
  endedAt: number | null = null;
  endCause: EndCause | null = null;
  rtp: RtpSession | null = null;
  /** The codecs both ends agreed on (the answer's), once known. */
  codecs: SdpCodec[] | null = null;
  /**
   * The codecs a leg bridged with this one should use, so the relay passes
   * media unchanged: the agreed ones (null while unknown).
   */
  get mediaCodecs(): SdpCodec[] | null {
    return this.codecs;
  }

  /** The media fan-out on `rtp`, made by the adapter at the first media use. */
  channel: MediaChannel | null = null;
  /** The far end holds the call (its last offer was sendonly, inactive or 0.0.0.0). */
  held = false;
  /** Set while a fax runs on the leg: answers the far end's T.38 offer (else 488). */
  faxOffer: FaxOfferHook | null = null;

  /** The re-INVITE side of a fax on this leg (null before the answer or after the end). */
  abstract faxSignaling(): FaxSignaling | null;

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

  protected markRinging(kind: 'ringing' | 'early'): void {
    if (this.state === 'new') this.state = 'ringing';
    if (this.state !== 'ended') this.safeEmit('progress', kind);
  }

  /** Ends the leg once; releases its media. */
  protected markEnded(cause: EndCause, by: 'local' | 'remote'): boolean {
    if (this.state === 'ended') return false;
    this.state = 'ended';
    this.endedAt = Date.now();
    this.endCause = cause;
    const rtp = this.rtp;
    this.rtp = null;
    this.channel?.close();
    this.channel = null;
    void rtp?.close();
    this.release();
    this.safeEmit('ended', cause, by);
    return true;
  }

  /** A re-INVITE's offer: reports hold changes; answers the direction of our answer (RFC 3264 §6.1). */
  protected offerDirection(audio: { direction: Direction; address: string }): Direction {
    const held =
      audio.direction === 'sendonly' || audio.direction === 'inactive' || audio.address === '0.0.0.0';
    if (held !== this.held) {
      this.held = held;
      this.safeEmit('hold', held);
    }
    if (audio.address === '0.0.0.0' || audio.direction === 'inactive') return 'inactive';
    if (audio.direction === 'sendonly') return 'recvonly';
    if (audio.direction === 'recvonly') return 'sendonly';
    return 'sendrecv';
  }

  /** SIP INFO digits (application/dtmf-relay "Signal=5", or application/dtmf "5"). */
  protected infoDigit(contentType: string, body: string): boolean {
    const type = contentType.toLowerCase().split(';')[0]?.trim();
    let digit: string | undefined;
    let durationMs = 100;
    if (type === 'application/dtmf-relay') {
      const signal = /^\s*signal\s*=\s*(\S)/im.exec(body);
      const duration = /^\s*duration\s*=\s*(\d{1,6})/im.exec(body);
      digit = signal?.[1];
      if (duration) durationMs = Number(duration[1]);
    } else if (type === 'application/dtmf') {
      digit = body.trim().slice(0, 1);
    } else return false;
    if (digit === undefined || !/^[0-9*#A-Da-d]$/.test(digit)) return false;
    this.channel?.injectDigit({ digit: digit.toUpperCase(), durationMs, source: 'info' });
    return true;
  }

  /** Removes the leg from its owner's maps. */
  protected abstract release(): void;

  /** The leg's dialog once confirmed (null before, and after it ended). */
  protected abstract confirmedDialog(): Dialog | null;

  /** What another process needs to end this leg (crash recovery); null without a confirmed dialog. */
  snapshot(): DialogSnapshot | null {
    const d = this.state === 'answered' ? this.confirmedDialog() : null;
    return d ? dialogSnapshot(d) : null;
  }
}
