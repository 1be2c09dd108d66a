import { ServiceError } from '../../errors/index.js';
import {
  compileZoneFilter,
  parseZoneFilter,
  type ZoneFilter,
  type ZoneFilterEntry,
} from '../../domain/policy/zone-filter.js';
import type { Db } from '../../store/db.js';
import { ownUsergroup } from './ownership.js';
import { parsePolicy } from './policy-error.js';

/** Zone filters of a partner's usergroups (spec 9.1.6 /api/partner/usergroup/(uuid)/zonefilter). */
export class ZoneFilterService {
  constructor(private readonly db: Db) {}

  /** Validates with the domain parser (empty-filter, too-large over 250 entries, ...) first. */
  async set(partnerId: string, groupId: string, zonefilter: unknown): Promise<void> {
    const parsed = parsePolicy(() => parseZoneFilter(zonefilter));
    const g = await ownUsergroup(this.db, partnerId, groupId);
    const entries = JSON.stringify(parsed.entries);
    await this.db
      .insertInto('zone_filters')
      .values({ usergroup_uuid: g.uuid, entries })
      .onConflict((oc) => oc.column('usergroup_uuid').doUpdateSet({ entries }))
      .execute();
  }

  /** `empty-filter` when the group has none (spec 9.1.6). */
  async get(partnerId: string, groupId: string): Promise<ZoneFilterEntry[]> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    const entries = await this.raw(g.uuid);
    if (!entries) throw new ServiceError('empty-filter', 'the given usergroup does not have a zone filter');
    return entries;
  }

  async delete(partnerId: string, groupId: string): Promise<void> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    await this.db.deleteFrom('zone_filters').where('usergroup_uuid', '=', g.uuid).execute();
  }

  /** For the call engine: the group's compiled zone filter, or null (every call costs 0). */
  async forGroup(groupId: string): Promise<ZoneFilter | null> {
    const entries = await this.raw(groupId);
    return entries ? compileZoneFilter(entries) : null;
  }

  private async raw(groupId: string): Promise<ZoneFilterEntry[] | undefined> {
    const row = await this.db
      .selectFrom('zone_filters')
      .select('entries')
      .where('usergroup_uuid', '=', groupId)
      .executeTakeFirst();
    return row ? (row.entries as ZoneFilterEntry[]) : undefined;
  }
}
