/**
 * The call API on the API side (spec 3.24): dial requests checked against
 * the user's numbers and handed to a telephony node, control requests
 * checked and delivered to the node holding the call (both over Redis,
 * store/redis/call-api.ts), live calls from Redis and finished ones from
 * the database, and Idempotency-Key handling for dial and control: the
 * first request with a key runs, a retry with it within 24 h (on any API
 * node) gets the first answer and starts nothing.
 */
import { sql } from 'kysely';
import {
  pageCalls,
  parseControlRequest,
  type CallApiView,
  type CallListQuery,
} from '../domain/call/call-api.js';
import type { CallApiReply, PlayKind } from '../domain/call/call-api-bus.js';
import { ServiceError, type SpecStatus } from '../errors/index.js';
import { newId } from '../lib/ids.js';
import type { Db } from '../store/db.js';
import { CallApiTimeout, type RedisCallApi } from '../store/redis/call-api.js';
import type { IdempotencyStore } from '../store/redis/idempotency.js';
import type { ObjectService } from './object-service.js';

const NUMBER = /^\+[0-9]{3,20}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface CallApiServiceOptions {
  /** How long the API waits for a telephony node's answer (ms). */
  replyTimeoutMs?: number;
  /** How long a retry waits for the first request with its key to finish (ms). */
  idempotencyWaitMs?: number;
}

type Stored =
  { ok: true; body: Record<string, unknown> } | { ok: false; status: SpecStatus; message: string };

export class CallApiService {
  private readonly replyTimeoutMs: number;
  private readonly idempotencyWaitMs: number;

  constructor(
    private readonly db: Db,
    private readonly bus: RedisCallApi,
    private readonly idempotency: IdempotencyStore,
    private readonly objects: ObjectService,
    opts: CallApiServiceOptions = {},
  ) {
    this.replyTimeoutMs = opts.replyTimeoutMs ?? 5000;
    this.idempotencyWaitMs = opts.idempotencyWaitMs ?? 10_000;
  }

  /** POST /api/call/dial. */
  dial(userId: string, body: unknown, key?: string): Promise<{ uuid: string }> {
    return this.once(userId, 'dial', key, () => this.dialNow(userId, body)) as Promise<{ uuid: string }>;
  }

  /** POST /api/call/(uuid)/control. */
  control(userId: string, uuid: string, body: unknown, key?: string): Promise<Record<string, never>> {
    return this.once(userId, `control:${uuid.toLowerCase()}`, key, () =>
      this.controlNow(userId, uuid.toLowerCase(), body),
    ) as Promise<Record<string, never>>;
  }

  private async dialNow(userId: string, body: unknown): Promise<{ uuid: string }> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    for (const k of ['to', 'from'] as const) {
      if (b[k] === undefined) throw new ServiceError('missing-element', `'${k}' is missing`);
    }
    for (const k of ['to', 'from', 'clip'] as const) {
      const v = b[k];
      if (v !== undefined && (typeof v !== 'string' || !NUMBER.test(v)))
        throw new ServiceError('wrong-syntax', `'${k}' must match ^\\+[0-9]{3,20}$`);
    }
    if (b['clir'] !== undefined && typeof b['clir'] !== 'boolean')
      throw new ServiceError('wrong-syntax', "'clir' must be true or false");
    const from = b['from'] as string;
    const phone = await this.db
      .selectFrom('phones')
      .select(['number', 'unlock_code'])
      .where('user_uuid', '=', userId)
      .where('number', '=', from)
      .executeTakeFirst();
    if (!phone) throw new ServiceError('wrong-phone', "'from' is not one of the user's phone numbers");
    if (phone.unlock_code !== null) throw new ServiceError('locked-phone', `${from} is not unlocked yet`);
    const uuid = newId();
    const reply = await this.ask(() =>
      this.bus.dial(
        {
          uuid,
          owner: userId,
          from,
          to: b['to'] as string,
          clip: typeof b['clip'] === 'string' ? b['clip'] : null,
          clir: b['clir'] === true,
        },
        this.replyTimeoutMs,
      ),
    );
    answerOf(reply);
    return { uuid };
  }

  private async controlNow(userId: string, uuid: string, body: unknown): Promise<Record<string, never>> {
    const parsed = parseControlRequest(body);
    if ('problem' in parsed) throw new ServiceError(parsed.problem.status, parsed.problem.message);
    const live = await this.bus.get(uuid);
    if (!live || live.owner !== userId) {
      if (!live && (await this.finished(userId, uuid)))
        throw new ServiceError('illegal-state', 'the call has ended');
      throw new ServiceError('wrong-call', 'the given call uuid is unknown');
    }
    const objects: Record<string, PlayKind> = {};
    for (const c of parsed.request.controls) {
      if (c.control !== 'play') continue;
      const obj = await this.objects.find(userId, c.object);
      if (!obj || (obj.type !== 'announcement' && obj.type !== 'recording') || obj.trashed)
        throw new ServiceError('wrong-object', `${c.object} is no announcement or recording of yours`);
      objects[c.object] = obj.type;
    }
    const reply = await this.ask(() =>
      this.bus.control(
        live.node,
        { uuid, owner: userId, request: parsed.request, objects },
        this.replyTimeoutMs,
      ),
    );
    answerOf(reply);
    return {};
  }

  private async ask(fn: () => Promise<CallApiReply>): Promise<CallApiReply> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof CallApiTimeout) throw new ServiceError('fail', err.message);
      throw err;
    }
  }

  // -------------------------------------------------------------- listing --

  /** GET /api/call: the user's calls, uuid -> view. */
  async list(
    userId: string,
    q: CallListQuery & { uuid?: string; state: 'active' | 'hangup' },
  ): Promise<Record<string, CallApiView>> {
    if (q.uuid !== undefined) {
      const uuid = q.uuid.toLowerCase();
      const live = await this.bus.get(uuid);
      if (live && live.owner === userId) return { [uuid]: live.view };
      const done = await this.finished(userId, uuid);
      return done ? { [uuid]: done } : {};
    }
    let calls: Array<{ uuid: string; view: CallApiView }>;
    if (q.state === 'active') {
      calls = (await this.bus.ofOwner(userId)).map((c) => ({ uuid: c.uuid, view: c.view }));
    } else {
      calls = await this.history(userId, q);
    }
    const out: Record<string, CallApiView> = {};
    for (const c of pageCalls(calls, q)) out[c.uuid] = c.view;
    return out;
  }

  /** The finished calls a page can come from (bounded by the query's times, at most count past start). */
  private async history(
    userId: string,
    q: CallListQuery,
  ): Promise<Array<{ uuid: string; view: CallApiView }>> {
    let query = this.db
      .selectFrom('call_api_calls')
      .select(['uuid', 'view', 'create_time'])
      .where('owner', '=', userId);
    let from = q.from;
    let to = q.to;
    if (q.start !== undefined) {
      const start = await this.db
        .selectFrom('call_api_calls')
        .select('create_time')
        .where('uuid', '=', q.start.toLowerCase())
        .where('owner', '=', userId)
        .executeTakeFirst();
      if (start && q.order === 'asc') from = start.create_time;
      if (start && q.order === 'desc') to = start.create_time;
    }
    if (from !== undefined) query = query.where('create_time', '>=', from);
    if (to !== undefined) query = query.where('create_time', '<=', to);
    const dir = q.order === 'asc' ? sql`asc` : sql`desc`;
    const rows = await query
      .orderBy(sql`create_time ${dir}, uuid ${dir}`)
      .limit(q.count + 500)
      .execute();
    return rows.map((r) => ({ uuid: r.uuid, view: viewOf(r.view) }));
  }

  private async finished(userId: string, uuid: string): Promise<CallApiView | null> {
    const row = await this.db
      .selectFrom('call_api_calls')
      .select('view')
      .where('uuid', '=', uuid)
      .where('owner', '=', userId)
      .executeTakeFirst();
    return row ? viewOf(row.view) : null;
  }

  /** A finished call's last view (the telephony node stores it when the call ends). */
  async store(uuid: string, owner: string, view: CallApiView): Promise<void> {
    await this.db
      .insertInto('call_api_calls')
      .values({
        uuid,
        owner,
        create_time: view.create_time,
        view: JSON.stringify(view),
        stored_us: Date.now() * 1000,
      })
      .onConflict((oc) => oc.column('uuid').doUpdateSet({ view: JSON.stringify(view) }))
      .execute();
  }

  // ---------------------------------------------------------- idempotency --

  private async once(
    userId: string,
    scope: string,
    key: string | undefined,
    run: () => Promise<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    if (key === undefined) return run();
    if (!IDEMPOTENCY_KEY.test(key))
      throw new ServiceError('wrong-syntax', 'Idempotency-Key must be 1...255 printable ASCII characters');
    const s = `${userId}:${scope}`;
    if (await this.idempotency.claim(s, key)) {
      let stored: Stored;
      try {
        stored = { ok: true, body: await run() };
      } catch (err) {
        if (!(err instanceof ServiceError) || err.status === 'fail') {
          await this.idempotency.release(s, key);
          throw err;
        }
        stored = { ok: false, status: err.status, message: err.message };
      }
      await this.idempotency.store(s, key, stored);
      return replay(stored);
    }
    const deadline = Date.now() + this.idempotencyWaitMs;
    for (;;) {
      const a = await this.idempotency.answer(s, key);
      if (a.state === 'done') return replay(a.answer as Stored);
      if (a.state === 'none') return this.once(userId, scope, key, run);
      if (Date.now() > deadline)
        throw new ServiceError('fail', 'the first request with this Idempotency-Key has not finished yet');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function replay(s: Stored): Record<string, unknown> {
  if (s.ok) return s.body;
  throw new ServiceError(s.status, s.message);
}

function answerOf(reply: CallApiReply): void {
  if (!reply.ok) throw new ServiceError(reply.status, reply.message);
}

function viewOf(v: unknown): CallApiView {
  return (typeof v === 'string' ? JSON.parse(v) : v) as CallApiView;
}
