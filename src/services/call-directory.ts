/**
 * The call engine's view of the configuration (telephony/engine/directory.ts)
 * over the database and Redis: numbers and their routing plans, SIP
 * registrations, and the outgoing-call policy of a user.
 */
import { compileDialplanV2 } from '../domain/routing/dialplan-v2.js';
import { routingPlan } from '../domain/routing/routing-plan.js';
import type { DialplanV2, IncomingCall, PhoneConfig } from '../domain/routing/types.js';
import { re2Compiler } from '../events/filters.js';
import type { Db } from '../store/db.js';
import type { Binding, CallDirectory, InboundPlan, OutboundPolicy } from '../telephony/engine/directory.js';
import type { RegistrationStore } from '../telephony/registrations.js';
import type { CyclicCounter } from '../telephony/routing/cyclic-counter.js';
import type { DialplanV1Service } from './dialplan-v1-service.js';
import type { PolicyServices } from './policy/index.js';
import type { SipBlfService } from './sip-blf-service.js';

export class DbCallDirectory implements CallDirectory {
  constructor(
    private readonly db: Db,
    private readonly registrations: RegistrationStore,
    private readonly dialplanV1: DialplanV1Service,
    private readonly policy: PolicyServices,
    private readonly cyclic: CyclicCounter,
    private readonly blf: Pick<SipBlfService, 'watchersOf'>,
  ) {}

  async watches(account: string, number: string): Promise<boolean> {
    return (await this.blf.watchersOf(number)).includes(account);
  }

  async inboundPlan(number: string, call: IncomingCall, nowMs: number): Promise<InboundPlan | null> {
    const row = await this.db
      .selectFrom('phones')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirst();
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
    if (row.dialplan) {
      const dp = await this.db
        .selectFrom('dialplans_v2')
        .select('json')
        .where('uuid', '=', row.dialplan)
        .executeTakeFirst();
      if (dp) {
        const parsed = JSON.parse(dp.json) as DialplanV2;
        dialplanV2 = compileDialplanV2(parsed, re2Compiler);
        if ((parsed.profiles ?? []).some((p) => p.cyclic))
          cyclicCounter = await this.cyclic.next(row.dialplan);
      }
    }
    const dialplanV1 = row.dialplan_enable ? await this.dialplanV1.get(row.user_uuid) : null;
    return {
      number,
      owner: row.user_uuid,
      partnerId: row.partner_id,
      plan: routingPlan({ number, phone, call, nowMs, dialplanV2, dialplanV1, cyclicCounter }),
    };
  }

  async bindings(account: string): Promise<Binding[]> {
    const list = await this.registrations.bindings(account);
    return list.map((b) => ({ contact: b.contact, source: b.source, transport: b.transport }));
  }

  async accountsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('sip_accounts')
      .select('name')
      .where('owner', '=', userId)
      .orderBy('name')
      .execute();
    return rows.map((r) => r.name);
  }

  async accountOwner(account: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('sip_accounts')
      .select('owner')
      .where('name', '=', account)
      .executeTakeFirst();
    return row?.owner ?? null;
  }

  async outboundPolicy(userId: string): Promise<OutboundPolicy> {
    const [phones, dp, callFilter, group, emergency, user] = await Promise.all([
      this.db
        .selectFrom('phones')
        .select(['number', 'p_asserted_identity'])
        .where('user_uuid', '=', userId)
        .where('unlock_code', 'is', null)
        .orderBy('created_us')
        .execute(),
      this.dialplanV1.get(userId),
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

  async callingName(userId: string, caller: string): Promise<string | null> {
    return (await this.policy.cnam.lookup(userId, caller))?.name ?? null;
  }
}
