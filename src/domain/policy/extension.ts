/**
 * Internal extensions (spec 9.1.6 .../extension, 9.1.7 group_prefix_enable).
 * A usergroup maps extensions (1-5 digits) to member users; a user of the
 * group who dials an extension reaches that user's dialplan.
 *
 * Resolution for a caller in usergroup G:
 * 1. G's own extensions, dialled as they are.
 * 2. If G belongs to an enterprise:
 *    - with `group_prefix_enable`, the first digit is a usergroup prefix (1-9)
 *      and the rest an extension of the enterprise's group with that prefix
 *      ("users have to dial the usergroup's prefix in order to reach users in
 *      other usergroups");
 *    - without it, the extensions of the enterprise's other groups are dialled
 *      as they are.
 *
 * Decisions where the spec is silent: the own group comes first (so "712" is
 * G's extension 712 before group 7's extension 12); an extension that two
 * other groups both define (or a prefix two groups share) is ambiguous and
 * resolves to nothing rather than to an arbitrary user.
 */
import { PolicyError, isRecord } from './errors.js';

/** Spec 9.1.6 POST .../extension. */
export const EXTENSION_PATTERN = '^[0-9]{1,5}$';
const EXTENSION_RE = new RegExp(EXTENSION_PATTERN);
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isExtension(v: unknown): v is string {
  return typeof v === 'string' && EXTENSION_RE.test(v);
}

export type ExtensionMap = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

export interface ExtensionGroup {
  uuid: string;
  /** The usergroup prefix 1-9, or null (spec 9.1.6: 0 removes it). */
  prefix: number | null;
  /** Extension -> user UUID. */
  extensions: ExtensionMap;
}

export interface ExtensionScope {
  /** The caller's usergroup. */
  group: ExtensionGroup;
  /** The caller's enterprise with all its usergroups (the caller's included or not). */
  enterprise?: { groupPrefixEnable: boolean; groups: readonly ExtensionGroup[] } | null;
}

export interface ExtensionTarget {
  userUuid: string;
  usergroupUuid: string;
  extension: string;
}

function lookup(map: ExtensionMap, ext: string): string | undefined {
  if (map instanceof Map) return (map as ReadonlyMap<string, string>).get(ext);
  const rec = map as Readonly<Record<string, string>>;
  return Object.hasOwn(rec, ext) ? rec[ext] : undefined;
}

function unique(groups: readonly ExtensionGroup[], ext: string): ExtensionTarget | null {
  let found: ExtensionTarget | null = null;
  for (const g of groups) {
    const user = lookup(g.extensions, ext);
    if (user === undefined) continue;
    if (found) return null;
    found = { userUuid: user, usergroupUuid: g.uuid, extension: ext };
  }
  return found;
}

/** The user a dialled extension reaches, or null (see the header for the rules). */
export function resolveExtension(dialled: string, scope: ExtensionScope): ExtensionTarget | null {
  const own = isExtension(dialled) ? lookup(scope.group.extensions, dialled) : undefined;
  if (own !== undefined) return { userUuid: own, usergroupUuid: scope.group.uuid, extension: dialled };
  const ent = scope.enterprise;
  if (!ent) return null;
  if (ent.groupPrefixEnable) {
    const prefix = Number(dialled.charAt(0));
    const ext = dialled.slice(1);
    if (!/^[1-9]$/.test(dialled.charAt(0)) || !isExtension(ext)) return null;
    return unique(
      ent.groups.filter((g) => g.prefix === prefix),
      ext,
    );
  }
  if (!isExtension(dialled)) return null;
  return unique(
    ent.groups.filter((g) => g.uuid !== scope.group.uuid),
    dialled,
  );
}

/**
 * The usergroup `prefix` field (spec 9.1.6: a digit 0..9, 0 removes the
 * prefix). Accepts the number or a one-digit string; returns null for 0.
 */
export function parseUsergroupPrefix(v: unknown): number | null {
  const n = typeof v === 'string' && /^[0-9]$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 9)
    throw new PolicyError('wrong-syntax', 'prefix must be a digit from 0 to 9');
  return n === 0 ? null : n;
}

export interface ExtensionUpdate {
  /** Extension -> user UUID, to set. */
  add: Map<string, string>;
  /** Extensions to remove (applied before `add`). */
  delete: string[];
}

/**
 * Validates POST .../extension (`add`: {extension: user-uuid}, `delete`:
 * [extension]). Membership of the users is the caller's check (wrong-user).
 */
export function parseExtensionUpdate(body: unknown): ExtensionUpdate {
  if (!isRecord(body)) throw new PolicyError('wrong-syntax', 'the body must be a JSON object');
  const add = body['add'];
  const del = body['delete'];
  if (add === undefined && del === undefined)
    throw new PolicyError('missing-element', 'add or delete must be present');
  const out: ExtensionUpdate = { add: new Map(), delete: [] };
  if (add !== undefined) {
    if (!isRecord(add))
      throw new PolicyError('wrong-syntax', 'add must be an object of extension: user-uuid');
    for (const [ext, user] of Object.entries(add)) {
      if (!isExtension(ext))
        throw new PolicyError(
          'wrong-syntax',
          `add: extension ${JSON.stringify(ext)} must match ${EXTENSION_PATTERN}`,
        );
      if (typeof user !== 'string' || !UUID_RE.test(user))
        throw new PolicyError('wrong-syntax', `add.${ext} must be a user UUID`);
      out.add.set(ext, user);
    }
  }
  if (del !== undefined) {
    if (!Array.isArray(del)) throw new PolicyError('wrong-syntax', 'delete must be an array of extensions');
    for (const [i, ext] of (del as unknown[]).entries()) {
      if (!isExtension(ext))
        throw new PolicyError('wrong-syntax', `delete[${i}] must match ${EXTENSION_PATTERN}`);
      out.delete.push(ext);
    }
  }
  return out;
}

/** The group's extensions after an update: deletions first, then additions. */
export function applyExtensionUpdate(
  current: Readonly<Record<string, string>>,
  update: ExtensionUpdate,
): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const ext of update.delete) delete next[ext];
  for (const [ext, user] of update.add) next[ext] = user;
  return next;
}
