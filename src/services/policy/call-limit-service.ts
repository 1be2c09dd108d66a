import { ServiceError } from '../../errors/index.js';
import type { Db } from '../../store/db.js';
import { ownUsergroup } from './ownership.js';

/**
 * The configured concurrent call limit of a usergroup (spec 9.1.6
 * `/api/partner/usergroup/(uuid)/limit`). The live count of calls is a Redis
 * lease counter (telephony/policy/call-limit.ts) that the call engine checks
 * against `forGroup`.
 */
export class CallLimitService {
  constructor(private readonly db: Db) {}

  async get(partnerId: string, groupId: string): Promise<number> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    const limit = await this.forGroup(g.uuid);
    if (limit === null)
      throw new ServiceError('no-limit', 'the usergroup does not have a concurrent call limit');
    return limit;
  }

  /** 0 is a valid limit: nobody in the group may call (spec 9.1.6). */
  async set(partnerId: string, groupId: string, limit: number): Promise<void> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    await this.db
      .insertInto('usergroup_limits')
      .values({ usergroup_uuid: g.uuid, call_limit: limit })
      .onConflict((oc) => oc.column('usergroup_uuid').doUpdateSet({ call_limit: limit }))
      .execute();
  }

  async delete(partnerId: string, groupId: string): Promise<void> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    await this.db.deleteFrom('usergroup_limits').where('usergroup_uuid', '=', g.uuid).execute();
  }

  /** For the call engine: the limit, or null when the group has none. */
  async forGroup(groupId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('usergroup_limits')
      .select('call_limit')
      .where('usergroup_uuid', '=', groupId)
      .executeTakeFirst();
    return row?.call_limit ?? null;
  }
}
