import type { PushConfig } from '../config/index.js';
import { apnsTopicOfParam, type PushContact } from '../domain/push/pn-params.js';
import type { ApnsClient } from './apns.js';
import { pushClients } from './clients.js';
import type { FcmClient } from './fcm.js';
import type { PushOutcome } from './outcome.js';

/** The call a device is woken for: what the app shows before it has registered (CallKit needs a caller). */
export interface WakeCall {
  /** The engine's call uuid. */
  call: string;
  /** The SIP account called. */
  account: string;
  /** The caller's number or account, empty when withheld. */
  caller: string;
}

/**
 * Wake-up pushes for incoming calls (RFC 8599 §5.3.2): an APNs VoIP push
 * (PushKit: `apns-push-type: voip`, the App ID's topic, priority 10, never
 * stored for later since the call will not wait) or an FCM high-priority
 * data message with a time to live of the call's wait. Sent at once from
 * the telephony node, not through the push queue: a retry after the call
 * gave up would ring nothing.
 */
export class VoipPusher {
  private readonly apns: ApnsClient | null;
  private readonly fcm: FcmClient | null;

  constructor(
    cfg: PushConfig,
    private readonly waitSeconds: number,
  ) {
    ({ apns: this.apns, fcm: this.fcm } = pushClients(cfg));
  }

  /** How long a call waits for a woken device. */
  get waitMs(): number {
    return this.waitSeconds * 1000;
  }

  /** Whether pushes of this pn-provider can be sent (credentials configured). */
  supports(provider: string): boolean {
    return provider === 'fcm' ? this.fcm !== null : provider.startsWith('apns') && this.apns !== null;
  }

  async send(device: PushContact, call: WakeCall): Promise<PushOutcome> {
    const data = { event: 'incoming_call', call_id: call.call, account: call.account, caller: call.caller };
    if (device.provider === 'fcm') {
      if (!this.fcm) return { kind: 'rejected', reason: 'FCM is not configured' };
      return this.fcm.send(device.prid, data, { ttlSeconds: this.waitSeconds });
    }
    const topic = apnsTopicOfParam(device.param);
    if (!this.apns || !topic) return { kind: 'rejected', reason: 'APNs is not configured' };
    return this.apns.send({
      deviceToken: device.prid,
      sandbox: device.provider === 'apns.dev',
      topic,
      pushType: 'voip',
      payload: { aps: {}, ...data },
      expiration: 0,
    });
  }

  close(): void {
    this.apns?.close();
  }
}
