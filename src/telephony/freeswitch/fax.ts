/**
 * Fax on a leg of the drachtio + FreeSWITCH adapter: mod_spandsp's txfax or
 * rxfax on the leg's channel, G.711 or T.38 (FreeSWITCH's re-INVITE to
 * image/t38 goes to the far end through the leg, legs.ts). Its progress
 * comes as mod_spandsp's events on the channel (spandsp::txfaxnegociateresult,
 * ...pageresult, ...result): phase B, each page, the outcome.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type Mrf from 'drachtio-fsmrf';
import {
  callDroppedFax,
  MediaError,
  type FaxEvents,
  type FaxHandle,
  type FaxNegotiated,
  type FaxOptions,
  type FaxOutcome,
  type FaxPageProgress,
  type Leg,
} from '../adapter.js';
import { breakChannel, execute } from './channel.js';

/** How long a fax whose call went waits for mod_spandsp's outcome. */
const OUTCOME_WAIT_MS = 1500;

/** spandsp's "<x>x<y>" (pixels per metre, as T.30 counts them). */
function resolution(v: string | undefined): [number, number] {
  const [x, y] = (v ?? '0x0').split('x').map(Number);
  return [Math.round(x || 0), Math.round(y || 0)];
}

/** A fax run by mod_spandsp on the leg's channel. */
export class FsFax extends EventEmitter<FaxEvents> implements FaxHandle {
  readonly done: Promise<FaxOutcome>;
  private stopped = false;
  private phaseB: FaxNegotiated | null = null;
  private progress: FaxPageProgress = { pagesDone: 0, pageCount: null };
  private lastResolution: [number, number] = [0, 0];
  /** mod_spandsp's result event (phase E). */
  private result: Mrf.EslEvent | null = null;
  private resulted: () => void = () => undefined;

  constructor(
    leg: Leg,
    private readonly ep: Mrf.Endpoint,
    private readonly opts: FaxOptions,
    scratchDir: string,
  ) {
    super();
    const started = Date.now();
    let dropped = false;
    const gone = () => (dropped = true);
    ep.once('destroy', gone);
    const side = opts.direction === 'send' ? 'tx' : 'rx';
    const events = [
      [`spandsp::${side}faxnegociateresult`, (_b: unknown, e: Mrf.EslEvent) => this.onNegotiated(e)],
      [`spandsp::${side}faxpageresult`, (_b: unknown, e: Mrf.EslEvent) => this.onPage(e)],
      [`spandsp::${side}faxresult`, (_b: unknown, e: Mrf.EslEvent) => this.onResult(e)],
    ] as const;
    for (const [name, fn] of events) ep.addCustomEventListener(name, fn);
    const run = async (): Promise<FaxOutcome> => {
      const t38 = opts.t38 !== false;
      await ep.set({
        fax_ident: opts.ident,
        fax_header: opts.header ?? '',
        fax_use_ecm: opts.ecm === false ? 'false' : 'true',
        fax_enable_t38: t38 ? 'true' : 'false',
        fax_enable_t38_request: t38 && opts.direction === 'receive' ? 'true' : 'false',
        fax_verbose: 'false',
      });
      const file =
        opts.direction === 'send' ? opts.tiff : (opts.output ?? path.join(scratchDir, `${randomUUID()}.tif`));
      if (!file) throw new MediaError('a fax to send needs its TIFF');
      const evt = await execute(leg, ep, opts.direction === 'send' ? 'txfax' : 'rxfax', file);
      // The call went first: spandsp ends T.30 as the channel goes and may still tell the outcome.
      if (!evt && !this.result)
        await new Promise<void>((resolve) => {
          this.resulted = resolve;
          setTimeout(resolve, OUTCOME_WAIT_MS).unref();
        });
      ep.removeListener('destroy', gone);
      for (const [name, fn] of events) ep.removeListener(name, fn);
      return this.outcome(evt, dropped, Date.now() - started);
    };
    this.done = run().catch(() => callDroppedFax());
  }

  private get transport(): 't38' | 'audio' {
    return this.phaseB?.transport ?? 'audio';
  }

  /** Tells the engine of progress; a listener's error stays out of the event socket's reader. */
  private report(fn: () => void): void {
    try {
      fn();
    } catch {
      // The listener's business.
    }
  }

  private total(evt: Mrf.EslEvent): number | null {
    return this.opts.direction === 'send'
      ? Number(evt.getHeader('fax-document-total-pages') ?? 0) || null
      : null;
  }

  private onNegotiated(evt: Mrf.EslEvent): void {
    const t38 = evt.getHeader('fax-t38-status') === 'negotiated';
    this.phaseB = {
      remoteIdent: evt.getHeader('fax-remote-station-id') ?? '',
      bitRate: Number(evt.getHeader('fax-transfer-rate') ?? 0),
      ecm: evt.getHeader('fax-ecm-used') === 'on',
      transport: t38 ? 't38' : 'audio',
    };
    this.progress = { pagesDone: 0, pageCount: this.total(evt) };
    const info = this.phaseB;
    this.report(() => {
      if (t38) this.emit('transport', 't38');
      this.emit('negotiated', info);
      this.emit('page', this.progress);
    });
  }

  private onPage(evt: Mrf.EslEvent): void {
    this.progress = {
      pagesDone: Number(evt.getHeader('fax-document-transferred-pages') ?? 0),
      pageCount: this.total(evt) ?? this.progress.pageCount,
    };
    this.lastResolution = resolution(evt.getHeader('fax-image-resolution'));
    const p = this.progress;
    this.report(() => this.emit('page', p));
  }

  private onResult(evt: Mrf.EslEvent): void {
    this.result = evt;
    this.resulted();
  }

  /**
   * The application's variables when it returned, else the result event;
   * without either, the call dropped: after the far end confirmed every
   * page (it hangs up on the sender's DCN while spandsp still pauses) that
   * is success, as spandsp counts it, otherwise call-dropped.
   */
  private outcome(evt: Mrf.EslEvent | null, dropped: boolean, durationMs: number): FaxOutcome {
    const r = this.result;
    const v = (name: string): string | undefined =>
      evt?.getHeader(`variable_fax_${name}`) ?? r?.getHeader(`fax-${name.replaceAll('_', '-')}`);
    const send = this.opts.direction === 'send';
    const code = v('result_code');
    const { pagesDone, pageCount } = this.progress;
    const allSent = send && pageCount !== null && pageCount > 0 && pagesDone === pageCount;
    if (this.stopped || (!r && (!evt || dropped) && !allSent) || (code === undefined && !allSent))
      return callDroppedFax({ transport: this.transport, pagesDone, pageCount: send ? pageCount : null });
    const [x, y] = code === undefined ? this.lastResolution : resolution(v('image_resolution'));
    const b = this.phaseB;
    return {
      status: code === undefined || v('success') === '1' ? 'ok' : 'fail',
      faxErrorCode: code === undefined ? 0 : Number(code),
      transport: this.transport === 't38' || v('t38_status') === 'negotiated' ? 't38' : 'audio',
      pagesDone: Number(v('document_transferred_pages') ?? pagesDone),
      pageCount: send ? Number(v('document_total_pages') ?? pageCount ?? 0) : null,
      remoteIdent: v('remote_station_id') ?? b?.remoteIdent ?? '',
      bitRate: Number(v('transfer_rate') ?? b?.bitRate ?? 0),
      ecm: (v('ecm_used') ?? (b?.ecm ? 'on' : 'off')) === 'on' || v('ecm_used') === 'true',
      xResolution: x,
      yResolution: y,
      durationMs,
    };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    breakChannel(this.ep);
  }
}
