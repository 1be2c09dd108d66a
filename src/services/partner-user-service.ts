import { ServiceError } from '../errors/index.js';
import type { PageQuery } from '../domain/paging.js';
import type { Db } from '../store/db.js';
import { applyPage } from '../store/paging.js';
import type { SessionStore } from './session-store.js';
import { UserLifecycle } from './user-lifecycle.js';
import type { UserRow } from './user-service.js';

/** `GET /api/partner/user/(user-uuid)` (spec 9.1.1). */
export interface PartnerUserView {
  user: {
    username: string;
    firstname: string;
    lastname: string;
    display_name: string;
    country_code: string;
    ignore_ip_whitelisting: boolean;
    usergroup?: string;
    email?: string;
    language: string;
  };
  // The `phone` section (only for partners that control phone number
  // assignments) comes with the phone table in a later issue.
  feature: { pack: string[] };
}

/** `POST /api/partner/user/(user-uuid)` (spec 9.1.1). */
export interface PartnerUserChanges {
  country_code?: string;
  ignore_ip_whitelisting?: boolean;
  disabled?: boolean;
  deleted?: true;
  feature?: { pack?: { add?: string[]; delete?: string[] } };
}

export interface ModifyResult {
  /** The user's settings changed: the caller publishes `user_modify` (spec 7.1.3). */
  changed: boolean;
  deleted: boolean;
}

const wrongUser = (): ServiceError =>
  new ServiceError('wrong-user', 'the user does not exist or does not belong to the current partner');

/** A partner's view of and control over the users created under it (spec 9.1.1). */
export class PartnerUserService {
  private readonly lifecycle: UserLifecycle;

  constructor(
    private readonly db: Db,
    sessions: SessionStore,
  ) {
    this.lifecycle = new UserLifecycle(db, sessions);
  }

  /**
   * The partner's user, or `wrong-user`: a user of another partner or a deleted
   * one answers exactly like an unknown UUID.
   */
  private async ownUser(partnerId: string, userId: string): Promise<UserRow> {
    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where('uuid', '=', userId)
      .where('partner_id', '=', partnerId)
      .where('deleted', '=', false)
      .executeTakeFirst();
    if (!user) throw wrongUser();
    return user;
  }

  /** `GET /api/partner/user`: UUIDs of the partner's (not deleted) users, paged by creation time. */
  async list(partnerId: string, page: PageQuery): Promise<string[]> {
    const base = this.db
      .selectFrom('users')
      .select('users.uuid')
      .where('users.partner_id', '=', partnerId)
      .where('users.deleted', '=', false);
    const rows = await applyPage(base, { us: 'users.created_us', uuid: 'users.uuid' }, page).execute();
    return rows.map((r) => r.uuid);
  }

  async get(partnerId: string, userId: string): Promise<PartnerUserView> {
    const u = await this.ownUser(partnerId, userId);
    return {
      user: {
        username: u.username,
        firstname: u.firstname,
        lastname: u.lastname,
        display_name: u.display_name,
        country_code: u.country_code,
        ignore_ip_whitelisting: u.ignore_ip_whitelisting,
        ...(u.usergroup !== null ? { usergroup: u.usergroup } : {}),
        ...(u.email !== null ? { email: u.email } : {}),
        language: u.language,
      },
      feature: { pack: [...u.feature_packs] },
    };
  }

  async modify(partnerId: string, userId: string, changes: PartnerUserChanges): Promise<ModifyResult> {
    const add = changes.feature?.pack?.add ?? [];
    const del = changes.feature?.pack?.delete ?? [];
    const both = add.filter((p) => del.includes(p));
    if (both.length > 0) {
      throw new ServiceError('wrong-syntax', `feature pack '${both[0]}' is both added and deleted`);
    }
    await this.ownUser(partnerId, userId);
    if (changes.deleted === true) {
      // Permanent; any other field of the request is moot.
      await this.lifecycle.delete(userId);
      return { changed: false, deleted: true };
    }
    const changed = await this.db.transaction().execute(async (trx) => {
      // Row lock: concurrent pack edits must not lose each other's changes.
      const cur = await trx
        .selectFrom('users')
        .select(['country_code', 'ignore_ip_whitelisting', 'feature_packs', 'disabled'])
        .where('uuid', '=', userId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const packs = [...cur.feature_packs.filter((p) => !del.includes(p))];
      for (const p of add) if (!packs.includes(p)) packs.push(p);
      const next = {
        country_code: changes.country_code ?? cur.country_code,
        ignore_ip_whitelisting: changes.ignore_ip_whitelisting ?? cur.ignore_ip_whitelisting,
      };
      const packsChanged =
        packs.length !== cur.feature_packs.length || packs.some((p, i) => p !== cur.feature_packs[i]);
      const dataChanged =
        next.country_code !== cur.country_code ||
        next.ignore_ip_whitelisting !== cur.ignore_ip_whitelisting ||
        packsChanged;
      if (dataChanged) {
        await trx
          .updateTable('users')
          .set({ ...next, feature_packs: JSON.stringify(packs) })
          .where('uuid', '=', userId)
          .execute();
      }
      return dataChanged;
    });
    if (changes.disabled === true) await this.lifecycle.disable(userId);
    else if (changes.disabled === false) await this.lifecycle.enable(userId);
    return { changed, deleted: false };
  }

  /** `POST /api/partner/recovery/(user-uuid)`: a fresh recovery code for the partner's user. */
  async recoveryCode(partnerId: string, userId: string): Promise<string> {
    await this.ownUser(partnerId, userId);
    return this.lifecycle.createRecoveryCode(userId);
  }
}
