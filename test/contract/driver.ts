/**
 * What the adapter contract suite needs to drive an adapter from the
 * network side: callers, callees, registered devices and watchers, plus a
 * way to let time pass. Every adapter has a driver (fake-driver.ts,
 * embedded-driver.ts; drachtio + FreeSWITCH later) and passes the same
 * tests (adapter-contract.ts), like BullMQ's adapter-conformance suite.
 */
import type { InboundLeg, MailboxState, TelephonyAdapter } from '../../src/telephony/adapter.js';
import type { LocationStore } from '../../src/telephony/environment.js';

export type FarEvent = 'ringing' | 'early' | 'answered' | 'ended' | 'hold' | 'unhold';

/** How a far end saw its call end: a failure the adapter sent it, or the other side hanging up. */
export type FarEnding =
  'busy' | 'unavailable' | 'not-found' | 'rejected' | 'no-answer' | 'hangup' | 'cancel' | 'other';

/** The other end of one leg, in the network. */
export interface FarEnd {
  waitFor(event: FarEvent): Promise<void>;
  saw(event: FarEvent): boolean;
  /** How its call ended, once it did. */
  ending(): FarEnding | null;
  /** What the adapter offered this callee: caller, CLIR, asserted identity, user-to-user data. */
  offered(): {
    from: string | null;
    display: string | null;
    clir: boolean;
    assertedIdentity: string | null;
    uui: string | null;
  };
  // As a callee:
  ring(): void;
  early(): void;
  answer(): void;
  fail(kind: 'busy' | 'unavailable' | 'not-found'): void;
  // Either side:
  hangup(): void;
  hold(held: boolean): Promise<void>;
  sendDigits(digits: string): Promise<void>;
  /** Digits it received so far. */
  digits(): string;
  /** Says a tone of `hz` for `ms`. */
  speak(hz: number, ms: number): Promise<void>;
  /** Whether it hears a tone of `hz` (within a while). */
  hears(hz: number): Promise<boolean>;
}

export interface Account {
  name: string;
  owner: string;
  domain: string;
  password: string;
}

export interface Device {
  /** REGISTER (or the adapter's equivalent) with this password: 'ok' or 'refused'. */
  register(password: string): Promise<'ok' | 'refused'>;
  /** The next call the adapter places to this device. */
  nextCall(): Promise<FarEnd>;
  /** Watches a number's calls (BLF); the states it was told, in order. */
  watch(number: string): Promise<() => string[]>;
  /** Subscribes to its own mailbox (MWI); the `Voice-Message` counts it was told ("new/old"), in order. */
  watchMailbox(): Promise<() => string[]>;
  /** NOTIFY events this device received. */
  notified(): string[];
  close(): Promise<void>;
}

export interface ContractDriver {
  readonly adapter: TelephonyAdapter;
  readonly location: LocationStore;
  /** The legs the adapter delivered, in order. */
  nextInbound(): Promise<InboundLeg>;
  /** A carrier call to `number`. */
  carrierCall(number: string, opts?: { from?: string; display?: string; clir?: boolean }): Promise<FarEnd>;
  /** The next call the adapter sends to the carrier. */
  nextAtTrunk(): Promise<FarEnd>;
  /** Where other telephony nodes reach this adapter (a `node` target to it comes back as an inbound leg). */
  nodeUri(): string;
  /** A device of `account` (not registered yet). */
  device(account: Account): Promise<Device>;
  /** An account the platform knows (digest credentials, BLF rights on `watches`). */
  account(name: string, password: string, watches?: string[]): Account;
  /** The voice messages of an account's owner as the platform reads them (what a new MWI subscriber is told). */
  setMailbox(owner: string, state: MailboxState): void;
  /** Lets `ms` pass (real time, or a fake clock). */
  pass(ms: number): Promise<void>;
  close(): Promise<void>;
}
