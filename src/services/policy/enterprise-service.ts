import { ServiceError } from '../../errors/index.js';
import { newId, uuidV1Micros } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { disjoint, ownEnterprise, wrongUsergroup } from './ownership.js';

/** spec 9.1.7 `POST /api/partner/enterprise[/(uuid)]`. */
export interface EnterpriseFields {
  description?: string;
  group_prefix_enable?: boolean;
}

export interface EnterpriseView {
  description: string;
  group_prefix_enable: boolean;
}

/** Enterprises of a partner and the usergroups they hold (spec 9.1.7). */
export class EnterpriseService {
  constructor(private readonly db: Db) {}

  async create(partnerId: string, fields: EnterpriseFields): Promise<string> {
    const uuid = newId();
    await this.db
      .insertInto('enterprises')
      .values({
        uuid,
        partner_id: partnerId,
        description: fields.description ?? '',
        group_prefix_enable: fields.group_prefix_enable ?? false,
        created_us: uuidV1Micros(uuid) ?? Date.now() * 1000,
      })
      .execute();
    return uuid;
  }

  async list(partnerId: string): Promise<Record<string, EnterpriseView>> {
    const rows = await this.db
      .selectFrom('enterprises')
      .select(['uuid', 'description', 'group_prefix_enable'])
      .where('partner_id', '=', partnerId)
      .orderBy('created_us')
      .orderBy('uuid')
      .execute();
    const out: Record<string, EnterpriseView> = {};
    for (const r of rows) {
      out[r.uuid] = { description: r.description, group_prefix_enable: r.group_prefix_enable };
    }
    return out;
  }

  async update(partnerId: string, enterpriseId: string, fields: EnterpriseFields): Promise<void> {
    await ownEnterprise(this.db, partnerId, enterpriseId);
    const set: EnterpriseFields = {};
    if (fields.description !== undefined) set.description = fields.description;
    if (fields.group_prefix_enable !== undefined) set.group_prefix_enable = fields.group_prefix_enable;
    if (Object.keys(set).length === 0) return;
    await this.db
      .updateTable('enterprises')
      .set(set)
      .where('uuid', '=', enterpriseId.toLowerCase())
      .execute();
  }

  /** `not-empty` while a usergroup belongs to it (spec 9.1.7). */
  async delete(partnerId: string, enterpriseId: string): Promise<void> {
    const id = enterpriseId.toLowerCase();
    await this.db.transaction().execute(async (trx) => {
      await ownEnterprise(trx, partnerId, id);
      await trx.selectFrom('enterprises').select('uuid').where('uuid', '=', id).forUpdate().execute();
      const group = await trx
        .selectFrom('usergroups')
        .select('uuid')
        .where('enterprise_uuid', '=', id)
        .limit(1)
        .executeTakeFirst();
      if (group) throw new ServiceError('not-empty', 'the enterprise still has usergroups');
      // Its calling names go by ON DELETE CASCADE.
      await trx.deleteFrom('enterprises').where('uuid', '=', id).execute();
    });
  }

  /**
   * `POST /api/partner/enterprise/(uuid)/usergroup`: all or nothing. Every
   * listed group must be the partner's (`wrong-usergroup`); a group in another
   * enterprise cannot be added (`already-grouped`). Adding a group again or
   * deleting one that is not in the enterprise changes nothing.
   */
  async modifyUsergroups(
    partnerId: string,
    enterpriseId: string,
    add: readonly string[],
    del: readonly string[],
  ): Promise<void> {
    const id = enterpriseId.toLowerCase();
    const toAdd = [...new Set(add.map((u) => u.toLowerCase()))];
    const toDel = [...new Set(del.map((u) => u.toLowerCase()))];
    disjoint(toAdd, toDel, 'usergroup');
    await this.db.transaction().execute(async (trx) => {
      await ownEnterprise(trx, partnerId, id);
      await trx.selectFrom('enterprises').select('uuid').where('uuid', '=', id).forUpdate().execute();
      const all = [...toAdd, ...toDel];
      if (all.length === 0) return;
      // Row locks: two enterprises adding the same group serialise here.
      const groups = await trx
        .selectFrom('usergroups')
        .select(['uuid', 'enterprise_uuid'])
        .where('uuid', 'in', all)
        .where('partner_id', '=', partnerId)
        .forUpdate()
        .execute();
      if (groups.length !== all.length) throw wrongUsergroup();
      if (
        groups.some((g) => toAdd.includes(g.uuid) && g.enterprise_uuid !== null && g.enterprise_uuid !== id)
      ) {
        throw new ServiceError(
          'already-grouped',
          'a usergroup listed in add is already in another enterprise',
        );
      }
      if (toDel.length > 0) {
        await trx
          .updateTable('usergroups')
          .set({ enterprise_uuid: null })
          .where('uuid', 'in', toDel)
          .where('enterprise_uuid', '=', id)
          .execute();
      }
      if (toAdd.length > 0) {
        await trx.updateTable('usergroups').set({ enterprise_uuid: id }).where('uuid', 'in', toAdd).execute();
      }
    });
  }

  /** For the call engine: the enterprise of a usergroup with its prefix rule, or null. */
  async ofUsergroup(groupId: string): Promise<{ uuid: string; group_prefix_enable: boolean } | null> {
    const row = await this.db
      .selectFrom('usergroups')
      .innerJoin('enterprises', 'enterprises.uuid', 'usergroups.enterprise_uuid')
      .select(['enterprises.uuid', 'enterprises.group_prefix_enable'])
      .where('usergroups.uuid', '=', groupId)
      .executeTakeFirst();
    return row ?? null;
  }
}
