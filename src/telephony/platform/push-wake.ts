/**
 * Push wake-up of mobile softphones (RFC 8599) for every adapter: the push
 * contacts outlive their bindings in Redis (store/redis/push-bindings.ts),
 * a call pushes the sleeping ones straight from the node (push/voip.ts)
 * and rings each once its REGISTER arrives, on whatever node it came in.
 */
import type { PushContact } from '../../domain/push/pn-params.js';
import type { VoipPusher } from '../../push/voip.js';
import type { PushBindings } from '../../store/redis/push-bindings.js';
import type { AccountRef, Logger } from '../adapter.js';
import type { DeviceWake, WakeableDevice } from '../environment.js';

export class PushWake implements DeviceWake {
  constructor(
    private readonly store: PushBindings,
    private readonly pusher: VoipPusher,
    private readonly log: Logger,
  ) {}

  get waitMs(): number {
    return this.pusher.waitMs;
  }

  supports(provider: string): boolean {
    return this.pusher.supports(provider);
  }

  async registered(account: AccountRef, contact: string, push: PushContact, expires: number): Promise<void> {
    if (expires === 0) await this.store.forget(account.name, push);
    else await this.store.remember(account.name, contact, push);
  }

  async devices(account: string): Promise<WakeableDevice[]> {
    return (await this.store.devices(account)).filter((d) => this.supports(d.provider));
  }

  async wake(
    account: string,
    devices: readonly WakeableDevice[],
    call: { call: string; caller: string },
  ): Promise<string[]> {
    const sent = await Promise.all(
      devices.map(async (d) => {
        const outcome = await this.pusher
          .send(d, { call: call.call, account, caller: call.caller })
          .catch((err: unknown) => ({ kind: 'retry' as const, reason: String(err) }));
        if (outcome.kind === 'sent') return d.prid;
        if (outcome.kind === 'dead') {
          // The app was removed or the token renewed: no push for it again.
          await this.store.drop(account, d).catch(() => undefined);
        }
        this.log.info({ account, provider: d.provider, outcome }, 'wake-up push not sent');
        return null;
      }),
    );
    const woken = sent.filter((p) => p !== null);
    if (woken.length > 0)
      this.log.info({ account, call: call.call, devices: woken.length }, 'devices woken by push');
    return woken;
  }

  onRegistered(account: string, listener: () => void): Promise<() => void> {
    return this.store.onRegistered(account, listener);
  }
}
