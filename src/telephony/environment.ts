/**
 * What the platform gives a telephony adapter (adapter.ts): the stores it
 * serves registration, digest authentication, BLF, message waiting, push
 * wake-up and media from. Every adapter is built with an AdapterEnvironment
 * (telephony/adapters.ts makes it from the services); tests give fakes.
 */
import type { PushContact } from '../domain/push/pn-params.js';
import type { AccountRef, DeviceBinding, Logger, MailboxState, MediaLocation, MediaRef } from './adapter.js';

/** A registered device of an account (what REGISTER stores). */
export interface LocationBinding extends DeviceBinding {
  /** Absolute expiry, ms since epoch. */
  expiresAt: number;
  callId: string;
  cseq: number;
  userAgent?: string;
}

export interface BindRequest extends DeviceBinding {
  /** Seconds; 0 removes the binding. */
  expires: number;
  callId: string;
  cseq: number;
  userAgent?: string;
}

/** The location service every telephony node shares (RFC 3261 §10.3; store/redis/registrations.ts). */
export interface LocationStore {
  /** Adds or refreshes a binding (expires 0 removes it); the account's bindings after it, newest first. */
  bind(account: AccountRef, b: BindRequest): Promise<LocationBinding[]>;
  unbind(account: AccountRef, contact: string, order: { callId: string; cseq: number }): Promise<unknown>;
  unbindAll(account: AccountRef, order: { callId: string; cseq: number }): Promise<unknown>;
  /** Current bindings of an account, newest first. */
  bindings(account: string): Promise<LocationBinding[]>;
}

/** Digest credentials of SIP accounts (services/sip-account-service.ts). */
export interface AccountCredentials {
  credentials(name: string): Promise<(AccountRef & { ha1: { md5: string; sha256: string } }) | null>;
}

/** Failed logins by source address and account (store/redis/auth-guard.ts). */
export interface AuthGuard {
  /**
   * A verified answer to a challenge, in one round trip: false when refused
   * now (nothing counted), else `ok` counted as a success or a failure.
   */
  attempt(source: string, account: string, ok: boolean): Promise<boolean>;
  /** Malformed credentials: counted against the address (`account` null). */
  failure(source: string, account: string | null): Promise<void>;
}

/** Who may watch which number (BLF, spec 3.21 .../blf). */
export interface WatcherDirectory {
  watchersOf(number: string): Promise<string[]>;
}

/** The voice messages of users (services/message-waiting.ts), read when a phone subscribes. */
export interface MailboxDirectory {
  summary(owner: string): Promise<MailboxState>;
}

/** A device a push can wake (RFC 8599): its push contact and the Contact it registered with last. */
export interface WakeableDevice extends PushContact {
  contact: string;
  registeredAt: number;
}

/**
 * Waking sleeping mobile softphones for their calls (RFC 8599): the
 * registrar tells it of REGISTERs with pn parameters, a call to an account
 * pushes the devices without a live binding and waits for their REGISTER
 * (telephony/platform/push-wake.ts).
 */
export interface DeviceWake {
  /** How long a call waits for a woken device's REGISTER. */
  readonly waitMs: number;
  /** Whether pushes of this pn-provider are sent (the REGISTER's 200 says so: Feature-Caps). */
  supports(provider: string): boolean;
  /** A REGISTER bound (expires > 0) or removed (0) a contact with push parameters. */
  registered(account: AccountRef, contact: string, push: PushContact, expires: number): Promise<void>;
  /** The devices of `account` a push can wake (their bindings may be live or not). */
  devices(account: string): Promise<WakeableDevice[]>;
  /** Pushes them for `call`; resolves with the pn-prids of those the push service took. */
  wake(
    account: string,
    devices: readonly WakeableDevice[],
    call: { call: string; caller: string },
  ): Promise<string[]>;
  /** Calls `listener` on each push REGISTER of `account` (any node) until the returned function is called. */
  onRegistered(account: string, listener: () => void): Promise<() => void>;
}

/** Resolves media references to what the adapter can play, and says where recordings go. */
export interface MediaLocator {
  /** null: the media does not exist (or is not playable yet). */
  locate(ref: MediaRef): Promise<MediaLocation | null>;
}

/** What every adapter is built with: the platform's stores it serves registration and media from. */
export interface AdapterEnvironment {
  accounts: AccountCredentials;
  location: LocationStore;
  authGuard: AuthGuard;
  watchers: WatcherDirectory;
  mailboxes: MailboxDirectory;
  /** Push wake-up of mobile softphones (RFC 8599); absent: REGISTERs with pn parameters bind as any other. */
  wake?: DeviceWake;
  media: MediaLocator;
  log: Logger;
}
