import { ServiceError } from '../errors/index.js';
import type { Db } from '../store/db.js';
import type { UsergroupService } from './policy/usergroup-service.js';
import type { SipAccountService } from './sip-account-service.js';

export interface BlfChange {
  subscribe?: string[] | undefined;
  unsubscribe?: string[] | undefined;
}

const isForeignKeyViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23503';

const wrongPhone = (): ServiceError =>
  new ServiceError('wrong-phone', 'at least one phone number does not exist');

/**
 * Busy lamp field subscriptions of SIP accounts (spec 3.21 blf): a device
 * watches the numbers of users of its own usergroup and is told (dialog-info
 * NOTIFYs by the engine, watchersOf) when they ring or talk.
 */
export class SipBlfService {
  constructor(
    private readonly db: Db,
    private readonly sipAccounts: Pick<SipAccountService, 'account'>,
    private readonly usergroups: Pick<UsergroupService, 'groupOfUser'>,
  ) {}

  /** GET: the watched numbers, without the leading `+` as the spec's example shows. */
  async list(userId: string, name: string): Promise<string[]> {
    await this.sipAccounts.account(userId, name);
    const rows = await this.db
      .selectFrom('sip_blf')
      .select('number')
      .where('sip_name', '=', name)
      .orderBy('created_us')
      .orderBy('number')
      .execute();
    return rows.map((r) => r.number.replace(/^\+/, ''));
  }

  /**
   * POST: unsubscribes, then subscribes. Every number must exist (be some
   * user's, `wrong-phone`); subscribing needs the user in a usergroup and the
   * numbers' owners in the same one (`access-denied`). Unsubscribing needs
   * neither, so a user who left a group can still clean up.
   */
  async change(userId: string, name: string, req: BlfChange): Promise<void> {
    await this.sipAccounts.account(userId, name);
    const subscribe = [...new Set(req.subscribe ?? [])];
    const unsubscribe = [...new Set(req.unsubscribe ?? [])];
    const all = [...new Set([...subscribe, ...unsubscribe])];
    if (all.length === 0) return;
    const phones = await this.db
      .selectFrom('phones')
      .select(['number', 'user_uuid'])
      .where('number', 'in', all)
      .execute();
    const ownerOf = new Map(phones.map((p) => [p.number, p.user_uuid]));
    if (all.some((n) => !ownerOf.has(n))) throw wrongPhone();
    if (subscribe.length > 0) {
      const group = await this.usergroups.groupOfUser(userId);
      if (group === null) throw new ServiceError('access-denied', 'the user is not a member of a usergroup');
      const owners = [...new Set(subscribe.map((n) => ownerOf.get(n)!))];
      const members = await this.db
        .selectFrom('usergroup_members')
        .innerJoin('users', 'users.uuid', 'usergroup_members.user_uuid')
        .select('usergroup_members.user_uuid')
        .where('usergroup_members.usergroup_uuid', '=', group)
        .where('usergroup_members.user_uuid', 'in', owners)
        .where('users.deleted', '=', false)
        .execute();
      if (members.length !== owners.length) {
        throw new ServiceError('access-denied', 'an owner of a number is not in the usergroup of the user');
      }
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        if (unsubscribe.length > 0) {
          await trx
            .deleteFrom('sip_blf')
            .where('sip_name', '=', name)
            .where('number', 'in', unsubscribe)
            .execute();
        }
        if (subscribe.length > 0) {
          const now = Date.now() * 1000;
          await trx
            .insertInto('sip_blf')
            .values(subscribe.map((number, i) => ({ sip_name: name, number, created_us: now + i })))
            .onConflict((oc) => oc.columns(['sip_name', 'number']).doNothing())
            .execute();
        }
      });
    } catch (err) {
      // The number was released (or the account deleted) since the checks above.
      if (isForeignKeyViolation(err)) throw wrongPhone();
      throw err;
    }
  }

  /**
   * The SIP accounts to notify about a number's calls: subscribed to it, and
   * still entitled (owner not deleted or disabled, in the usergroup of the
   * number's current owner), so a subscription made before a group change
   * does not leak calls.
   */
  async watchersOf(number: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('sip_blf')
      .innerJoin('sip_accounts', 'sip_accounts.name', 'sip_blf.sip_name')
      .innerJoin('users', 'users.uuid', 'sip_accounts.owner')
      .innerJoin('phones', 'phones.number', 'sip_blf.number')
      .innerJoin('usergroup_members as watcher', 'watcher.user_uuid', 'sip_accounts.owner')
      .innerJoin('usergroup_members as owner', 'owner.user_uuid', 'phones.user_uuid')
      .select('sip_blf.sip_name')
      .where('sip_blf.number', '=', number)
      .whereRef('watcher.usergroup_uuid', '=', 'owner.usergroup_uuid')
      .where('users.deleted', '=', false)
      .where('users.disabled', '=', false)
      .orderBy('sip_blf.sip_name')
      .execute();
    return rows.map((r) => r.sip_name);
  }
}
