import { ServiceError } from '../errors/index.js';
import type { RegistrationStore } from '../store/redis/registrations.js';
import type { SipNotifier, SipNotifyRequest } from '../store/redis/sip-notify-relay.js';
import type { SipAccountService } from './sip-account-service.js';

/**
 * `POST /api/sip/(sip-user)/notify` (spec 3.21): a custom NOTIFY to every
 * device registered with one of the user's accounts (e.g. `check-sync` to
 * reboot it). The local SIP stack sends it when this process runs one;
 * otherwise `relay` hands it to the telephony nodes (telephony/sip-notifier.ts).
 */
export class SipNotifyService {
  constructor(
    private readonly sipAccounts: Pick<SipAccountService, 'account'>,
    private readonly registrations: Pick<RegistrationStore, 'bindings'>,
    private readonly relay: SipNotifier,
    /** Services.sipNotifier, read at each call: the telephony role sets it after start-up. */
    private readonly local: () => SipNotifier | null,
  ) {}

  async notify(userId: string, name: string, req: SipNotifyRequest): Promise<void> {
    const account = await this.sipAccounts.account(userId, name);
    const bindings = await this.registrations.bindings(name);
    if (bindings.length === 0) throw new ServiceError('not-registered', 'the SIP account is not registered');
    const notifier = this.local() ?? this.relay;
    for (const b of bindings) await notifier.notify(b, { name: account.name, domain: account.domain }, req);
  }
}
