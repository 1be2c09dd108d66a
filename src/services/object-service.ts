import { ServiceError, type SpecStatus } from '../errors/index.js';
import { unstorableJsonReason } from '../domain/metadata.js';
import {
  objectEventBase as eventBase,
  objectToApi,
  tagChangeProblem,
  type ObjectRecord,
} from '../domain/objects.js';
import type { PageQuery } from '../domain/paging.js';
import type { EventOutbox } from '../events/outbox.js';
import { newId, uuidV1Micros } from '../lib/ids.js';
import type { Db } from '../store/db.js';
import type { SystemTags } from '../store/schema.js';
import {
  attachedTags,
  filteredObjectIds,
  HEX_UUID,
  loadObjects,
  objectIdsOfUser,
  systemTagsOf,
  trashedObjectIds,
} from './object-queries.js';
import type { TagService } from './tag-service.js';
import { SYSTEM_TAG_NAMES } from './user-service.js';

export { OBJECT_TYPES, type ObjectRecord } from '../domain/objects.js';

export interface NewObject {
  /** A v1 UUID chosen by the caller (e.g. to name files first); its time is the creation time. */
  uuid?: string;
  type: string;
  owner: string;
  description?: string | null;
  data?: Record<string, unknown>;
  /** Extra words GET /api/tag/(uuid)/object?search= finds the object by (besides the description). */
  searchText?: string;
  sizeBytes?: number;
  /** Tags besides tag_all: system tag names (tag_inbox, tag_unread ...) or UUIDs of the owner's tags. */
  tags?: readonly string[];
}

export interface ObjectChanges {
  description?: string | null;
  /** Merged into the stored fields; a key set to `undefined` is removed. */
  data?: Record<string, unknown>;
  searchText?: string;
  sizeBytes?: number;
}

/** Levels of spec 3.10 as they apply to an object: read 1, write 2, propagate 3 (owner counts as 3). */
const NEED = { read: 1, write: 2, propagate: 3 } as const;
export type AccessNeed = keyof typeof NEED;

export interface GetOptions {
  /** Only an object of this type counts as found. */
  type?: string;
  /** Status when not found or not accessible, e.g. 'wrong-fax'; default 'wrong-object'. */
  notFound?: SpecStatus;
  need?: AccessNeed;
}

/** What an object type plugs into the generic life cycle. */
export interface ObjectTypeHooks {
  /** Called after the object is permanently deleted, e.g. to remove its files. */
  purge?(obj: ObjectRecord): Promise<void>;
}

export interface ObjectListQuery {
  page: PageQuery;
  filter?: string | undefined;
  /** Further tag UUIDs that must all be attached (AND). */
  tags?: readonly string[] | undefined;
  /** Words that must all occur in the description or the search text, case-insensitively. */
  search?: string | undefined;
}

export interface TagChangeRequest {
  add?: readonly string[] | undefined;
  delete?: readonly string[] | undefined;
}

/**
 * The one object model every object type (fax, recording, announcement,
 * conference ...) builds on: creation with tag_all, access checks, the
 * listing of spec 3.10, tag attachments (spec 3.12), trash and purge
 * (spec 3.11), and the generic object events of spec 7.6.
 */
export class ObjectService {
  private readonly hooks = new Map<string, ObjectTypeHooks>();
  private readonly changeListeners: Array<(obj: ObjectRecord) => void> = [];

  constructor(
    private readonly db: Db,
    private readonly outbox: EventOutbox,
    private readonly tags: TagService,
    private readonly onHookError: (err: unknown, obj: ObjectRecord) => void = (err, obj) =>
      process.emitWarning(`purge hook of ${obj.type} ${obj.uuid} failed: ${String(err)}`),
  ) {}

  /** Lets an object type react to its objects' life cycle (one registration per type). */
  registerType(type: string, hooks: ObjectTypeHooks): void {
    if (this.hooks.has(type)) throw new Error(`object type ${type} is already registered`);
    this.hooks.set(type, hooks);
  }

  /**
   * Tells `listener` about each object whose tags, trash state or existence
   * changed (re-tagging, trash, purge), after the change committed; e.g. the
   * message lamps follow their voice messages' tag_unread (MwiService).
   */
  onChanged(listener: (obj: ObjectRecord) => void): void {
    this.changeListeners.push(listener);
  }

  private changed(obj: ObjectRecord): void {
    for (const l of this.changeListeners) l(obj);
  }

  async create(input: NewObject): Promise<ObjectRecord> {
    const uuid = (input.uuid ?? newId()).toLowerCase();
    const createdUs = uuidV1Micros(uuid);
    if (createdUs === null) throw new Error('object UUIDs must be time-based (v1)');
    const data = input.data ?? {};
    checkStorable(data, input.description, input.searchText);
    // The object and its object_new commit together (events/outbox.ts).
    return this.outbox.run(async (trx, events) => {
      const system = await systemTagsOf(trx, input.owner);
      const ids = [system.tag_all];
      const names = new Set<string>(SYSTEM_TAG_NAMES);
      const byUuid = (input.tags ?? []).filter((t) => !names.has(t));
      const usable = await this.tags.usable(input.owner, byUuid, trx);
      for (const t of input.tags ?? []) {
        const id = names.has(t) ? system[t as keyof SystemTags] : t.toLowerCase();
        if (!names.has(t) && !usable.has(id)) throw new ServiceError('wrong-tag', `unknown tag ${t}`);
        if (!ids.includes(id)) ids.push(id);
      }
      await trx
        .insertInto('objects')
        .values({
          uuid,
          type: input.type,
          owner: input.owner,
          created_us: createdUs,
          description: input.description ?? null,
          data: JSON.stringify(data),
          search_text: input.searchText ?? '',
          size_bytes: input.sizeBytes ?? 0,
        })
        .execute();
      await trx
        .insertInto('object_tags')
        .values(ids.map((tag_uuid) => ({ object_uuid: uuid, tag_uuid })))
        .execute();
      const obj = (await loadObjects(trx, [uuid]))[0];
      if (!obj) throw new Error(`object ${uuid} vanished after creation`);
      await events.publish({ users: this.readers(obj) }, 'object_new', {
        ...eventBase(obj),
        tag: obj.tags,
      });
      return obj;
    });
  }

  /** The object if the user may read it (and it has the given type); another user's object is not found. */
  async find(userId: string, uuid: string, type?: string): Promise<ObjectRecord | undefined> {
    if (!HEX_UUID.test(uuid)) return undefined;
    const obj = (await this.load([uuid.toLowerCase()]))[0];
    if (!obj || this.level(userId, obj) < NEED.read) return undefined;
    if (type !== undefined && obj.type !== type) return undefined;
    return obj;
  }

  /** find() that throws the caller's not-found status, or access-denied below the needed level. */
  async get(userId: string, uuid: string, opts: GetOptions = {}): Promise<ObjectRecord> {
    const obj = await this.find(userId, uuid, opts.type);
    const what = opts.type ?? 'object';
    if (!obj) {
      const article = /^[aeiou]/.test(what) ? 'an' : 'a';
      throw new ServiceError(
        opts.notFound ?? 'wrong-object',
        `the UUID does not match ${article} ${what} accessible by the current user`,
      );
    }
    if (this.level(userId, obj) < NEED[opts.need ?? 'read']) {
      throw new ServiceError('access-denied', `the user does not have sufficient privileges on the ${what}`);
    }
    return obj;
  }

  /** Changes an object's generic fields; publishes object_modify (spec 7.6.2) unless told not to. */
  async modify(
    obj: ObjectRecord,
    changes: ObjectChanges,
    opts: { actor?: string; event?: boolean } = {},
  ): Promise<ObjectRecord> {
    return this.outbox.run(async (trx, events) => {
      const row = await trx
        .selectFrom('objects')
        .select('data')
        .where('uuid', '=', obj.uuid)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return obj;
      const data = changes.data ? { ...row.data, ...changes.data } : row.data;
      checkStorable(data, changes.description, changes.searchText);
      await trx
        .updateTable('objects')
        .set({
          data: JSON.stringify(data),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...(changes.searchText !== undefined ? { search_text: changes.searchText } : {}),
          ...(changes.sizeBytes !== undefined ? { size_bytes: changes.sizeBytes } : {}),
        })
        .where('uuid', '=', obj.uuid)
        .execute();
      const updated = (await loadObjects(trx, [obj.uuid]))[0];
      if (!updated) return obj;
      if (opts.event !== false) {
        await events.publish(
          { users: this.readers(updated) },
          'object_modify',
          eventBase(updated, opts.actor),
        );
      }
      return updated;
    });
  }

  /**
   * DELETE /api/<type>/(uuid) without `purge`: attaches the owner's tag_trash
   * and publishes object_delete without the `purge` field (spec 7.6.3). An
   * object already in the trash stays there unchanged; only `purge` or
   * DELETE /api/trash remove it for good.
   */
  async moveToTrash(obj: ObjectRecord, actor?: string): Promise<void> {
    if (obj.trashed) return;
    const system = await systemTagsOf(this.db, obj.owner);
    await this.outbox.run(async (trx, events) => {
      const added = await trx
        .insertInto('object_tags')
        .values({ object_uuid: obj.uuid, tag_uuid: system.tag_trash })
        .onConflict((oc) => oc.doNothing())
        .returning('tag_uuid')
        .execute();
      if (added.length > 0)
        await events.publish({ users: this.readers(obj) }, 'object_delete', eventBase(obj, actor));
    });
    this.changed(obj);
  }

  /** Deletes permanently (with its tags and metadata); publishes object_delete with `purge: true`. */
  async purge(obj: ObjectRecord, actor?: string): Promise<void> {
    await this.purgeMany([obj], { actor, event: true });
  }

  /** DELETE /api/trash (spec 3.11): purges every trashed object of the user, then trash_purge. */
  async purgeTrash(userId: string): Promise<void> {
    for (;;) {
      const ids = await trashedObjectIds(this.db, userId, 500);
      if (ids.length === 0) break;
      await this.purgeMany(await this.load(ids), { actor: userId, event: true });
    }
    await this.outbox.run((_trx, events) => events.publish({ users: [userId] }, 'trash_purge', {}));
  }

  /** Account deletion: purges every object of the user, running type hooks, without events. */
  async deleteAllOfUser(userId: string): Promise<void> {
    for (;;) {
      const ids = await objectIdsOfUser(this.db, userId, 500);
      if (ids.length === 0) break;
      await this.purgeMany(await this.load(ids), { event: false });
    }
  }

  /** GET /api/tag/(uuid)/object (spec 3.10): the user's objects carrying `tagUuid`, paged. */
  async listByTag(userId: string, tagUuid: string, query: ObjectListQuery): Promise<ObjectRecord[]> {
    const wanted = [tagUuid, ...(query.tags ?? [])].map((t) => t.toLowerCase());
    const usable = await this.tags.usable(userId, wanted);
    unusableTag(wanted, usable);
    // Trashed objects only show when the trash itself is asked for.
    const ids = await filteredObjectIds(this.db, {
      owner: userId,
      allTags: wanted,
      includeTrash: wanted.some((t) => usable.get(t) === 'tag_trash'),
      type: query.filter,
      words: [...new Set((query.search ?? '').split(/\s+/).filter((w) => w !== ''))],
      page: query.page,
    });
    return this.load(ids);
  }

  /**
   * POST /api/object/(uuid)/tag (spec 3.12). Everything is checked before
   * anything changes, inside one transaction holding the object row.
   */
  async modifyTags(userId: string, uuid: string, req: TagChangeRequest): Promise<void> {
    const add = [...new Set((req.add ?? []).map((t) => t.toLowerCase()))];
    const del = [...new Set((req.delete ?? []).map((t) => t.toLowerCase()))];
    const both = add.find((t) => del.includes(t));
    if (both !== undefined)
      throw new ServiceError('wrong-syntax', `tag ${both} is listed in both add and delete`);
    // Re-tagging needs the propagate level (spec 3.12 access-denied); owners have it.
    const obj = await this.get(userId, uuid, { need: 'propagate' });
    if (add.length === 0 && del.length === 0) return;
    await this.outbox.run(async (trx, events) => {
      const locked = await trx
        .selectFrom('objects')
        .select('uuid')
        .where('uuid', '=', obj.uuid)
        .forUpdate()
        .executeTakeFirst();
      if (!locked) throw new ServiceError('wrong-object', 'the object no longer exists');
      const usable = await this.tags.usable(userId, [...add, ...del], trx);
      unusableTag([...add, ...del], usable);
      const current = (await attachedTags(trx, [obj.uuid])).get(obj.uuid) ?? [];
      const problem = tagChangeProblem(
        {
          attached: new Set(current.map((t) => t.uuid)),
          trashed: current.some((t) => t.kind === 'tag_trash'),
          kinds: usable,
        },
        add,
        del,
      );
      if (problem) throw new ServiceError(problem.status, problem.message);
      if (add.length > 0) {
        await trx
          .insertInto('object_tags')
          .values(add.map((tag_uuid) => ({ object_uuid: obj.uuid, tag_uuid })))
          .execute();
      }
      if (del.length > 0) {
        await trx
          .deleteFrom('object_tags')
          .where('object_uuid', '=', obj.uuid)
          .where('tag_uuid', 'in', del)
          .execute();
      }
      const after = (await loadObjects(trx, [obj.uuid]))[0] ?? obj;
      await events.publish({ users: this.readers(after) }, 'object_tag', {
        ...eventBase(after, userId),
        tag: after.tags,
        tag_add: add,
        tag_delete: del,
      });
    });
    this.changed(obj);
  }

  /** The listing shape of spec 3.10, without the uuid (the listing keys by it). */
  toApi(obj: ObjectRecord): Record<string, unknown> {
    return objectToApi(obj);
  }

  /** The users an object's events go to: those with read access, i.e. its owner. */
  readers(obj: ObjectRecord): string[] {
    return [obj.owner];
  }

  /** Access level of a user on an object: the owner has full rights; objects are not shared. */
  level(userId: string, obj: ObjectRecord): number {
    return obj.owner === userId ? NEED.propagate : 0;
  }

  private async purgeMany(
    objs: readonly ObjectRecord[],
    opts: { actor?: string | undefined; event: boolean },
  ): Promise<void> {
    if (objs.length === 0) return;
    const gone = await this.outbox.run(async (trx, events) => {
      const deleted = await trx
        .deleteFrom('objects')
        .where(
          'uuid',
          'in',
          objs.map((o) => o.uuid),
        )
        .returning('uuid')
        .execute();
      const ids = new Set(deleted.map((r) => r.uuid));
      if (opts.event) {
        for (const obj of objs.filter((o) => ids.has(o.uuid))) {
          await events.publish({ users: this.readers(obj) }, 'object_delete', {
            ...eventBase(obj, opts.actor),
            purge: true,
          });
        }
      }
      return ids;
    });
    for (const obj of objs.filter((o) => gone.has(o.uuid))) this.changed(obj);
    // Files and type state go after the rows: a crash in between leaves files, never rows without them.
    for (const obj of objs.filter((o) => gone.has(o.uuid))) {
      const hooks = this.hooks.get(obj.type);
      if (!hooks?.purge) continue;
      try {
        await hooks.purge(obj);
      } catch (err) {
        this.onHookError(err, obj);
      }
    }
  }

  private load(uuids: readonly string[]): Promise<ObjectRecord[]> {
    return loadObjects(this.db, uuids);
  }
}

/** Refuses text PostgreSQL cannot store (U+0000) and data jsonb cannot hold, before the database fails on it. */
function checkStorable(data: unknown, ...texts: Array<string | null | undefined>): void {
  const why = unstorableJsonReason(data);
  if (why) throw new ServiceError('wrong-syntax', `the object data ${why}`);
  if (texts.some((t) => t?.includes('\u0000'))) {
    throw new ServiceError('wrong-syntax', 'object texts must not contain U+0000');
  }
}

/** wrong-tag for the first of `uuids` the user cannot use (spec 3.10, 3.12). */
function unusableTag(uuids: readonly string[], usable: ReadonlyMap<string, string>): void {
  const unknown = uuids.find((t) => !usable.has(t));
  if (unknown !== undefined) {
    throw new ServiceError(
      'wrong-tag',
      `the UUID ${unknown} does not match a tag accessible by the current user`,
    );
  }
}
