import { ServiceError } from '../errors/index.js';
import {
  APNS_TOPIC,
  APPLICATION_ID,
  DEVICE_TOKEN,
  REGISTRATION_ID,
  type PushEvent,
} from '../domain/push/push-events.js';
import type { PushConfig } from '../config/index.js';
import type { PushDevice, PushDeviceDirectory, PushSystem } from '../push/jobs.js';
import type { PushQueue } from '../push/queue.js';
import type { Db } from '../store/db.js';
import type { PushDevicesTable } from '../store/schema.js';
import type { Selectable } from 'kysely';

/** Devices one user keeps per push system; adding one more drops the least recently added. */
export const MAX_DEVICES_PER_SYSTEM = 50;

/** The body of POST /api/push (spec 8.1) after schema validation. */
export interface PushChange {
  system: PushSystem;
  action: 'add' | 'delete';
  registration_id?: string;
  device_token?: string;
  sandbox?: boolean;
  application_id?: string;
  apns_topic?: string;
}

/** GET /api/push (spec 8.1). */
export interface PushConfiguration {
  gcm: { sender_id?: string; registration_ids: string[] };
  apns: { device_tokens: Record<string, { application_id: string; sandbox: boolean; apns_topic?: string }> };
}

const toDevice = (r: Selectable<PushDevicesTable>): PushDevice => ({
  system: r.system,
  token: r.token,
  userId: r.user_id,
  applicationId: r.application_id,
  sandbox: r.sandbox,
  apnsTopic: r.apns_topic,
  registeredMs: Number(r.registered_ms),
});

/**
 * Push registrations (spec 8.1) and the push events of spec 8.2. Producers
 * call faxNew / recordingNew / callreverse; each queues one job (Redis) that
 * the worker role's push worker (src/push/worker.ts) fans out to the owner's
 * devices. Queuing never throws into the producer: a call, a conversion or a
 * fax must not fail because a push could not be queued (it is logged).
 */
export class PushService implements PushDeviceDirectory {
  private readonly knownAppIds: Set<string>;

  constructor(
    private readonly db: Db,
    private readonly queue: PushQueue,
    private readonly config: PushConfig,
    private readonly log: (message: string) => void = (m) => process.stderr.write(`callplane push: ${m}\n`),
    private readonly now: () => number = Date.now,
  ) {
    this.knownAppIds = new Set(config.apnsAppIds);
  }

  async configuration(userId: string): Promise<PushConfiguration> {
    const rows = (await this.devicesOf(userId)).sort((a, b) => a.registeredMs - b.registeredMs);
    const tokens: PushConfiguration['apns']['device_tokens'] = {};
    for (const d of rows.filter((r) => r.system === 'apns')) {
      tokens[d.token] = {
        application_id: d.applicationId ?? '',
        sandbox: d.sandbox,
        ...(d.apnsTopic ? { apns_topic: d.apnsTopic } : {}),
      };
    }
    return {
      gcm: {
        ...(this.config.gcmSenderId !== undefined ? { sender_id: this.config.gcmSenderId } : {}),
        registration_ids: rows.filter((r) => r.system === 'gcm').map((r) => r.token),
      },
      apns: { device_tokens: tokens },
    };
  }

  /** POST /api/push (spec 8.1): add or delete a registration id or device token. */
  async change(userId: string, c: PushChange): Promise<void> {
    const token = this.tokenOf(c);
    if (c.action === 'delete') {
      await this.db
        .deleteFrom('push_devices')
        .where('system', '=', c.system)
        .where('token', '=', token)
        .where('user_id', '=', userId)
        .execute();
      return;
    }
    let app: { application_id: string | null; apns_topic: string | null; sandbox: boolean } = {
      application_id: null,
      apns_topic: null,
      sandbox: false,
    };
    if (c.system === 'apns') {
      if (c.application_id === undefined)
        throw new ServiceError('missing-element', 'application_id is needed to add an APNs device token');
      if (!APPLICATION_ID.test(c.application_id))
        throw new ServiceError('invalid-appid', 'the application ID is syntactically invalid');
      if (!this.knownAppIds.has(c.application_id))
        throw new ServiceError('unknown-appid', 'the application ID is not known to the system');
      if (c.apns_topic !== undefined && !APNS_TOPIC.test(c.apns_topic))
        throw new ServiceError('invalid-apns-topic', 'the APNS topic is syntactically invalid');
      app = {
        application_id: c.application_id,
        apns_topic: c.apns_topic ?? null,
        sandbox: c.sandbox ?? false,
      };
    }
    const row = { system: c.system, token, user_id: userId, ...app, registered_ms: this.now() };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('push_devices')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['system', 'token']).doUpdateSet({
            user_id: row.user_id,
            application_id: row.application_id,
            apns_topic: row.apns_topic,
            sandbox: row.sandbox,
            registered_ms: row.registered_ms,
          }),
        )
        .execute();
      const stale = await trx
        .selectFrom('push_devices')
        .select('token')
        .where('user_id', '=', userId)
        .where('system', '=', c.system)
        .orderBy('registered_ms', 'desc')
        .offset(MAX_DEVICES_PER_SYSTEM)
        .limit(1000)
        .execute();
      if (stale.length > 0) {
        await trx
          .deleteFrom('push_devices')
          .where('system', '=', c.system)
          .where(
            'token',
            'in',
            stale.map((s) => s.token),
          )
          .execute();
      }
    });
  }

  private tokenOf(c: PushChange): string {
    if (c.system === 'gcm') {
      if (c.registration_id === undefined)
        throw new ServiceError('missing-element', 'registration_id is missing');
      if (!REGISTRATION_ID.test(c.registration_id))
        throw new ServiceError('wrong-syntax', "'registration_id' must be 10-250 characters");
      return c.registration_id;
    }
    if (c.device_token === undefined) throw new ServiceError('missing-element', 'device_token is missing');
    if (!DEVICE_TOKEN.test(c.device_token))
      throw new ServiceError('wrong-syntax', "'device_token' must be 64 hexadecimal digits");
    return c.device_token.toLowerCase();
  }

  /** A deleted user's devices get no more pushes (UserLifecycle). */
  async removeAllOfUser(userId: string): Promise<void> {
    await this.db.deleteFrom('push_devices').where('user_id', '=', userId).execute();
  }

  // ------------------------------------------------------- PushDeviceDirectory --

  async devicesOf(owner: string): Promise<PushDevice[]> {
    const rows = await this.db.selectFrom('push_devices').selectAll().where('user_id', '=', owner).execute();
    return rows.map(toDevice);
  }

  async device(system: PushSystem, token: string): Promise<PushDevice | undefined> {
    const r = await this.db
      .selectFrom('push_devices')
      .selectAll()
      .where('system', '=', system)
      .where('token', '=', token)
      .executeTakeFirst();
    return r ? toDevice(r) : undefined;
  }

  async removeDead(system: PushSystem, token: string, sinceMs?: number): Promise<boolean> {
    let q = this.db.deleteFrom('push_devices').where('system', '=', system).where('token', '=', token);
    if (sinceMs !== undefined) q = q.where('registered_ms', '<=', sinceMs);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  // ------------------------------------------------------------- push events --

  /** spec 8.2.1, for fax reception: the owner received `fax` of `pageCount` pages from `phone`. */
  faxNew(owner: string, fax: string, phone: string, pageCount: number): Promise<void> {
    return this.send(
      owner,
      { message: 'fax_new', fax, phone, page_count: pageCount },
      `fax_new.${owner}.${fax}`,
    );
  }

  /** spec 8.2.2: a new recording from the caller `phone`. */
  recordingNew(owner: string, recording: string, phone: string): Promise<void> {
    return this.send(
      owner,
      { message: 'recording_new', recording, phone },
      `recording_new.${owner}.${recording}`,
    );
  }

  /** spec 8.2.3, 8.2.4 */
  callreverse(owner: string, state: 'start' | 'stop', phoneFrom: string, phoneTo: string): Promise<void> {
    return this.send(owner, {
      message: state === 'start' ? 'dialplan_callreverse_start' : 'dialplan_callreverse_stop',
      phone_from: phoneFrom,
      phone_to: phoneTo,
    });
  }

  private async send(owner: string, event: PushEvent, key?: string): Promise<void> {
    try {
      await this.queue.enqueue(owner, event, key);
    } catch (err) {
      this.log(`${event.message} for ${owner} not queued: ${(err as Error).message}`);
    }
  }
}
