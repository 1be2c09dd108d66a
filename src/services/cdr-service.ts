import { randomInt } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { v1 as uuidv1 } from 'uuid';
import { ServiceError } from '../errors/index.js';
import {
  buildCdr,
  cdrFromParts,
  CdrError,
  type Cdr,
  type CdrFacts,
  type CdrServiceName,
} from '../domain/cdr/cdr.js';
import type { CdrQuery } from '../domain/cdr/cdr-query.js';
import { uuidV1Micros } from '../domain/uuid-time.js';
import { isUuid } from '../lib/ids.js';
import type { PartnerCdrDelivery } from '../events/partner-cdr.js';
import type { Db } from '../store/db.js';
import type { CdrsTable } from '../store/schema.js';

/** What the call engine reports at the end of a leg. */
export interface CdrInput extends CdrFacts {
  /**
   * The CDR's id, a v1 UUID. The engine allocates it when the leg starts
   * (`newCdrId(startMs)`) so the legs it causes can name it as parent/root
   * before it ends; a fresh one when absent. Recording the same id again
   * returns the stored CDR (a retry), publishing it if that had failed.
   */
  id?: string;
  /** The user owning `phone`; null when no user does. Its partner gets the `cdr` event. */
  userId: string | null;
  /** Credits the call was billed (zone filter ticks); internal, counted in usage (spec 13.1.4). */
  cost?: number;
}

/** A v1 UUID whose timestamp is `dateMs` (so a CDR's id sorts with its `date`), random clock sequence and node. */
export function newCdrId(dateMs: number = Date.now()): string {
  return uuidv1({ msecs: dateMs, nsecs: randomInt(10_000) });
}

interface Pending {
  cdr: Cdr;
  q850: number;
  cost: number;
  userId: string | null;
  resolve(cdr: Cdr): void;
  reject(err: unknown): void;
}

/** CDRs written in one statement at most (PostgreSQL allows 65535 parameters; 20 per row). */
const MAX_BATCH = 500;

function toCdr(r: Selectable<CdrsTable>): Cdr {
  return cdrFromParts(
    {
      phone: r.phone,
      id: r.id,
      date: Number(r.date_ms),
      service: r.service as CdrServiceName,
      t_pre: Number(r.t_pre),
      t_post: Number(r.t_post),
    },
    {
      a_number: r.a_number,
      b_number: r.b_number,
      parent: r.parent,
      root: r.root,
      fax_id: r.fax_id,
      recording_id: r.recording_id,
      conference_id: r.conference_id,
      page_count: r.page_count === null ? null : Number(r.page_count),
    },
  );
}

/**
 * Call detail records (spec 9.1.4, 9.2.1): stored when a leg ends, listed per
 * phone for the partner, and pushed to the partner's subscribed sessions.
 * CDRs are billing data and stay when the user is deleted (see 009-cdr.ts).
 */
export class CdrService {
  constructor(
    private readonly db: Db,
    private readonly partnerCdr: PartnerCdrDelivery,
  ) {}

  /** CDRs waiting for the next batch insert. */
  private pending: Pending[] = [];
  private writing = false;

  /**
   * Stores the CDR of a finished leg and, when the user belongs to a partner,
   * queues the `cdr` event for the partner's sessions. Throws CdrError for
   * facts that do not make a CDR (unknown service, end before start, unknown
   * user, ...).
   *
   * The promise settles once the row is committed. Legs end by the hundreds
   * a second under load, so records arriving together are written as one
   * batch (one user lookup, one multi-row INSERT, one UPDATE of the
   * published flags) instead of four statements each.
   */
  async record(input: CdrInput): Promise<Cdr> {
    const { cdr, q850 } = buildCdr(input.id ?? newCdrId(input.startMs), input);
    if (input.userId !== null && !isUuid(input.userId)) throw new CdrError('userId must be a UUID');
    const cost = input.cost ?? 0;
    if (!Number.isSafeInteger(cost) || cost < 0) throw new CdrError('cost must be an integer >= 0');
    return new Promise<Cdr>((resolve, reject) => {
      this.pending.push({ cdr, q850, cost, userId: input.userId?.toLowerCase() ?? null, resolve, reject });
      if (this.pending.length === 1 && !this.writing) setImmediate(() => void this.flush());
    });
  }

  /** Resolves once every CDR recorded so far is written (shutdown: no CDR is left behind). */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.writing) {
      if (!this.writing) await this.flush();
      else await new Promise((r) => setTimeout(r, 5));
    }
  }

  private async flush(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.writeBatch(batch).catch((err: unknown) => {
          for (const p of batch) p.reject(err);
        });
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const userIds = [...new Set(batch.map((p) => p.userId).filter((u): u is string => u !== null))];
    const users = new Map<string, string | null>();
    if (userIds.length > 0) {
      const rows = await this.db
        .selectFrom('users')
        .select(['uuid', 'partner_id'])
        .where('uuid', 'in', userIds)
        .execute();
      for (const r of rows) users.set(r.uuid, r.partner_id);
    }
    const ok: Array<Pending & { partnerId: string | null }> = [];
    for (const p of batch) {
      if (p.userId !== null && !users.has(p.userId))
        p.reject(new CdrError(`user ${p.userId} does not exist`));
      else ok.push({ ...p, partnerId: p.userId === null ? null : (users.get(p.userId) ?? null) });
    }
    if (ok.length === 0) return;
    const now = Date.now() * 1000;
    const inserted = await this.db
      .insertInto('cdrs')
      .values(
        ok.map(({ cdr, q850, cost, userId, partnerId }) => ({
          id: cdr.id,
          partner_id: partnerId,
          user_id: userId,
          phone: cdr.phone,
          date_ms: cdr.date,
          service: cdr.service,
          a_number: cdr.a_number ?? null,
          b_number: cdr.b_number ?? null,
          parent: cdr.parent ?? null,
          root: cdr.root ?? null,
          t_pre: cdr.t_pre,
          t_post: cdr.t_post,
          fax_id: cdr.fax_id ?? null,
          recording_id: cdr.recording_id ?? null,
          conference_id: cdr.conference_id ?? null,
          page_count: cdr.page_count ?? null,
          q850,
          cost,
          published: partnerId === null,
          created_us: now,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    const fresh = new Set(inserted.map((r) => r.id));
    const published: string[] = [];
    // The batch's new CDRs, per partner, queued for its sessions in one round trip each (in order).
    const byPartner = new Map<string, Array<Pending & { partnerId: string | null }>>();
    await Promise.all(
      ok.map(async (p) => {
        if (fresh.has(p.cdr.id)) {
          if (p.partnerId === null) p.resolve(p.cdr);
          else byPartner.set(p.partnerId, [...(byPartner.get(p.partnerId) ?? []), p]);
          return;
        }
        try {
          p.resolve(await this.retried(p.cdr.id));
        } catch (err) {
          p.reject(err);
        }
      }),
    );
    await Promise.all(
      [...byPartner].map(async ([partnerId, list]) => {
        try {
          await this.partnerCdr.publishAll(
            partnerId,
            list.map((p) => ({ ...p.cdr })),
          );
          for (const p of list) {
            published.push(p.cdr.id);
            p.resolve(p.cdr);
          }
        } catch (err) {
          for (const p of list) p.reject(err);
        }
      }),
    );
    if (published.length > 0)
      await this.db.updateTable('cdrs').set({ published: true }).where('id', 'in', published).execute();
  }

  /** The id is stored already (a retry): the first write stands; publish it if that had failed. */
  private async retried(id: string): Promise<Cdr> {
    const row = await this.db.selectFrom('cdrs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const stored = toCdr(row);
    if (!row.published && row.partner_id !== null) {
      // spec 9.2.1: the event is `{"cdr": {...}}`; the delivery wraps it.
      await this.partnerCdr.publish(row.partner_id, { ...stored });
      await this.db.updateTable('cdrs').set({ published: true }).where('id', '=', id).execute();
    }
    return stored;
  }

  /** One CDR by id, or undefined. */
  async byId(id: string): Promise<Cdr | undefined> {
    const row = await this.db
      .selectFrom('cdrs')
      .selectAll()
      .where('id', '=', id.toLowerCase())
      .executeTakeFirst();
    return row ? toCdr(row) : undefined;
  }

  /**
   * A phone is the partner's (spec 9.1.4 wrong-phone otherwise) when it is a
   * number or SIP account of one of its users now, or was when the partner's
   * CDRs were filed under it: billing records of a released number stay
   * readable by the partner that had it, and by no one else.
   */
  private async isPartnerPhone(partnerId: string, phone: string): Promise<boolean> {
    const number = await this.db
      .selectFrom('phones')
      .innerJoin('users', 'users.uuid', 'phones.user_uuid')
      .select('phones.number')
      .where('phones.number', '=', phone)
      .where('users.partner_id', '=', partnerId)
      .where('users.deleted', '=', false)
      .executeTakeFirst();
    if (number) return true;
    const sip = await this.db
      .selectFrom('sip_accounts')
      .innerJoin('users', 'users.uuid', 'sip_accounts.owner')
      .select('sip_accounts.name')
      .where('sip_accounts.name', '=', phone)
      .where('users.partner_id', '=', partnerId)
      .where('users.deleted', '=', false)
      .executeTakeFirst();
    if (sip) return true;
    const filed = await this.db
      .selectFrom('cdrs')
      .select('id')
      .where('phone', '=', phone)
      .where('partner_id', '=', partnerId)
      .limit(1)
      .executeTakeFirst();
    return filed !== undefined;
  }

  /** GET /api/partner/cdr/(phone): the partner's CDRs filed under `phone`, paged by (date, id). */
  async listForPartner(partnerId: string, phone: string, query: CdrQuery): Promise<Cdr[]> {
    if (!(await this.isPartnerPhone(partnerId, phone)))
      throw new ServiceError(
        'wrong-phone',
        'the phone number was not assigned by the partner or does not exist',
      );
    let q = this.db
      .selectFrom('cdrs')
      .selectAll()
      .where('phone', '=', phone)
      .where('partner_id', '=', partnerId);
    if (query.fromMs !== undefined) q = q.where('date_ms', '>=', query.fromMs);
    if (query.toMs !== undefined) q = q.where('date_ms', '<=', query.toMs);
    if (query.start !== undefined) {
      const at = await this.cursorOf(partnerId, phone, query.start);
      q =
        query.order === 'asc'
          ? q.where(sql<boolean>`(date_ms, id) > (${at}, ${query.start}::uuid)`)
          : q.where(sql<boolean>`(date_ms, id) < (${at}, ${query.start}::uuid)`);
    }
    const dir = query.order === 'asc' ? sql`asc` : sql`desc`;
    const rows = await q
      .orderBy(sql`date_ms ${dir}, id ${dir}`)
      .limit(query.count)
      .execute();
    return rows.map(toCdr);
  }

  /**
   * The `date` to continue after: the start CDR's own, or, for an id that is
   * not one of this list's CDRs, the time in the v1 UUID (ids from newCdrId
   * carry their CDR's date).
   */
  private async cursorOf(partnerId: string, phone: string, start: string): Promise<number> {
    const row = await this.db
      .selectFrom('cdrs')
      .select('date_ms')
      .where('id', '=', start)
      .where('phone', '=', phone)
      .where('partner_id', '=', partnerId)
      .executeTakeFirst();
    if (row) return Number(row.date_ms);
    return Math.floor((uuidV1Micros(start) ?? 0) / 1000);
  }
}
