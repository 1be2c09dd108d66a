import { ServiceError } from '../errors/index.js';
import { patternErrorMessage } from '../domain/event-filter.js';
import { compileCaller } from '../domain/routing/dialplan-v2.js';
import { isPatternLimitError, userPatterns } from '../lib/patterns.js';
import type { EventOutbox } from '../events/outbox.js';
import { newId, uuidV1Micros } from '../lib/ids.js';
import type { Db } from '../store/db.js';
import type { ObjectService } from './object-service.js';
import type { SipAccountService } from './sip-account-service.js';

/** The shapes of spec 4.1 after schema validation (the route checks formats). */
export interface TimedTarget {
  target: string;
  timeout?: number;
}
export interface DialplanTime {
  weekdays?: string[];
  date?: string;
  date_start?: string;
  date_end?: string;
  time_start?: string;
  time_end?: string;
}
export interface DialplanProfile {
  filter?: { caller?: string; time?: DialplanTime };
  reject?: Record<string, never>;
  record?: { announcement?: string };
  parallel?: { timeout?: number; targets: string[] };
  linear?: { timeout?: number; targets: TimedTarget[] };
  cyclic?: { timeout?: number; targets: TimedTarget[] };
}
export interface DialplanV2 {
  description?: string;
  ringtone?: { announcement?: string; mix?: boolean };
  profiles?: DialplanProfile[];
}

export const DIALPLAN_ACTIONS = ['reject', 'record', 'parallel', 'linear', 'cyclic'] as const;
const SIP_TARGET = /^[a-z0-9]{2,20}_[0-9]{2}$/;

/** `dd.MM.yyyy` → yyyymmdd as a number, or null when it is no calendar day. */
export function parseDialplanDate(text: string): number | null {
  const m = /^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return y * 10000 + mo * 100 + d;
}

function checkProfile(p: DialplanProfile, i: number): void {
  const actions = DIALPLAN_ACTIONS.filter((a) => p[a] !== undefined);
  if (actions.length === 0) throw new ServiceError('missing-element', `profiles[${i}] has no action`);
  // spec 4.1: "Only one action object in a profile element is allowed."
  if (actions.length > 1) throw new ServiceError('wrong-syntax', `profiles[${i}] has more than one action`);
  const t = p.filter?.time;
  if (!t) return;
  const days: Record<string, number | null> = {};
  for (const k of ['date', 'date_start', 'date_end'] as const) {
    const v = t[k];
    if (v === undefined) continue;
    days[k] = parseDialplanDate(v);
    if (days[k] === null)
      throw new ServiceError('wrong-syntax', `profiles[${i}].filter.time.${k} is no valid date`);
  }
  const { date_start: s, date_end: e } = days;
  if (s != null && e != null && e < s) {
    throw new ServiceError('wrong-syntax', `profiles[${i}].filter.time.date_end precedes date_start`);
  }
}

/**
 * The caller regexes, compiled as calls will use them (whole-number match,
 * domain compileCaller) under the pattern limits of lib/patterns.ts, summed
 * over the dialplan, without holding the event loop; the compiled forms stay
 * cached for the calls.
 */
async function checkCallers(profiles: readonly DialplanProfile[]): Promise<void> {
  await userPatterns
    .prepare((compile) => {
      profiles.forEach((p, i) => {
        const caller = p.filter?.caller;
        if (caller === undefined) return;
        let refused: unknown = null;
        const matcher = compileCaller(caller, (pattern) => {
          try {
            const re = compile(pattern);
            return (text) => re.test(text);
          } catch (err) {
            if (isPatternLimitError(err)) refused = err;
            throw err;
          }
        });
        const where = `profiles[${i}].filter.caller`;
        if (refused !== null) throw new ServiceError('wrong-syntax', patternErrorMessage(where, refused));
        if (matcher === null)
          throw new ServiceError('wrong-syntax', `${where} is no valid regular expression`);
      });
    })
    .catch((err: unknown) => {
      if (isPatternLimitError(err)) throw new ServiceError('wrong-syntax', err.message);
      throw err;
    });
}

/** The announcements and SIP accounts a dialplan refers to. */
function references(d: DialplanV2): { announcements: string[]; sip: string[] } {
  const announcements = new Set<string>();
  const sip = new Set<string>();
  if (d.ringtone?.announcement) announcements.add(d.ringtone.announcement.toLowerCase());
  for (const p of d.profiles ?? []) {
    if (p.record?.announcement) announcements.add(p.record.announcement.toLowerCase());
    const targets = [
      ...(p.parallel?.targets ?? []),
      ...(p.linear?.targets ?? []).map((t) => t.target),
      ...(p.cyclic?.targets ?? []).map((t) => t.target),
    ];
    for (const t of targets) if (SIP_TARGET.test(t)) sip.add(t);
  }
  return { announcements: [...announcements], sip: [...sip] };
}

/** Dialplans v2 (spec 4.1), stored as the JSON text the user sent. */
export class DialplanV2Service {
  constructor(
    private readonly db: Db,
    private readonly outbox: EventOutbox,
    private readonly objects: ObjectService,
    private readonly sipAccounts: SipAccountService,
  ) {}

  /** Semantic checks beyond the schema: actions, dates, regexes, references to own objects only. */
  async validate(userId: string, d: DialplanV2): Promise<void> {
    (d.profiles ?? []).forEach(checkProfile);
    await checkCallers(d.profiles ?? []);
    const refs = references(d);
    for (const a of refs.announcements) {
      await this.objects.get(userId, a, { type: 'announcement', notFound: 'wrong-announcement' });
    }
    const owned = await this.sipAccounts.ownedNames(userId, refs.sip);
    const foreign = refs.sip.find((s) => !owned.has(s));
    // spec 4.1: SIP targets "must be owned by this account"; others look unknown.
    if (foreign) throw new ServiceError('wrong-sip', `${foreign} is not one of your SIP accounts`);
  }

  async list(userId: string): Promise<{ uuid: string; description?: string }[]> {
    const rows = await this.db
      .selectFrom('dialplans_v2')
      .select(['uuid', 'json'])
      .where('owner', '=', userId)
      .orderBy('created_us')
      .orderBy('uuid')
      .execute();
    return rows.map((r) => {
      const { description } = JSON.parse(r.json) as DialplanV2;
      return { uuid: r.uuid, ...(description !== undefined ? { description } : {}) };
    });
  }

  async create(userId: string, d: DialplanV2): Promise<string> {
    await this.validate(userId, d);
    const uuid = newId();
    await this.db
      .insertInto('dialplans_v2')
      .values({
        uuid,
        owner: userId,
        json: JSON.stringify(d),
        created_us: uuidV1Micros(uuid) ?? Date.now() * 1000,
      })
      .execute();
    return uuid;
  }

  /** The dialplan as JSON text exactly as stored (an exact round trip of what was sent). */
  async getJson(userId: string, uuid: string): Promise<string> {
    const row = await this.db
      .selectFrom('dialplans_v2')
      .select('json')
      .where('owner', '=', userId)
      .where('uuid', '=', uuid.toLowerCase())
      .executeTakeFirst();
    if (!row)
      throw new ServiceError(
        'wrong-dialplan',
        'the UUID does not match a dialplan accessible by the current user',
      );
    return row.json;
  }

  async get(userId: string, uuid: string): Promise<DialplanV2> {
    return JSON.parse(await this.getJson(userId, uuid)) as DialplanV2;
  }

  async modify(userId: string, uuid: string, d: DialplanV2): Promise<void> {
    await this.getJson(userId, uuid);
    await this.validate(userId, d);
    await this.db
      .updateTable('dialplans_v2')
      .set({ json: JSON.stringify(d) })
      .where('owner', '=', userId)
      .where('uuid', '=', uuid.toLowerCase())
      .execute();
  }

  /** spec 4.1: "When the dialplan is active in GET /api/phone it will be removed there as well." */
  async remove(userId: string, uuid: string): Promise<void> {
    const id = uuid.toLowerCase();
    await this.outbox.run(async (trx, events) => {
      const del = await trx
        .deleteFrom('dialplans_v2')
        .where('owner', '=', userId)
        .where('uuid', '=', id)
        .executeTakeFirst();
      if (del.numDeletedRows === 0n) {
        throw new ServiceError(
          'wrong-dialplan',
          'the UUID does not match a dialplan accessible by the current user',
        );
      }
      const upd = await trx
        .updateTable('phones')
        .set({ dialplan: null })
        .where('user_uuid', '=', userId)
        .where('dialplan', '=', id)
        .executeTakeFirst();
      // spec 7.3.1: the phone configuration changed.
      if (upd.numUpdatedRows > 0n) await events.publish({ users: [userId] }, 'phone_modify', {});
    });
  }
}
