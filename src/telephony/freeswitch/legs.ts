/**
 * Legs of the drachtio + FreeSWITCH adapter: a SIP dialog held by
 * drachtio-server toward the far end, and a FreeSWITCH channel (an fsmrf
 * Endpoint) anchoring its media. Every leg is back-to-back: its far end
 * talks RTP with FreeSWITCH only, so bridges, prompts, recordings, DTMF,
 * conferences and fax are FreeSWITCH's work on the leg's channel.
 */
import type { EventEmitter } from 'node:events';
import type Srf from 'drachtio-srf';
import type Mrf from 'drachtio-fsmrf';
import { parseQ850Reason } from '../../domain/cdr/q850.js';
import { causeOfSipStatus, sipStatusOf } from '../../errors/sip.js';
import { SafeEmitter } from '../../lib/safe-emitter.js';
import type {
  DialogRef,
  InboundInfo,
  InboundLeg,
  LegEvents,
  LegState,
  Logger,
  OriginateRequest,
  OriginateTarget,
  OutboundLeg,
} from '../adapter.js';
import { CAUSE, reasonHeader, type EndCause } from '../causes.js';
import { isHold, parseSdp } from '../embedded/sip/sdp.js';
import { randomToken } from '../embedded/sip/stack.js';

/** What legs need of the adapter: the two servers and the leg registry. */
export interface FsLegContext {
  srf: Srf;
  /** The media server now (null while FreeSWITCH is away: legs cannot get media). */
  mediaServer(): Mrf.MediaServer | null;
  log: Logger;
  /** A leg without RTP for this long ends (0: never). */
  rtpTimeoutMs: number;
  track(leg: FsLeg): void;
}

/** The dialog id drachtio-server knows a dialog by (an in-dialog request names it). */
export function stackDialogId(d: Srf.Dialog): string {
  return (d as unknown as { id: string }).id;
}

/** Whether an SDP has T.38 (an image stream not refused). */
const isT38 = (sdp: string): boolean => /^m=image [1-9]/m.test(sdp);

/** Why the far end hung up: the Q.850 cause of its Reason header, else normal clearing. */
function causeOfBye(bye: Srf.SrfRequest | undefined): EndCause {
  const reason = bye?.get?.('Reason');
  const q = reason ? parseQ850Reason(reason) : null;
  return q && q.cause !== 16 ? { q850: q.cause } : CAUSE.normal;
}

export abstract class FsLeg extends SafeEmitter<LegEvents> {
  readonly id = randomToken(8);
  state: LegState = 'new';
  readonly startedAt = Date.now();
  answeredAt: number | null = null;
  endedAt: number | null = null;
  endCause: EndCause | null = null;
  wireId: string | undefined;
  /** The FreeSWITCH channel of the leg's media (null until it has one). */
  ep: Mrf.Endpoint | null = null;
  /** The answered dialog with the far end. */
  sipDialog: Srf.Dialog | null = null;
  private held = false;
  /** The leg's media is T.38 now (a re-INVITE to image/t38 either way was answered). */
  private t38 = false;

  constructor(
    readonly call: string,
    protected readonly ctx: FsLegContext,
  ) {
    super();
  }

  /** A new FreeSWITCH channel, offered the far end's SDP (or making its own offer). */
  protected async endpoint(remoteSdp?: string): Promise<Mrf.Endpoint> {
    const ms = this.ctx.mediaServer();
    if (!ms) throw new Error('FreeSWITCH is not connected');
    const ep = await ms.createEndpoint(remoteSdp ? { remoteSdp } : {});
    if (this.over) {
      this.release(ep);
      throw new Error('the leg ended meanwhile');
    }
    this.ep = ep;
    // Unbridged legs stay up: the engine decides when a leg ends, never FreeSWITCH's bridge.
    await ep.set({
      hangup_after_bridge: 'false',
      park_after_bridge: 'true',
      // RTP_TIMEOUT_SECONDS: FreeSWITCH hangs up a channel without RTP for this long (0: never).
      ...(this.ctx.rtpTimeoutMs > 0 ? { media_timeout: String(this.ctx.rtpTimeoutMs) } : {}),
    });
    // FreeSWITCH dropped the channel (media timeout, restart, uuid_kill): the leg cannot go on. Why
    // comes with the HANGUP call state or in FreeSWITCH's BYE toward drachtio (Reason: ...;text="MEDIA_TIMEOUT"),
    // either of which may follow fsmrf's 'destroy' (the socket closes first): wait a moment for it.
    let cause: string | undefined;
    let gone = false;
    const decide = () => this.end(cause === 'MEDIA_TIMEOUT' ? CAUSE.mediaTimeout : CAUSE.failure, 'local');
    const conn = (ep as unknown as { conn?: EventEmitter | null }).conn;
    conn?.on(`esl::event::CHANNEL_CALLSTATE::${ep.uuid}`, (evt: Mrf.EslEvent) => {
      if (evt.getHeader('Channel-Call-State') === 'HANGUP') cause = evt.getHeader('Hangup-Cause');
    });
    ep.dialog.once('destroy', ((bye?: Srf.SrfRequest) => {
      const text = /text="?([A-Z_]+)/.exec(bye?.get?.('Reason') ?? '')?.[1];
      if (text) cause = text;
      if (gone) decide();
    }) as unknown as (msg: Srf.SrfResponse) => void);
    ep.once('destroy', (e?: { reason?: string }) => {
      gone = true;
      if (e?.reason) cause = e.reason;
      if (cause) decide();
      else setTimeout(decide, 300).unref();
    });
    // FreeSWITCH's own re-INVITEs (mod_spandsp's to image/t38 and back): the far end decides.
    ep.dialog.on('modify', (req: Srf.SrfRequest, res: Srf.SrfResponse) => void this.offerFar(req, res));
    return ep;
  }

  /**
   * A re-INVITE of the leg's FreeSWITCH channel. To T.38 (mod_spandsp's)
   * and back to audio after it, it is offered to the far end in the leg's
   * dialog, and FreeSWITCH gets the far end's answer or refusal (drachtio-srf
   * would answer it with the old SDP: an audio answer to a T.38 offer). Any
   * other (FreeSWITCH refreshes its audio after a hold, for one) is its own
   * business and answered here with the far end's SDP it has, as before:
   * the far end never sees it.
   */
  private async offerFar(req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
    const dialog = this.sipDialog;
    const ep = this.ep;
    if (!dialog || !ep || this.over || !req.body) {
      res.send(488);
      return;
    }
    if (!isT38(req.body) && !this.t38) {
      const own = ep.dialog as unknown as { local: { sdp: string; contact?: string } };
      res.send(200, {
        body: own.local.sdp,
        headers: {
          'Content-Type': 'application/sdp',
          ...(own.local.contact ? { Contact: own.local.contact } : {}),
        },
      });
      return;
    }
    try {
      const answer = await dialog.modify(req.body);
      this.t38 = isT38(answer);
      res.send(200, { body: answer, headers: { 'Content-Type': 'application/sdp' } });
    } catch (err) {
      const status = (err as { status?: number }).status;
      this.ctx.log.debug({ err, leg: this.id }, 're-INVITE of FreeSWITCH not taken by the far end');
      // drachtio-srf leaves a refused re-INVITE counted as in progress: later ones would wait for good.
      const queue = (
        dialog as unknown as { _reinvitesInProgress?: { count: number; admitOne: (() => void)[] } }
      )._reinvitesInProgress;
      if (typeof status === 'number' && queue && queue.count > 0) {
        queue.count--;
        queue.admitOne.shift()?.();
      }
      res.send(typeof status === 'number' && status >= 400 ? status : 488);
    }
  }

  /**
   * Hangs the channel up: uuid_kill at once over the server connection (a
   * hangup through the channel's own socket waits behind whatever
   * application runs there, and a channel left behind keeps its RTP timer
   * running in FreeSWITCH for good), then fsmrf's own cleanup.
   */
  private release(ep: Mrf.Endpoint): void {
    void this.ctx
      .mediaServer()
      ?.api(`uuid_kill ${ep.uuid}`)
      .catch(() => undefined);
    void ep.destroy().catch(() => undefined);
  }

  /** The answered dialog: its BYE ends the leg, its re-INVITEs move FreeSWITCH and tell holds. */
  protected established(dialog: Srf.Dialog): void {
    this.sipDialog = dialog;
    this.wireId = dialog.sip.callId;
    dialog.on('destroy', (bye: Srf.SrfRequest) => this.end(causeOfBye(bye), 'remote'));
    dialog.on('modify', (req: Srf.SrfRequest, res: Srf.SrfResponse) => void this.reinvite(req, res));
    this.state = 'answered';
    this.answeredAt = Date.now();
    this.safeEmit('answered');
  }

  private async reinvite(req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
    const audio = req.body ? parseSdp(req.body)?.audio : null;
    try {
      const answer = this.ep && req.body ? await this.ep.modify(req.body) : (this.ep?.local.sdp ?? '');
      if (req.body) this.t38 = isT38(answer);
      res.send(200, { body: answer, headers: { 'Content-Type': 'application/sdp' } });
    } catch (err) {
      this.ctx.log.warn({ err, leg: this.id }, 're-INVITE not taken by FreeSWITCH');
      res.send(488);
      return;
    }
    if (audio) {
      const held = isHold(audio);
      if (held !== this.held) {
        this.held = held;
        this.safeEmit('hold', held);
      }
    }
  }

  /** Whether the leg ended (read after an await, where the compiler's narrowing is stale). */
  protected get over(): boolean {
    return this.state === 'ended';
  }

  /** Ends the leg once: the far end and the FreeSWITCH channel go with it. */
  protected end(cause: EndCause, by: 'local' | 'remote'): void {
    if (this.over) return;
    this.state = 'ended';
    this.endedAt = Date.now();
    this.endCause = cause;
    const dialog = this.sipDialog;
    if (dialog && by === 'local')
      dialog.destroy({ headers: { Reason: reasonHeader(cause) } }, () => undefined);
    const ep = this.ep;
    if (ep) this.release(ep);
    this.safeEmit('ended', cause, by);
  }

  abstract hangup(cause?: EndCause): void;
}

export class FsInboundLeg extends FsLeg implements InboundLeg {
  private early = false;

  constructor(
    call: string,
    ctx: FsLegContext,
    private readonly req: Srf.SrfRequest,
    private readonly res: Srf.SrfResponse,
    readonly info: InboundInfo,
    readonly dialog: DialogRef,
  ) {
    super(call, ctx);
    this.wireId = dialog.callId;
  }

  ring(): void {
    if (this.state !== 'new' || this.res.finalResponseSent) return;
    this.res.send(180);
    this.state = 'ringing';
    this.safeEmit('progress', 'ringing');
  }

  async earlyMedia(): Promise<boolean> {
    if (this.over || this.state === 'answered' || !this.req.body) return false;
    if (this.early) return true;
    try {
      const ep = this.ep ?? (await this.endpoint(this.req.body));
      if (this.over || this.res.finalResponseSent) return false;
      this.res.send(183, { body: ep.local.sdp, headers: { 'Content-Type': 'application/sdp' } });
    } catch (err) {
      this.ctx.log.debug({ err, leg: this.id }, 'no early media');
      return false;
    }
    this.early = true;
    if (this.state === 'new') this.state = 'ringing';
    this.safeEmit('progress', 'early');
    return true;
  }

  async answer(): Promise<void> {
    if (this.state === 'answered' || this.over) return;
    try {
      const ep = this.ep ?? (await this.endpoint(this.req.body || undefined));
      const dialog = await this.ctx.srf.createUAS(this.req, this.res, { localSdp: ep.local.sdp });
      if (this.over) {
        dialog.destroy();
        return;
      }
      // A caller without an offer answers in the ACK: FreeSWITCH takes it then.
      if (!this.req.body)
        dialog.on('ack', (ack: Srf.SrfRequest) => {
          if (ack.body) void ep.modify(ack.body).catch(() => undefined);
        });
      this.established(dialog);
    } catch (err) {
      if (this.over) return;
      this.ctx.log.warn({ err, leg: this.id }, 'answer failed');
      if (!this.res.finalResponseSent) this.res.send(500);
      this.end(CAUSE.failure, 'local');
    }
  }

  reject(cause: EndCause): void {
    if (this.over || this.state === 'answered') return;
    if (!this.res.finalResponseSent)
      this.res.send(sipStatusOf(cause), {
        headers: { Reason: reasonHeader(cause) },
      });
    this.end(cause, 'local');
  }

  /** The caller sent CANCEL (drachtio answered it and the INVITE). */
  cancelled(): void {
    this.end(CAUSE.cancelled, 'remote');
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.state === 'answered') this.end(cause, 'local');
    else this.reject(cause);
  }
}

/** Where an outbound leg's INVITE goes: the request URI, the next hop, extra headers. */
export interface FsRoute {
  uri: string;
  /** The next hop when it is not the request URI's host (a registered device's flow, a Path proxy). */
  proxy?: string;
  headers: Record<string, string>;
}

export class FsOutboundLeg extends FsLeg implements OutboundLeg {
  private invite: Srf.SrfRequest | null = null;

  constructor(
    ctx: FsLegContext,
    readonly request: OriginateRequest,
    private readonly route: FsRoute,
  ) {
    super(request.call, ctx);
  }

  get target(): OriginateTarget {
    return this.request.target;
  }

  async start(): Promise<void> {
    let ep: Mrf.Endpoint;
    try {
      ep = await this.endpoint();
    } catch (err) {
      if (this.state !== 'ended') {
        this.ctx.log.warn({ err, leg: this.id }, 'no FreeSWITCH channel for an outbound leg');
        this.end(CAUSE.congestion, 'local');
      }
      return;
    }
    let earlySdp: string | null = null;
    try {
      const dialog = await this.ctx.srf.createUAC(
        this.route.uri,
        {
          localSdp: ep.local.sdp,
          headers: this.route.headers,
          ...(this.route.proxy ? { proxy: this.route.proxy } : {}),
        },
        {
          // drachtio-srf 5 calls it (err, req); its bundled types say (req).
          cbRequest: ((err: Error | null, req: Srf.SrfRequest | undefined) => {
            if (err || !req) return;
            this.invite = req;
            this.wireId = req.get('Call-ID');
            if (this.over) req.cancel(() => undefined);
          }) as unknown as (req: Srf.SrfRequest) => void,
          cbProvisional: (p) => {
            if (this.over || p.status < 180) return;
            if (this.state === 'new') this.state = 'ringing';
            if (p.body && earlySdp === null) {
              earlySdp = p.body;
              void ep.modify(p.body).catch(() => undefined);
              this.safeEmit('progress', 'early');
            } else this.safeEmit('progress', 'ringing');
          },
        },
      );
      if (this.over) {
        dialog.destroy();
        return;
      }
      if (dialog.remote.sdp && dialog.remote.sdp !== earlySdp) await ep.modify(dialog.remote.sdp);
      this.established(dialog);
    } catch (err) {
      if (this.over) return;
      const status = (err as { status?: number }).status;
      if (typeof status === 'number') this.end(causeOfSipStatus(status), 'remote');
      else {
        this.ctx.log.warn({ err, leg: this.id }, 'outbound leg failed');
        this.end(CAUSE.failure, 'local');
      }
    }
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.over) return;
    if (this.state !== 'answered' && this.invite) this.invite.cancel(() => undefined);
    this.end(cause, 'local');
  }
}
