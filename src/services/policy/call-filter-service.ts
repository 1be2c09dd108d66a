import { ServiceError } from '../../errors/index.js';
import { parseCallFilter, type CallFilter } from '../../domain/policy/call-filter.js';
import type { Db } from '../../store/db.js';
import { re2CallFilterCompiler } from '../../lib/re2-call-filter.js';
import { ownUser } from './ownership.js';
import { parsePolicy } from './policy-error.js';

/** Call filters of a partner's users (spec 9.1.3 /api/partner/callfilter). */
export class CallFilterService {
  constructor(private readonly db: Db) {}

  /**
   * Validates with the domain parser (empty-filter, too-large over 250
   * operators, wrong-syntax, missing-element) before the user lookup, and
   * stores the filter exactly as sent so GET returns it unchanged.
   */
  async set(partnerId: string, userId: string, callfilter: unknown): Promise<void> {
    parsePolicy(() => parseCallFilter(callfilter, re2CallFilterCompiler));
    await ownUser(this.db, partnerId, userId);
    const row = { filter: JSON.stringify(callfilter), modified_us: Date.now() * 1000 };
    await this.db
      .insertInto('call_filters')
      .values({ user_uuid: userId, ...row })
      .onConflict((oc) => oc.column('user_uuid').doUpdateSet(row))
      .execute();
  }

  /** `empty-filter` when the user has none (spec 9.1.3). */
  async get(partnerId: string, userId: string): Promise<unknown> {
    await ownUser(this.db, partnerId, userId);
    const filter = await this.raw(userId);
    if (filter === undefined)
      throw new ServiceError('empty-filter', 'the given user does not have a call filter');
    return filter;
  }

  async delete(partnerId: string, userId: string): Promise<void> {
    await ownUser(this.db, partnerId, userId);
    await this.db.deleteFrom('call_filters').where('user_uuid', '=', userId).execute();
  }

  /** For the call engine: the user's parsed filter, or null (no filter allows every call). */
  async forUser(userId: string): Promise<CallFilter | null> {
    const filter = await this.raw(userId);
    return filter === undefined ? null : parseCallFilter(filter, re2CallFilterCompiler);
  }

  private async raw(userId: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('call_filters')
      .select('filter')
      .where('user_uuid', '=', userId)
      .executeTakeFirst();
    return row?.filter;
  }
}
