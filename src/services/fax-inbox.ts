import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir, renameDirAtomic } from '../media/files.js';
import { faxTiffInfo, faxTiffToPdf } from '../media/processors/fax-tiff-pdf.js';
import type { FaxReport, FaxTransport } from './fax-reports.js';
import { FAX_FILES, type FaxService } from './fax-service.js';

/**
 * Faxes arriving on a number with `fax_enable` (spec 3.9, 3.13): the call
 * side answers, asks for a reception, lets its FaxSession write the TIFF-F to
 * `output`, reports pages as they come, and hands over the result when the
 * call ends. The fax object is in the owner's inbox and unread from the
 * start, with status `record`; its incoming report is `transmit` until the
 * end.
 */

export interface IncomingFax {
  fax: string;
  report: string;
  owner: string;
  from: string;
  to: string;
  /** Where the fax stack writes the received TIFF-F (inside the fax's folder). */
  output: string;
}

/** What the fax stack measured (FaxSession's FaxResult, without its C names). */
export interface ReceiveResult {
  status: 'ok' | 'fail';
  faxErrorCode: number;
  pagesDone: number;
  remoteIdent: string;
  bitRate: number;
  ecm: boolean;
  transport: FaxTransport;
  /** Pixels per metre as T.30 reports them. */
  xResolution: number;
  yResolution: number;
  durationMs: number;
  /** SIP status of the call's answer (200). */
  sipStatusCode: number;
}

/** The push event of a received fax (spec 8.2.1), GCM form: page_count as a string. */
export interface FaxNewPush {
  owner: string;
  message: 'fax_new';
  fax: string;
  phone: string;
  page_count: string;
}

/** Pixels per metre to dots per inch as spec 3.13 shows them (204 x 196 or 204 x 98). */
export function dpi(pixelsPerMetre: number): number {
  return Math.round((pixelsPerMetre * 0.0254) / 2) * 2;
}

export class FaxInbox {
  /** Report updates of each reception in the order the pages came (the media loop does not wait for them). */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly faxes: FaxService) {}

  async startReceive(input: { owner: string; from: string; to: string }): Promise<IncomingFax> {
    const fax = await this.faxes.createIncoming(input.owner, null);
    const report = await this.faxes.createReport({
      fax: fax.uuid,
      incoming: true,
      from: input.from,
      to: input.to,
      status: 'transmit',
      sipStatusCode: 200,
    });
    const folder = this.faxes.folder(fax.uuid);
    await fs.mkdir(folder, { recursive: true });
    return {
      fax: fax.uuid,
      report: report.uuid,
      owner: input.owner,
      from: input.from,
      to: input.to,
      output: path.join(folder, `rx-${randomBytes(6).toString('hex')}.tif`),
    };
  }

  /** A page arrived: the report's `pages_done` (fax_report event). */
  pageReceived(incoming: IncomingFax, pagesDone: number): Promise<void> {
    const next = (this.pending.get(incoming.report) ?? Promise.resolve())
      .then(() => this.faxes.updateReport(incoming.report, { pages: pagesDone }))
      .then(() => undefined);
    this.pending.set(
      incoming.report,
      next.catch(() => undefined),
    );
    return next;
  }

  /**
   * The call ended. Received pages become the fax's contents (x.tif, x.pdf,
   * PNG pages on request as for uploads), also when T.30 failed after some
   * pages: the report then says `fail` with the code, the fax keeps what
   * arrived. Without a page the fax is `fail`. Returns the report and, when
   * pages arrived, the push event for the owner's devices (spec 8.2.1).
   */
  async finishReceive(
    incoming: IncomingFax,
    result: ReceiveResult,
  ): Promise<{ report: FaxReport; push: FaxNewPush | null }> {
    await this.pending.get(incoming.report);
    this.pending.delete(incoming.report);
    const info = result.pagesDone > 0 ? await faxTiffInfo(incoming.output) : null;
    let content: Parameters<FaxService['finishIncoming']>[1] = null;
    if (info && info.pageCount > 0) {
      const folder = this.faxes.folder(incoming.fax);
      const name = `c-${path.basename(incoming.output, '.tif')}`;
      const work = await makeTempDir(folder, name);
      try {
        const tif = path.join(work, FAX_FILES.tif);
        await fs.rename(incoming.output, tif);
        await faxTiffToPdf(tif, path.join(work, FAX_FILES.pdf));
        const sizeBytes = (await fs.stat(tif)).size + (await fs.stat(path.join(work, FAX_FILES.pdf))).size;
        await renameDirAtomic(work, path.join(folder, name));
        content = {
          name,
          pageCount: info.pageCount,
          xRes: dpi(result.xResolution) || 204,
          yRes: dpi(result.yResolution) || 196,
          sizeBytes,
        };
      } catch {
        await fs.rm(work, { recursive: true, force: true });
        content = null;
      }
    }
    await fs.rm(incoming.output, { force: true });
    await this.faxes.finishIncoming(incoming.fax, content);
    const report = await this.faxes.updateReport(incoming.report, {
      status: result.status,
      timeEnd: Math.floor(Date.now() / 1000),
      sipStatusCode: result.sipStatusCode,
      faxErrorCode: result.faxErrorCode,
      pages: result.pagesDone,
      remoteIdent: result.remoteIdent || null,
      bitRate: result.bitRate || null,
      ecm: result.ecm,
      transport: result.transport,
      durationMs: result.durationMs,
    });
    const push: FaxNewPush | null = content
      ? {
          owner: incoming.owner,
          message: 'fax_new',
          fax: incoming.fax,
          phone: incoming.from,
          page_count: String(content.pageCount),
        }
      : null;
    return { report, push };
  }
}
