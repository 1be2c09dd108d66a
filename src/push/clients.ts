import type { PushConfig } from '../config/index.js';
import { ApnsClient } from './apns.js';
import { FcmClient } from './fcm.js';

/** The provider clients the configuration has credentials for (null: that provider is not configured). */
export function pushClients(cfg: PushConfig): { apns: ApnsClient | null; fcm: FcmClient | null } {
  return {
    apns: cfg.apns
      ? new ApnsClient({
          ...cfg.apns,
          productionUrl: cfg.apnsUrl,
          sandboxUrl: cfg.apnsSandboxUrl,
          timeoutMs: cfg.timeoutMs,
        })
      : null,
    fcm: cfg.fcm ? new FcmClient({ ...cfg.fcm, baseUrl: cfg.fcmUrl, timeoutMs: cfg.timeoutMs }) : null,
  };
}
