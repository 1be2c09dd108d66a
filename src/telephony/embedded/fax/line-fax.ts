/**
 * A fax on an answered leg of the embedded engine (MediaPort.fax): the
 * leg's media feeds a FaxSession instead of a bridge or a prompt.
 * - G.711 audio fax: the leg's RTP payloads are decoded into the session's
 *   modems; every 20 ms of the media pacer the session's modem audio goes
 *   out, encoded in the leg's codec, on the leg's own timeline.
 * - T.38: a UDPTL socket on the port after the leg's RTP port (the RTCP
 *   port of the pair the pool reserves, which this engine leaves unused).
 *   The receiving side re-INVITEs to `m=image ... udptl t38` at once; either
 *   side answers the other's offer while its fax runs. The session switches
 *   to its T.38 terminal once offer and answer are known; a refused
 *   re-INVITE (488, 415) or none answered keeps the fax on audio.
 */
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import {
  callDroppedFax,
  MediaError,
  type FaxEvents,
  type FaxHandle,
  type FaxOptions,
  type FaxOutcome,
} from '../../adapter.js';
import type { LegBase } from '../leg-base.js';
import type { MediaChannel } from '../media-channel.js';
import { mediaPacer, RtpTimeline } from '../media/pacer.js';
import { decode, encode } from '../rtp/g711.js';
import {
  answerT38,
  buildT38Sdp,
  LOCAL_T38,
  parseT38Sdp,
  t38Session,
  type T38Description,
} from '../sip/sdp-t38.js';
import { FaxSession, FRAME_SAMPLES, type FaxResult } from './fax-session.js';
import type { FaxSignaling } from './t38-signaling.js';

/** A T.38 fax with no UDPTL datagram for this long is over (the RTP watch no longer applies). */
const UDPTL_TIMEOUT_MS = 30_000;

/** How long the receiving side waits after the answer before its T.38 re-INVITE (the caller's ACK first). */
const REINVITE_DELAY_MS = 200;

function outcomeOf(r: FaxResult): FaxOutcome {
  return {
    status: r.status,
    faxErrorCode: r.faxErrorCode,
    transport: r.transport,
    pagesDone: r.pagesDone,
    pageCount: r.pageCount,
    remoteIdent: r.remoteIdent,
    bitRate: r.bitRate,
    ecm: r.ecm,
    xResolution: r.xResolution,
    yResolution: r.yResolution,
    durationMs: r.durationMs,
  };
}

export class LineFax extends EventEmitter<FaxEvents> implements FaxHandle {
  readonly done: Promise<FaxOutcome>;
  private resolve!: (o: FaxOutcome) => void;
  private readonly session: FaxSession;
  private readonly cleanups: Array<() => void> = [];
  private udptl: Socket | null = null;
  private udptlRemote: { address: string; port: number } | null = null;
  private finished = false;
  /** Audio in, collected into 20 ms frames. */
  private readonly inFrame = new Int16Array(FRAME_SAMPLES);
  private inFill = 0;
  private lastK = 0;
  private lastDatagramAt = 0;

  constructor(
    private readonly leg: LegBase,
    private readonly channel: MediaChannel,
    private readonly signaling: FaxSignaling | null,
    private readonly opts: FaxOptions,
  ) {
    super();
    this.done = new Promise((r) => (this.resolve = r));
    if (opts.direction === 'send' && !opts.tiff) throw new MediaError('a fax send needs a TIFF');
    if (opts.direction === 'receive' && !opts.output) throw new MediaError('a fax receive needs an output');
    this.session = new FaxSession({
      direction: opts.direction,
      ident: opts.ident,
      headerInfo: opts.header ?? undefined,
      ecm: opts.ecm ?? true,
      ...(opts.tiff ? { tiff: opts.tiff } : {}),
      ...(opts.output ? { output: opts.output } : {}),
    });
    this.session.on('phase-b', (b) => this.emit('negotiated', { ...b, transport: this.session.transport }));
    this.session.on('page', (p) => this.emit('page', { pagesDone: p.pagesDone, pageCount: p.pageCount }));
    this.session.on('end', (r) => this.finish(outcomeOf(r)));
    this.session.on('datagram', (d) => {
      const to = this.udptlRemote;
      if (to && this.udptl) this.udptl.send(d, to.port, to.address);
    });
  }

  /** Starts the fax on the leg's media; the T.38 side once the UDPTL port is bound. */
  async start(): Promise<void> {
    const channel = this.channel;
    channel.relayTo(null);
    channel.stopPlayback();
    const rtp = channel.session;
    this.cleanups.push(
      channel.tap((packet, header) => {
        if (header.payloadType !== channel.format.payloadType) return;
        const pcm = decode(
          channel.format.codec,
          packet.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength),
        );
        this.audioIn(pcm);
      }),
    );
    const stopStream = mediaPacer.stream(
      RtpTimeline.of(rtp, () => mediaPacer.now()),
      (k, ts) => {
        if (this.finished) return false;
        const steps = Math.max(1, k - this.lastK);
        this.lastK = k;
        if (this.session.transport === 'audio') {
          const f = channel.format;
          rtp.sendRtp(f.payloadType, ts, encode(f.codec, this.session.audioOut()));
        } else {
          this.session.tick(steps * FRAME_SAMPLES);
          if (mediaPacer.now() - this.lastDatagramAt > UDPTL_TIMEOUT_MS) this.stop();
        }
        return !this.finished;
      },
    );
    this.cleanups.push(stopStream);
    const onEnded = () => this.stop();
    this.leg.once('ended', onEnded);
    this.cleanups.push(() => this.leg.off('ended', onEnded));
    if (this.opts.t38 === false || !this.signaling) return;
    try {
      this.udptl = await bindUdp(rtp.localAddress, rtp.localPort + 1);
    } catch {
      return; // no UDPTL port: the fax stays on audio
    }
    if (this.finished) {
      this.closeUdptl();
      return;
    }
    this.udptl.on('message', (msg, rinfo) => {
      this.lastDatagramAt = mediaPacer.now();
      this.udptlRemote ??= { address: rinfo.address, port: rinfo.port };
      this.session.datagramIn(msg);
    });
    this.udptl.on('error', () => undefined);
    const sig = this.signaling;
    sig.setFaxOffer((offer) => this.answerOffer(offer));
    this.cleanups.push(() => sig.setFaxOffer(null));
    if (this.opts.direction === 'receive') {
      const timer = setTimeout(() => void this.offerT38(), REINVITE_DELAY_MS);
      this.cleanups.push(() => clearTimeout(timer));
    }
  }

  private audioIn(pcm: Int16Array): void {
    let off = 0;
    while (off < pcm.length) {
      const n = Math.min(FRAME_SAMPLES - this.inFill, pcm.length - off);
      this.inFrame.set(pcm.subarray(off, off + n), this.inFill);
      this.inFill += n;
      off += n;
      if (this.inFill === FRAME_SAMPLES) {
        this.inFill = 0;
        this.session.audioIn(this.inFrame);
      }
    }
  }

  /** The far end offered T.38: our answer, and the session moves over (null: 488, stay on audio). */
  private answerOffer(offer: T38Description): string | null {
    if (this.finished || !this.udptl || this.session.transport === 't38') return null;
    const answer = answerT38(offer.params);
    const session = t38Session(LOCAL_T38, offer.params, answer);
    if (!this.session.switchToT38(session)) return null;
    this.udptlRemote = { address: offer.address, port: offer.port };
    this.movedToT38();
    const origin = this.signaling!.nextOrigin();
    return buildT38Sdp({
      address: this.signaling!.mediaAddress,
      port: this.udptl.address().port,
      sessionId: origin.sessionId,
      version: origin.version,
      params: answer,
    });
  }

  /** Our re-INVITE to T.38; a refusal keeps the audio fax going. */
  private async offerT38(): Promise<void> {
    const sig = this.signaling;
    if (this.finished || !sig || !this.udptl || this.session.transport === 't38') return;
    const origin = sig.nextOrigin();
    const res = await sig.reinvite(
      buildT38Sdp({
        address: sig.mediaAddress,
        port: this.udptl.address().port,
        sessionId: origin.sessionId,
        version: origin.version,
        params: LOCAL_T38,
      }),
    );
    if (this.finished || !res || res.status >= 300) return;
    const answer = parseT38Sdp(res.body);
    if (!answer || answer.port === 0) return;
    if (!this.session.switchToT38(t38Session(LOCAL_T38, answer.params, answer.params))) return;
    this.udptlRemote = { address: answer.address, port: answer.port };
    this.movedToT38();
  }

  /** No more RTP on the leg: its media watch gives way to the UDPTL one. */
  private movedToT38(): void {
    this.lastDatagramAt = mediaPacer.now();
    this.channel.session.unwatch();
    this.emit('transport', 't38');
  }

  stop(): void {
    if (this.finished) return;
    this.session.hangup();
    if (!this.finished) {
      const { transport, progress } = this.session;
      this.finish(
        callDroppedFax({ transport, pagesDone: progress.pagesDone, pageCount: progress.pageCount }),
      );
    }
  }

  private finish(o: FaxOutcome): void {
    if (this.finished) return;
    this.finished = true;
    for (const c of this.cleanups.splice(0)) c();
    // Let the last T.30 frames (DCN) leave before the port closes.
    setTimeout(() => {
      this.closeUdptl();
      this.session.close();
    }, 500).unref();
    this.resolve(o);
  }

  private closeUdptl(): void {
    const s = this.udptl;
    this.udptl = null;
    try {
      s?.close();
    } catch {
      // closed already
    }
  }
}

function bindUdp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: 'udp4' });
    socket.once('error', (err) => {
      try {
        socket.close();
      } catch {
        // never bound
      }
      reject(err);
    });
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}
