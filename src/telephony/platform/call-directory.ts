/**
 * The call engine's view of the configuration (telephony/engine/directory.ts)
 * over the database and the services: numbers and their routing plans, SIP
 * accounts, and the outgoing-call policy of a user.
 */
import { compileDialplanV2, type CompiledDialplanV2 } from '../../domain/routing/dialplan-v2.js';
import { routingPlan } from '../../domain/routing/routing-plan.js';
import type { DialplanV1, DialplanV2, IncomingCall, PhoneConfig } from '../../domain/routing/types.js';
import { re2Compiler } from '../../events/filters.js';
import type { Selectable } from 'kysely';
import type { ConfigCache } from '../../store/config-cache.js';
import type { Db } from '../../store/db.js';
import type { PhonesTable } from '../../store/schema.js';
import type { CallDirectory, InboundPlan, OutboundPolicy } from '../engine/directory.js';
import type { CyclicCounter } from '../../store/redis/cyclic-counter.js';
import type { DialplanV1Service } from '../../services/dialplan-v1-service.js';
import type { PolicyServices } from '../../services/policy/index.js';
import type { SipBlfService } from '../../services/sip-blf-service.js';

/**
 * Everything a call reads comes through the configuration cache (no SQL per
 * call once warm); a write to the tables behind an entry drops it on every
 * node (store/config-cache.ts). Unknown numbers are cached too: assigning one
 * writes `phones`, which drops them.
 */
export class DbCallDirectory implements CallDirectory {
  constructor(
    private readonly db: Db,
    private readonly dialplanV1: DialplanV1Service,
    private readonly policy: PolicyServices,
    private readonly cyclic: CyclicCounter,
    private readonly blf: Pick<SipBlfService, 'watchersOf'>,
    private readonly cache: ConfigCache,
  ) {}

  async watches(account: string, number: string): Promise<boolean> {
    const watchers = await this.cache.get('accounts', `watchers:${number}`, () =>
      this.blf.watchersOf(number),
    );
    return watchers.includes(account);
  }

  private phoneRow(number: string): Promise<PhoneRow | null> {
    return this.cache.get('routing', `phone:${number}`, async () => {
      // One statement for the number and its dialplan v2.
      const row = await this.db
        .selectFrom('phones')
        .leftJoin('dialplans_v2', 'dialplans_v2.uuid', 'phones.dialplan')
        .selectAll('phones')
        .select('dialplans_v2.json as dialplan_json')
        .where('phones.number', '=', number)
        .executeTakeFirst();
      return row ?? null;
    });
  }

  private userDialplan(userId: string): Promise<DialplanV1> {
    return this.cache.get('routing', `dialplan-v1:${userId}`, () => this.dialplanV1.get(userId));
  }

  async inboundPlan(number: string, call: IncomingCall, nowMs: number): Promise<InboundPlan | null> {
    const row = await this.phoneRow(number);
    if (!row) return null;
    const phone: PhoneConfig = {
      dialplan_enable: row.dialplan_enable,
      call_enable: row.call_enable,
      fax_enable: row.fax_enable,
      recording_enable: row.recording_enable,
      play_announcement_only: row.play_announcement_only,
      conference_enable: row.conference_enable,
      notification_email: row.notification_email,
      notification_attachment: row.notification_attachment,
      announcement: row.announcement,
      ivr: row.ivr,
      dialplan: row.dialplan,
      on_hold_music: row.on_hold_music,
      ...(row.unlock_code !== null ? { unlock_code: row.unlock_code } : {}),
    };
    let dialplanV2 = null;
    let cyclicCounter = 0;
    if (row.dialplan && row.dialplan_json) {
      const compiled = this.compiled(row.dialplan, row.dialplan_json);
      dialplanV2 = compiled.dialplan;
      if (compiled.cyclic) cyclicCounter = await this.cyclic.next(row.dialplan);
    }
    const dialplanV1 = row.dialplan_enable ? await this.userDialplan(row.user_uuid) : null;
    return {
      number,
      owner: row.user_uuid,
      partnerId: row.partner_id,
      plan: routingPlan({ number, phone, call, nowMs, dialplanV2, dialplanV1, cyclicCounter }),
    };
  }

  /** Compiled dialplans by uuid, reused while their JSON text is unchanged (RE2 compilation is not free). */
  private readonly dialplans = new Map<
    string,
    { json: string; dialplan: CompiledDialplanV2; cyclic: boolean }
  >();

  private compiled(uuid: string, json: string): { dialplan: CompiledDialplanV2; cyclic: boolean } {
    const hit = this.dialplans.get(uuid);
    if (hit && hit.json === json) return hit;
    const parsed = JSON.parse(json) as DialplanV2;
    const entry = {
      json,
      dialplan: compileDialplanV2(parsed, re2Compiler),
      cyclic: (parsed.profiles ?? []).some((p) => p.cyclic),
    };
    if (this.dialplans.size >= 10_000) this.dialplans.clear();
    this.dialplans.set(uuid, entry);
    return entry;
  }

  accountsOf(userId: string): Promise<string[]> {
    return this.cache.get('accounts', `of:${userId}`, async () => {
      const rows = await this.db
        .selectFrom('sip_accounts')
        .select('name')
        .where('owner', '=', userId)
        .orderBy('name')
        .execute();
      return rows.map((r) => r.name);
    });
  }

  accountOwner(account: string): Promise<string | null> {
    return this.cache.get('accounts', `owner:${account}`, async () => {
      const row = await this.db
        .selectFrom('sip_accounts')
        .select('owner')
        .where('name', '=', account)
        .executeTakeFirst();
      return row?.owner ?? null;
    });
  }

  /** The user's outgoing-call policy, compiled call filter included: read and built once per change. */
  outboundPolicy(userId: string): Promise<OutboundPolicy> {
    return this.cache.get('policy', `outbound:${userId}`, () => this.readOutboundPolicy(userId));
  }

  private async readOutboundPolicy(userId: string): Promise<OutboundPolicy> {
    const [phones, dp, callFilter, group, emergency, user] = await Promise.all([
      this.db
        .selectFrom('phones')
        .select(['number', 'p_asserted_identity'])
        .where('user_uuid', '=', userId)
        .where('unlock_code', 'is', null)
        .orderBy('created_us')
        .execute(),
      this.userDialplan(userId),
      this.policy.callFilters.forUser(userId),
      this.policy.usergroups.groupOfUser(userId),
      this.policy.emergency.forUser(userId),
      this.db.selectFrom('users').select('partner_id').where('uuid', '=', userId).executeTakeFirst(),
    ]);
    const numbers = phones.map((p) => p.number);
    const clip = dp.clip_number && numbers.includes(dp.clip_number) ? dp.clip_number : null;
    const shown = clip ?? numbers[0] ?? null;
    let callLimit: number | null = null;
    let zoneFilter = null;
    let extensions: OutboundPolicy['extensions'] = null;
    if (group) {
      const [limit, zf, ext, row] = await Promise.all([
        this.policy.callLimits.forGroup(group),
        this.policy.zoneFilters.forGroup(group),
        this.policy.extensions.forGroup(group),
        this.db.selectFrom('usergroups').select('prefix').where('uuid', '=', group).executeTakeFirst(),
      ]);
      callLimit = limit;
      zoneFilter = zf;
      extensions = { group: { uuid: group, prefix: row?.prefix ?? null, extensions: ext } };
    }
    return {
      owner: userId,
      partnerId: user?.partner_id ?? null,
      numbers,
      dialPrefix: dp.dial_prefix || null,
      clipNumber: clip,
      clir: dp.clir_enable ?? false,
      assertedIdentity: phones.find((p) => p.number === shown)?.p_asserted_identity ?? null,
      callFilter,
      usergroup: group,
      callLimit,
      zoneFilter,
      extensions,
      emergency,
    };
  }

  callingName(userId: string, caller: string): Promise<string | null> {
    return this.cache.get(
      'policy',
      `cnam:${userId}:${caller}`,
      async () => (await this.policy.cnam.lookup(userId, caller))?.name ?? null,
    );
  }
}

type PhoneRow = Selectable<PhonesTable> & { dialplan_json: string | null };
