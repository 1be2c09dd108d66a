import { sql } from 'kysely';
import { timingSafeEqual } from 'node:crypto';
import { ServiceError } from '../errors/index.js';
import { featureSection, type FeatureSection } from '../domain/feature-packs.js';
import { quotaMonthStart } from '../domain/fax/quota.js';
import { outgoingPagesSql } from './fax-reports.js';
import { randomToken } from '../lib/ids.js';
import { hashPassword, verifyPassword } from '../lib/passwords.js';
import type { ProfileCache } from './profile-cache.js';
import type { Db } from '../store/db.js';
import type { SystemTags, UsersTable } from '../store/schema.js';
import type { Updateable } from 'kysely';
import { normaliseCountryCode, SYSTEM_TAG_NAMES } from './user-service.js';
import type { AddressService } from './address-service.js';

/** Sends the verification code of an e-mail change (spec 3.5 POST /api/user, first step). */
export interface EmailChangeMailer {
  sendEmailChangeCode(to: string, code: string, language: string): Promise<void>;
}

export interface UserProfileOptions {
  /** null while no mail server is configured: e-mail changes then answer `email-failure`. */
  mailer: EmailChangeMailer | null;
  /** Short-lived cache of rendered profiles, invalidated by `user_modify` (services/profile-cache.ts). */
  cache?: ProfileCache<UserProfile>;
  /** Address verification and the area code that follows (spec 3.5); absent = addresses are stored unchecked. */
  addresses?: Pick<AddressService, 'verify'>;
}

/** The six location fields that are only accepted together (spec 3.5 POST /api/user). */
export const ADDRESS_FIELDS = ['birthday', 'zip_code', 'town', 'street', 'house_number', 'country'] as const;

/** Users must be at least this old to set their address (spec 3.5 `too-young`). */
export const MINIMUM_AGE_YEARS = 16;

/** The body of `POST /api/user` after schema validation. */
export interface ProfileChanges {
  firstname?: string;
  lastname?: string;
  display_name?: string;
  birthday?: string;
  zip_code?: string;
  town?: string;
  street?: string;
  house_number?: string;
  country?: string;
  country_code?: string;
  password?: string;
  old_password?: string;
  pin?: string;
  language?: 'de' | 'en';
  newsletter?: boolean;
  email?: string;
  code?: string;
  fax_ident?: string;
  fax_header?: string;
}

/** The `user` section of `GET /api/user` (spec 3.5). */
export type UserProfile = Record<string, unknown> & { feature: FeatureSection };

/** The `user` section of `GET /api/user/(user-uuid)` (spec 3.5). */
export interface UserBasicInfo {
  username: string;
  firstname: string;
  lastname: string;
  display_name: string;
  deleted?: true;
  picture: boolean;
}

/** A calendar date `YYYY-MM-DD` as {y, m, d}, or null when no such day exists. */
export function parseCalendarDate(s: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return { y, m, d };
}

/** Completed years between a birthday and `today` (UTC); a 29 February birthday counts from 1 March. */
export function ageInYears(birthday: { y: number; m: number; d: number }, today: Date): number {
  const [ty, tm, td] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()];
  const reached = tm > birthday.m || (tm === birthday.m && td >= birthday.d);
  return ty - birthday.y - (reached ? 0 : 1);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

function codesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** Reading and changing the session user's own profile (spec 3.5). */
export class UserProfileService {
  constructor(
    private readonly db: Db,
    private readonly opts: UserProfileOptions,
  ) {}

  /** `GET /api/user` through the profile cache when there is one. */
  async profile(userId: string): Promise<UserProfile | undefined> {
    const cache = this.opts.cache;
    return cache ? cache.get(userId, () => this.loadProfile(userId)) : this.loadProfile(userId);
  }

  /**
   * `GET /api/user`: the hot path, so one statement — the user row, the
   * partner's name and the storage used by the user's objects.
   */
  async loadProfile(userId: string): Promise<UserProfile | undefined> {
    const row = await this.db
      .selectFrom('users')
      .leftJoin('partners', 'partners.id', 'users.partner_id')
      .selectAll('users')
      .select('partners.name as partner_name')
      .select(
        sql<
          string | number
        >`(SELECT COALESCE(SUM(o.size_bytes), 0) FROM objects o WHERE o.owner = users.uuid)`.as('used_bytes'),
      )
      .select(outgoingPagesSql(sql.ref('users.uuid'), quotaMonthStart(Date.now())).as('fax_pages'))
      .where('users.uuid', '=', userId)
      .executeTakeFirst();
    if (!row) return undefined;
    const opt = (name: string, value: string | null): Record<string, string> =>
      value === null || value === '' ? {} : { [name]: value };
    const addressComplete = ADDRESS_FIELDS.every((f) => row[f] !== null && row[f] !== '');
    const tags = row.system_tags as Partial<SystemTags>;
    const systemTags = Object.fromEntries(
      SYSTEM_TAG_NAMES.filter((n) => typeof tags[n] === 'string').map((n) => [n, tags[n]]),
    );
    const packs = Array.isArray(row.feature_packs) ? row.feature_packs.map(String) : [];
    return {
      uuid: row.uuid,
      username: row.username,
      firstname: row.firstname,
      lastname: row.lastname,
      display_name: row.display_name,
      ...opt('birthday', row.birthday),
      ...opt('email', row.email),
      language: row.language,
      newsletter: row.newsletter,
      ...opt('partner', row.partner_name),
      ...opt('zip_code', row.zip_code),
      ...opt('town', row.town),
      ...opt('street', row.street),
      ...opt('house_number', row.house_number),
      ...opt('country', row.country),
      country_code: row.country_code,
      // The admin's override wins over the area code of the verified address.
      ...opt('area_code', row.area_override ?? row.area_code),
      // Address verification against an id card is out of scope, so a complete
      // address counts as verified.
      validation: addressComplete ? 'ok' : 'incomplete',
      ...systemTags,
      feature: featureSection(packs, {
        volumeBytes: Number(row.used_bytes),
        faxPagesThisMonth: Number(row.fax_pages),
      }),
      ...opt('fax_ident', row.fax_ident),
      ...opt('fax_header', row.fax_header),
      picture: row.picture,
      ...opt('usergroup', row.usergroup),
    };
  }

  /**
   * `GET /api/user/(user-uuid)`: users are visible only inside the caller's
   * partner scope (both without partner, or the same partner); anyone else is
   * answered exactly like an unknown user.
   */
  async basicInfo(uuid: string, callerPartnerId: string | null): Promise<UserBasicInfo> {
    const row = await this.db
      .selectFrom('users')
      .select(['username', 'firstname', 'lastname', 'display_name', 'deleted', 'picture', 'partner_id'])
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    if (!row || (row.partner_id ?? null) !== callerPartnerId) {
      throw new ServiceError('wrong-user', 'the given user does not exist');
    }
    return {
      username: row.username,
      firstname: row.firstname,
      lastname: row.lastname,
      display_name: row.display_name,
      ...(row.deleted ? { deleted: true as const } : {}),
      picture: row.picture,
    };
  }

  /**
   * `POST /api/user`. All checks run before anything is written, so a refused
   * request changes nothing. Returns whether visible settings changed (the
   * caller then publishes `user_modify`, spec 7.1.3).
   */
  async modify(userId: string, changes: ProfileChanges, now: Date = new Date()): Promise<boolean> {
    if (changes.email !== undefined && changes.code !== undefined) {
      throw new ServiceError('wrong-syntax', 'email and code must not be given in the same request');
    }
    if (changes.password !== undefined && changes.old_password === undefined) {
      throw new ServiceError('missing-element', 'old_password must be given to change the password');
    }
    let birthday: { y: number; m: number; d: number } | null = null;
    if (changes.birthday !== undefined) {
      birthday = parseCalendarDate(changes.birthday);
      // An impossible day (2001-02-30), a birthday in the future or one before
      // 1900 is malformed rather than a real age.
      if (!birthday || birthday.y < 1900 || ageInYears(birthday, now) < 0) {
        throw new ServiceError('wrong-syntax', `'birthday' ${changes.birthday} is not a possible birth date`);
      }
    }
    const given = ADDRESS_FIELDS.filter((f) => changes[f] !== undefined);
    if (given.length > 0 && given.length < ADDRESS_FIELDS.length) {
      const missing = ADDRESS_FIELDS.filter((f) => changes[f] === undefined);
      throw new ServiceError('address-incomplete', `the address also needs ${missing.join(', ')}`);
    }
    if (birthday && ageInYears(birthday, now) < MINIMUM_AGE_YEARS) {
      throw new ServiceError('too-young', `users must be at least ${MINIMUM_AGE_YEARS} years old`);
    }

    const user = await this.db
      .selectFrom('users')
      .select([
        'uuid',
        'password_hash',
        'pending_email',
        'pending_email_code',
        'language',
        'area_code',
        'area_override',
        'country_code',
      ])
      .where('uuid', '=', userId)
      .executeTakeFirst();
    if (!user) throw new ServiceError('no-auth', 'the session user no longer exists');
    const areaCode = given.length > 0 ? await this.addressAreaCode(user, changes) : undefined;
    if (
      changes.old_password !== undefined &&
      !(await verifyPassword(changes.old_password, user.password_hash))
    ) {
      throw new ServiceError('wrong-password', 'the old_password is wrong');
    }

    const set: Updateable<UsersTable> = {};
    for (const f of ['firstname', 'lastname', 'display_name', 'pin', 'language', 'newsletter'] as const) {
      if (changes[f] !== undefined) Object.assign(set, { [f]: changes[f] });
    }
    for (const f of ['fax_ident', 'fax_header'] as const) {
      // Both may be empty (`{0,...}`): an empty value removes the setting.
      if (changes[f] !== undefined) set[f] = changes[f] === '' ? null : changes[f];
    }
    if (given.length > 0) for (const f of ADDRESS_FIELDS) set[f] = changes[f] ?? null;
    if (areaCode) set.area_code = areaCode;
    if (changes.country_code !== undefined) set.country_code = normaliseCountryCode(changes.country_code);
    if (changes.password !== undefined) set.password_hash = await hashPassword(changes.password);

    if (changes.code !== undefined) {
      // The spec lists no status for a wrong verification code; `wrong-syntax`
      // is the closest generic one every client already handles.
      if (
        !user.pending_email ||
        !user.pending_email_code ||
        !codesEqual(user.pending_email_code, changes.code)
      ) {
        throw new ServiceError('wrong-syntax', 'the code does not match a pending e-mail change');
      }
      await this.assertEmailFree(user.pending_email, userId);
      Object.assign(set, { email: user.pending_email, pending_email: null, pending_email_code: null });
    }

    const visible = Object.keys(set).length > 0;
    let pending: { email: string; code: string } | null = null;
    if (changes.email !== undefined) {
      await this.assertEmailFree(changes.email, userId);
      if (!this.opts.mailer) {
        throw new ServiceError(
          'email-failure',
          'no mail server is configured, so the verification e-mail cannot be sent',
        );
      }
      pending = { email: changes.email, code: randomToken(12) };
    }
    if (!visible && !pending) return false;

    try {
      await this.db.transaction().execute(async (trx) => {
        const write: Updateable<UsersTable> = pending
          ? { ...set, pending_email: pending.email, pending_email_code: pending.code }
          : set;
        await trx.updateTable('users').set(write).where('uuid', '=', userId).execute();
        // Sent inside the transaction: a mail that cannot go out leaves nothing changed.
        if (pending && this.opts.mailer) {
          await this.opts.mailer
            .sendEmailChangeCode(pending.email, pending.code, changes.language ?? user.language)
            .catch((err: unknown) => {
              throw new ServiceError(
                'email-failure',
                `the verification e-mail could not be sent: ${String(err)}`,
              );
            });
        }
      });
    } catch (err) {
      // Two users confirming the same address at once: the unique index decides.
      if (isUniqueViolation(err))
        throw new ServiceError('already-exist', 'the e-mail address belongs to another user');
      throw err;
    }
    return visible;
  }

  /**
   * spec 3.5: the address is verified and its area code set. A new address in
   * another area code than the current one is refused (`address-forbidden`)
   * while the user still has phone numbers of the current area code; the
   * admin's override (set-area) is not moved by an address.
   */
  private async addressAreaCode(
    user: { uuid: string; area_code: string | null; area_override: string | null; country_code: string },
    changes: ProfileChanges,
  ): Promise<string | null> {
    if (!this.opts.addresses) return null;
    const { areaCode } = await this.opts.addresses.verify({
      zip_code: changes.zip_code!,
      town: changes.town!,
      street: changes.street!,
      house_number: changes.house_number!,
      country: changes.country!,
    });
    const current = user.area_code;
    if (areaCode === null || current === null || areaCode === current || user.area_override !== null) {
      return areaCode;
    }
    const prefix = `${user.country_code.startsWith('+') ? user.country_code : `+${user.country_code}`}${current}`;
    const held = await this.db
      .selectFrom('phones')
      .select('number')
      .where('user_uuid', '=', user.uuid)
      .where('number', 'like', `${prefix}%`)
      .executeTakeFirst();
    if (held) {
      throw new ServiceError(
        'address-forbidden',
        `the new address lies in area code ${areaCode}; release the numbers of area code ${current} first`,
      );
    }
    return areaCode;
  }

  /**
   * Records an e-mail change awaiting its code (the first step of the spec 3.5
   * change, also used by tests and admin tooling while no mailer exists).
   */
  async setPendingEmail(userId: string, email: string, code: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ pending_email: email, pending_email_code: code })
      .where('uuid', '=', userId)
      .execute();
  }

  private async assertEmailFree(email: string, userId: string): Promise<void> {
    const clash = await this.db
      .selectFrom('users')
      .select('uuid')
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .where('uuid', '!=', userId)
      .executeTakeFirst();
    if (clash) throw new ServiceError('already-exist', 'the e-mail address belongs to another user');
  }
}
