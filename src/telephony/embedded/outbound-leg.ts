/**
 * The UAC side of a call (RFC 3261 §13.2): an INVITE we send to the carrier
 * trunk or to a registered phone, with our own RTP endpoint in the offer.
 */
import { causeOfSipStatus } from '../../errors/sip.js';
import type { OriginateRequest, OriginateTarget, OutboundLeg } from '../adapter.js';
import { CAUSE, reasonHeader, type EndCause } from '../causes.js';
import { answerFaxOffer, sendReinvite, type FaxSignaling } from './fax/t38-signaling.js';
import { LegBase } from './leg-base.js';
import type { DialogLeg, LegContext } from './leg-context.js';
import { contactUri, Dialog, tagOf } from './sip/dialog.js';
import { SipRequest, type SipResponse } from './sip/message.js';
import { answerCodecs, buildSdp, DEFAULT_OFFER, parseSdp, type Direction } from './sip/sdp.js';
import { randomToken } from './sip/stack.js';
import type { ClientTransaction, ServerTransaction } from './sip/transaction.js';
import type { Peer } from './sip/transport.js';
import { callerHeaders } from './sip/parties.js';

export interface OutboundRoute {
  /** Request-URI. */
  uri: string;
  /** Where the INVITE goes. */
  peer: Peer;
  /** Extra headers of the INVITE (a call between nodes: its pass). */
  headers?: Readonly<Record<string, string>>;
  /** A pre-loaded Route set (a phone's Path), first entry = peer. */
  routes?: readonly string[];
}

export class EmbeddedOutboundLeg extends LegBase implements OutboundLeg, DialogLeg {
  readonly target: OriginateTarget;
  readonly call: string;
  /** The final SIP status that ended it before an answer (486, 480, 408 ...), if any. */
  failureStatus: number | null = null;
  private readonly localTag = randomToken(6);
  private readonly callId: string;
  private tx: ClientTransaction | null = null;
  private dialog: Dialog | null = null;
  private cancelWanted: EndCause | null = null;
  private cancelSent = false;
  private invite: SipRequest | null = null;
  private sdpVersion = 1;
  private readonly sessionId = String(Date.now());

  constructor(
    private readonly ctx: LegContext,
    private readonly req: OriginateRequest,
    private readonly route: OutboundRoute,
  ) {
    super();
    this.target = req.target;
    this.call = req.call;
    this.callId = `${randomToken(10)}@${ctx.stack.advertisedHost}`;
  }

  get wireId(): string {
    return this.callId;
  }

  async start(): Promise<void> {
    let rtp;
    try {
      rtp = await this.ctx.openRtp();
    } catch {
      this.markEnded(CAUSE.congestion, 'local');
      return;
    }
    if (this.state === 'ended') {
      await rtp.close();
      return;
    }
    this.rtp = rtp;
    // Offer what the call's other leg uses, so the bridge relays it unchanged.
    const codecs = this.ctx.preferredCodecs(this) ?? DEFAULT_OFFER;
    const invite = new SipRequest('INVITE', this.route.uri);
    const from = this.req.from;
    const caller = callerHeaders(this.req, this.ctx.domain);
    invite.set('from', `${caller.from};tag=${this.localTag}`);
    invite.set('to', `<${this.route.uri}>`);
    invite.set('call-id', this.callId);
    invite.set('cseq', '1 INVITE');
    for (const r of this.route.routes ?? []) invite.add('route', r);
    invite.set('contact', this.ctx.stack.contact(from.clir ? null : from.number, this.route.peer));
    invite.set('allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO');
    for (const [name, value] of Object.entries(caller.more)) invite.set(name, value);
    for (const [name, value] of Object.entries(this.route.headers ?? {})) invite.set(name, value);
    invite.setBody(
      'application/sdp',
      buildSdp({
        address: this.ctx.mediaAddress,
        port: rtp.localPort,
        codecs,
        sessionId: this.sessionId,
        version: 1,
      }),
    );
    this.invite = invite;
    this.tx = this.ctx.stack.request(invite, this.route.peer, {
      onResponse: (res) => this.response(res),
      onTimeout: () => this.fail(408),
    });
  }

  private response(res: SipResponse): void {
    if (res.status < 200) {
      if (this.cancelWanted) {
        this.sendCancel();
        return;
      }
      if (res.status > 100) this.markRinging(res.status === 183 ? 'early' : 'ringing');
      return;
    }
    if (res.status >= 300) {
      this.fail(res.status);
      return;
    }
    if (this.dialog) {
      // A retransmitted 2xx: our ACK was lost (§13.2.2.4).
      this.sendAck();
      return;
    }
    this.dialog = new Dialog(
      this.callId,
      this.localTag,
      tagOf(res.get('to')) ?? '',
      (this.invite?.get('from') ?? '').replace(/;tag=.*$/, ''),
      `<${this.route.uri}>`,
      contactUri(res.get('contact')) ?? this.route.uri,
      [...res.getAll('record-route')].reverse(),
      this.route.peer,
      1,
    );
    this.ctx.addDialog(this.dialog, this);
    this.sendAck();
    if (this.cancelWanted || this.state === 'ended') {
      // CANCEL lost the race with the 2xx (§9.1): ACK then BYE.
      this.sendBye(this.cancelWanted ?? CAUSE.normal);
      this.ctx.removeDialog(this.dialog);
      return;
    }
    const sdp = res.body.length > 0 ? parseSdp(res.body.toString()) : null;
    if (sdp?.audio && this.rtp) {
      this.mediaTo(sdp.audio);
      this.codecs = answerCodecs(sdp.audio.codecs);
    }
    if (this.ctx.rtpTimeoutMs > 0)
      this.rtp?.watch(this.ctx.rtpTimeoutMs, () => this.hangup(CAUSE.mediaTimeout));
    this.markAnswered();
  }

  private sendAck(): void {
    if (!this.dialog) return;
    const ack = this.dialog.request('ACK', 1);
    ack.set('via', this.ctx.stack.via(this.dialog.peer));
    ack.set('max-forwards', '70');
    this.ctx.stack.sendRaw(ack, this.dialog.peer);
  }

  private sendBye(cause: EndCause): void {
    if (!this.dialog) return;
    const bye = this.dialog.request('BYE');
    bye.set('reason', reasonHeader(cause));
    this.ctx.stack.request(bye, this.dialog.peer, {
      onResponse: () => undefined,
      onTimeout: () => undefined,
    });
  }

  private fail(status: number): void {
    this.failureStatus = status;
    if (this.cancelWanted) return; // 487 to our CANCEL: already ended locally
    this.markEnded(causeOfSipStatus(status), 'remote');
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.state === 'ended') return;
    if (this.state === 'answered') {
      this.sendBye(cause);
      this.markEnded(cause, 'local');
      return;
    }
    this.cancelWanted = cause;
    if (this.tx?.provisional) this.sendCancel();
    // Without a provisional response yet the CANCEL waits for one (§9.1); the leg is over for the engine now.
    this.markEnded(cause, 'local');
  }

  private sendCancel(): void {
    if (this.cancelSent || !this.tx || !this.cancelWanted) return;
    this.cancelSent = true;
    this.ctx.stack.cancel(this.tx, reasonHeader(this.cancelWanted));
  }

  acked(): void {
    // We never answer INVITEs on an outbound leg except re-INVITEs, whose ACK needs nothing.
  }

  inDialog(tx: ServerTransaction): void {
    const req = tx.request;
    if (req.method === 'BYE') {
      tx.respond(200, 'OK');
      this.markEnded(CAUSE.normal, 'remote');
      return;
    }
    if (
      req.method === 'INVITE' &&
      answerFaxOffer(tx, this.faxOffer, { contact: this.ctx.stack.contact(null, tx.peer) })
    )
      return;
    if (req.method === 'INVITE' && this.rtp && this.codecs) {
      const sdp = req.body.length > 0 ? parseSdp(req.body.toString()) : null;
      let direction: Direction | undefined;
      if (sdp?.audio) {
        direction = this.offerDirection(sdp.audio);
        this.mediaTo(sdp.audio);
        this.rtp.relatch();
      }
      tx.respond(200, 'OK', {
        headers: { contact: this.ctx.stack.contact(null, tx.peer) },
        body: buildSdp({
          address: this.ctx.mediaAddress,
          port: this.rtp.localPort,
          codecs: this.codecs,
          sessionId: this.sessionId,
          version: ++this.sdpVersion,
          ...(direction ? { direction } : {}),
        }),
      });
      return;
    }
    if (req.method === 'INFO') this.infoDigit(req.get('content-type') ?? '', req.body.toString());
    tx.respond(200, 'OK');
  }

  faxSignaling(): FaxSignaling | null {
    if (this.state !== 'answered' || !this.dialog) return null;
    const dialog = this.dialog;
    return {
      mediaAddress: this.ctx.mediaAddress,
      nextOrigin: () => ({ sessionId: this.sessionId, version: ++this.sdpVersion }),
      reinvite: (sdp) => sendReinvite(this.ctx.stack, dialog, this.ctx.stack.contact(null, dialog.peer), sdp),
      setFaxOffer: (hook) => {
        this.faxOffer = hook;
      },
    };
  }

  protected confirmedDialog(): Dialog | null {
    return this.dialog;
  }

  protected release(): void {
    if (this.dialog && !this.cancelWanted) this.ctx.removeDialog(this.dialog);
  }
}
