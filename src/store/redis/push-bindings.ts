import type { Redis } from 'ioredis';
import type { PushContact } from '../../domain/push/pn-params.js';
import { endSubscriber } from '../../lib/redis.js';

/**
 * The devices a push can wake (RFC 8599), kept beyond their registration:
 * a mobile softphone's binding expires while the app sleeps, its push token
 * stays good. Shared by every telephony node:
 *
 * - `<prefix>reg:pn:<sip-name>`: hash, `<provider>\n<pn-prid>` -> record
 *   (JSON: provider, prid, param, contact, registeredAt); the key expires
 *   `keepMs` after the account's last push REGISTER;
 * - channel `<prefix>reg:pn:registered`: the account name, published after
 *   every REGISTER of a push contact, so a call waiting for a woken device
 *   on any node rings it at once.
 */
export interface PushBinding extends PushContact {
  /** The Contact URI it registered with last. */
  contact: string;
  registeredAt: number;
}

const field = (p: { provider: string; prid: string }): string => `${p.provider}\n${p.prid}`;

export class PushBindings {
  private sub: Redis | null = null;
  private subscribing: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly keepMs: number,
  ) {}

  private key(account: string): string {
    return `${this.prefix}reg:pn:${account}`;
  }

  private get channel(): string {
    return `${this.prefix}reg:pn:registered`;
  }

  /** A REGISTER bound `contact` with push parameters; the waiting calls of the account are told. */
  async remember(account: string, contact: string, push: PushContact): Promise<void> {
    const rec: PushBinding = { ...push, contact, registeredAt: Date.now() };
    await this.redis
      .multi()
      .hset(this.key(account), field(push), JSON.stringify(rec))
      .pexpire(this.key(account), this.keepMs)
      .publish(this.channel, account)
      .exec();
  }

  /** The device unregistered (Expires: 0): it wants no calls, woken or not. */
  async forget(account: string, push: PushContact): Promise<void> {
    await this.redis.hdel(this.key(account), field(push));
  }

  /** A token the push service declared dead (APNs 410, FCM UNREGISTERED). */
  async drop(account: string, b: PushBinding): Promise<void> {
    // Only if it was not registered again since (its record unchanged).
    const now = await this.redis.hget(this.key(account), field(b));
    if (now !== null && (JSON.parse(now) as PushBinding).registeredAt === b.registeredAt) {
      await this.redis.hdel(this.key(account), field(b));
    }
  }

  async devices(account: string): Promise<PushBinding[]> {
    const all = await this.redis.hvals(this.key(account));
    const out: PushBinding[] = [];
    for (const v of all) {
      try {
        out.push(JSON.parse(v) as PushBinding);
      } catch {
        // A record this version cannot read is skipped, not fatal to the call.
      }
    }
    return out;
  }

  /** Calls `listener` on every push REGISTER of `account` (any node) until the returned function is called. */
  async onRegistered(account: string, listener: () => void): Promise<() => void> {
    let set = this.listeners.get(account);
    if (!set) this.listeners.set(account, (set = new Set()));
    set.add(listener);
    const off = (): void => {
      const s = this.listeners.get(account);
      s?.delete(listener);
      if (s?.size === 0) this.listeners.delete(account);
    };
    try {
      await this.listen();
    } catch (err) {
      off();
      throw err;
    }
    return off;
  }

  private listen(): Promise<void> {
    if (this.subscribing) return this.subscribing;
    const sub = this.redis.duplicate();
    this.sub = sub;
    sub.on('error', () => undefined);
    sub.on('message', (_ch: string, account: string) => {
      for (const l of [...(this.listeners.get(account) ?? [])]) l();
    });
    this.subscribing = sub.subscribe(this.channel).then(
      () => undefined,
      (err: unknown) => {
        this.subscribing = null;
        this.sub = null;
        sub.disconnect();
        throw err;
      },
    );
    return this.subscribing;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const sub = this.sub;
    this.sub = null;
    this.subscribing = null;
    if (sub) {
      endSubscriber(sub);
    }
  }
}
