import { sql, type Selectable } from 'kysely';
import { reachesConference } from '../domain/conference/dial-in.js';
import { isConferencePin } from '../domain/conference/pin.js';
import type { ObjectRecord } from '../domain/objects.js';
import type { PhoneConfig } from '../domain/routing/types.js';
import { ServiceError } from '../errors/index.js';
import type { Db } from '../store/db.js';
import type { PhonesTable } from '../store/schema.js';
import type { ConferenceLiveService } from './conference-live-service.js';
import type { ObjectService } from './object-service.js';

/** The fields of POST /api/conference and POST /api/conference/(uuid) (spec 3.17). */
export interface ConferenceFields {
  description?: string;
  pin?: string;
  active?: boolean;
  mute_default?: boolean;
}

/** What the telephony side needs of a conference to run its room. */
export interface ConferenceSettings {
  uuid: string;
  owner: string;
  description: string | null;
  pin: string;
  active: boolean;
  muteDefault: boolean;
}

const isUniqueViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';

const duplicatePin = (pin: string): ServiceError =>
  new ServiceError('duplicate-pin', `the PIN ${pin} is already assigned to another conference of this user`);

/**
 * Conference objects (spec 3.17) on the generic object model (object.ts:
 * tags, trash, purge, object_new / object_modify / object_delete events).
 * The fields live in the object's data (`pin`, `active`, `mute_default`),
 * so the listing of spec 3.10 shows `active` and `pin` as its example does;
 * migration 014 keeps each PIN unique per user. The live side (members,
 * events, control) is ConferenceLiveService.
 */
export class ConferenceService {
  constructor(
    private readonly db: Db,
    private readonly objects: ObjectService,
    private readonly live: Pick<ConferenceLiveService, 'closeRoom'>,
  ) {
    // A purged conference (DELETE with purge, DELETE /api/trash) ends its live room.
    objects.registerType('conference', { purge: (obj) => live.closeRoom(obj.uuid) });
  }

  /** The conference if `userId` may access it at `need`; wrong-conference / access-denied otherwise. */
  get(userId: string, uuid: string, need: 'read' | 'write' = 'read'): Promise<ObjectRecord> {
    return this.objects.get(userId, uuid, { type: 'conference', notFound: 'wrong-conference', need });
  }

  /** POST /api/conference: pin and active are required, description and mute_default optional. */
  async create(userId: string, f: ConferenceFields): Promise<ObjectRecord> {
    if (f.pin === undefined) throw new ServiceError('missing-element', "missing element 'pin'");
    if (f.active === undefined) throw new ServiceError('missing-element', "missing element 'active'");
    if (!isConferencePin(f.pin)) throw new ServiceError('wrong-syntax', 'the PIN must be four digits');
    await this.checkPinFree(userId, f.pin, null);
    try {
      return await this.objects.create({
        type: 'conference',
        owner: userId,
        description: f.description ?? null,
        data: { active: f.active, pin: f.pin, mute_default: f.mute_default ?? false },
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicatePin(f.pin);
      throw err;
    }
  }

  /** GET /api/conference/(uuid): `{owner, time, description?, pin, active, mute_default, phone, tag}`. */
  async describe(userId: string, uuid: string): Promise<Record<string, unknown>> {
    const obj = await this.get(userId, uuid);
    const s = settingsOf(obj);
    return {
      owner: obj.owner,
      time: Math.floor(obj.createdUs / 1_000_000),
      ...(obj.description !== null ? { description: obj.description } : {}),
      pin: s.pin,
      active: s.active,
      mute_default: s.muteDefault,
      phone: await this.phonesReaching(obj.owner),
      tag: [...obj.tags],
    };
  }

  /** POST /api/conference/(uuid): every field optional; object_modify when something was sent. */
  async modify(userId: string, uuid: string, f: ConferenceFields): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    const data: Record<string, unknown> = {};
    if (f.pin !== undefined) {
      if (!isConferencePin(f.pin)) throw new ServiceError('wrong-syntax', 'the PIN must be four digits');
      await this.checkPinFree(obj.owner, f.pin, obj.uuid);
      data['pin'] = f.pin;
    }
    if (f.active !== undefined) data['active'] = f.active;
    if (f.mute_default !== undefined) data['mute_default'] = f.mute_default;
    if (Object.keys(data).length === 0 && f.description === undefined) return;
    try {
      await this.objects.modify(
        obj,
        { data, ...(f.description !== undefined ? { description: f.description } : {}) },
        { actor: userId },
      );
    } catch (err) {
      if (isUniqueViolation(err) && f.pin !== undefined) throw duplicatePin(f.pin);
      throw err;
    }
  }

  /**
   * DELETE /api/conference/(uuid): to the trash, or for good with `purge`
   * (spec 3.11). A deleted conference cannot be joined, so a room that is
   * live ends: its members are told to leave.
   */
  async remove(userId: string, uuid: string, purge: boolean): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    if (purge) return this.objects.purge(obj, userId);
    await this.objects.moveToTrash(obj, userId);
    await this.live.closeRoom(obj.uuid);
  }

  /**
   * The dial-in lookup: the owner's conference with this PIN, not in the
   * trash; null when there is none. `active` is the caller's to check
   * (an inactive conference has its own prompt).
   */
  async byPin(owner: string, pin: string): Promise<ConferenceSettings | null> {
    if (!isConferencePin(pin)) return null;
    const row = await this.db
      .selectFrom('objects')
      .select('uuid')
      .where('owner', '=', owner)
      .where('type', '=', 'conference')
      .where(sql<string>`data->>'pin'`, '=', pin)
      .executeTakeFirst();
    if (!row) return null;
    const obj = await this.objects.find(owner, row.uuid, 'conference');
    if (!obj || obj.trashed) return null;
    return settingsOf(obj);
  }

  /** The settings of a conference the telephony side runs a room for. */
  async settings(uuid: string): Promise<ConferenceSettings | null> {
    const row = await this.db
      .selectFrom('objects')
      .select('owner')
      .where('uuid', '=', uuid.toLowerCase())
      .where('type', '=', 'conference')
      .executeTakeFirst();
    if (!row) return null;
    const obj = await this.objects.find(row.owner, uuid, 'conference');
    return obj && !obj.trashed ? settingsOf(obj) : null;
  }

  /** The owner's numbers whose calls reach a conference (spec 3.17 `phone`, spec 3.9 flags). */
  async phonesReaching(owner: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('phones')
      .selectAll()
      .where('user_uuid', '=', owner)
      .orderBy('number')
      .execute();
    return rows.filter((r) => reachesConference(phoneConfig(r))).map((r) => r.number);
  }

  private async checkPinFree(owner: string, pin: string, self: string | null): Promise<void> {
    let q = this.db
      .selectFrom('objects')
      .select('uuid')
      .where('owner', '=', owner)
      .where('type', '=', 'conference')
      .where(sql<string>`data->>'pin'`, '=', pin);
    if (self !== null) q = q.where('uuid', '!=', self);
    if (await q.executeTakeFirst()) throw duplicatePin(pin);
  }
}

/** The conference fields of an object's data, with the defaults of spec 3.17. */
export function settingsOf(obj: ObjectRecord): ConferenceSettings {
  const d = obj.data;
  return {
    uuid: obj.uuid,
    owner: obj.owner,
    description: obj.description,
    pin: typeof d['pin'] === 'string' ? d['pin'] : '',
    active: d['active'] === true,
    muteDefault: d['mute_default'] === true,
  };
}

function phoneConfig(r: Selectable<PhonesTable>): PhoneConfig {
  return {
    dialplan_enable: r.dialplan_enable,
    call_enable: r.call_enable,
    fax_enable: r.fax_enable,
    recording_enable: r.recording_enable,
    conference_enable: r.conference_enable,
    play_announcement_only: r.play_announcement_only,
    ...(r.unlock_code !== null ? { unlock_code: r.unlock_code } : {}),
    ivr: r.ivr,
    dialplan: r.dialplan,
  };
}
