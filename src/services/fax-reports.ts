import { ServiceError } from '../errors/index.js';
import { newId, uuidV1Micros } from '../lib/ids.js';
import type { Db } from '../store/db.js';
import type { FaxReportsTable } from '../store/schema.js';

/** Report statuses of spec 3.13. */
export const FAX_REPORT_STATUSES = ['dial', 'transmit', 'ok', 'fail', 'cancel', 'busy', 'error'] as const;
export type FaxReportStatus = (typeof FAX_REPORT_STATUSES)[number];

/** One send or receive attempt of a fax, as the fax transmission code records it. */
export interface FaxReport {
  uuid: string;
  fax: string;
  incoming: boolean;
  from: string;
  to: string;
  /** Seconds since the epoch. */
  timeStart: number;
  timeEnd: number | null;
  status: FaxReportStatus;
  sipStatusCode: number | null;
  faxErrorCode: number | null;
  /** TSI sent or received. */
  faxIdent: string | null;
  faxHeader: string | null;
  pages: number | null;
}

export interface NewFaxReport {
  fax: string;
  incoming: boolean;
  from: string;
  to: string;
  status: FaxReportStatus;
  /** Seconds; default now. */
  timeStart?: number;
  timeEnd?: number | null;
  sipStatusCode?: number | null;
  faxErrorCode?: number | null;
  faxIdent?: string | null;
  faxHeader?: string | null;
  pages?: number | null;
}

export type FaxReportChanges = Partial<
  Pick<
    FaxReport,
    'status' | 'timeEnd' | 'sipStatusCode' | 'faxErrorCode' | 'faxIdent' | 'faxHeader' | 'pages'
  >
>;

function fromRow(r: FaxReportsTable): FaxReport {
  return {
    uuid: r.uuid,
    fax: r.fax_uuid,
    incoming: r.incoming,
    from: r.from,
    to: r.to,
    timeStart: r.time_start,
    timeEnd: r.time_end,
    status: r.status as FaxReportStatus,
    sipStatusCode: r.sip_status_code,
    faxErrorCode: r.fax_error_code,
    faxIdent: r.fax_ident,
    faxHeader: r.fax_header,
    pages: r.pages,
  };
}

/**
 * A report as spec 3.13 and 7.9.2 show it: `time_end`, `sip_status_code`
 * and `fax_error_code` only when known.
 */
export function faxReportToApi(r: FaxReport): Record<string, unknown> {
  return {
    incoming: r.incoming,
    from: r.from,
    to: r.to,
    time_start: r.timeStart,
    ...(r.timeEnd !== null ? { time_end: r.timeEnd } : {}),
    status: r.status,
    ...(r.sipStatusCode !== null ? { sip_status_code: r.sipStatusCode } : {}),
    ...(r.faxErrorCode !== null ? { fax_error_code: r.faxErrorCode } : {}),
  };
}

/** Storage of fax reports (table fax_reports, migration 005). */
export class FaxReportStore {
  constructor(private readonly db: Db) {}

  async insert(input: NewFaxReport): Promise<FaxReport> {
    if (!FAX_REPORT_STATUSES.includes(input.status)) {
      throw new ServiceError('wrong-syntax', `unknown fax report status ${input.status}`);
    }
    const uuid = newId();
    const row: FaxReportsTable = {
      uuid,
      fax_uuid: input.fax.toLowerCase(),
      incoming: input.incoming,
      from: input.from,
      to: input.to,
      time_start: input.timeStart ?? Math.floor(Date.now() / 1000),
      time_end: input.timeEnd ?? null,
      status: input.status,
      sip_status_code: input.sipStatusCode ?? null,
      fax_error_code: input.faxErrorCode ?? null,
      fax_ident: input.faxIdent ?? null,
      fax_header: input.faxHeader ?? null,
      pages: input.pages ?? null,
      created_us: uuidV1Micros(uuid) ?? Date.now() * 1000,
    };
    await this.db.insertInto('fax_reports').values(row).execute();
    return fromRow(row);
  }

  async update(uuid: string, changes: FaxReportChanges): Promise<FaxReport | undefined> {
    if (changes.status !== undefined && !FAX_REPORT_STATUSES.includes(changes.status)) {
      throw new ServiceError('wrong-syntax', `unknown fax report status ${changes.status}`);
    }
    const set: Partial<FaxReportsTable> = {
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.timeEnd !== undefined ? { time_end: changes.timeEnd } : {}),
      ...(changes.sipStatusCode !== undefined ? { sip_status_code: changes.sipStatusCode } : {}),
      ...(changes.faxErrorCode !== undefined ? { fax_error_code: changes.faxErrorCode } : {}),
      ...(changes.faxIdent !== undefined ? { fax_ident: changes.faxIdent } : {}),
      ...(changes.faxHeader !== undefined ? { fax_header: changes.faxHeader } : {}),
      ...(changes.pages !== undefined ? { pages: changes.pages } : {}),
    };
    if (Object.keys(set).length > 0) {
      await this.db.updateTable('fax_reports').set(set).where('uuid', '=', uuid.toLowerCase()).execute();
    }
    return this.byId(uuid);
  }

  async byId(uuid: string): Promise<FaxReport | undefined> {
    const row = await this.db
      .selectFrom('fax_reports')
      .selectAll()
      .where('uuid', '=', uuid.toLowerCase())
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** The reports of one fax, ordered by time (spec 3.13). */
  async ofFax(fax: string): Promise<FaxReport[]> {
    const rows = await this.db
      .selectFrom('fax_reports')
      .selectAll()
      .where('fax_uuid', '=', fax.toLowerCase())
      .orderBy('time_start')
      .orderBy('created_us')
      .execute();
    return rows.map(fromRow);
  }

  /** An outgoing report means the fax was (being) sent: its contents are then frozen (spec 3.13 wrong-state). */
  async hasOutgoing(fax: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('fax_reports')
      .select('uuid')
      .where('fax_uuid', '=', fax.toLowerCase())
      .where('incoming', '=', false)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
