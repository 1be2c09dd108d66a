/**
 * The call API across nodes (spec 3.24), in Redis:
 *
 * - `<prefix>capi:call:<uuid>`: a live call (owner, holding node, view; JSON,
 *   kept 4 h at most), `<prefix>capi:owner:<user>`: the owner's live uuids,
 *   `<prefix>capi:proc:<process>`: the live uuids a telephony process holds
 *   (the crash reaper ends them when the process dies);
 * - list `<prefix>capi:dial`: dial requests, taken by whichever telephony
 *   node pops first;
 * - channel `<prefix>capi:cmd:<node>`: control requests for the calls a node
 *   holds;
 * - channel `<prefix>capi:reply:<instance>`: the answers to one API process.
 *
 * A request carries its id and the channel its answer goes to; the API side
 * waits for it a bounded time.
 */
import type { Redis } from 'ioredis';
import type {
  CallApiReply,
  ControlCommand,
  DialRequest,
  LiveApiCall,
  LiveApiCalls,
} from '../../domain/call/call-api-bus.js';
import { closableDuplicate } from '../../lib/closable-redis.js';
import { randomToken } from '../../lib/ids.js';

const LIVE_TTL_S = 4 * 3600;

/** No node answered in time (none listening, or busy beyond reason). */
export class CallApiTimeout extends Error {
  override name = 'CallApiTimeout';
}

interface Envelope {
  id: string;
  reply: string;
  kind: 'dial' | 'control';
  body: unknown;
  /** ms since epoch after which nobody waits for the answer: a node that takes it later drops it. */
  deadline: number;
}

export interface CallApiHandlers {
  dial(req: DialRequest): Promise<CallApiReply>;
  control(cmd: ControlCommand): CallApiReply;
}

export class RedisCallApi implements LiveApiCalls {
  private readonly instance = randomToken(12);
  private replies: Redis | null = null;
  private readonly waiting = new Map<string, (r: CallApiReply) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private callKey(uuid: string): string {
    return `${this.prefix}capi:call:${uuid}`;
  }

  private ownerKey(owner: string): string {
    return `${this.prefix}capi:owner:${owner}`;
  }

  private processKey(process: string): string {
    return `${this.prefix}capi:proc:${process}`;
  }

  private get dialKey(): string {
    return `${this.prefix}capi:dial`;
  }

  private cmdChannel(node: string): string {
    return `${this.prefix}capi:cmd:${node}`;
  }

  private replyChannel(instance: string): string {
    return `${this.prefix}capi:reply:${instance}`;
  }

  // ---------------------------------------------------------- live calls --

  async put(c: LiveApiCall): Promise<void> {
    const m = this.redis
      .multi()
      .set(this.callKey(c.uuid), JSON.stringify(c), 'EX', LIVE_TTL_S)
      .sadd(this.ownerKey(c.owner), c.uuid)
      .expire(this.ownerKey(c.owner), LIVE_TTL_S);
    if (c.process !== undefined)
      m.sadd(this.processKey(c.process), c.uuid).expire(this.processKey(c.process), LIVE_TTL_S);
    await m.exec();
  }

  async remove(c: LiveApiCall): Promise<void> {
    const m = this.redis.multi().del(this.callKey(c.uuid)).srem(this.ownerKey(c.owner), c.uuid);
    if (c.process !== undefined) m.srem(this.processKey(c.process), c.uuid);
    await m.exec();
  }

  async get(uuid: string): Promise<LiveApiCall | null> {
    const text = await this.redis.get(this.callKey(uuid));
    return text ? parseLive(text) : null;
  }

  async ofOwner(owner: string): Promise<LiveApiCall[]> {
    const uuids = await this.redis.smembers(this.ownerKey(owner));
    if (uuids.length === 0) return [];
    const texts = await this.redis.mget(uuids.map((u) => this.callKey(u)));
    const out: LiveApiCall[] = [];
    const gone: string[] = [];
    texts.forEach((t, i) => {
      const c = t ? parseLive(t) : null;
      if (c) out.push(c);
      else gone.push(uuids[i]!);
    });
    if (gone.length > 0) await this.redis.srem(this.ownerKey(owner), ...gone);
    return out;
  }

  async ofProcess(process: string): Promise<LiveApiCall[]> {
    const key = this.processKey(process);
    const uuids = await this.redis.smembers(key);
    if (uuids.length === 0) return [];
    const texts = await this.redis.mget(uuids.map((u) => this.callKey(u)));
    const out: LiveApiCall[] = [];
    const gone: string[] = [];
    texts.forEach((t, i) => {
      const c = t ? parseLive(t) : null;
      if (c && c.process === process) out.push(c);
      else gone.push(uuids[i]!);
    });
    if (gone.length > 0) await this.redis.srem(key, ...gone);
    return out;
  }

  // ------------------------------------------------------------ API side --

  /** Hands a dial request to some telephony node; answers its reply. */
  dial(req: DialRequest, timeoutMs: number): Promise<CallApiReply> {
    return this.request('dial', req, timeoutMs, (env) =>
      this.redis.rpush(this.dialKey, env).then(() => true),
    );
  }

  /** Hands a control request to the node holding the call. */
  control(node: string, cmd: ControlCommand, timeoutMs: number): Promise<CallApiReply> {
    return this.request('control', cmd, timeoutMs, (env) =>
      this.redis.publish(this.cmdChannel(node), env).then((n) => n > 0),
    );
  }

  private async request(
    kind: Envelope['kind'],
    body: unknown,
    timeoutMs: number,
    send: (env: string) => Promise<boolean>,
  ): Promise<CallApiReply> {
    await this.listenReplies();
    const id = randomToken(12);
    const env: Envelope = { id, reply: this.instance, kind, body, deadline: Date.now() + timeoutMs };
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<CallApiReply>((resolve, reject) => {
      this.waiting.set(id, resolve);
      timer = setTimeout(
        () => reject(new CallApiTimeout(`no telephony node answered the ${kind}`)),
        timeoutMs,
      );
    });
    try {
      if (!(await send(JSON.stringify(env)))) throw new CallApiTimeout(`no telephony node took the ${kind}`);
      return await answer;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
      answer.catch(() => undefined);
    }
  }

  private async listenReplies(): Promise<void> {
    if (this.replies) return;
    const sub = this.redis.duplicate();
    sub.on('error', () => undefined);
    this.replies = sub;
    const channel = this.replyChannel(this.instance);
    sub.on('message', (ch: string, text: string) => {
      if (ch !== channel) return;
      try {
        const m = JSON.parse(text) as { id?: unknown; reply?: CallApiReply };
        if (typeof m.id === 'string' && m.reply && typeof m.reply.ok === 'boolean')
          this.waiting.get(m.id)?.(m.reply);
      } catch {
        // not ours
      }
    });
    await sub.subscribe(channel);
  }

  // ---------------------------------------------------- telephony side --

  /**
   * Serves dial requests (from the shared list) and the control requests
   * for `node`'s calls; answers the stop function.
   */
  async serve(
    node: string,
    handlers: CallApiHandlers,
    onError: (err: unknown) => void,
  ): Promise<() => Promise<void>> {
    const sub = this.redis.duplicate();
    sub.on('error', () => undefined);
    const channel = this.cmdChannel(node);
    const answer = (env: Envelope, reply: CallApiReply) =>
      this.redis.publish(this.replyChannel(env.reply), JSON.stringify({ id: env.id, reply })).catch(onError);
    const handle = async (text: string) => {
      const env = parseEnvelope(text);
      if (!env || env.deadline < Date.now()) return;
      let reply: CallApiReply;
      try {
        reply =
          env.kind === 'dial'
            ? await handlers.dial(env.body as DialRequest)
            : handlers.control(env.body as ControlCommand);
      } catch (err) {
        onError(err);
        reply = { ok: false, status: 'wrong-call', message: 'the call could not take the request' };
      }
      void answer(env, reply);
    };
    sub.on('message', (ch: string, text: string) => {
      if (ch === channel) void handle(text);
    });
    await sub.subscribe(channel);
    // Closable: the stop below waits for the loop, whose BLPOP must end even while Redis is down.
    const popper = closableDuplicate(this.redis);
    popper.on('error', () => undefined);
    let running = true;
    const loop = async () => {
      while (running) {
        try {
          const got = await popper.blpop(this.dialKey, 1);
          if (got) void handle(got[1]);
        } catch (err) {
          if (!running) return;
          onError(err);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const done = loop();
    return async () => {
      running = false;
      sub.disconnect();
      popper.disconnect();
      await done;
    };
  }

  async close(): Promise<void> {
    this.replies?.disconnect();
    this.replies = null;
  }
}

function parseLive(text: string): LiveApiCall | null {
  try {
    const c = JSON.parse(text) as LiveApiCall;
    return typeof c.uuid === 'string' && typeof c.owner === 'string' && typeof c.node === 'string' ? c : null;
  } catch {
    return null;
  }
}

function parseEnvelope(text: string): Envelope | null {
  try {
    const e = JSON.parse(text) as Partial<Envelope>;
    if (typeof e.id !== 'string' || typeof e.reply !== 'string' || typeof e.deadline !== 'number')
      return null;
    if (e.kind !== 'dial' && e.kind !== 'control') return null;
    if (typeof e.body !== 'object' || e.body === null) return null;
    return e as Envelope;
  } catch {
    return null;
  }
}
