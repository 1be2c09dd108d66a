import { ServiceError } from '../../errors/index.js';
import type { Db } from '../../store/db.js';

/**
 * Every partner policy call touches only the partner's own users, usergroups
 * and enterprises. Another partner's object, a deleted user and an unknown
 * UUID all answer the same status (spec 9.1.3, 9.1.5-9.1.7).
 */
export const wrongUser = (): ServiceError =>
  new ServiceError('wrong-user', 'the user does not exist or does not belong to the current partner');
export const wrongUsergroup = (): ServiceError =>
  new ServiceError('wrong-usergroup', 'the usergroup does not exist or does not belong to the partner');
export const wrongEnterprise = (): ServiceError =>
  new ServiceError('wrong-enterprise', 'the enterprise does not exist or does not belong to the partner');

type Executor = Pick<Db, 'selectFrom'>;

export async function ownUser(db: Executor, partnerId: string, userId: string): Promise<void> {
  const row = await db
    .selectFrom('users')
    .select('uuid')
    .where('uuid', '=', userId.toLowerCase())
    .where('partner_id', '=', partnerId)
    .where('deleted', '=', false)
    .executeTakeFirst();
  if (!row) throw wrongUser();
}

/** The partner's (not deleted) users among `userIds`; answers `wrong-user` unless all are. */
export async function ownUsers(db: Executor, partnerId: string, userIds: readonly string[]): Promise<void> {
  const unique = [...new Set(userIds.map((u) => u.toLowerCase()))];
  if (unique.length === 0) return;
  const rows = await db
    .selectFrom('users')
    .select('uuid')
    .where('uuid', 'in', unique)
    .where('partner_id', '=', partnerId)
    .where('deleted', '=', false)
    .execute();
  if (rows.length !== unique.length) throw wrongUser();
}

export interface UsergroupRow {
  uuid: string;
  description: string;
  prefix: number | null;
  enterprise_uuid: string | null;
}

export async function ownUsergroup(db: Executor, partnerId: string, groupId: string): Promise<UsergroupRow> {
  const row = await db
    .selectFrom('usergroups')
    .select(['uuid', 'description', 'prefix', 'enterprise_uuid'])
    .where('uuid', '=', groupId.toLowerCase())
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  if (!row) throw wrongUsergroup();
  return row;
}

export async function ownEnterprise(db: Executor, partnerId: string, enterpriseId: string): Promise<void> {
  const row = await db
    .selectFrom('enterprises')
    .select('uuid')
    .where('uuid', '=', enterpriseId.toLowerCase())
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  if (!row) throw wrongEnterprise();
}

/** Rejects a request naming one item in both its `add` and `delete` lists. */
export function disjoint(add: readonly string[], del: readonly string[], what: string): void {
  const both = add.find((x) => del.includes(x));
  if (both !== undefined)
    throw new ServiceError('wrong-syntax', `${what} '${both}' is both added and deleted`);
}
