/**
 * The generic object model of spec 3.10-3.12 and chapter 7.6: the listing
 * shape, the common event fields, and the rules for changing an object's tags.
 */

/** The `filter` values of GET /api/tag/(uuid)/object (spec 3.10). */
export const OBJECT_TYPES = [
  'fax',
  'recording',
  'announcement',
  'contact',
  'conference',
  'volume',
  'box',
  'ipquality',
  'presentation',
  'sensor',
  'xobject',
] as const;

/** One stored object of any type; type-specific fields live in `data`. */
export interface ObjectRecord {
  uuid: string;
  type: string;
  owner: string;
  createdUs: number;
  description: string | null;
  data: Record<string, unknown>;
  searchText: string;
  sizeBytes: number;
  /** Attached tag UUIDs, oldest tag first (system tags precede user tags). */
  tags: string[];
  /** Carries its owner's tag_trash. */
  trashed: boolean;
}

/** Listing fields a type's `data` must not shadow. */
const RESERVED = new Set(['type', 'owner', 'time', 'tag', 'description']);

/**
 * One entry of GET /api/tag/(uuid)/object (spec 3.10), keyed by the UUID
 * outside: type, owner, time (seconds), tag[], description (if any), then the
 * type-specific fields.
 */
export function objectToApi(obj: ObjectRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: obj.type,
    owner: obj.owner,
    time: Math.floor(obj.createdUs / 1_000_000),
    tag: [...obj.tags],
  };
  if (obj.description !== null) out['description'] = obj.description;
  for (const [k, v] of Object.entries(obj.data)) if (!RESERVED.has(k)) out[k] = v;
  return out;
}

/** The fields every object event starts with (spec 7.6): object, type, owner, user?, description?. */
export function objectEventBase(obj: ObjectRecord, actor?: string): Record<string, unknown> {
  return {
    object: obj.uuid,
    type: obj.type,
    owner: obj.owner,
    ...(actor !== undefined ? { user: actor } : {}),
    ...(obj.description !== null ? { description: obj.description } : {}),
  };
}

export interface TagChangeState {
  /** Tags attached now. */
  attached: ReadonlySet<string>;
  trashed: boolean;
  /** Kind of every tag named in the request ('user' or a system tag name). */
  kinds: ReadonlyMap<string, string>;
}

export interface TagChangeProblem {
  status: 'access-denied' | 'already-tag' | 'no-tag';
  message: string;
}

/**
 * The rules of POST /api/object/(uuid)/tag (spec 3.12) once the object and
 * the tags are known to be accessible: an object in the trash only allows
 * removing the trash tag ("undelete"); tag_all always stays; a tag to add
 * must not be attached yet, a tag to delete must be.
 */
export function tagChangeProblem(
  state: TagChangeState,
  add: readonly string[],
  del: readonly string[],
): TagChangeProblem | null {
  const onlyUndelete = add.length === 0 && del.length === 1 && state.kinds.get(del[0] ?? '') === 'tag_trash';
  if (state.trashed && !onlyUndelete) {
    return {
      status: 'access-denied',
      message: 'an object in the trash only allows removing the trash tag',
    };
  }
  if (del.some((t) => state.kinds.get(t) === 'tag_all')) {
    return { status: 'access-denied', message: 'tag_all cannot be removed from an object' };
  }
  const already = add.find((t) => state.attached.has(t));
  if (already !== undefined) return { status: 'already-tag', message: `tag ${already} is already attached` };
  const missing = del.find((t) => !state.attached.has(t));
  if (missing !== undefined) return { status: 'no-tag', message: `tag ${missing} is not attached` };
  return null;
}
