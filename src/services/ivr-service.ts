import { ServiceError } from '../errors/index.js';
import { newId, uuidV1Micros } from '../lib/ids.js';
import type { PageQuery } from '../domain/paging.js';
import type { Db } from '../store/db.js';
import { applyPage } from '../store/paging.js';
import type { ObjectService } from './object-service.js';

/** An IVR as spec 5.1 defines it (the route checks the formats). */
export interface Ivr {
  description: string;
  announcement: string;
  other?: string;
  timeout?: { seconds: number; action: 'repeat' | 'call' | 'play'; phone?: string; announcement?: string };
  /** The DTMF keys 0-9, * and #: an IVR UUID or an E.164 number. */
  [digit: string]: unknown;
}

export const IVR_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;
const E164 = /^\+[0-9]{3,20}$/;
const WRONG_IVR = 'the IVR does not exist or does not belong to the user';

/** IVRs (spec 5.1), stored as the JSON text the user sent. */
export class IvrService {
  constructor(
    private readonly db: Db,
    private readonly objects: ObjectService,
  ) {}

  /** Semantic checks: a digit, timeout's required fields, own IVRs and announcements only. */
  private async validate(userId: string, ivr: Ivr, self?: string): Promise<void> {
    const targets = IVR_DIGITS.map((d) => ivr[d]).filter((v): v is string => typeof v === 'string');
    if (targets.length === 0)
      throw new ServiceError('missing-element', 'at least one DTMF digit must be given');
    const t = ivr.timeout;
    if (t?.action === 'call' && t.phone === undefined)
      throw new ServiceError('missing-element', 'timeout.phone');
    if (t?.action === 'play' && t.announcement === undefined) {
      throw new ServiceError('missing-element', 'timeout.announcement');
    }
    const announcements = new Set([ivr.announcement.toLowerCase()]);
    if (t?.action === 'play' && t.announcement) announcements.add(t.announcement.toLowerCase());
    for (const a of announcements) {
      await this.objects.get(userId, a, { type: 'announcement', notFound: 'wrong-announcement' });
    }
    const ivrs = [...new Set(targets.filter((v) => !E164.test(v)).map((v) => v.toLowerCase()))].filter(
      (u) => u !== self,
    );
    if (ivrs.length > 0) {
      const own = await this.db
        .selectFrom('ivrs')
        .select('uuid')
        .where('owner', '=', userId)
        .where('uuid', 'in', ivrs)
        .execute();
      if (own.length !== ivrs.length) throw new ServiceError('wrong-ivr', `a digit refers to an unknown IVR`);
    }
  }

  async create(userId: string, ivr: Ivr): Promise<string> {
    await this.validate(userId, ivr);
    const uuid = newId();
    await this.db
      .insertInto('ivrs')
      .values({
        uuid,
        owner: userId,
        json: JSON.stringify(ivr),
        created_us: uuidV1Micros(uuid) ?? Date.now() * 1000,
      })
      .execute();
    return uuid;
  }

  async get(userId: string, uuid: string): Promise<Ivr> {
    const row = await this.db
      .selectFrom('ivrs')
      .select('json')
      .where('owner', '=', userId)
      .where('uuid', '=', uuid.toLowerCase())
      .executeTakeFirst();
    if (!row) throw new ServiceError('wrong-ivr', WRONG_IVR);
    return JSON.parse(row.json) as Ivr;
  }

  /** An IVR may send a digit back to itself (e.g. "9 = main menu" on the main menu). */
  async update(userId: string, uuid: string, ivr: Ivr): Promise<void> {
    const id = uuid.toLowerCase();
    await this.get(userId, id);
    await this.validate(userId, ivr, id);
    await this.db
      .updateTable('ivrs')
      .set({ json: JSON.stringify(ivr) })
      .where('owner', '=', userId)
      .where('uuid', '=', id)
      .execute();
  }

  async list(userId: string, page: PageQuery): Promise<{ description: string; uuid: string }[]> {
    const rows = await applyPage(
      this.db.selectFrom('ivrs').select(['uuid', 'json']).where('owner', '=', userId),
      { us: 'ivrs.created_us', uuid: 'ivrs.uuid' },
      page,
    ).execute();
    return rows.map((r) => ({ description: (JSON.parse(r.json) as Ivr).description, uuid: r.uuid }));
  }

  /**
   * Deletes an IVR. Like a deleted dialplan (spec 4.1), it stops answering the
   * numbers it was set on: their `ivr` is cleared in the same transaction.
   * Returns whether a phone changed, so the caller can publish phone_modify.
   */
  async remove(userId: string, uuid: string): Promise<boolean> {
    const id = uuid.toLowerCase();
    return this.db.transaction().execute(async (trx) => {
      const del = await trx
        .deleteFrom('ivrs')
        .where('owner', '=', userId)
        .where('uuid', '=', id)
        .executeTakeFirst();
      if (del.numDeletedRows === 0n) throw new ServiceError('wrong-ivr', WRONG_IVR);
      const upd = await trx
        .updateTable('phones')
        .set({ ivr: null })
        .where('user_uuid', '=', userId)
        .where('ivr', '=', id)
        .executeTakeFirst();
      return upd.numUpdatedRows > 0n;
    });
  }
}
