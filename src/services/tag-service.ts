import { ServiceError } from '../errors/index.js';
import type { EventPublisher } from '../events/types.js';
import { newId, uuidV1Micros } from '../lib/ids.js';
import type { Db } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { Transaction } from 'kysely';

/** Policy levels of spec 3.10: 1 read, 2 write, 3 propagate, 4 owner. */
export const OWNER_LEVEL = 4;

/** A tag as GET /api/tag and GET /api/tag/(uuid) show it. */
export interface TagInfo {
  owner: string;
  label: string;
  foreign_use: boolean;
  policy: Record<string, number>;
}

export interface NewTag {
  label: string;
  foreign_use?: boolean | undefined;
  policy?: Record<string, number> | undefined;
}

export interface TagChanges {
  label?: string | undefined;
  foreign_use?: boolean | undefined;
  policy?: { update?: Record<string, number> | undefined; delete?: string[] | undefined } | undefined;
}

interface TagRow {
  uuid: string;
  owner: string;
  label: string;
  foreign_use: boolean;
  kind: string;
}

const wrongTag = (): ServiceError =>
  new ServiceError('wrong-tag', 'the UUID does not match a tag accessible by the current user');

/**
 * User tags (spec 3.10) and the lookup of tags a user may use on objects.
 * System tags and share tags (kind != 'user') are never managed here: they
 * answer wrong-tag like an unknown UUID.
 */
export class TagService {
  constructor(
    private readonly db: Db,
    private readonly events: EventPublisher,
  ) {}

  /** The user's own tags and tags other users granted access to; no system or share tags. */
  async list(userId: string): Promise<Record<string, TagInfo>> {
    const rows = await this.db
      .selectFrom('tags')
      .select(['uuid', 'owner', 'label', 'foreign_use', 'kind'])
      .where('kind', '=', 'user')
      .where((eb) =>
        eb.or([
          eb('owner', '=', userId),
          eb('uuid', 'in', eb.selectFrom('tag_policies').select('tag_uuid').where('user_uuid', '=', userId)),
        ]),
      )
      .orderBy('created_us')
      .orderBy('uuid')
      .execute();
    const policies = await this.policiesOf(rows.map((r) => r.uuid));
    const out: Record<string, TagInfo> = {};
    for (const row of rows) out[row.uuid] = info(row, policies.get(row.uuid));
    return out;
  }

  async create(userId: string, input: NewTag): Promise<string> {
    checkLabel(input.label);
    this.checkPolicyUsers(userId, Object.keys(input.policy ?? {}));
    const uuid = newId();
    const row: TagRow = {
      uuid,
      owner: userId,
      label: input.label,
      foreign_use: input.foreign_use ?? false,
      kind: 'user',
    };
    await this.db
      .insertInto('tags')
      .values({ ...row, created_us: uuidV1Micros(uuid) ?? Date.now() * 1000 })
      .execute();
    const tag = info(row, undefined);
    await this.events.publish({ users: Object.keys(tag.policy) }, 'tag_new', { tag: uuid, ...tag });
    return uuid;
  }

  async get(userId: string, uuid: string): Promise<TagInfo> {
    const { row } = await this.accessible(userId, uuid);
    return info(row, (await this.policiesOf([row.uuid])).get(row.uuid));
  }

  async modify(userId: string, uuid: string, changes: TagChanges): Promise<void> {
    const { row, level } = await this.accessible(userId, uuid);
    if (level !== OWNER_LEVEL)
      throw new ServiceError('access-denied', 'the user is not the owner of the tag');
    if (changes.label !== undefined) checkLabel(changes.label);
    const update = changes.policy?.update ?? {};
    const del = changes.policy?.delete ?? [];
    this.checkPolicyUsers(row.owner, [...Object.keys(update), ...del]);
    const before = (await this.policiesOf([row.uuid])).get(row.uuid);
    const next: TagRow = {
      ...row,
      label: changes.label ?? row.label,
      foreign_use: changes.foreign_use ?? row.foreign_use,
    };
    if (changes.label !== undefined || changes.foreign_use !== undefined) {
      await this.db
        .updateTable('tags')
        .set({ label: next.label, foreign_use: next.foreign_use })
        .where('uuid', '=', row.uuid)
        .execute();
    }
    const after = info(next, (await this.policiesOf([row.uuid])).get(row.uuid));
    // Spec 7.4.2: users who lost access are listed with level 0.
    const policy: Record<string, number> = { ...after.policy };
    for (const user of Object.keys(before ?? {})) if (!(user in policy)) policy[user] = 0;
    await this.events.publish({ users: Object.keys(policy) }, 'tag_modify', {
      tag: row.uuid,
      ...after,
      policy,
    });
  }

  /** Deletes a tag; the database detaches it from every object (object_tags cascade). */
  async delete(userId: string, uuid: string): Promise<void> {
    const { row, level } = await this.accessible(userId, uuid);
    if (level !== OWNER_LEVEL)
      throw new ServiceError('access-denied', 'the user is not the owner of the tag');
    const audience = Object.keys(info(row, (await this.policiesOf([row.uuid])).get(row.uuid)).policy);
    await this.db.deleteFrom('tags').where('uuid', '=', row.uuid).execute();
    await this.events.publish({ users: audience }, 'tag_delete', { tag: row.uuid });
  }

  /**
   * The tags among `uuids` that the user may put on, take off or list objects
   * by, mapped to their kind ('user' or the system tag's name). Without tag
   * sharing that is exactly the user's own tags, system tags included.
   * Pass the caller's transaction to lock the tags until it commits.
   */
  async usable(
    userId: string,
    uuids: readonly string[],
    trx?: Transaction<Database>,
  ): Promise<Map<string, string>> {
    const wanted = [...new Set(uuids.map((u) => u.toLowerCase()))];
    if (wanted.length === 0) return new Map();
    const q = (trx ?? this.db)
      .selectFrom('tags')
      .select(['uuid', 'kind'])
      .where('owner', '=', userId)
      .where('uuid', 'in', wanted);
    // Inside a transaction the tags must not vanish before they are attached.
    const rows = await (trx ? q.forKeyShare() : q).execute();
    return new Map(rows.map((r) => [r.uuid, r.kind]));
  }

  /** A user tag the user owns or holds a policy on, with the user's level; else wrong-tag. */
  private async accessible(userId: string, uuid: string): Promise<{ row: TagRow; level: number }> {
    const row = await this.db
      .selectFrom('tags')
      .select(['uuid', 'owner', 'label', 'foreign_use', 'kind'])
      .where('uuid', '=', uuid.toLowerCase())
      .where('kind', '=', 'user')
      .executeTakeFirst();
    if (!row) throw wrongTag();
    if (row.owner === userId) return { row, level: OWNER_LEVEL };
    const policy = await this.db
      .selectFrom('tag_policies')
      .select('level')
      .where('tag_uuid', '=', row.uuid)
      .where('user_uuid', '=', userId)
      .executeTakeFirst();
    if (!policy || policy.level < 1) throw wrongTag();
    return { row, level: policy.level };
  }

  private async policiesOf(tagUuids: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    if (tagUuids.length === 0) return out;
    const rows = await this.db
      .selectFrom('tag_policies')
      .select(['tag_uuid', 'user_uuid', 'level'])
      .where('tag_uuid', 'in', tagUuids)
      .orderBy('user_uuid')
      .execute();
    for (const r of rows) {
      const p = out.get(r.tag_uuid) ?? {};
      p[r.user_uuid] = r.level;
      out.set(r.tag_uuid, p);
    }
    return out;
  }

  /**
   * Policies may only name users linked with the owner (spec 3.10 wrong-user).
   * User links (spec 3.9) are not part of this engine, so no other user
   * qualifies; the owner's own entry is always level 4 and is ignored.
   */
  private checkPolicyUsers(owner: string, users: readonly string[]): void {
    const other = users.find((u) => u.toLowerCase() !== owner);
    if (other !== undefined) {
      throw new ServiceError('wrong-user', `user ${other} is unknown or has no link with the current user`);
    }
  }
}

function info(row: TagRow, policies: Record<string, number> | undefined): TagInfo {
  return {
    owner: row.owner,
    label: row.label,
    foreign_use: row.foreign_use,
    policy: { [row.owner]: OWNER_LEVEL, ...(policies ?? {}) },
  };
}

/** PostgreSQL text cannot hold U+0000, which the spec's `^.{1,50}$` would let through. */
function checkLabel(label: string): void {
  if (label.includes('\u0000')) throw new ServiceError('wrong-syntax', 'the label must not contain U+0000');
}
