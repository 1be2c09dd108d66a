import { EventEmitter } from 'node:events';
import { t30Error, t30ReportStatus, T30_ERR } from '../../../domain/fax/t30.js';
import type { FaxOutcome, FaxTransport } from '../../adapter.js';
import type { T38Session } from '../sip/sdp-t38.js';
import { UdptlReceiver, UdptlSender, type UdptlReceiverStats } from '../t38/udptl.js';
import { spandsp, type EngineOptions, type SpandspEngine, type T30Stats } from './spandsp.js';

/**
 * One fax transmission on one call: the T.30 session (spandsp) behind the
 * call's media. The call side feeds it what arrives on the line and sends
 * what it gives back:
 * - G.711 audio fax: 20 ms frames of 8 kHz linear PCM in (`audioIn`) and
 *   out (`audioOut`), after/before the channel's µ-law/A-law codec;
 * - T.38: UDPTL datagrams in (`datagramIn`), `datagram` events out, and
 *   `tick` every 20 ms so T.30 timers and paced output move on.
 * A call that starts on audio and is re-INVITEd to `image/t38` calls
 * `switchToT38` (before any page moved); one whose re-INVITE was refused
 * (488/415) simply goes on with audio.
 *
 * The decisions are made here, not in C++: our ident (TSI/CSI), the header
 * line, ECM, the modems allowed by the rate, which pages, and what the end
 * means (`FaxResult`).
 */

export type FaxDirection = 'send' | 'receive';
export type { FaxTransport } from '../../adapter.js';

export interface FaxSessionOptions {
  direction: FaxDirection;
  /** Our station ident: TSI when sending, CSI when receiving (spec 3.13 `fax_ident`). */
  ident: string;
  /** Header line printed on top of each sent page (spec 3.13 `fax_header`). */
  headerInfo?: string | undefined;
  /** Error correction mode (T.30 Annex A); on by default. */
  ecm?: boolean;
  /** Highest image data rate allowed: 14400 (V.17), 9600 (V.29), 4800 (V.27ter). */
  maxBitRate?: number;
  /** The TIFF-F to send (send). */
  tiff?: string;
  /** 1-based first and last page to send (send); all by default. */
  pages?: { first: number; last: number };
  /** Where the received TIFF-F goes (receive). */
  output?: string;
  /** Keep spandsp's protocol log lines (`log` events). */
  log?: boolean;
}

export interface FaxPhaseB {
  remoteIdent: string;
  bitRate: number;
  ecm: boolean;
}

export interface FaxProgress {
  /** Pages sent or received so far. */
  pagesDone: number;
  /** Pages of the document being sent; null when receiving (not known until the end). */
  pageCount: number | null;
  /** Size of the latest page's image data in the line's encoding (T.4/T.6), in bytes. */
  pageBytes: number;
}

/** How the session ended: the seam's outcome, with spandsp's name and text of its code. */
export interface FaxResult extends FaxOutcome {
  errorName: string;
  errorText: string;
}

export interface FaxSessionEvents {
  'phase-b': [info: FaxPhaseB];
  page: [progress: FaxProgress];
  end: [result: FaxResult];
  /** A UDPTL datagram to send to the far end (T.38). */
  datagram: [datagram: Buffer];
  log: [lines: string[]];
}

/** 20 ms at 8 kHz, the frame of the call's media channel. */
export const FRAME_SAMPLES = 160;

function modemsFor(maxBitRate: number): number {
  const m = spandsp().modems;
  if (maxBitRate >= 12000) return m.V17 | m.V29 | m.V27TER;
  if (maxBitRate >= 7200) return m.V29 | m.V27TER;
  return m.V27TER;
}

export class FaxSession extends EventEmitter<FaxSessionEvents> {
  private engine: SpandspEngine;
  private mode: FaxTransport;
  private samples = 0;
  private pagesDone = 0;
  private pageCount: number | null = null;
  private pageBytes = 0;
  private phaseB: FaxPhaseB | null = null;
  private finished: FaxResult | null = null;
  private sender: UdptlSender | null = null;
  private receiver: UdptlReceiver | null = null;
  private readonly out = new Int16Array(FRAME_SAMPLES);

  constructor(
    private readonly opts: FaxSessionOptions,
    t38?: T38Session,
  ) {
    super();
    if (opts.direction === 'send' && !opts.tiff) throw new TypeError('FaxSession: a send needs a tiff');
    if (opts.direction === 'receive' && !opts.output)
      throw new TypeError('FaxSession: a receive needs an output');
    this.mode = t38 ? 't38' : 'audio';
    this.engine = this.makeEngine(t38);
  }

  get transport(): FaxTransport {
    return this.mode;
  }

  get result(): FaxResult | null {
    return this.finished;
  }

  get progress(): FaxProgress {
    return { pagesDone: this.pagesDone, pageCount: this.pageCount, pageBytes: this.pageBytes };
  }

  /** UDPTL statistics of the T.38 leg (recovered and lost packets), null on audio. */
  get udptlStats(): UdptlReceiverStats | null {
    return this.receiver ? { ...this.receiver.stats } : null;
  }

  // ---- audio (G.711) ----

  /** One frame of line audio (linear PCM, decoded from G.711) into the modems. */
  audioIn(frame: Int16Array): void {
    if (this.mode !== 'audio' || this.finished) return;
    this.engine.rxAudio(frame);
    this.pump();
  }

  /** The next frame to send on the line (linear PCM, to be G.711-encoded); silence once done. */
  audioOut(): Int16Array {
    if (this.mode !== 'audio' || this.finished) return this.out.fill(0);
    const n = this.engine.txAudio(this.out);
    if (n < this.out.length) this.out.fill(0, n);
    this.samples += FRAME_SAMPLES;
    this.pump();
    return this.out;
  }

  // ---- T.38 ----

  /** A UDPTL datagram from the far end; recovered packets from redundancy go in too, in order. */
  datagramIn(datagram: Uint8Array): void {
    if (this.mode !== 't38' || this.finished || !this.receiver) return;
    for (const r of this.receiver.receive(datagram)) this.engine.rxIfp(r.ifp, r.index);
    this.pump();
  }

  /** `samples` of time passed (20 ms by default): T.30 timers run, paced IFP packets go out. */
  tick(samples = FRAME_SAMPLES): void {
    if (this.mode !== 't38' || this.finished) return;
    this.engine.advance(samples);
    this.samples += samples;
    this.pump();
  }

  /**
   * The call was re-INVITEd to T.38 (either side's offer accepted): T.30
   * starts again on the T.38 terminal. Refused (false) once a page has moved:
   * the call side then answers the re-INVITE 488 and stays on audio.
   */
  switchToT38(session: T38Session): boolean {
    if (this.finished || this.mode === 't38') return false;
    if (this.pagesDone > 0) return false;
    this.engine.close();
    this.mode = 't38';
    this.phaseB = null;
    this.engine = this.makeEngine(session);
    return true;
  }

  /** The call ended (BYE, or the far end hung up): T.30 stops and the session ends with its verdict. */
  hangup(): void {
    if (this.finished) return;
    this.engine.terminate();
    this.pump();
    if (!this.finished) this.finish(T30_ERR.CALLDROPPED, this.engine.stats());
  }

  /** Frees the spandsp state; a session not yet ended ends as dropped first. */
  close(): void {
    if (!this.finished) this.hangup();
    this.engine.close();
  }

  // ---- internals ----

  private makeEngine(t38?: T38Session): SpandspEngine {
    const o = this.opts;
    const addon = spandsp();
    const c = addon.compressions;
    const maxBitRate = Math.min(o.maxBitRate ?? 14400, t38?.maxBitRate ?? 14400);
    const options: EngineOptions = {
      transport: t38 ? 't38' : 'audio',
      calling: o.direction === 'send',
      ident: o.ident.slice(0, 20),
      ecm: o.ecm ?? true,
      modems: modemsFor(maxBitRate),
      // T.6 (MMR) needs ECM (T.30 §6.2.1 note); without ECM T.4 1D/2D only.
      compressions: (o.ecm ?? true) ? c.T4_1D | c.T4_2D | c.T6 : c.T4_1D | c.T4_2D,
      log: o.log ?? false,
    };
    if (o.headerInfo) options.headerInfo = o.headerInfo.slice(0, 50);
    if (o.direction === 'send') {
      options.txFile = o.tiff!;
      if (o.pages) {
        options.startPage = o.pages.first - 1;
        options.stopPage = o.pages.last - 1;
      }
    } else options.rxFile = o.output!;
    if (t38) {
      options.t38Version = t38.version;
      options.maxDatagram = t38.localMaxDatagram;
      options.rateManagement = t38.rateManagement === 'localTCF' ? 1 : 2;
      options.pacing = true;
      this.sender = new UdptlSender({
        redundancy: t38.redundancy ? 3 : 0,
        maxDatagram: t38.remoteMaxDatagram,
      });
      this.receiver = new UdptlReceiver();
    }
    return new addon.FaxEngine(options);
  }

  /** Turns what spandsp reported since the last call into events. */
  private pump(): void {
    if (this.mode === 't38' && this.sender) {
      for (const p of this.engine.takePackets()) this.safeEmit('datagram', this.sender.packet(p.ifp));
    }
    for (const e of this.engine.takeEvents()) {
      if (this.finished) break;
      switch (e.type) {
        case 'log':
          this.safeEmit('log', e.lines);
          break;
        case 'phase-b':
          this.phaseB = { remoteIdent: e.stats.remoteIdent, bitRate: e.stats.bitRate, ecm: e.stats.ecm };
          this.safeEmit('phase-b', this.phaseB);
          break;
        case 'page':
          this.pagesDone = this.opts.direction === 'send' ? e.stats.pagesTx : e.stats.pagesRx;
          this.pageBytes = e.stats.imageSize;
          if (this.opts.direction === 'send' && e.stats.pagesInFile > 0)
            this.pageCount = this.sendCount(e.stats);
          this.safeEmit('page', this.progress);
          break;
        case 'phase-e':
          this.finish(e.code, e.stats);
          break;
        default:
          break;
      }
    }
  }

  /** Pages this send will transfer: the file's, narrowed to the chosen range. */
  private sendCount(stats: T30Stats): number {
    const all = stats.pagesInFile;
    if (!this.opts.pages) return all;
    const last = Math.min(this.opts.pages.last, all);
    return Math.max(0, last - this.opts.pages.first + 1);
  }

  private finish(code: number, stats: T30Stats | null): void {
    if (this.finished) return;
    if (stats) {
      this.pagesDone = this.opts.direction === 'send' ? stats.pagesTx : stats.pagesRx;
      if (this.opts.direction === 'send' && stats.pagesInFile > 0) this.pageCount = this.sendCount(stats);
    }
    if (this.opts.direction === 'receive' && code === T30_ERR.OK) this.pageCount = this.pagesDone;
    const err = t30Error(code);
    this.finished = {
      status: t30ReportStatus(code),
      faxErrorCode: code,
      errorName: err.name,
      errorText: err.text,
      transport: this.mode,
      pagesDone: this.pagesDone,
      pageCount: this.pageCount,
      remoteIdent: stats?.remoteIdent || this.phaseB?.remoteIdent || '',
      bitRate: this.phaseB?.bitRate ?? stats?.bitRate ?? 0,
      ecm: this.phaseB?.ecm ?? stats?.ecm ?? false,
      xResolution: stats?.xResolution ?? 0,
      yResolution: stats?.yResolution ?? 0,
      durationMs: Math.round(this.samples / 8),
    };
    this.safeEmit('end', this.finished);
  }

  /** A listener's exception must not break the media loop feeding this session (mediasoup's safeEmit). */
  private safeEmit<K extends keyof FaxSessionEvents>(event: K, ...args: FaxSessionEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: FaxSessionEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      process.emitWarning(`fax session ${String(event)} listener failed: ${(err as Error).message}`);
    }
  }
}
