import fs from 'node:fs/promises';
import path from 'node:path';
import { ServiceError } from '../errors/index.js';
import { objectEventBase } from '../domain/objects.js';
import type { EventPublisher } from '../events/types.js';
import { objectFolder, storeUpload, writeFileAtomic } from '../media/files.js';
import type { MediaQueue } from '../media/jobs.js';
import { checkFaxPdf } from '../media/processors/fax-pdf.js';
import { faxPagePng, faxThumbnailPng } from '../media/processors/fax-preview.js';
import type { FaxRenderResult } from '../media/processors/fax-render.js';
import { buildSenderReport } from '../media/processors/fax-report.js';
import type { Db } from '../store/db.js';
import { quotaMonthStart } from '../domain/fax/quota.js';
import { canMoveReport } from '../domain/fax/report.js';
import {
  faxReportEvent,
  faxReportToApi,
  FaxReportStore,
  type FaxReport,
  type FaxReportChanges,
  type NewFaxReport,
} from './fax-reports.js';
import type { AccessNeed, ObjectRecord, ObjectService } from './object-service.js';

export { FAX_REPORT_STATUSES, type FaxReport, type FaxReportStatus } from './fax-reports.js';

/** Fax statuses of spec 3.13. */
export type FaxStatus = 'record' | 'ok' | 'convert' | 'empty' | 'fail';

export interface FaxUploadOptions {
  orientation?: 'landscape' | undefined;
  mode?: 'photo' | undefined;
}

/** Fields that exist only while a fax has contents (spec 3.13). */
const CONTENT_FIELDS = { page_count: undefined, x_res: undefined, y_res: undefined };

/** The files of a fax's contents, inside its content folder. */
export const FAX_FILES = { pdf: 'x.pdf', tif: 'x.tif' } as const;

/** The content folder a conversion of `upload-<hex>` produces: `c-<hex>` (same upload, same folder). */
export function contentNameFor(uploadName: string): string {
  return `c-${uploadName.replace(/^upload-/, '')}`;
}

export type ConversionState = 'pending' | 'done' | 'stale' | 'gone';

interface FilesRow {
  content: string | null;
  upload: string | null;
}

/**
 * Fax objects (spec 3.13): creation, description, trash/purge, PDF uploads
 * that the media worker converts to TIFF-F, downloads, and fax reports.
 *
 * The fax's state lives in `objects.data` (status, page_count, x_res, y_res,
 * incoming); which upload awaits conversion and which folder holds the current
 * files lives in `fax_files`, changed together with the status in one
 * transaction holding the object's row, so a conversion that finishes after a
 * newer upload never overwrites it.
 */
export class FaxService {
  private readonly reportStore: FaxReportStore;

  constructor(
    private readonly db: Db,
    private readonly objects: ObjectService,
    private readonly events: EventPublisher,
    private readonly media: MediaQueue,
    private readonly objectDir: string,
  ) {
    this.reportStore = new FaxReportStore(db);
    objects.registerType('fax', {
      purge: (obj) => fs.rm(this.folder(obj.uuid), { recursive: true, force: true }),
    });
  }

  /** `<objectDir>/fax/<uuid>`: uploads and content folders of one fax. */
  folder(uuid: string): string {
    return objectFolder(this.objectDir, 'fax', uuid);
  }

  /** POST /api/fax: an empty outgoing fax (tag_all + tag_outbox); publishes object_new. */
  async create(owner: string, description?: string): Promise<ObjectRecord> {
    return this.objects.create({
      type: 'fax',
      owner,
      description: description ?? null,
      data: { status: 'empty' satisfies FaxStatus },
      tags: ['tag_outbox'],
    });
  }

  /** The fax if the user may access it at the needed level; wrong-fax / access-denied otherwise. */
  get(userId: string, uuid: string, need: AccessNeed = 'read'): Promise<ObjectRecord> {
    return this.objects.get(userId, uuid, { type: 'fax', notFound: 'wrong-fax', need });
  }

  /** GET /api/fax/(uuid) (spec 3.13). */
  async describe(userId: string, uuid: string): Promise<Record<string, unknown>> {
    const obj = await this.get(userId, uuid);
    const reports = await this.reportStore.ofFax(obj.uuid);
    const d = obj.data;
    const status = (d['status'] as FaxStatus | undefined) ?? 'empty';
    const fax: Record<string, unknown> = {
      owner: obj.owner,
      time: Math.floor(obj.createdUs / 1_000_000),
    };
    if (obj.description !== null) fax['description'] = obj.description;
    if (status === 'ok') {
      for (const k of ['page_count', 'x_res', 'y_res'] as const) if (d[k] !== undefined) fax[k] = d[k];
    }
    fax['status'] = status;
    fax['tag'] = obj.tags;
    fax['report'] = Object.fromEntries(reports.map((r) => [r.uuid, faxReportToApi(r)]));
    return fax;
  }

  /** POST /api/fax/(uuid): changes the description; publishes object_modify. */
  async setDescription(userId: string, uuid: string, description: string | undefined): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    if (description === undefined || description === obj.description) return;
    await this.objects.modify(obj, { description }, { actor: userId });
  }

  /** DELETE /api/fax/(uuid): into the trash, or with `purge` gone for good (files too). */
  async remove(userId: string, uuid: string, purge: boolean): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    if (purge) await this.objects.purge(obj, userId);
    else await this.objects.moveToTrash(obj, userId);
  }

  /**
   * POST /api/fax/(uuid)/x.pdf (spec 3.13). Checks the state and the PDF
   * before answering, stores the upload (temp name, then rename), sets status
   * `convert` and enqueues the conversion.
   */
  async upload(userId: string, uuid: string, body: Buffer, opts: FaxUploadOptions): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    if (obj.data['incoming'] === true || obj.data['status'] === 'record') {
      throw new ServiceError('wrong-state', 'the contents of an incoming fax cannot be changed');
    }
    if (await this.reportStore.hasOutgoing(obj.uuid)) {
      throw new ServiceError(
        'wrong-state',
        'the fax was already transmitted; its contents cannot be changed',
      );
    }
    const check = await checkFaxPdf(body);
    if (!check.ok) throw new ServiceError('malformed-file', check.reason);
    const input = await storeUpload(this.folder(obj.uuid), body);
    const upload = path.basename(input);
    const changed = await this.transition(obj.uuid, null, async (trx) => {
      await trx
        .insertInto('fax_files')
        .values({ fax_uuid: obj.uuid, content: null, upload })
        .onConflict((oc) => oc.column('fax_uuid').doUpdateSet({ upload }))
        .execute();
      return { status: 'convert', ...CONTENT_FIELDS };
    });
    if (!changed) {
      await fs.rm(input, { force: true });
      throw new ServiceError('wrong-fax', 'the fax no longer exists');
    }
    await this.publishModify(changed, userId);
    try {
      await this.media.enqueue({
        kind: 'fax.convert',
        objectId: obj.uuid,
        owner: obj.owner,
        input,
        ...(opts.orientation ? { orientation: opts.orientation } : {}),
        ...(opts.mode ? { mode: opts.mode } : {}),
      });
    } catch (err) {
      // Without a job nothing would ever leave `convert`.
      await this.failConversion(obj.uuid, upload);
      throw err;
    }
  }

  /** Where a conversion of `upload` stands: still wanted, already applied, superseded, or the fax is gone. */
  async conversionState(uuid: string, upload: string): Promise<ConversionState> {
    const row = await this.db
      .selectFrom('objects')
      .leftJoin('fax_files', 'fax_files.fax_uuid', 'objects.uuid')
      .select(['fax_files.upload', 'fax_files.content'])
      .where('objects.uuid', '=', uuid.toLowerCase())
      .where('objects.type', '=', 'fax')
      .executeTakeFirst();
    if (!row) return 'gone';
    if (row.upload === upload) return 'pending';
    if (row.content === contentNameFor(upload)) return 'done';
    return 'stale';
  }

  /**
   * The worker's last step (issue 4: "update the DB last"): the content
   * folder is already in place; point the fax at it and set status `ok`.
   * Returns the replaced content folder to delete, or false when a newer
   * upload (or a purge) superseded this one.
   */
  async finishConversion(
    uuid: string,
    upload: string,
    result: FaxRenderResult & { sizeBytes: number },
  ): Promise<{ previous: string | null } | false> {
    let previous: string | null = null;
    const changed = await this.transition(
      uuid,
      upload,
      async (trx, files) => {
        previous = files?.content ?? null;
        await trx
          .updateTable('fax_files')
          .set({ content: contentNameFor(upload), upload: null })
          .where('fax_uuid', '=', uuid)
          .execute();
        return { status: 'ok', page_count: result.pageCount, x_res: result.xRes, y_res: result.yRes };
      },
      result.sizeBytes,
    );
    if (!changed) return false;
    await this.publishModify(changed);
    await this.events.publish({ users: this.objects.readers(changed) }, 'fax_convert', {
      fax: changed.uuid,
      page_count: result.pageCount,
    });
    return { previous };
  }

  /** Status `fail` (no contents) for a conversion that cannot succeed; false if superseded. */
  async failConversion(uuid: string, upload: string): Promise<boolean> {
    let previous: string | null = null;
    const changed = await this.transition(
      uuid,
      upload,
      async (trx, files) => {
        previous = files?.content ?? null;
        await trx
          .updateTable('fax_files')
          .set({ content: null, upload: null })
          .where('fax_uuid', '=', uuid)
          .execute();
        return { status: 'fail', ...CONTENT_FIELDS };
      },
      0,
    );
    if (!changed) return false;
    if (previous) await fs.rm(path.join(this.folder(uuid), previous), { recursive: true, force: true });
    await this.publishModify(changed);
    await this.events.publish({ users: this.objects.readers(changed) }, 'fax_convert', { fax: changed.uuid });
    return true;
  }

  /** A fax being received (spec 3.13 status `record`): incoming, in the owner's inbox, unread. */
  async createIncoming(owner: string, description: string | null): Promise<ObjectRecord> {
    return this.objects.create({
      type: 'fax',
      owner,
      description,
      data: { status: 'record' satisfies FaxStatus, incoming: true },
      tags: ['tag_inbox', 'tag_unread'],
    });
  }

  /**
   * The end of a reception: with received pages, `content` (a folder inside
   * the fax's folder holding x.tif and x.pdf) becomes the contents and the
   * status `ok`; without, the status is `fail` (spec 3.13). Publishes
   * object_modify. Null when the fax is gone.
   */
  async finishIncoming(
    uuid: string,
    content: { name: string; pageCount: number; xRes: number; yRes: number; sizeBytes: number } | null,
  ): Promise<ObjectRecord | null> {
    const changed = await this.transition(
      uuid,
      null,
      async (trx) => {
        if (!content) return { status: 'fail', ...CONTENT_FIELDS };
        await trx
          .insertInto('fax_files')
          .values({ fax_uuid: uuid.toLowerCase(), content: content.name, upload: null })
          .onConflict((oc) => oc.column('fax_uuid').doUpdateSet({ content: content.name, upload: null }))
          .execute();
        return { status: 'ok', page_count: content.pageCount, x_res: content.xRes, y_res: content.yRes };
      },
      content?.sizeBytes ?? 0,
    );
    if (changed) await this.publishModify(changed);
    return changed;
  }

  /** Path of x.pdf or x.tif of a fax with contents; no-content (a 404 download) when there are none. */
  async contentFile(userId: string, uuid: string, file: keyof typeof FAX_FILES): Promise<string> {
    const { dir } = await this.contentDir(userId, uuid);
    return path.join(dir, FAX_FILES[file]);
  }

  /** Page `page` (1-based) as PNG, drawn from the TIFF on first request and kept beside it. */
  async pagePng(userId: string, uuid: string, page: number): Promise<Buffer> {
    const { dir, pageCount } = await this.contentDir(userId, uuid);
    if (!Number.isInteger(page) || page < 1 || page > pageCount) {
      throw new ServiceError('wrong-page', `the fax has pages 1 to ${pageCount}`);
    }
    const cached = path.join(dir, `page-${page}.png`);
    try {
      return await fs.readFile(cached);
    } catch {
      const png = await faxPagePng(path.join(dir, FAX_FILES.tif), page);
      // A concurrent purge or new content may remove the folder; the PNG is still the answer.
      await writeFileAtomic(cached, png).catch(() => undefined);
      return png;
    }
  }

  // ---- fax reports (spec 3.13 `report`, event fax_report 7.9.2) ----

  /** Records a send/receive attempt; publishes fax_report. Called by the fax transmission code. */
  async createReport(input: NewFaxReport): Promise<FaxReport> {
    const fax = await this.objectOf(input.fax);
    const report = await this.reportStore.insert({ ...input, fax: fax.uuid });
    await this.publishReport(fax, report);
    return report;
  }

  /**
   * The report of a send (status `dial`), unless the fax's pages would pass
   * the owner's monthly quota: `quota-exceeded` (spec 3.13 send). Publishes
   * fax_report.
   */
  async startSendReport(input: NewFaxReport, owner: string, quota: number): Promise<FaxReport> {
    const fax = await this.objectOf(input.fax);
    const report = await this.reportStore.insertWithinQuota(
      { ...input, fax: fax.uuid },
      owner,
      quotaMonthStart(Date.now()),
      quota,
    );
    if (!report)
      throw new ServiceError('quota-exceeded', 'sending this fax would exceed the monthly fax page quota');
    await this.publishReport(fax, report);
    return report;
  }

  /** The TIFF-F of a fax with contents (the document a send transmits), or null without contents. */
  async contentTiff(uuid: string): Promise<{ tiff: string; pageCount: number } | null> {
    const row = await this.db
      .selectFrom('objects')
      .leftJoin('fax_files', 'fax_files.fax_uuid', 'objects.uuid')
      .select(['objects.data', 'fax_files.content'])
      .where('objects.uuid', '=', uuid.toLowerCase())
      .where('objects.type', '=', 'fax')
      .executeTakeFirst();
    const data = row?.data;
    if (!row?.content || data?.['status'] !== 'ok') return null;
    return {
      tiff: path.join(this.folder(uuid.toLowerCase()), row.content, FAX_FILES.tif),
      pageCount: Number(data['page_count']),
    };
  }

  /**
   * Updates a report (status, end time, codes, progress ...); publishes
   * fax_report. A report that reached an end state (ok, fail, busy, cancel,
   * error) stays as it is: a late update answers `wrong-state`.
   */
  async updateReport(uuid: string, changes: FaxReportChanges): Promise<FaxReport> {
    const current = await this.reportStore.byId(uuid);
    if (!current) throw new ServiceError('wrong-report', `unknown fax report ${uuid}`);
    if (!canMoveReport(current.status, changes.status ?? current.status)) {
      throw new ServiceError('wrong-state', `fax report ${uuid} has ended (${current.status})`);
    }
    const report = await this.reportStore.update(uuid, changes);
    if (!report) throw new ServiceError('wrong-report', `unknown fax report ${uuid}`);
    await this.publishReport(await this.objectOf(report.fax), report);
    return report;
  }

  reports(fax: string): Promise<FaxReport[]> {
    return this.reportStore.ofFax(fax);
  }

  report(uuid: string): Promise<FaxReport | undefined> {
    return this.reportStore.byId(uuid);
  }

  /** Fax pages `owner` sent (or has under way) in this calendar month: spec 3.5 `used.fax`. */
  outgoingPagesThisMonth(owner: string, nowMs = Date.now()): Promise<number> {
    return this.reportStore.outgoingPages(owner, quotaMonthStart(nowMs));
  }

  /** GET /api/fax/(fax)/report/(report)/x.pdf: the sender report with a thumbnail of page 1. */
  async senderReportPdf(userId: string, faxUuid: string, reportUuid: string): Promise<Uint8Array> {
    const fax = await this.get(userId, faxUuid);
    const report = await this.reportStore.byId(reportUuid);
    if (!report || report.fax !== fax.uuid) throw new ServiceError('wrong-report', 'unknown fax report');
    let thumbnail: Buffer | null = null;
    const files = await this.filesRow(fax.uuid);
    if (fax.data['status'] === 'ok' && files?.content) {
      thumbnail = await faxThumbnailPng(path.join(this.folder(fax.uuid), files.content, FAX_FILES.tif)).catch(
        () => null,
      );
    }
    return buildSenderReport({ ...report, report: report.uuid, description: fax.description }, thumbnail);
  }

  // ---- internals ----

  private async contentDir(userId: string, uuid: string): Promise<{ dir: string; pageCount: number }> {
    const obj = await this.get(userId, uuid);
    const files = await this.filesRow(obj.uuid);
    if (obj.data['status'] !== 'ok' || !files?.content) {
      throw new ServiceError('no-content', 'the fax has no contents');
    }
    return {
      dir: path.join(this.folder(obj.uuid), files.content),
      pageCount: Number(obj.data['page_count']),
    };
  }

  private filesRow(uuid: string): Promise<FilesRow | undefined> {
    return this.db
      .selectFrom('fax_files')
      .select(['content', 'upload'])
      .where('fax_uuid', '=', uuid)
      .executeTakeFirst();
  }

  private async objectOf(uuid: string): Promise<ObjectRecord> {
    const row = await this.db
      .selectFrom('objects')
      .select('owner')
      .where('uuid', '=', uuid.toLowerCase())
      .executeTakeFirst();
    const obj = row ? await this.objects.find(row.owner, uuid, 'fax') : undefined;
    if (!obj) throw new ServiceError('wrong-fax', `unknown fax ${uuid}`);
    return obj;
  }

  private async publishReport(fax: ObjectRecord, report: FaxReport): Promise<void> {
    await this.events.publish({ users: this.objects.readers(fax) }, 'fax_report', {
      fax: fax.uuid,
      report: { [report.uuid]: faxReportEvent(report) },
    });
  }

  private async publishModify(obj: ObjectRecord, actor?: string): Promise<void> {
    await this.events.publish(
      { users: this.objects.readers(obj) },
      'object_modify',
      objectEventBase(obj, actor),
    );
  }

  /**
   * One state change of a fax in a transaction holding its object row: when
   * `upload` is given it must still be the pending upload. `change` updates
   * fax_files and returns the fields merged into objects.data (undefined
   * removes one). Returns the object after the change, or null.
   */
  private async transition(
    uuid: string,
    upload: string | null,
    change: (trx: Db, files: FilesRow | undefined) => Promise<Record<string, unknown>>,
    sizeBytes?: number,
  ): Promise<ObjectRecord | null> {
    const id = uuid.toLowerCase();
    const owner = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('objects')
        .select(['data', 'owner'])
        .where('uuid', '=', id)
        .where('type', '=', 'fax')
        .forUpdate()
        .executeTakeFirst();
      if (!row) return null;
      const files = await trx
        .selectFrom('fax_files')
        .select(['content', 'upload'])
        .where('fax_uuid', '=', id)
        .executeTakeFirst();
      if (upload !== null && files?.upload !== upload) return null;
      const patch = await change(trx, files);
      const data = JSON.stringify({ ...row.data, ...patch });
      await trx
        .updateTable('objects')
        .set({ data, ...(sizeBytes !== undefined ? { size_bytes: sizeBytes } : {}) })
        .where('uuid', '=', id)
        .execute();
      return row.owner;
    });
    if (owner === null) return null;
    return (await this.objects.find(owner, id, 'fax')) ?? null;
  }
}
