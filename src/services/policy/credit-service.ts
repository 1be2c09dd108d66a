import { ServiceError } from '../../errors/index.js';
import { parseCreditChange, parseCreditRange } from '../../domain/policy/credit-rules.js';
import type { Db } from '../../store/db.js';
import type { CreditStore } from '../../store/redis/credit.js';
import { ownUsergroup } from './ownership.js';
import { parsePolicy, policyStatus } from './policy-error.js';

/**
 * Usergroup credit (spec 9.1.6 /api/partner/usergroup/(uuid)/credit and
 * /api/partner/usergroup/credit). The balance lives only in Redis
 * (telephony/policy/credit.ts CreditStore); SQL only says which groups are the
 * partner's.
 */
export class CreditService {
  constructor(
    private readonly db: Db,
    readonly store: CreditStore,
  ) {}

  /** `add` and/or `subtract`, applied as one atomic change; creates the credit at 0 first. */
  async modify(partnerId: string, groupId: string, body: unknown): Promise<void> {
    const delta = parsePolicy(() => parseCreditChange(body));
    const g = await ownUsergroup(this.db, partnerId, groupId);
    await this.store.adjust(g.uuid, delta).catch((err: unknown) => {
      throw policyStatus(err);
    });
  }

  /** `no-credit` when the group has none configured (spec 9.1.6). */
  async get(partnerId: string, groupId: string): Promise<number> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    const balance = await this.store.get(g.uuid);
    if (balance === null)
      throw new ServiceError('no-credit', 'the given usergroup does not have credits configured');
    return balance;
  }

  /** The partner's groups with credit, within the inclusive `min`/`max` bounds (spec 9.1.6). */
  async list(
    partnerId: string,
    raw: { min?: string | undefined; max?: string | undefined },
  ): Promise<Record<string, number>> {
    const range = parsePolicy(() => parseCreditRange(raw));
    const groups = await this.db
      .selectFrom('usergroups')
      .select('uuid')
      .where('partner_id', '=', partnerId)
      .orderBy('created_us')
      .orderBy('uuid')
      .execute();
    return this.store.list(
      groups.map((g) => g.uuid),
      range,
    );
  }

  async delete(partnerId: string, groupId: string): Promise<void> {
    const g = await ownUsergroup(this.db, partnerId, groupId);
    await this.store.delete(g.uuid);
  }
}
