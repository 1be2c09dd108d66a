import { sql, type Kysely } from 'kysely';
import type { ObjectRecord } from '../domain/objects.js';
import type { PageQuery } from '../domain/paging.js';
import { applyPage } from '../store/paging.js';
import type { Database, SystemTags } from '../store/schema.js';

export const HEX_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** LIKE treats `%`, `_` and `\` specially; user words must match literally. */
export function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Objects with their tags, in the order of `uuids` (missing ones skipped). */
export async function loadObjects(db: Kysely<Database>, uuids: readonly string[]): Promise<ObjectRecord[]> {
  if (uuids.length === 0) return [];
  const rows = await db.selectFrom('objects').selectAll().where('uuid', 'in', uuids).execute();
  const tags = await attachedTags(db, uuids);
  const byId = new Map(rows.map((r) => [r.uuid, r]));
  const out: ObjectRecord[] = [];
  for (const id of uuids) {
    const r = byId.get(id);
    if (!r) continue;
    const t = tags.get(id) ?? [];
    out.push({
      uuid: r.uuid,
      type: r.type,
      owner: r.owner,
      createdUs: Number(r.created_us),
      description: r.description,
      data: r.data,
      searchText: r.search_text,
      sizeBytes: Number(r.size_bytes),
      tags: t.map((x) => x.uuid),
      trashed: t.some((x) => x.kind === 'tag_trash'),
    });
  }
  return out;
}

/** The tags attached to each object, with their kind ('user' or the system tag name). */
export async function attachedTags(
  db: Kysely<Database>,
  uuids: readonly string[],
): Promise<Map<string, Array<{ uuid: string; kind: string }>>> {
  const out = new Map<string, Array<{ uuid: string; kind: string }>>();
  if (uuids.length === 0) return out;
  const rows = await db
    .selectFrom('object_tags')
    .innerJoin('tags', 'tags.uuid', 'object_tags.tag_uuid')
    .select(['object_tags.object_uuid', 'tags.uuid', 'tags.kind'])
    .where('object_tags.object_uuid', 'in', uuids)
    .orderBy('tags.created_us')
    .orderBy('tags.uuid')
    .execute();
  for (const r of rows) {
    const list = out.get(r.object_uuid) ?? [];
    list.push({ uuid: r.uuid, kind: r.kind });
    out.set(r.object_uuid, list);
  }
  return out;
}

export async function systemTagsOf(db: Kysely<Database>, userId: string): Promise<SystemTags> {
  const row = await db
    .selectFrom('users')
    .select('system_tags')
    .where('uuid', '=', userId)
    .executeTakeFirst();
  if (!row) throw new Error(`unknown user ${userId}`);
  return row.system_tags;
}

/** Subquery: the object of the outer query (`objects`) carries a tag_trash. */
function trashTag(db: Kysely<Database>) {
  return db
    .selectFrom('object_tags as tt')
    .innerJoin('tags as tk', 'tk.uuid', 'tt.tag_uuid')
    .select(sql.lit(1).as('one'))
    .where('tt.object_uuid', '=', sql.ref<string>('objects.uuid'))
    .where('tk.kind', '=', 'tag_trash');
}

/** UUIDs of some of a user's objects (account deletion works through them in batches). */
export async function objectIdsOfUser(
  db: Kysely<Database>,
  userId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('objects')
    .select('uuid')
    .where('owner', '=', userId)
    .limit(limit)
    .execute();
  return rows.map((r) => r.uuid);
}

/** UUIDs of a user's objects in the trash, oldest first. */
export async function trashedObjectIds(
  db: Kysely<Database>,
  userId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('objects')
    .select('uuid')
    .where('owner', '=', userId)
    .where((eb) => eb.exists(trashTag(db)))
    .orderBy('created_us')
    .limit(limit)
    .execute();
  return rows.map((r) => r.uuid);
}

export interface ObjectFilter {
  owner: string;
  /** Every one of these tags must be attached (AND). */
  allTags: readonly string[];
  includeTrash: boolean;
  type?: string | undefined;
  /** Words that must all occur in the description or the search text, case-insensitively. */
  words: readonly string[];
  page: PageQuery;
}

/** The UUIDs of one page of GET /api/tag/(uuid)/object, in the requested order. */
export async function filteredObjectIds(db: Kysely<Database>, f: ObjectFilter): Promise<string[]> {
  let q = db.selectFrom('objects').select('objects.uuid').where('objects.owner', '=', f.owner);
  for (const tag of new Set(f.allTags)) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('object_tags')
          .select(sql.lit(1).as('one'))
          .whereRef('object_tags.object_uuid', '=', 'objects.uuid')
          .where('object_tags.tag_uuid', '=', tag),
      ),
    );
  }
  if (!f.includeTrash) q = q.where((eb) => eb.not(eb.exists(trashTag(db))));
  if (f.type !== undefined) q = q.where('objects.type', '=', f.type);
  for (const word of f.words) {
    const pattern = `%${escapeLike(word)}%`;
    q = q.where((eb) =>
      eb.or([eb('objects.search_text', 'ilike', pattern), eb('objects.description', 'ilike', pattern)]),
    );
  }
  const rows = await applyPage(q, { us: 'objects.created_us', uuid: 'objects.uuid' }, f.page).execute();
  return rows.map((r) => r.uuid);
}
