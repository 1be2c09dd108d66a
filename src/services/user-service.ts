import { sql } from 'kysely';
import { ServiceError } from '../errors/index.js';
import { newId, uuidV1Micros } from '../lib/ids.js';
import { hashPassword } from '../lib/passwords.js';
import type { Db } from '../store/db.js';
import type { SystemTags, UsersTable } from '../store/schema.js';
import type { Selectable } from 'kysely';

export type UserRow = Selectable<UsersTable>;

/**
 * Special permissions (spec 13.1 "the user needs to have special permissions
 * in the cospace system"), granted by an administrator: `statistics` for
 * GET /api/statistics and /api/usage (13.1.3-13.1.4), `mwi` for /api/mwi (13.1.2).
 */
export const PERMISSIONS = ['statistics', 'mwi'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const SYSTEM_TAG_NAMES: ReadonlyArray<keyof SystemTags> = [
  'tag_all',
  'tag_unread',
  'tag_inbox',
  'tag_outbox',
  'tag_trash',
  'tag_shared',
  'share_read',
  'share_write',
  'share_propagate',
];

export interface NewUser {
  uuid?: string;
  username: string;
  password: string;
  email?: string | null;
  firstname?: string;
  lastname?: string;
  display_name?: string;
  country_code?: string;
  language?: 'de' | 'en';
  newsletter?: boolean;
  partnerId?: string | null;
}

/** Creates users with their system tags, finds them by login or id. */
export class UserService {
  constructor(private readonly db: Db) {}

  async create(input: NewUser): Promise<UserRow> {
    const uuid = input.uuid ?? newId();
    const createdUs = uuidV1Micros(uuid) ?? Date.now() * 1000;
    const passwordHash = await hashPassword(input.password);
    const tags = Object.fromEntries(SYSTEM_TAG_NAMES.map((n) => [n, newId()])) as unknown as SystemTags;
    const firstname = input.firstname ?? input.username;
    const lastname = input.lastname ?? '';
    return this.db.transaction().execute(async (trx) => {
      const clash = await trx
        .selectFrom('users')
        .select(['username', 'email'])
        .where((eb) =>
          eb.or([
            eb(sql`lower(username)`, '=', input.username.toLowerCase()),
            ...(input.email ? [eb(sql`lower(email)`, '=', input.email.toLowerCase())] : []),
          ]),
        )
        .executeTakeFirst();
      if (clash) {
        if (clash.username.toLowerCase() === input.username.toLowerCase()) {
          throw new ServiceError('duplicate-username', 'the username is already taken');
        }
        throw new ServiceError('already-exist', 'the e-mail address belongs to an existing user');
      }
      const row = await trx
        .insertInto('users')
        .values({
          uuid,
          username: input.username,
          email: input.email ?? null,
          password_hash: passwordHash,
          firstname,
          lastname,
          display_name: input.display_name ?? `${firstname} ${lastname}`.trim(),
          birthday: null,
          zip_code: null,
          town: null,
          street: null,
          house_number: null,
          country: null,
          country_code: normaliseCountryCode(input.country_code ?? '+49'),
          area_code: null,
          language: input.language ?? 'de',
          newsletter: input.newsletter ?? true,
          pin: null,
          fax_ident: null,
          fax_header: null,
          partner_id: input.partnerId ?? null,
          feature_packs: '[]',
          pending_email: null,
          pending_email_code: null,
          system_tags: JSON.stringify(tags),
          usergroup: null,
          created_us: createdUs,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('tags')
        .values(
          SYSTEM_TAG_NAMES.map((name) => ({
            uuid: tags[name],
            owner: uuid,
            label: name,
            foreign_use: false,
            kind: name,
            created_us: createdUs,
          })),
        )
        .execute();
      return row;
    });
  }

  async byId(uuid: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('uuid', '=', uuid).executeTakeFirst();
  }

  /** Active (not deleted) user by username or e-mail, case-insensitive. */
  async byLogin(login: {
    username?: string | undefined;
    email?: string | undefined;
  }): Promise<UserRow | undefined> {
    let q = this.db.selectFrom('users').selectAll().where('deleted', '=', false);
    if (login.username) q = q.where(sql`lower(username)`, '=', login.username.toLowerCase());
    else if (login.email) q = q.where(sql`lower(email)`, '=', login.email.toLowerCase());
    else return undefined;
    return q.executeTakeFirst();
  }

  /** Whether the user holds a special permission (spec 13.1). */
  async hasPermission(userId: string, permission: Permission): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('permissions')
      .where('uuid', '=', userId)
      .executeTakeFirst();
    return Array.isArray(row?.permissions) && row.permissions.includes(permission);
  }

  /** Grants or revokes a special permission (admin CLI); returns the user's permissions after. */
  async setPermission(userId: string, permission: Permission, granted: boolean): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('users')
        .select('permissions')
        .where('uuid', '=', userId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const now = new Set(Array.isArray(row.permissions) ? row.permissions : []);
      if (granted) now.add(permission);
      else now.delete(permission);
      const list = [...now].sort();
      await trx
        .updateTable('users')
        .set({ permissions: JSON.stringify(list) })
        .where('uuid', '=', userId)
        .execute();
      return list;
    });
  }

  async partnerName(partnerId: string | null): Promise<string | undefined> {
    if (!partnerId) return undefined;
    const p = await this.db
      .selectFrom('partners')
      .select('name')
      .where('id', '=', partnerId)
      .executeTakeFirst();
    return p?.name;
  }
}

/** Stores country codes with their leading '+' whichever form the client sent. */
export function normaliseCountryCode(cc: string): string {
  return cc.startsWith('+') ? cc : `+${cc}`;
}
