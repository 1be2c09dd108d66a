/**
 * The UAS side of a call (RFC 3261 §13.3): an INVITE we received, answered
 * with our own RTP endpoint (media is always anchored) once the engine says.
 */
import { reasonPhrase, sipStatusOf } from '../../errors/sip.js';
import type { DialogRef, InboundInfo, InboundLeg } from '../adapter.js';
import { CAUSE, reasonHeader, type EndCause } from '../causes.js';
import { answerFaxOffer, sendReinvite, type FaxSignaling } from './fax/t38-signaling.js';
import { LegBase } from './leg-base.js';
import type { DialogLeg, LegContext } from './leg-context.js';
import { contactUri, Dialog, tagOf, withoutTag } from './sip/dialog.js';
import type { SipRequest } from './sip/message.js';
import {
  answerCodecs,
  buildSdp,
  DEFAULT_OFFER,
  parseSdp,
  usableCodecs,
  type Direction,
  type Sdp,
  type SdpCodec,
} from './sip/sdp.js';
import { randomToken } from './sip/stack.js';
import type { ServerTransaction } from './sip/transaction.js';

export class EmbeddedInboundLeg extends LegBase implements InboundLeg, DialogLeg {
  private readonly localTag = randomToken(6);
  private sipDialog: Dialog | null = null;
  private readonly sessionId = String(Date.now());
  private sdpVersion = 1;
  private answering: Promise<void> | null = null;
  private early: Promise<boolean> | null = null;

  constructor(
    private readonly ctx: LegContext,
    private readonly tx: ServerTransaction,
    /** The call uuid the adapter made for this new call. */
    readonly call: string,
    readonly info: InboundInfo,
    /** The caller's SDP offer; null for a delayed offer (answer comes in the ACK). */
    readonly offer: Sdp | null,
  ) {
    super();
  }

  /**
   * Before the answer, the codecs the caller can take (their offer, or ours
   * for a delayed offer); after early media or the answer, the agreed ones.
   */
  override get mediaCodecs(): SdpCodec[] {
    if (this.rtp && this.codecs) return this.codecs;
    return this.offer?.audio ? usableCodecs(this.offer.audio.codecs) : DEFAULT_OFFER;
  }

  ring(): void {
    if (this.state !== 'new') return;
    this.tx.respond(180, 'Ringing', { toTag: this.localTag, headers: { contact: this.contact() } });
    this.markRinging('ringing');
  }

  private contact(): string {
    return this.ctx.stack.contact(this.info.called || null, this.tx.peer);
  }

  get wireId(): string {
    return this.tx.request.callId;
  }

  get dialog(): DialogRef {
    const req = this.tx.request;
    return { callId: req.callId, localTag: this.localTag, remoteTag: tagOf(req.get('from')) ?? '' };
  }

  answer(): Promise<void> {
    this.answering ??= this.doAnswer();
    return this.answering;
  }

  earlyMedia(): Promise<boolean> {
    this.early ??= this.doEarlyMedia();
    return this.early;
  }

  /**
   * Opens the RTP endpoint and picks the codecs of our answer (the other
   * leg's, so a bridge relays without transcoding); false when the call
   * ended meanwhile, nothing in the offer fits (the caller then got 488) or
   * no RTP port is free (503).
   */
  private async prepareMedia(preferred: SdpCodec[] | undefined): Promise<boolean> {
    if (this.rtp) return true;
    let codecs = DEFAULT_OFFER;
    if (this.offer) {
      const chosen = this.offer.audio ? answerCodecs(this.offer.audio.codecs, preferred) : null;
      if (!chosen) {
        this.reject(CAUSE.noCommonCodec);
        return false;
      }
      codecs = chosen;
    }
    let rtp;
    try {
      rtp = await this.ctx.openRtp();
    } catch {
      // Every RTP port of this node is in use: no channel available (Q.850 34, 503), as for an outbound leg.
      this.reject(CAUSE.congestion);
      return false;
    }
    if ((this.state as string) === 'ended' || this.state === 'answered') {
      await rtp.close();
      return false;
    }
    this.rtp = rtp;
    if (this.offer?.audio) {
      this.mediaTo(this.offer.audio);
      this.codecs = codecs;
    }
    return true;
  }

  private localSdp(direction?: Direction): string {
    return buildSdp({
      address: this.ctx.mediaAddress,
      port: this.rtp?.localPort ?? 9,
      codecs: this.codecs ?? DEFAULT_OFFER,
      sessionId: this.sessionId,
      version: this.sdpVersion,
      rejected: this.offer?.otherMedia ?? [],
      ...(direction ? { direction } : {}),
    });
  }

  private async doEarlyMedia(): Promise<boolean> {
    // Without an offer there is nothing to answer in a 183 (the answer would have to be an offer).
    if (!this.offer?.audio || this.state === 'ended' || this.state === 'answered') return false;
    if (!(await this.prepareMedia(undefined))) return false;
    if (this.state !== 'new' && this.state !== 'ringing') return false;
    this.tx.respond(183, 'Session Progress', {
      toTag: this.localTag,
      headers: { contact: this.contact() },
      body: this.localSdp(),
    });
    this.markRinging('early');
    return true;
  }

  private async doAnswer(): Promise<void> {
    if (this.state === 'ended' || this.state === 'answered') return;
    // Answer in the codec the call's other leg chose, so a bridge relays without transcoding.
    const preferred = this.ctx.preferredCodecs(this);
    if (this.early) await this.early;
    if (!(await this.prepareMedia(preferred))) return;
    const rtp = this.rtp;
    if (!rtp || (this.state as string) === 'ended') return;
    const req = this.tx.request;
    // After early media the 200 repeats the 183's SDP (RFC 3261 §13.3.1: the same answer).
    const res = this.tx.respond(200, 'OK', {
      toTag: this.localTag,
      headers: { contact: this.contact(), allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO' },
      body: this.localSdp(),
    });
    if (!res) return; // cancelled meanwhile
    const fromTag = tagOf(req.get('from')) ?? '';
    this.sipDialog = new Dialog(
      req.callId,
      this.localTag,
      fromTag,
      withoutTag(req.get('to') ?? ''),
      withoutTag(req.get('from') ?? ''),
      contactUri(req.get('contact')) ?? req.uri,
      req.getAll('record-route'),
      this.tx.peer,
      1,
    );
    this.sipDialog.remoteSeq = req.cseq.seq;
    this.ctx.addDialog(this.sipDialog, this);
    this.tx.onNoAck = () => this.hangup(CAUSE.mediaTimeout);
    if (this.ctx.rtpTimeoutMs > 0) rtp.watch(this.ctx.rtpTimeoutMs, () => this.hangup(CAUSE.mediaTimeout));
    this.markAnswered();
  }

  acked(ack: SipRequest): void {
    if (!this.offer && ack.body.length > 0 && this.rtp) {
      const sdp = parseSdp(ack.body.toString());
      if (sdp?.audio) {
        this.mediaTo(sdp.audio);
        this.codecs = answerCodecs(sdp.audio.codecs);
      }
    }
  }

  reject(cause: EndCause): void {
    if (this.state === 'answered' || this.state === 'ended') return;
    const status = sipStatusOf(cause);
    this.tx.respond(status, reasonPhrase(status), {
      toTag: this.localTag,
      headers: { reason: reasonHeader(cause) },
    });
    this.markEnded(cause, 'local');
  }

  /** The caller sent CANCEL (the stack already answered it 200). */
  cancelled(): void {
    if (this.state === 'answered' || this.state === 'ended') return;
    this.tx.respond(487, 'Request Terminated', { toTag: this.localTag });
    this.markEnded(CAUSE.cancelled, 'remote');
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.state === 'ended') return;
    if (this.state !== 'answered' || !this.sipDialog) {
      this.reject(cause);
      return;
    }
    const bye = this.sipDialog.request('BYE');
    bye.set('reason', reasonHeader(cause));
    this.ctx.stack.request(bye, this.sipDialog.peer, {
      onResponse: () => undefined,
      onTimeout: () => undefined,
    });
    this.markEnded(cause, 'local');
  }

  inDialog(tx: ServerTransaction): void {
    const req = tx.request;
    switch (req.method) {
      case 'BYE':
        tx.respond(200, 'OK');
        this.markEnded(CAUSE.normal, 'remote');
        return;
      case 'INVITE':
        // A session refresh or hold re-INVITE: keep relaying and answer with our unchanged session.
        this.reinvite(tx);
        return;
      case 'INFO':
        this.infoDigit(req.get('content-type') ?? '', req.body.toString());
        tx.respond(200, 'OK');
        return;
      default:
        tx.respond(200, 'OK');
    }
  }

  private reinvite(tx: ServerTransaction): void {
    if (answerFaxOffer(tx, this.faxOffer, { toTag: this.localTag, contact: this.contact() })) return;
    const sdp = tx.request.body.length > 0 ? parseSdp(tx.request.body.toString()) : null;
    if (!this.rtp || !this.codecs) {
      tx.respond(488, 'Not Acceptable Here');
      return;
    }
    let direction: Direction | undefined;
    if (sdp?.audio) {
      direction = this.offerDirection(sdp.audio);
      this.mediaTo(sdp.audio);
      this.rtp.relatch();
    }
    this.sdpVersion++;
    tx.respond(200, 'OK', {
      toTag: this.localTag,
      headers: { contact: this.contact() },
      body: this.localSdp(direction),
    });
  }

  faxSignaling(): FaxSignaling | null {
    if (this.state !== 'answered' || !this.sipDialog) return null;
    const dialog = this.sipDialog;
    return {
      mediaAddress: this.ctx.mediaAddress,
      nextOrigin: () => ({ sessionId: this.sessionId, version: ++this.sdpVersion }),
      reinvite: (sdp) => sendReinvite(this.ctx.stack, dialog, this.contact(), sdp),
      setFaxOffer: (hook) => {
        this.faxOffer = hook;
      },
    };
  }

  protected confirmedDialog(): Dialog | null {
    return this.sipDialog;
  }

  protected release(): void {
    if (this.sipDialog) this.ctx.removeDialog(this.sipDialog);
  }
}
