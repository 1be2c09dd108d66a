import { parseExtensionUpdate } from '../../domain/policy/extension.js';
import type { Db } from '../../store/db.js';
import { ownUsergroup } from './ownership.js';
import { parsePolicy } from './policy-error.js';
import { requireMembers } from './usergroup-service.js';

/** Internal extensions of a usergroup (spec 9.1.6 `/api/partner/usergroup/(uuid)/extension`). */
export class ExtensionService {
  constructor(private readonly db: Db) {}

  /** `{ "10": user-uuid, ... }` in numeric-then-text order of the extension. */
  async list(partnerId: string, groupId: string): Promise<Record<string, string>> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    return this.forGroup(g.uuid);
  }

  /**
   * Deletes the listed extensions, then sets the added ones (an existing
   * number is re-pointed), as the domain's parseExtensionUpdate reads the
   * body. Every target must be a member of the group (`wrong-user`), and
   * nothing changes if one is not.
   */
  async modify(partnerId: string, groupId: string, body: unknown): Promise<void> {
    const update = parsePolicy(() => parseExtensionUpdate(body));
    const del = update.delete;
    await this.db.transaction().execute(async (trx) => {
      const g = await ownUsergroup(trx, partnerId, groupId);
      // The group row lock orders this against member removal, which drops extensions.
      await trx.selectFrom('usergroups').select('uuid').where('uuid', '=', g.uuid).forUpdate().execute();
      const entries = [...update.add].map(([extension, user]) => ({
        usergroup_uuid: g.uuid,
        extension,
        user_uuid: user.toLowerCase(),
      }));
      await requireMembers(
        trx,
        g.uuid,
        entries.map((e) => e.user_uuid),
      );
      if (del.length > 0) {
        await trx
          .deleteFrom('usergroup_extensions')
          .where('usergroup_uuid', '=', g.uuid)
          .where('extension', 'in', [...del])
          .execute();
      }
      if (entries.length > 0) {
        await trx
          .insertInto('usergroup_extensions')
          .values(entries)
          .onConflict((oc) =>
            oc
              .columns(['usergroup_uuid', 'extension'])
              .doUpdateSet((eb) => ({ user_uuid: eb.ref('excluded.user_uuid') })),
          )
          .execute();
      }
    });
  }

  /** For the call engine: the extension table of a group. */
  async forGroup(groupId: string): Promise<Record<string, string>> {
    // A deleted user's row stays (spec 3.5); its extensions no longer reach anyone.
    const rows = await this.db
      .selectFrom('usergroup_extensions')
      .innerJoin('users', 'users.uuid', 'usergroup_extensions.user_uuid')
      .select(['usergroup_extensions.extension', 'usergroup_extensions.user_uuid'])
      .where('usergroup_extensions.usergroup_uuid', '=', groupId)
      .where('users.deleted', '=', false)
      .execute();
    rows.sort((a, b) => Number(a.extension) - Number(b.extension) || a.extension.localeCompare(b.extension));
    const out: Record<string, string> = {};
    for (const r of rows) out[r.extension] = r.user_uuid;
    return out;
  }
}
