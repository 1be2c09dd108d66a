import { sql } from 'kysely';
import { ServiceError } from '../../errors/index.js';
import { newId, uuidV1Micros } from '../../lib/ids.js';
import { parseUsergroupPrefix } from '../../domain/policy/extension.js';
import type { Db } from '../../store/db.js';
import { parsePolicy } from './policy-error.js';
import { disjoint, ownUsergroup, ownUsers, wrongUser } from './ownership.js';

/** spec 9.1.6 `POST /api/partner/usergroup[/(uuid)]`; prefix 0 removes the prefix. */
export interface UsergroupFields {
  description?: string;
  /** A digit 0..9, as number or string (domain parseUsergroupPrefix). */
  prefix?: unknown;
}

/** One entry of `GET /api/partner/usergroup`. */
export interface UsergroupView {
  description: string;
  prefix?: number;
}

/** Users whose visible `usergroup` field (spec 3.5, 9.1.1) changed: they get `user_modify`. */
export interface MembershipChange {
  changedUsers: string[];
}

const nowUs = (): number => Date.now() * 1000;

/** Postgres unique violation: a concurrent request put the user in another group first. */
const isUniqueViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';

/**
 * Usergroups of a partner and their members (spec 9.1.6). `users.usergroup`
 * mirrors the group's description for `GET /api/user` and the partner's user
 * view, and is kept in step here whenever membership or the description changes.
 */
export class UsergroupService {
  constructor(
    private readonly db: Db,
    /** Called after a group is deleted, to drop its live Redis state (credit). */
    private readonly onDelete: ReadonlyArray<(groupId: string) => Promise<unknown>> = [],
  ) {}

  async create(partnerId: string, fields: UsergroupFields): Promise<string> {
    const prefix =
      fields.prefix === undefined ? null : parsePolicy(() => parseUsergroupPrefix(fields.prefix));
    const uuid = newId();
    await this.db
      .insertInto('usergroups')
      .values({
        uuid,
        partner_id: partnerId,
        description: fields.description ?? '',
        prefix,
        enterprise_uuid: null,
        created_us: uuidV1Micros(uuid) ?? nowUs(),
      })
      .execute();
    return uuid;
  }

  async update(partnerId: string, groupId: string, fields: UsergroupFields): Promise<MembershipChange> {
    const set: { description?: string; prefix?: number | null } = {};
    if (fields.description !== undefined) set.description = fields.description;
    if (fields.prefix !== undefined) set.prefix = parsePolicy(() => parseUsergroupPrefix(fields.prefix));
    return this.db.transaction().execute(async (trx) => {
      const cur = await ownUsergroup(trx, partnerId, groupId);
      if (Object.keys(set).length === 0) return { changedUsers: [] };
      await trx.updateTable('usergroups').set(set).where('uuid', '=', cur.uuid).execute();
      if (set.description === undefined || set.description === cur.description) return { changedUsers: [] };
      const rows = await trx
        .updateTable('users')
        .set({ usergroup: set.description })
        .where(
          'uuid',
          'in',
          trx.selectFrom('usergroup_members').select('user_uuid').where('usergroup_uuid', '=', cur.uuid),
        )
        .where('deleted', '=', false)
        .returning('uuid')
        .execute();
      return { changedUsers: rows.map((r) => r.uuid) };
    });
  }

  /** `not-empty` while a (not deleted) user is a member (spec 9.1.6). */
  async delete(partnerId: string, groupId: string): Promise<void> {
    const uuid = await this.db.transaction().execute(async (trx) => {
      const g = await ownUsergroup(trx, partnerId, groupId);
      // Lock the group row so a concurrent member add waits and then fails.
      await trx.selectFrom('usergroups').select('uuid').where('uuid', '=', g.uuid).forUpdate().execute();
      const member = await this.liveMembers(trx, g.uuid).limit(1).executeTakeFirst();
      if (member) throw new ServiceError('not-empty', 'the usergroup still has users');
      // Members, extensions, limit, zone filter and calling names go by ON DELETE CASCADE.
      await trx.deleteFrom('usergroups').where('uuid', '=', g.uuid).execute();
      return g.uuid;
    });
    for (const cleanup of this.onDelete) await cleanup(uuid);
  }

  async list(partnerId: string): Promise<Record<string, UsergroupView>> {
    const rows = await this.db
      .selectFrom('usergroups')
      .select(['uuid', 'description', 'prefix'])
      .where('partner_id', '=', partnerId)
      .orderBy('created_us')
      .orderBy('uuid')
      .execute();
    const out: Record<string, UsergroupView> = {};
    for (const r of rows)
      out[r.uuid] = { description: r.description, ...(r.prefix ? { prefix: r.prefix } : {}) };
    return out;
  }

  /** `GET /api/partner/usergroup/(uuid)/user`: members in the order they were added. */
  async members(partnerId: string, groupId: string): Promise<string[]> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    const rows = await this.liveMembers(this.db, g.uuid).execute();
    return rows.map((r) => r.user_uuid);
  }

  /**
   * `POST /api/partner/usergroup/(uuid)/user`: all or nothing. Every listed user
   * must be the partner's (`wrong-user`); a user in another group cannot be
   * added (`already-grouped`); adding a member again or deleting a non-member
   * changes nothing. A removed user's extensions in the group go too.
   */
  async modifyMembers(
    partnerId: string,
    groupId: string,
    add: readonly string[],
    del: readonly string[],
  ): Promise<MembershipChange> {
    const toAdd = [...new Set(add.map((u) => u.toLowerCase()))];
    const toDel = [...new Set(del.map((u) => u.toLowerCase()))];
    disjoint(toAdd, toDel, 'user');
    try {
      return await this.db.transaction().execute(async (trx) => {
        const g = await ownUsergroup(trx, partnerId, groupId);
        // The row lock orders this against rename and delete; read the description under it.
        const { description } = await trx
          .selectFrom('usergroups')
          .select('description')
          .where('uuid', '=', g.uuid)
          .forUpdate()
          .executeTakeFirstOrThrow();
        await ownUsers(trx, partnerId, [...toAdd, ...toDel]);
        const changed: string[] = [];
        if (toDel.length > 0) {
          const gone = await trx
            .deleteFrom('usergroup_members')
            .where('usergroup_uuid', '=', g.uuid)
            .where('user_uuid', 'in', toDel)
            .returning('user_uuid')
            .execute();
          const goneIds = gone.map((r) => r.user_uuid);
          if (goneIds.length > 0) {
            await trx
              .deleteFrom('usergroup_extensions')
              .where('usergroup_uuid', '=', g.uuid)
              .where('user_uuid', 'in', goneIds)
              .execute();
            await trx.updateTable('users').set({ usergroup: null }).where('uuid', 'in', goneIds).execute();
            changed.push(...goneIds);
          }
        }
        if (toAdd.length > 0) {
          const current = await trx
            .selectFrom('usergroup_members')
            .select(['user_uuid', 'usergroup_uuid'])
            .where('user_uuid', 'in', toAdd)
            .execute();
          if (current.some((m) => m.usergroup_uuid !== g.uuid)) {
            throw new ServiceError('already-grouped', 'a user listed in add is already in another usergroup');
          }
          const fresh = toAdd.filter((u) => !current.some((m) => m.user_uuid === u));
          if (fresh.length > 0) {
            const at = nowUs();
            await trx
              .insertInto('usergroup_members')
              .values(fresh.map((u, i) => ({ user_uuid: u, usergroup_uuid: g.uuid, added_us: at + i })))
              .execute();
            await trx
              .updateTable('users')
              .set({ usergroup: description })
              .where('uuid', 'in', fresh)
              .execute();
            changed.push(...fresh);
          }
        }
        return { changedUsers: changed };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ServiceError('already-grouped', 'a user listed in add is already in another usergroup');
      }
      throw err;
    }
  }

  /** The group a user belongs to, for the call engine (credit, limit, zone filter, extensions). */
  async groupOfUser(userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('usergroup_members')
      .innerJoin('users', 'users.uuid', 'usergroup_members.user_uuid')
      .select('usergroup_members.usergroup_uuid')
      .where('usergroup_members.user_uuid', '=', userId)
      .where('users.deleted', '=', false)
      .executeTakeFirst();
    return row?.usergroup_uuid ?? null;
  }

  /** Members that are not deleted (a deleted user's row stays, spec 3.5). */
  private liveMembers(db: Pick<Db, 'selectFrom'>, groupId: string) {
    return db
      .selectFrom('usergroup_members')
      .innerJoin('users', 'users.uuid', 'usergroup_members.user_uuid')
      .select('usergroup_members.user_uuid')
      .where('usergroup_members.usergroup_uuid', '=', groupId)
      .where('users.deleted', '=', false)
      .orderBy(sql`usergroup_members.added_us, usergroup_members.user_uuid`);
  }
}

/** Exported for the extension service: `wrong-user` unless every user is a live member of the group. */
export async function requireMembers(
  db: Pick<Db, 'selectFrom'>,
  groupId: string,
  userIds: readonly string[],
): Promise<void> {
  const unique = [...new Set(userIds.map((u) => u.toLowerCase()))];
  if (unique.length === 0) return;
  const rows = await db
    .selectFrom('usergroup_members')
    .innerJoin('users', 'users.uuid', 'usergroup_members.user_uuid')
    .select('usergroup_members.user_uuid')
    .where('usergroup_members.usergroup_uuid', '=', groupId)
    .where('usergroup_members.user_uuid', 'in', unique)
    .where('users.deleted', '=', false)
    .execute();
  if (rows.length !== unique.length) throw wrongUser();
}
