import { sql, type Updateable } from 'kysely';
import type { Redis } from 'ioredis';
import { ServiceError } from '../errors/index.js';
import { randomInt } from 'node:crypto';
import { randomToken } from '../lib/ids.js';
import type { Db } from '../store/db.js';
import type { PhonesTable } from '../store/schema.js';
import type { EventOutbox } from '../events/outbox.js';
import type { ObjectService } from './object-service.js';

/** The switches of a number; all optional in requests (spec 3.9, 9.1.2). */
export const PHONE_FLAGS = [
  'dialplan_enable',
  'call_enable',
  'fax_enable',
  'recording_enable',
  'conference_enable',
  'play_announcement_only',
  'notification_email',
  'notification_attachment',
] as const;
export type PhoneFlag = (typeof PHONE_FLAGS)[number];
export type PhoneFlags = Partial<Record<PhoneFlag, boolean>>;

/** spec 3.9: `dialplan_enable`/`call_enable` default false, the other switches true, notifications false. */
export const PHONE_FLAG_DEFAULTS: Record<PhoneFlag, boolean> = {
  dialplan_enable: false,
  call_enable: false,
  fax_enable: true,
  recording_enable: true,
  conference_enable: true,
  play_announcement_only: false,
  notification_email: false,
  notification_attachment: false,
};

export interface UserPhoneUpdate extends PhoneFlags {
  announcement?: string | null;
  ivr?: string | null;
  dialplan?: string | null;
  on_hold_music?: string | null;
}
export interface UserPhoneRequest {
  create?: boolean;
  update?: Record<string, UserPhoneUpdate>;
  delete?: string[];
}

/** One entry of `GET /api/phone` (spec 3.9). */
export type UserPhoneView = Record<PhoneFlag, boolean> & {
  announcement?: { uuid: string; description: string };
  partner?: string;
  unlock_code?: string;
  ivr?: string;
  dialplan?: string;
  on_hold_music: string | null;
};

export interface PhoneServiceOptions {
  /** Numbers a user may hold (spec 3.9 `phone-limit`); the spec gives no value. */
  phoneLimit?: number;
  /** How long a create holds its per-user lock at most. */
  lockMs?: number;
}

// Releases the lock only if this request still owns it (it may have expired).
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Locks a user's numbers for the rest of the transaction and checks that the
 * numbers an update or delete names are among them (`wrong-phone` otherwise).
 */
export async function lockOwnedNumbers(
  trx: Db,
  userId: string,
  mustOwn: readonly string[],
): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('phones')
    .select('number')
    .where('user_uuid', '=', userId)
    .forUpdate()
    .execute();
  const owned = new Set(rows.map((r) => r.number));
  for (const n of mustOwn) if (!owned.has(n)) throw wrongPhone(n);
  return owned;
}

export const wrongPhone = (n: string): ServiceError =>
  new ServiceError('wrong-phone', `the phone number ${n} does not belong to the user`);

/** The user's own phone numbers (spec 3.9). Partner control is in PartnerPhoneService. */
export class PhoneService {
  private readonly phoneLimit: number;
  private readonly lockMs: number;

  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly objects: ObjectService,
    private readonly outbox: EventOutbox,
    opts: PhoneServiceOptions = {},
  ) {
    this.phoneLimit = opts.phoneLimit ?? 10;
    this.lockMs = opts.lockMs ?? 10_000;
  }

  /** The Redis key that serializes creates of one user across API nodes. */
  createLockKey(userId: string): string {
    return `${this.redisPrefix}phone:create:${userId}`;
  }

  async list(userId: string): Promise<Record<string, UserPhoneView>> {
    const rows = await this.db
      .selectFrom('phones')
      .leftJoin('partners', 'partners.id', 'phones.partner_id')
      .selectAll('phones')
      .select('partners.name as partner_name')
      .where('phones.user_uuid', '=', userId)
      .orderBy('phones.number')
      .execute();
    const out: Record<string, UserPhoneView> = {};
    for (const r of rows) {
      const v = flagsOf(r) as UserPhoneView;
      if (r.announcement !== null) {
        // A deleted announcement leaves no binding behind.
        const a = await this.objects.find(userId, r.announcement, 'announcement');
        if (a) v.announcement = { uuid: a.uuid, description: a.description ?? '' };
      }
      if (r.partner_name !== null) v.partner = r.partner_name;
      if (r.unlock_code !== null) v.unlock_code = r.unlock_code;
      if (r.ivr !== null) v.ivr = r.ivr;
      if (r.dialplan !== null) v.dialplan = r.dialplan;
      v.on_hold_music = r.on_hold_music;
      out[r.number] = v;
    }
    return out;
  }

  /** `POST /api/phone`: validates everything, then creates, updates and deletes in one transaction. */
  async modify(userId: string, req: UserPhoneRequest): Promise<Record<string, { unlock_code: string }>> {
    const updates = Object.entries(req.update ?? {});
    const deletes = req.delete ?? [];
    const clash = updates.find(([n]) => deletes.includes(n));
    if (clash) throw new ServiceError('wrong-syntax', `${clash[0]} is both updated and deleted`);
    for (const [, u] of updates) await this.checkReferences(userId, u);

    let lockToken: string | null = null;
    if (req.create === true) {
      await this.checkMayCreate(userId);
      lockToken = randomToken(16);
      const ok = await this.redis.set(this.createLockKey(userId), lockToken, 'PX', this.lockMs, 'NX');
      if (ok === null) {
        throw new ServiceError('concurrent-access', 'another request creates a phone number for this user');
      }
    }
    try {
      return await this.outbox.run(async (trx, events) => {
        const owned = await lockOwnedNumbers(trx, userId, [...updates.map(([k]) => k), ...deletes]);
        const result: Record<string, { unlock_code: string }> = {};
        if (req.create === true) {
          const number = await this.takeFromPool(trx, userId, owned.size);
          const code = String(randomInt(0, 10_000)).padStart(4, '0');
          await trx
            .insertInto('phones')
            .values({
              ...PHONE_FLAG_DEFAULTS,
              ...nullRefs(),
              number,
              user_uuid: userId,
              partner_id: null,
              unlock_code: code,
              created_us: Date.now() * 1000,
            })
            .execute();
          result[number] = { unlock_code: code };
        }
        for (const [n, u] of updates) {
          await trx.updateTable('phones').set(userUpdateColumns(u)).where('number', '=', n).execute();
        }
        if (deletes.length > 0) await trx.deleteFrom('phones').where('number', 'in', deletes).execute();
        if (req.create === true || updates.length > 0 || deletes.length > 0) {
          await events.publish({ users: [userId] }, 'phone_modify', {});
        }
        return result;
      });
    } finally {
      if (lockToken !== null) await this.redis.eval(RELEASE, 1, this.createLockKey(userId), lockToken);
    }
  }

  /** The number was called and the unlock code entered (spec 3.9): it becomes active. */
  async unlock(number: string, code: string): Promise<boolean> {
    return this.outbox.run(async (trx, events) => {
      const row = await trx
        .updateTable('phones')
        .set({ unlock_code: null })
        .where('number', '=', number)
        .where('unlock_code', '=', code)
        .returning('user_uuid')
        .executeTakeFirst();
      if (row) await events.publish({ users: [row.user_uuid] }, 'phone_modify', {});
      return row !== undefined;
    });
  }

  /** Admin: adds free numbers to the pool of an area code; numbers in use or pooled are skipped. */
  async addToPool(areaCode: string, numbers: string[]): Promise<{ added: string[] }> {
    const added: string[] = [];
    for (const number of numbers) {
      const used = await this.db
        .selectFrom('phones')
        .select('number')
        .where('number', '=', number)
        .executeTakeFirst();
      if (used) continue;
      const r = await this.db
        .insertInto('number_pool')
        .values({ number, area_code: areaCode })
        .onConflict((oc) => oc.column('number').doNothing())
        .returning('number')
        .executeTakeFirst();
      if (r) added.push(number);
    }
    return { added };
  }

  /**
   * Admin (and partners through it later): the area code whose pool serves the
   * user, overriding the one that follows from the user's address (spec 3.5).
   */
  async setArea(userId: string, areaCode: string): Promise<void> {
    await this.db.updateTable('users').set({ area_override: areaCode }).where('uuid', '=', userId).execute();
  }

  private async checkReferences(userId: string, u: UserPhoneUpdate): Promise<void> {
    for (const a of [u.announcement, u.on_hold_music]) {
      if (typeof a === 'string') {
        await this.objects.get(userId, a.toLowerCase(), {
          type: 'announcement',
          notFound: 'wrong-announcement',
        });
      }
    }
    if (typeof u.dialplan === 'string' && !(await this.owns('dialplans_v2', userId, u.dialplan))) {
      throw new ServiceError(
        'wrong-dialplan',
        'the dialplan does not exist or is not accessible by the current user',
      );
    }
    if (typeof u.ivr === 'string' && !(await this.owns('ivrs', userId, u.ivr))) {
      throw new ServiceError('wrong-ivr', 'the IVR does not exist or is not accessible by the current user');
    }
  }

  /** A dialplan v2 (spec 4.1) or IVR (spec 5.1) of the user: another user's looks like an unknown one. */
  private async owns(table: 'dialplans_v2' | 'ivrs', userId: string, uuid: string): Promise<boolean> {
    const row = await this.db
      .selectFrom(table)
      .select('uuid')
      .where('owner', '=', userId)
      .where('uuid', '=', uuid.toLowerCase())
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * A user of a partner that controls phone number assignments gets numbers
   * from the partner only (spec 9.1.2), so it may not create any itself.
   */
  private async checkMayCreate(userId: string): Promise<void> {
    const row = await this.db
      .selectFrom('users')
      .leftJoin('partners', 'partners.id', 'users.partner_id')
      .select(['partners.phone_control'])
      .where('users.uuid', '=', userId)
      .executeTakeFirst();
    if (row?.phone_control === true) {
      throw new ServiceError('phone-forbidden', 'phone numbers of this user are assigned by its partner');
    }
  }

  private async takeFromPool(trx: Db, userId: string, held: number): Promise<string> {
    if (held >= this.phoneLimit) {
      throw new ServiceError(
        'phone-limit',
        `the user already has the maximum of ${this.phoneLimit} phone numbers`,
      );
    }
    const row = await trx
      .selectFrom('users')
      .select(['area_code', 'area_override'])
      .where('uuid', '=', userId)
      .executeTakeFirst();
    // The pool of the user's area code: the admin's override, else the one of the verified address.
    const user = row ? { area_code: row.area_override ?? row.area_code } : undefined;
    if (!user || user.area_code === null) {
      throw new ServiceError(
        'address-missing',
        'the user has no area code (address) to choose a number pool',
      );
    }
    // SKIP LOCKED: two users of one area never wait on (or get) the same number.
    const taken = await sql<{ number: string }>`
      delete from number_pool where number = (
        select number from number_pool where area_code = ${user.area_code}
        order by number limit 1 for update skip locked
      ) returning number`.execute(trx);
    const number = taken.rows[0]?.number;
    if (number === undefined) {
      throw new ServiceError('pool-depleted', `no more numbers available in area code ${user.area_code}`);
    }
    return number;
  }
}

export function flagsOf(r: Record<PhoneFlag, boolean>): Record<PhoneFlag, boolean> {
  const out = {} as Record<PhoneFlag, boolean>;
  for (const f of PHONE_FLAGS) out[f] = r[f];
  return out;
}

export function nullRefs(): Pick<
  PhonesTable,
  'announcement' | 'ivr' | 'dialplan' | 'on_hold_music' | 'p_asserted_identity'
> {
  return { announcement: null, ivr: null, dialplan: null, on_hold_music: null, p_asserted_identity: null };
}

export function flagColumns(u: PhoneFlags): PhoneFlags {
  const out: PhoneFlags = {};
  for (const f of PHONE_FLAGS) if (u[f] !== undefined) out[f] = u[f];
  return out;
}

function userUpdateColumns(u: UserPhoneUpdate): Updateable<PhonesTable> {
  const set: Updateable<PhonesTable> = {
    ...flagColumns(u),
    // spec 3.9: "If no announcement is given in this section, an existing announcement binding is deleted."
    announcement: u.announcement?.toLowerCase() ?? null,
  };
  if (u.ivr !== undefined) set.ivr = u.ivr?.toLowerCase() ?? null;
  if (u.dialplan !== undefined) set.dialplan = u.dialplan?.toLowerCase() ?? null;
  if (u.on_hold_music !== undefined) set.on_hold_music = u.on_hold_music?.toLowerCase() ?? null;
  return set;
}
