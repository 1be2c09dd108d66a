import { sql } from 'kysely';
import { ServiceError } from '../errors/index.js';
import { randomToken } from '../lib/ids.js';
import { hashPassword, hashToken, verifyPassword } from '../lib/passwords.js';
import type { Db } from '../store/db.js';
import type { Session, SessionStore } from './session-store.js';
import type { UserRow } from './user-service.js';

/** Password recovery codes are valid for 24 hours (spec 9.1.1 POST /api/partner/recovery). */
export const RECOVERY_CODE_TTL_US = 24 * 3600 * 1_000_000;

export interface AccountLogin {
  username?: string | undefined;
  email?: string | undefined;
}

const nowUs = (): number => Date.now() * 1000;

/**
 * The one place where a user account changes state: disabled, enabled,
 * deleted, credentials replaced. Whatever ends an account's access ends its
 * sessions here (`sessions.deleteUserSessions`), so a disabled or deleted
 * user cannot keep acting through a session opened before.
 */
export class UserLifecycle {
  constructor(
    private readonly db: Db,
    private readonly sessions: SessionStore,
    /** Owners of a user's stored data (objects with their files, pictures) clean up here first. */
    private readonly onDelete: ReadonlyArray<(userId: string) => Promise<unknown>> = [],
  ) {}

  /** Temporarily disables a user: login fails, live sessions end at once (spec 9.1.1). */
  async disable(userId: string): Promise<void> {
    await this.db.updateTable('users').set({ disabled: true }).where('uuid', '=', userId).execute();
    await this.sessions.deleteUserSessions(userId);
  }

  async enable(userId: string): Promise<void> {
    await this.db.updateTable('users').set({ disabled: false }).where('uuid', '=', userId).execute();
  }

  /**
   * Permanently deletes a user (spec 3.5 POST /api/user/delete, 9.1.1 `deleted`).
   * The row stays, marked deleted, because other users still see its name in
   * `GET /api/user/(uuid)` with `"deleted": true`; the username stays reserved.
   * Credentials, the e-mail address (so it may sign up again), metadata, tags
   * and objects go.
   */
  async delete(userId: string): Promise<void> {
    // Sessions end first so nothing new is created while the data goes.
    await this.sessions.deleteUserSessions(userId);
    for (const cleanup of this.onDelete) await cleanup(userId);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          deleted: true,
          password_hash: null,
          email: null,
          pending_email: null,
          pending_email_code: null,
          pin: null,
          picture: false,
        })
        .where('uuid', '=', userId)
        .execute();
      await trx.deleteFrom('password_recoveries').where('user_uuid', '=', userId).execute();
      await trx.deleteFrom('user_metadata').where('user_uuid', '=', userId).execute();
      // Objects and their files went through the onDelete hooks (ObjectService
      // purges them with their type's file cleanup); this catches stragglers.
      // object_tags, object_metadata and tag_policies go by ON DELETE CASCADE.
      await trx.deleteFrom('objects').where('owner', '=', userId).execute();
      await trx.deleteFrom('tags').where('owner', '=', userId).execute();
      // Access the user was granted on other users' tags.
      await trx.deleteFrom('tag_policies').where('user_uuid', '=', userId).execute();
      // The account keeps its row (GET /api/user/(uuid) shows `deleted`), so its
      // telephony configuration goes explicitly: numbers, SIP accounts, dialplans, IVRs.
      await trx.deleteFrom('phones').where('user_uuid', '=', userId).execute();
      await trx.deleteFrom('sip_accounts').where('owner', '=', userId).execute();
      await trx.deleteFrom('dialplans_v1').where('user_uuid', '=', userId).execute();
      await trx.deleteFrom('dialplans_v2').where('owner', '=', userId).execute();
      await trx.deleteFrom('ivrs').where('owner', '=', userId).execute();
    });
    await this.sessions.deleteUserSessions(userId);
  }

  /**
   * `POST /api/user/delete` (spec 3.5): the session's own account, confirmed
   * with its username or e-mail and password. Partner-controlled users are
   * deleted by their partner only.
   */
  async deleteOwnAccount(userId: string, login: AccountLogin, password: string): Promise<void> {
    const user = await this.db
      .selectFrom('users')
      .select(['uuid', 'username', 'email', 'password_hash', 'partner_id', 'deleted'])
      .where('uuid', '=', userId)
      .executeTakeFirst();
    const matches =
      user !== undefined &&
      !user.deleted &&
      (login.username !== undefined
        ? login.username.toLowerCase() === user.username.toLowerCase()
        : login.email !== undefined && login.email.toLowerCase() === user.email?.toLowerCase());
    if (!user || !matches || user.partner_id !== null) {
      throw new ServiceError(
        'wrong-user',
        "the given username does not match the session's user or the user is controlled by a partner",
      );
    }
    if (!(await verifyPassword(password, user.password_hash))) {
      throw new ServiceError('wrong-credentials', 'the given password is wrong');
    }
    await this.delete(userId);
  }

  /**
   * A new password recovery code for a user (spec 9.1.1 POST /api/partner/recovery):
   * 26 characters like the spec's example, only its hash is stored, and a new
   * code replaces the previous one.
   */
  async createRecoveryCode(userId: string): Promise<string> {
    const code = randomToken(26);
    const row = { user_uuid: userId, code_hash: hashToken(code), expires_us: nowUs() + RECOVERY_CODE_TTL_US };
    await this.db
      .insertInto('password_recoveries')
      .values(row)
      .onConflict((oc) =>
        oc.column('user_uuid').doUpdateSet({ code_hash: row.code_hash, expires_us: row.expires_us }),
      )
      .execute();
    return code;
  }

  /**
   * `POST /api/password` (spec 3.3): sets a new password with a recovery code.
   * The code is consumed by one DELETE ... RETURNING, so it works exactly once
   * even under concurrent calls. Unknown, disabled and deleted users and bad or
   * expired codes all answer `wrong-username`, as the spec lists only that.
   */
  async resetPassword(login: AccountLogin, code: string, password: string): Promise<UserRow> {
    const wrong = (): ServiceError =>
      new ServiceError(
        'wrong-username',
        'the username or e-mail does not exist or the recovery code is invalid for it',
      );
    let q = this.db.selectFrom('users').selectAll().where('deleted', '=', false);
    if (login.username !== undefined) q = q.where(sql`lower(username)`, '=', login.username.toLowerCase());
    else if (login.email !== undefined) q = q.where(sql`lower(email)`, '=', login.email.toLowerCase());
    else throw new ServiceError('missing-element', 'username or email is required');
    const user = await q.executeTakeFirst();
    if (!user || user.disabled) throw wrong();
    const passwordHash = await hashPassword(password);
    const updated = await this.db.transaction().execute(async (trx) => {
      const used = await trx
        .deleteFrom('password_recoveries')
        .where('user_uuid', '=', user.uuid)
        .where('code_hash', '=', hashToken(code))
        .where('expires_us', '>', nowUs())
        .returning('user_uuid')
        .executeTakeFirst();
      if (!used) return undefined;
      return trx
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('uuid', '=', user.uuid)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    if (!updated) throw wrong();
    return updated;
  }

  /**
   * Authenticates a session as a user after sign-up or password recovery
   * (spec 3.2, 3.3); returns the partner name when the user belongs to one.
   */
  async signIn(session: Session, user: Pick<UserRow, 'uuid' | 'partner_id'>): Promise<string | undefined> {
    const partner = user.partner_id
      ? await this.db
          .selectFrom('partners')
          .select(['id', 'name'])
          .where('id', '=', user.partner_id)
          .executeTakeFirst()
      : undefined;
    session.kind = 'user';
    session.userId = user.uuid;
    if (partner) {
      session.partnerId = partner.id;
      session.partnerName = partner.name;
    }
    await this.sessions.save(session);
    return partner?.name;
  }
}
