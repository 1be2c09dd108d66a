/** What a leg needs from the embedded signalling adapter that owns it. */
import type { LegBase } from './leg-base.js';
import type { RtpSession } from './rtp/session.js';
import type { Dialog } from './sip/dialog.js';
import type { SipRequest } from './sip/message.js';
import type { SdpCodec } from './sip/sdp.js';
import type { SipStack } from './sip/stack.js';
import type { ServerTransaction } from './sip/transaction.js';

export interface DialogLeg {
  /** A request within the leg's dialog (BYE, re-INVITE, INFO, ...). */
  inDialog(tx: ServerTransaction): void;
  /** The ACK of our 2xx (it may carry the SDP answer of a delayed offer). */
  acked(ack: SipRequest): void;
}

export interface LegContext {
  stack: SipStack;
  /** A new RTP endpoint from the port pool. */
  openRtp(): Promise<RtpSession>;
  /** The address put into SDP c= lines. */
  mediaAddress: string;
  /** A leg with no RTP for this long is ended (0 = never). */
  rtpTimeoutMs: number;
  /** The SIP domain of From/To URIs we create. */
  domain: string;
  addDialog(d: Dialog, leg: DialogLeg): void;
  removeDialog(d: Dialog): void;
  /**
   * The codecs `leg` should offer or answer with so that the other legs of
   * its call relay to it unchanged: an answered leg's agreed codecs, else
   * what a caller still waiting offered; undefined when the call has no
   * other leg with media.
   */
  preferredCodecs(leg: LegBase): SdpCodec[] | undefined;
}
