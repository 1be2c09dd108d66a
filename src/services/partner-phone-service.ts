import type { Updateable } from 'kysely';
import { ServiceError } from '../errors/index.js';
import type { Db } from '../store/db.js';
import type { PhonesTable } from '../store/schema.js';
import type { EventPublisher } from '../events/types.js';
import {
  flagColumns,
  flagsOf,
  nullRefs,
  PHONE_FLAG_DEFAULTS,
  lockOwnedNumbers,
  type PhoneFlag,
  type PhoneFlags,
} from './phone-service.js';

export interface PartnerPhoneUpdate extends PhoneFlags {
  p_asserted_identity?: string | null;
}
export interface PartnerPhoneRequest {
  create?: Record<string, PartnerPhoneUpdate>;
  update?: Record<string, PartnerPhoneUpdate>;
  delete?: string[];
}

/** One number of the `phone` section of `GET /api/partner/user/(uuid)` (spec 9.1.1). */
export type PartnerPhoneView = Record<PhoneFlag, boolean> & { p_asserted_identity?: string };

/** Partner control of its users' phone numbers (spec 9.1.2). */
export class PartnerPhoneService {
  constructor(
    private readonly db: Db,
    private readonly events: EventPublisher,
  ) {}

  /** `GET /api/partner/phone`: number -> user UUID, ordered by number, `start` exclusive. */
  async list(partnerId: string, start: string | undefined, count: number): Promise<Record<string, string>> {
    let q = this.db
      .selectFrom('phones')
      .innerJoin('users', 'users.uuid', 'phones.user_uuid')
      .select(['phones.number', 'phones.user_uuid'])
      .where('users.partner_id', '=', partnerId)
      .where('users.deleted', '=', false);
    if (start !== undefined) q = q.where('phones.number', '>', start);
    const rows = await q.orderBy('phones.number').limit(count).execute();
    const out: Record<string, string> = {};
    for (const r of rows) out[r.number] = r.user_uuid;
    return out;
  }

  /** The partner's right to assign numbers (`partners.phone_control`). */
  async controlsPhones(partnerId: string): Promise<boolean> {
    const p = await this.db
      .selectFrom('partners')
      .select('phone_control')
      .where('id', '=', partnerId)
      .executeTakeFirst();
    return p?.phone_control === true;
  }

  /** The `phone` section of `GET /api/partner/user/(uuid)`, or undefined when the partner does not control phones. */
  async userSection(
    partnerId: string,
    userId: string,
  ): Promise<Record<string, PartnerPhoneView> | undefined> {
    if (!(await this.controlsPhones(partnerId))) return undefined;
    const rows = await this.db
      .selectFrom('phones')
      .selectAll()
      .where('user_uuid', '=', userId)
      .orderBy('number')
      .execute();
    const out: Record<string, PartnerPhoneView> = {};
    for (const r of rows) {
      const v: PartnerPhoneView = flagsOf(r);
      if (r.p_asserted_identity !== null) v.p_asserted_identity = r.p_asserted_identity;
      out[r.number] = v;
    }
    return out;
  }

  /** `POST /api/partner/phone/(user-uuid)`: all checks first, then one transaction. */
  async modify(partnerId: string, userId: string, req: PartnerPhoneRequest): Promise<void> {
    const creates = Object.entries(req.create ?? {});
    const updates = Object.entries(req.update ?? {});
    const deletes = req.delete ?? [];
    const touched = [...creates.map(([n]) => n), ...updates.map(([n]) => n), ...deletes];
    const dup = touched.find((n, i) => touched.indexOf(n) !== i);
    if (dup !== undefined)
      throw new ServiceError('wrong-syntax', `${dup} is listed in more than one section`);
    if (!(await this.controlsPhones(partnerId))) {
      throw new ServiceError('phone-forbidden', 'the partner may not control phone number assignments');
    }
    const user = await this.db
      .selectFrom('users')
      .select('uuid')
      .where('uuid', '=', userId)
      .where('partner_id', '=', partnerId)
      .where('deleted', '=', false)
      .executeTakeFirst();
    if (!user)
      throw new ServiceError(
        'wrong-user',
        'the user does not exist or does not belong to the current partner',
      );

    await this.db.transaction().execute(async (trx) => {
      await lockOwnedNumbers(trx, userId, [...updates.map(([k]) => k), ...deletes]);
      if (creates.length > 0) {
        const taken = await trx
          .selectFrom('phones')
          .select('number')
          .where(
            'number',
            'in',
            creates.map(([n]) => n),
          )
          .executeTakeFirst();
        if (taken) throw new ServiceError('phone-duplicate', `${taken.number} is already assigned to a user`);
        // A partner's number is no longer free for users of that area.
        await trx
          .deleteFrom('number_pool')
          .where(
            'number',
            'in',
            creates.map(([n]) => n),
          )
          .execute();
      }
      for (const [number, c] of creates) {
        await trx
          .insertInto('phones')
          .values({
            ...PHONE_FLAG_DEFAULTS,
            ...flagColumns(c),
            ...nullRefs(),
            p_asserted_identity: c.p_asserted_identity ?? null,
            number,
            user_uuid: userId,
            partner_id: partnerId,
            unlock_code: null,
            created_us: Date.now() * 1000,
          })
          .execute();
      }
      for (const [n, u] of updates) {
        const set: Updateable<PhonesTable> = flagColumns(u);
        // null removes the identity, absence keeps it (spec 9.1.2).
        if (u.p_asserted_identity !== undefined) set.p_asserted_identity = u.p_asserted_identity;
        if (Object.keys(set).length > 0)
          await trx.updateTable('phones').set(set).where('number', '=', n).execute();
      }
      if (deletes.length > 0) await trx.deleteFrom('phones').where('number', 'in', deletes).execute();
    });
    if (touched.length > 0) await this.events.publish({ users: [userId] }, 'phone_modify', {});
  }
}
