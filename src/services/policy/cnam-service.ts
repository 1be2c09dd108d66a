import { sql } from 'kysely';
import { ServiceError } from '../../errors/index.js';
import type { Db } from '../../store/db.js';
import {
  parseCnamPageQuery,
  resolveCallingName,
  type CallingName,
  type CnamScope,
} from '../../domain/policy/cnam.js';
import { ownEnterprise, ownUsergroup } from './ownership.js';
import { parsePolicy } from './policy-error.js';

export interface CnamEntry {
  phone: string;
  name: string;
}

/** spec 10: `{ cnam: [...], next: phone | null }`. */
export interface CnamPage {
  cnam: CnamEntry[];
  next: string | null;
}

const TABLES = {
  user: { table: 'user_cnam', owner: 'user_uuid' },
  usergroup: { table: 'usergroup_cnam', owner: 'usergroup_uuid' },
  enterprise: { table: 'enterprise_cnam', owner: 'enterprise_uuid' },
} as const;

/**
 * Calling names of users, usergroups and enterprises (spec 10). Entries page
 * by phone number: `next` is the first phone of the following page (inclusive
 * cursor), or null after the last page.
 */
export class CnamService {
  constructor(private readonly db: Db) {}

  /** A usergroup's or enterprise's table id, after the partner ownership check. */
  async partnerOwner(scope: 'usergroup' | 'enterprise', partnerId: string, ownerId: string): Promise<string> {
    const id = ownerId.toLowerCase();
    if (scope === 'usergroup') await ownUsergroup(this.db, partnerId, id);
    else await ownEnterprise(this.db, partnerId, id);
    return id;
  }

  /** `next`/`count` checked by the domain (E.164, 1...500, default 50). */
  async list(
    scope: CnamScope,
    ownerId: string,
    query: { next?: string | undefined; count?: string | undefined },
  ): Promise<CnamPage> {
    const { next, count } = parsePolicy(() => parseCnamPageQuery(query));
    const { table, owner } = TABLES[scope];
    const from = next !== null ? sql`AND phone >= ${next}` : sql``;
    const { rows } = await sql<CnamEntry>`
      SELECT phone, name FROM ${sql.table(table)}
      WHERE ${sql.ref(owner)} = ${ownerId} ${from}
      ORDER BY phone LIMIT ${count + 1}`.execute(this.db);
    const more = rows.length > count ? rows[count] : undefined;
    return {
      cnam: rows.slice(0, count).map((r) => ({ phone: r.phone, name: r.name })),
      next: more ? more.phone : null,
    };
  }

  /** Create or modify (spec 10: POST .../cnam/(phone)). */
  async put(scope: CnamScope, ownerId: string, phone: string, name: string): Promise<void> {
    const { table, owner } = TABLES[scope];
    await sql`
      INSERT INTO ${sql.table(table)} (${sql.ref(owner)}, phone, name) VALUES (${ownerId}, ${phone}, ${name})
      ON CONFLICT (${sql.ref(owner)}, phone) DO UPDATE SET name = EXCLUDED.name`.execute(this.db);
  }

  /** `wrong-cnam` when the entry does not exist (spec 10). */
  async delete(scope: CnamScope, ownerId: string, phone: string): Promise<void> {
    const { table, owner } = TABLES[scope];
    const { rows } = await sql<{ phone: string }>`
      DELETE FROM ${sql.table(table)} WHERE ${sql.ref(owner)} = ${ownerId} AND phone = ${phone}
      RETURNING phone`.execute(this.db);
    if (rows.length === 0) throw new ServiceError('wrong-cnam', 'the given CNAM entry does not exist');
  }

  /** For the call engine: the names for `phone` in the user's, group's and enterprise's tables, resolved by the domain order. */
  async lookup(userId: string, phone: string): Promise<CallingName | null> {
    const { rows } = await sql<{ scope: CnamScope; name: string }>`
      SELECT 'user' AS scope, c.name FROM user_cnam c WHERE c.user_uuid = ${userId} AND c.phone = ${phone}
      UNION ALL
      SELECT 'usergroup', c.name FROM usergroup_members m
        JOIN usergroup_cnam c ON c.usergroup_uuid = m.usergroup_uuid
        WHERE m.user_uuid = ${userId} AND c.phone = ${phone}
      UNION ALL
      SELECT 'enterprise', c.name FROM usergroup_members m
        JOIN usergroups g ON g.uuid = m.usergroup_uuid
        JOIN enterprise_cnam c ON c.enterprise_uuid = g.enterprise_uuid
        WHERE m.user_uuid = ${userId} AND c.phone = ${phone}`.execute(this.db);
    const tables = Object.fromEntries(rows.map((r) => [r.scope, new Map([[phone, r.name]])]));
    return resolveCallingName(phone, tables);
  }
}
