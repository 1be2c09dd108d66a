import { applyEmergencyUpdate, EMERGENCY_FIELDS, type EmergencyInfo } from '../../domain/policy/emergency.js';
import type { Db } from '../../store/db.js';
import { ownUser } from './ownership.js';
import { parsePolicy } from './policy-error.js';

/** Emergency-call data of a partner's users (spec 9.1.5 /api/partner/emergency). */
export class EmergencyService {
  constructor(private readonly db: Db) {}

  /** Only the fields that are set; `{}` for a user without any. */
  async get(partnerId: string, userId: string): Promise<EmergencyInfo> {
    await ownUser(this.db, partnerId, userId);
    return this.forUser(userId);
  }

  /**
   * Absent fields stay, an empty value deletes its field (domain
   * applyEmergencyUpdate); a row left without any field is removed.
   */
  async update(partnerId: string, userId: string, body: unknown): Promise<void> {
    await ownUser(this.db, partnerId, userId);
    await this.db.transaction().execute(async (trx) => {
      const cur = await trx
        .selectFrom('emergency_entries')
        .select(EMERGENCY_FIELDS)
        .where('user_uuid', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      const next = parsePolicy(() => applyEmergencyUpdate(present(cur), body));
      const row = {
        uui_header: next.uui_header ?? null,
        emergency_police: next.emergency_police ?? null,
        emergency_rescue: next.emergency_rescue ?? null,
      };
      if (EMERGENCY_FIELDS.every((f) => row[f] === null)) {
        await trx.deleteFrom('emergency_entries').where('user_uuid', '=', userId).execute();
        return;
      }
      await trx
        .insertInto('emergency_entries')
        .values({ user_uuid: userId, ...row })
        .onConflict((oc) => oc.column('user_uuid').doUpdateSet(row))
        .execute();
    });
  }

  /** For the call engine (domain routeEmergency): the user's entry, `{}` when none. */
  async forUser(userId: string): Promise<EmergencyInfo> {
    const row = await this.db
      .selectFrom('emergency_entries')
      .select(EMERGENCY_FIELDS)
      .where('user_uuid', '=', userId)
      .executeTakeFirst();
    return present(row);
  }
}

function present(
  row: Partial<Record<(typeof EMERGENCY_FIELDS)[number], string | null>> | undefined,
): EmergencyInfo {
  const out: EmergencyInfo = {};
  for (const f of EMERGENCY_FIELDS) {
    const v = row?.[f];
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}
