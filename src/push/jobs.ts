import { createHash } from 'node:crypto';
import type { PushEvent } from '../domain/push/push-events.js';

export type PushSystem = 'gcm' | 'apns';

/** A registered device as delivery needs it (spec 8.1 POST /api/push add). */
export interface PushDevice {
  system: PushSystem;
  token: string;
  userId: string;
  applicationId: string | null;
  sandbox: boolean;
  apnsTopic: string | null;
  registeredMs: number;
}

/** Where delivery reads devices and drops dead ones (PushService implements it over SQL). */
export interface PushDeviceDirectory {
  devicesOf(owner: string): Promise<PushDevice[]>;
  device(system: PushSystem, token: string): Promise<PushDevice | undefined>;
  /** Removes a token the provider declared dead, unless it was registered again after `sinceMs`. */
  removeDead(system: PushSystem, token: string, sinceMs?: number): Promise<boolean>;
}

/**
 * The push queue's jobs. An `event` job fans out into one `device` job per
 * registered device of the owner when it runs, so the producer (an API call,
 * the call engine) does one Redis write and no SQL, and each device is
 * retried on its own.
 */
export type PushJob =
  | { kind: 'event'; owner: string; event: PushEvent }
  | { kind: 'device'; owner: string; system: PushSystem; token: string; event: PushEvent };

/** BullMQ job ids may not contain ':'; FCM registration ids do, so tokens go in hashed. */
export function deviceJobId(eventJobId: string, system: PushSystem, token: string): string {
  const h = createHash('sha256').update(token).digest('hex').slice(0, 24);
  return `${eventJobId}.${system}.${h}`;
}
