import type { Redis } from 'ioredis';
import { ServiceError } from '../errors/index.js';
import { featureSection } from '../domain/feature-packs.js';
import type { Db } from '../store/db.js';
import type { EventOutbox } from '../events/outbox.js';
import type { EventPublisher } from '../events/types.js';
import type { ObjectService } from './object-service.js';

export const DIALPLAN_V1_ACTIONS = ['none', 'redirect', 'reject', 'sip', 'record'] as const;
export type DialplanV1Action = (typeof DIALPLAN_V1_ACTIONS)[number];

export interface SubAction {
  action: DialplanV1Action;
  phone?: string;
  sip?: string;
}
export interface TimeoutAction extends SubAction {
  timeout: number;
}

/** The stored dialplan v1 of a user, as `GET /api/dialplan` shows it (spec 4.2). */
export interface DialplanV1 {
  announcement?: string;
  mix_ringtone: boolean;
  clip_number?: string;
  dial_prefix?: string;
  clir_enable: boolean;
  cti_via?: string;
  action: DialplanV1Action;
  phone?: string;
  sip?: string;
  phone_pool: Record<string, boolean>;
  sip_pool: string[];
  callreverse_enable: boolean;
  timeout?: TimeoutAction;
  unavailable?: SubAction;
  busy?: SubAction;
}

/** `POST /api/dialplan`: every field optional; "" deletes the deletable fields. */
export interface DialplanV1Change {
  announcement?: string;
  mix_ringtone?: boolean;
  clip_number?: string;
  dial_prefix?: string;
  clir_enable?: boolean;
  cti_via?: string;
  action?: DialplanV1Action;
  phone?: string;
  sip?: string;
  phone_pool?: { add?: Record<string, boolean>; delete?: string[] };
  sip_pool?: { add?: string[]; delete?: string[] };
  callreverse_enable?: boolean;
  timeout?: TimeoutAction;
  unavailable?: SubAction;
  busy?: SubAction;
}

/** A callback the telephony engine places (spec 4.2 `POST /api/dialplan/callback`). */
export interface CallbackRequest {
  user: string;
  from: string;
  to: string;
  via: string;
  clip_number: string | null;
  clir_enable: boolean;
  requested_us: number;
}

const EMPTY: DialplanV1 = {
  mix_ringtone: false,
  clir_enable: false,
  action: 'none',
  phone_pool: {},
  sip_pool: [],
  callreverse_enable: false,
};
const DELETABLE = ['announcement', 'phone', 'dial_prefix', 'clip_number', 'cti_via', 'sip'] as const;
/** "Outstanding call-through requests will also time out ... (typically 1-2 minutes)" (spec 4.2). */
export const CALLTHROUGH_TTL_MS = 120_000;
const CALLBACK_QUEUE_MAX = 10_000;

/** The per-user dialplan v1 and its call functions (spec 4.2). */
export interface DialplanV1Hooks {
  /** A call-reverse process started or stopped (spec 8.2.3-8.2.4 push events). */
  onCallreverse?: (
    owner: string,
    state: 'start' | 'stop',
    phoneFrom: string,
    phoneTo: string,
  ) => Promise<void>;
}

export class DialplanV1Service {
  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly objects: ObjectService,
    private readonly events: EventPublisher,
    private readonly outbox: EventOutbox,
    private readonly hooks: DialplanV1Hooks = {},
  ) {}

  /** Which of `names` are the user's SIP accounts (spec 3.21). */
  private async sipOwned(userId: string, names: string[]): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('sip_accounts')
      .select('name')
      .where('owner', '=', userId)
      .where('name', 'in', names)
      .execute();
    return new Set(rows.map((r) => r.name));
  }

  private key(kind: string, userId: string): string {
    return `${this.redisPrefix}dialplan:${kind}:${userId}`;
  }
  /** The Redis list the telephony engine takes callback requests from. */
  get callbackQueueKey(): string {
    return `${this.redisPrefix}dialplan:callback`;
  }

  async get(userId: string): Promise<DialplanV1> {
    const row = await this.db
      .selectFrom('dialplans_v1')
      .select('data')
      .where('user_uuid', '=', userId)
      .executeTakeFirst();
    return { ...EMPTY, ...((row?.data as Partial<DialplanV1> | undefined) ?? {}) };
  }

  async modify(userId: string, change: DialplanV1Change): Promise<void> {
    if (change.timeout?.action === 'none' || change.unavailable?.action === 'none') {
      throw new ServiceError('wrong-syntax', "the action 'none' is not possible for timeout and unavailable");
    }
    if (change.announcement !== undefined && change.announcement !== '') {
      await this.objects.get(userId, change.announcement.toLowerCase(), {
        type: 'announcement',
        notFound: 'wrong-announcement',
      });
    }
    const sips = [
      change.sip,
      change.timeout?.sip,
      change.unavailable?.sip,
      change.busy?.sip,
      ...(change.sip_pool?.add ?? []),
    ].filter((s): s is string => s !== undefined && s !== '');
    if (sips.length > 0) {
      const own = await this.sipOwned(userId, [...new Set(sips)]);
      const foreign = sips.find((s) => !own.has(s));
      if (foreign !== undefined)
        throw new ServiceError('wrong-sip', `${foreign} is not one of the user's SIP accounts`);
    }
    await this.outbox.run(async (trx, events) => {
      const row = await trx
        .selectFrom('dialplans_v1')
        .select('data')
        .where('user_uuid', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      const next = applyChange(
        { ...EMPTY, ...((row?.data as Partial<DialplanV1> | undefined) ?? {}) },
        change,
      );
      const values = { user_uuid: userId, data: JSON.stringify(next), modified_us: Date.now() * 1000 };
      await trx
        .insertInto('dialplans_v1')
        .values(values)
        .onConflict((oc) =>
          oc.column('user_uuid').doUpdateSet({ data: values.data, modified_us: values.modified_us }),
        )
        .execute();
      await events.publish({ users: [userId] }, 'dialplan_modify', {});
    });
  }

  /** `POST /api/dialplan/callthrough`: one process per user; without `phone` it is cleared. */
  async callthrough(userId: string, req: { phone?: string; filter?: string }): Promise<void> {
    const key = this.key('callthrough', userId);
    if (req.phone === undefined) {
      await this.redis.del(key);
      return;
    }
    const state = { phone: req.phone, ...(req.filter !== undefined ? { filter: req.filter } : {}) };
    await this.redis.set(key, JSON.stringify(state), 'PX', CALLTHROUGH_TTL_MS);
  }

  /** The outstanding call-through of a user, for the telephony engine. */
  async callthroughState(userId: string): Promise<{ phone: string; filter?: string } | null> {
    const raw = await this.redis.get(this.key('callthrough', userId));
    return raw === null ? null : (JSON.parse(raw) as { phone: string; filter?: string });
  }

  /**
   * The telephony engine uses up the user's call-through process: atomically
   * reads and deletes it when `caller` (an external number, or `anonymous`)
   * passes its filter (no filter: any caller); null for `caller` is one of
   * the user's SIP accounts (`*98`), which the filter does not apply to.
   * Null when there is no process or the caller does not match (it then stays).
   */
  async takeCallthrough(
    userId: string,
    caller: string | null,
  ): Promise<{ phone: string; filter?: string } | null> {
    const raw = await this.redis.eval(
      `local v = redis.call('get', KEYS[1])
       if not v then return false end
       local s = cjson.decode(v)
       if ARGV[1] ~= '' and s['filter'] ~= nil and s['filter'] ~= ARGV[1] then return false end
       redis.call('del', KEYS[1])
       return v`,
      1,
      this.key('callthrough', userId),
      caller ?? '',
    );
    return typeof raw === 'string' ? (JSON.parse(raw) as { phone: string; filter?: string }) : null;
  }

  /** `POST /api/dialplan/callback`: checks and queues the request; the telephony engine places the calls. */
  async callback(userId: string, req: { from: string; to: string }): Promise<void> {
    const user = await this.db
      .selectFrom('users')
      .select('feature_packs')
      .where('uuid', '=', userId)
      .executeTakeFirst();
    const features = featureSection(user?.feature_packs ?? [], {
      volumeBytes: 0,
      faxPagesThisMonth: 0,
    }).feature;
    if (!features.dialplan_enable)
      throw new ServiceError('access-denied', 'the user may not use the callback feature');
    const phone = await this.db
      .selectFrom('phones')
      .select('number')
      .where('user_uuid', '=', userId)
      .where('number', '=', req.from)
      .where('dialplan_enable', '=', true)
      .executeTakeFirst();
    if (!phone) {
      throw new ServiceError('wrong-phone', "from is not one of the user's numbers with dialplan_enable set");
    }
    const plan = await this.get(userId);
    if (plan.cti_via === undefined)
      throw new ServiceError('no-via', "no cti_via is set in the user's dialplan");
    const job: CallbackRequest = {
      user: userId,
      from: req.from,
      to: req.to,
      via: plan.cti_via,
      clip_number: plan.clip_number ?? null,
      clir_enable: plan.clir_enable,
      requested_us: Date.now() * 1000,
    };
    // Bounded: without a telephony engine consuming it, old requests fall off.
    await this.redis
      .multi()
      .lpush(this.callbackQueueKey, JSON.stringify(job))
      .ltrim(this.callbackQueueKey, 0, CALLBACK_QUEUE_MAX - 1)
      .exec();
  }

  /**
   * The telephony engine signals a call-reverse process (spec 7.14.2); it
   * lasts at most `ttlMs`. `node`: where the call rings (its NODE_SIP_URI).
   */
  async startCallreverse(
    userId: string,
    phoneFrom: string,
    phoneTo: string,
    ttlMs: number,
    node?: string,
  ): Promise<void> {
    await this.redis.set(
      this.key('callreverse', userId),
      JSON.stringify({ phone_from: phoneFrom, phone_to: phoneTo, ...(node ? { node } : {}) }),
      'PX',
      ttlMs,
    );
    await this.events.publish({ users: [userId] }, 'dialplan_callreverse_start', {
      phone_from: phoneFrom,
      phone_to: phoneTo,
    });
    await this.hooks.onCallreverse?.(userId, 'start', phoneFrom, phoneTo);
  }

  async stopCallreverse(userId: string): Promise<void> {
    const raw = await this.redis.getdel(this.key('callreverse', userId));
    if (raw === null) return;
    const { phone_from, phone_to } = JSON.parse(raw) as { phone_from: string; phone_to: string };
    await this.events.publish({ users: [userId] }, 'dialplan_callreverse_stop', { phone_from, phone_to });
    await this.hooks.onCallreverse?.(userId, 'stop', phone_from, phone_to);
  }

  async callreverseState(
    userId: string,
  ): Promise<{ phone_from: string; phone_to: string; filter?: string; node?: string } | null> {
    const raw = await this.redis.get(this.key('callreverse', userId));
    return raw === null
      ? null
      : (JSON.parse(raw) as { phone_from: string; phone_to: string; filter?: string; node?: string });
  }

  /** `POST /api/dialplan/callreverse`: sets the filter of the ongoing process, or `no-callreverse`. */
  async callreverse(userId: string, filter: string): Promise<void> {
    const key = this.key('callreverse', userId);
    // Read-modify-write in one script so the process's expiry is kept and a stop in between is not undone.
    const ok = await this.redis.eval(
      `local v = redis.call('get', KEYS[1])
       if not v then return 0 end
       local s = cjson.decode(v)
       s['filter'] = ARGV[1]
       redis.call('set', KEYS[1], cjson.encode(s), 'KEEPTTL')
       return 1`,
      1,
      key,
      filter,
    );
    if (ok !== 1) throw new ServiceError('no-callreverse', 'there is no active call-reverse process');
  }
}

/** Applies a `POST /api/dialplan` change to the stored plan (spec 4.2). Pure. */
export function applyChange(cur: DialplanV1, c: DialplanV1Change): DialplanV1 {
  const next: DialplanV1 = { ...cur, phone_pool: { ...cur.phone_pool }, sip_pool: [...cur.sip_pool] };
  for (const f of DELETABLE) {
    const v = c[f];
    if (v === '') delete next[f];
    else if (v !== undefined) next[f] = f === 'announcement' ? v.toLowerCase() : v;
  }
  if (c.mix_ringtone !== undefined) next.mix_ringtone = c.mix_ringtone;
  if (c.clir_enable !== undefined) next.clir_enable = c.clir_enable;
  if (c.callreverse_enable !== undefined) next.callreverse_enable = c.callreverse_enable;
  if (c.action !== undefined) next.action = c.action;
  // "If entries listed in the add section of the phone_pool refer to existing phone numbers, they are overwritten."
  for (const n of c.phone_pool?.delete ?? []) delete next.phone_pool[n];
  Object.assign(next.phone_pool, c.phone_pool?.add ?? {});
  const sipDel = new Set(c.sip_pool?.delete ?? []);
  next.sip_pool = next.sip_pool.filter((s) => !sipDel.has(s));
  for (const s of c.sip_pool?.add ?? []) if (!next.sip_pool.includes(s)) next.sip_pool.push(s);
  if (c.timeout !== undefined) next.timeout = { ...c.timeout };
  if (c.unavailable !== undefined) next.unavailable = { ...c.unavailable };
  if (c.busy !== undefined) next.busy = { ...c.busy };
  return next;
}
