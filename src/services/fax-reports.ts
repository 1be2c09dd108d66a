import {
  sql,
  type Expression,
  type Insertable,
  type RawBuilder,
  type Selectable,
  type Updateable,
} from 'kysely';
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
  /** Pages sent or received so far (`pages_done` in fax_report events). */
  pages: number | null;
  /** Pages of the document being sent (`page_count`). */
  pageCount: number | null;
  /** The far end's ident: CSI when sending, TSI when receiving. */
  remoteIdent: string | null;
  /** Image data rate in bit/s. */
  bitRate: number | null;
  ecm: boolean | null;
  transport: FaxTransport | null;
  /** Line time of the transmission. */
  durationMs: number | null;
  /** Each dialling attempt of a send, oldest first (retries with back-off). */
  attempts: FaxAttempt[];
}

export type FaxTransport = 'audio' | 't38';

/** One dialling attempt of an outgoing fax; times in seconds. */
export interface FaxAttempt {
  timeStart: number;
  timeEnd: number | null;
  status: FaxReportStatus;
  sipStatusCode: number | null;
  faxErrorCode: number | null;
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
  pageCount?: number | null;
}

export type FaxReportChanges = Partial<
  Pick<
    FaxReport,
    | 'status'
    | 'timeEnd'
    | 'sipStatusCode'
    | 'faxErrorCode'
    | 'faxIdent'
    | 'faxHeader'
    | 'pages'
    | 'pageCount'
    | 'remoteIdent'
    | 'bitRate'
    | 'ecm'
    | 'transport'
    | 'durationMs'
    | 'attempts'
  >
>;

function attemptsFrom(value: unknown): FaxAttempt[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? (list as FaxAttempt[]) : [];
}

function fromRow(r: Selectable<FaxReportsTable>): FaxReport {
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
    pageCount: r.page_count,
    remoteIdent: r.remote_ident,
    bitRate: r.bit_rate,
    ecm: r.ecm,
    transport: r.transport as FaxTransport | null,
    durationMs: r.duration_ms,
    attempts: attemptsFrom(r.attempts),
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

/**
 * The report as a fax_report event carries it (spec 7.9.2), plus the
 * per-page progress beyond the spec while it transmits: `pages_done` and,
 * when known, `page_count`.
 */
export function faxReportEvent(r: FaxReport): Record<string, unknown> {
  const api = faxReportToApi(r);
  if (r.status !== 'transmit') return api;
  return {
    ...api,
    pages_done: r.pages ?? 0,
    ...(r.pageCount !== null ? { page_count: r.pageCount } : {}),
  };
}

/**
 * Outgoing fax pages of `owner` since `since` (seconds), as one SQL
 * expression (GET /api/user reads it in its one statement): the pages done
 * of finished sends plus the page count of sends still under way, which are
 * reserved so that sends queued together cannot pass the quota (spec 3.5
 * `used.fax`, spec 3.13 `quota-exceeded`).
 */
export function outgoingPagesSql(
  owner: Expression<string> | RawBuilder<unknown>,
  since: number,
): RawBuilder<string | number> {
  return sql<string | number>`(SELECT COALESCE(SUM(CASE WHEN r.status IN ('dial', 'transmit')
      THEN GREATEST(COALESCE(r.page_count, 0), COALESCE(r.pages, 0))
      ELSE COALESCE(r.pages, 0) END), 0)
    FROM fax_reports r JOIN objects o ON o.uuid = r.fax_uuid
    WHERE o.owner = ${owner} AND NOT r.incoming AND r.time_start >= ${since})`;
}

/** Storage of fax reports (table fax_reports, migrations 005 and 013). */
export class FaxReportStore {
  constructor(private readonly db: Db) {}

  async insert(input: NewFaxReport): Promise<FaxReport> {
    if (!FAX_REPORT_STATUSES.includes(input.status)) {
      throw new ServiceError('wrong-syntax', `unknown fax report status ${input.status}`);
    }
    const uuid = newId();
    const row: Insertable<FaxReportsTable> & Selectable<Omit<FaxReportsTable, 'attempts'>> = {
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
      remote_ident: null,
      page_count: input.pageCount ?? null,
      bit_rate: null,
      ecm: null,
      transport: null,
      duration_ms: null,
      attempts: '[]',
    };
    await this.db.insertInto('fax_reports').values(row).execute();
    return fromRow({ ...row, attempts: [] });
  }

  /**
   * Inserts an outgoing report unless its page count would pass `quota`
   * pages this month (null then). The owner's user row is locked for the
   * check and the insert, so sends queued at the same moment are counted one
   * after the other and cannot pass the quota together.
   */
  async insertWithinQuota(
    input: NewFaxReport,
    owner: string,
    since: number,
    quota: number,
  ): Promise<FaxReport | null> {
    return this.db.transaction().execute(async (trx) => {
      await trx.selectFrom('users').select('uuid').where('uuid', '=', owner).forUpdate().executeTakeFirst();
      const { rows } = await sql<{ pages: string | number }>`SELECT ${outgoingPagesSql(
        sql`${owner.toLowerCase()}::uuid`,
        since,
      )} AS pages`.execute(trx);
      if (Number(rows[0]?.pages ?? 0) + (input.pageCount ?? 0) > quota) return null;
      return new FaxReportStore(trx).insert(input);
    });
  }

  async update(uuid: string, changes: FaxReportChanges): Promise<FaxReport | undefined> {
    if (changes.status !== undefined && !FAX_REPORT_STATUSES.includes(changes.status)) {
      throw new ServiceError('wrong-syntax', `unknown fax report status ${changes.status}`);
    }
    const set: Updateable<FaxReportsTable> = {
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.timeEnd !== undefined ? { time_end: changes.timeEnd } : {}),
      ...(changes.sipStatusCode !== undefined ? { sip_status_code: changes.sipStatusCode } : {}),
      ...(changes.faxErrorCode !== undefined ? { fax_error_code: changes.faxErrorCode } : {}),
      ...(changes.faxIdent !== undefined ? { fax_ident: changes.faxIdent } : {}),
      ...(changes.faxHeader !== undefined ? { fax_header: changes.faxHeader } : {}),
      ...(changes.pages !== undefined ? { pages: changes.pages } : {}),
      ...(changes.pageCount !== undefined ? { page_count: changes.pageCount } : {}),
      ...(changes.remoteIdent !== undefined ? { remote_ident: changes.remoteIdent } : {}),
      ...(changes.bitRate !== undefined ? { bit_rate: changes.bitRate } : {}),
      ...(changes.ecm !== undefined ? { ecm: changes.ecm } : {}),
      ...(changes.transport !== undefined ? { transport: changes.transport } : {}),
      ...(changes.durationMs !== undefined ? { duration_ms: changes.durationMs } : {}),
      ...(changes.attempts !== undefined ? { attempts: JSON.stringify(changes.attempts) } : {}),
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

  /**
   * Outgoing fax pages of a user since `since` (seconds): the pages done of
   * finished sends plus the page count of sends still under way, which are
   * reserved so that sends queued together cannot pass the quota (spec 3.5
   * `used.fax`, spec 3.13 `quota-exceeded`).
   */
  async outgoingPages(owner: string, since: number): Promise<number> {
    const { rows } = await sql<{ pages: string | number }>`SELECT ${outgoingPagesSql(
      sql`${owner.toLowerCase()}::uuid`,
      since,
    )} AS pages`.execute(this.db);
    return Number(rows[0]?.pages ?? 0);
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
