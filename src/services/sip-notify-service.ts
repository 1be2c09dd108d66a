import { ServiceError } from '../errors/index.js';
import type { RegistrationStore } from '../store/redis/registrations.js';
import type { SipNotifier, SipNotifyRequest } from '../store/redis/sip-notify-relay.js';
import type { SipAccountService } from './sip-account-service.js';

/**
 * Resolves true once any of `attempts` fulfils, false when all of them
 * rejected or `ms` passed first. The attempts keep running afterwards (a SIP
 * transaction ends on its own timers); only the answer does not wait for them.
 */
export function firstAnswer(attempts: Array<Promise<unknown>>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    let open = attempts.length;
    const timer = setTimeout(() => resolve(false), ms);
    const done = (answered: boolean): void => {
      clearTimeout(timer);
      resolve(answered);
    };
    if (open === 0) done(false);
    for (const a of attempts) {
      a.then(
        () => done(true),
        () => {
          open -= 1;
          if (open === 0) done(false);
        },
      );
    }
  });
}

/**
 * `POST /api/sip/(sip-user)/notify` (spec 3.21): a custom NOTIFY to every
 * device registered with one of the user's accounts (e.g. `check-sync` to
 * reboot it). The local SIP stack sends it when this process runs one;
 * otherwise `relay` hands it to the telephony nodes (telephony/sip-notifier.ts).
 *
 * The answer waits for the devices, but at most `timeoutMs`: `ok` as soon as
 * one device answered the NOTIFY (any final response), `not-registered` when
 * none did in time. A non-INVITE transaction to a silent device only fails
 * after Timer F (64·T1 = 32 s, RFC 3261 §17.1.2.2), far beyond what a REST
 * client waits for, and a binding nobody answers on is as good as none.
 */
export class SipNotifyService {
  constructor(
    private readonly sipAccounts: Pick<SipAccountService, 'account'>,
    private readonly registrations: Pick<RegistrationStore, 'bindings'>,
    private readonly relay: SipNotifier,
    /** Services.sipNotifier, read at each call: the telephony role sets it after start-up. */
    private readonly local: () => SipNotifier | null,
    private readonly timeoutMs: number,
  ) {}

  async notify(userId: string, name: string, req: SipNotifyRequest): Promise<void> {
    const account = await this.sipAccounts.account(userId, name);
    const bindings = await this.registrations.bindings(name);
    if (bindings.length === 0) throw new ServiceError('not-registered', 'the SIP account is not registered');
    const notifier = this.local() ?? this.relay;
    const target = { name: account.name, domain: account.domain };
    const answered = await firstAnswer(
      bindings.map((b) => notifier.notify(b, target, req)),
      this.timeoutMs,
    );
    if (!answered) {
      throw new ServiceError(
        'not-registered',
        `no device registered with ${name} answered the NOTIFY within ${this.timeoutMs} ms`,
      );
    }
  }
}
